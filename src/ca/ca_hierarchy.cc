#include "signet/ca/ca_hierarchy.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ca/certificate_builder.h"
#include "ca/openssl_handles.h"
#include "signet/ca/crl_writer.h"
#include "signet/common/log.h"

namespace signet::ca {

namespace {

namespace fs = std::filesystem;

constexpr auto kDay = std::chrono::hours(24);

struct IssuerSpec {
  const char* name;
  signer::KeyAlgorithm algorithm;
};
// One intermediate per subscriber key family, each with a key of its own family.
constexpr IssuerSpec kDefaultIssuers[] = {{"ecdsa-1", signer::KeyAlgorithm::kEcdsaP256},
                                          {"rsa-1", signer::KeyAlgorithm::kRsa2048}};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteFileAtomically(const fs::path& path, const std::string& content) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

Result<std::unique_ptr<signer::Signer>> LoadOrCreateKey(const fs::path& key_path,
                                                        const std::string& passphrase,
                                                        signer::KeyAlgorithm algorithm) {
  if (fs::exists(key_path)) return signer::LoadKeyFileSigner(key_path.string(), passphrase);
  return signer::CreateKeyFileSigner(key_path.string(), passphrase, algorithm);
}

class FileCaHierarchy final : public CaHierarchy {
 public:
  const std::string& root_pem() const override { return root_pem_; }
  const std::string& root_crl_der() const override { return root_crl_der_; }
  X509* root() const override { return root_.get(); }
  const std::vector<Issuer>& issuers() const override { return issuers_; }
  const Issuer* Find(const std::string& name) const override {
    for (const Issuer& i : issuers_) {
      if (i.name == name) return &i;
    }
    return nullptr;
  }
  const Issuer& DefaultIssuerFor(bool rsa_subscriber_key) const override {
    const Issuer* i = Find(rsa_subscriber_key ? "rsa-1" : "ecdsa-1");
    return i ? *i : issuers_.front();
  }

  Status Load(const CaHierarchyOptions& options, const Clock& clock) {
    fs::path dir(options.directory);
    std::error_code ec;
    fs::create_directories(dir / "root", ec);
    fs::create_directories(dir / "issuers", ec);
    if (ec) return UnavailableError("cannot create " + dir.string() + ": " + ec.message());
    chmod(dir.c_str(), 0700);
    fs::path root_cert_path = dir / "root" / "cert.pem";
    std::unique_ptr<signer::Signer> root_signer;  // loaded only while something must be signed

    if (!fs::exists(root_cert_path)) {
      SIGNET_ASSIGN_OR_RETURN(root_signer,
                              LoadOrCreateKey(dir / "root" / "key.pem", options.passphrase,
                                              signer::KeyAlgorithm::kEcdsaP384));
      TimePoint now = clock.Now();
      CertificateTemplate t;
      t.subject = {{"C", options.country},
                   {"O", options.organization},
                   {"CN", options.organization + " Root CA"}};
      t.public_key = root_signer->public_key();
      // BR 7.1.2.1.1: notBefore within a day before signing; notAfter 2922..9132 days later.
      t.not_before = now - std::chrono::hours(1);
      t.not_after = now + 3650 * kDay;
      t.serial = NewSerial(random_);
      t.extensions = {{NID_basic_constraints, "critical,CA:TRUE"},
                      {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
                      {NID_subject_key_identifier, "hash"},
                      {NID_authority_key_identifier, "keyid:always"}};
      SIGNET_ASSIGN_OR_RETURN(X509Ptr cert, BuildUnsignedCertificate(t));
      SIGNET_RETURN_IF_ERROR(root_signer->SignCertificate(cert.get()));
      if (!WriteFileAtomically(root_cert_path, CertificateToPem(cert.get()))) {
        return UnavailableError("cannot write " + root_cert_path.string());
      }
      log::Info("created root CA", {{"path", root_cert_path.string()}});
    }
    root_pem_ = ReadFile(root_cert_path);
    root_ = CertificateFromPem(root_pem_);
    if (!root_)
      return MalformedError(root_cert_path.string() + " is not a PEM certificate", "bad_ca");

    for (const IssuerSpec& spec : kDefaultIssuers) {
      fs::path idir = dir / "issuers" / spec.name;
      fs::create_directories(idir, ec);
      SIGNET_ASSIGN_OR_RETURN(
          auto issuer_signer,
          LoadOrCreateKey(idir / "key.pem", options.passphrase, spec.algorithm));
      SIGNET_RETURN_IF_ERROR(
          AddIssuer(options, clock, spec.name, std::move(issuer_signer), root_signer));
    }
    // Issuers imported with ImportIssuer: any other directory holding a key and a certificate.
    for (const auto& entry : fs::directory_iterator(dir / "issuers")) {
      std::string name = entry.path().filename().string();
      if (Find(name) || !fs::exists(entry.path() / "key.pem") ||
          !fs::exists(entry.path() / "parents.pem")) {
        continue;
      }
      SIGNET_ASSIGN_OR_RETURN(
          auto imported,
          signer::LoadKeyFileSigner((entry.path() / "key.pem").string(), options.passphrase));
      SIGNET_RETURN_IF_ERROR(AddIssuer(options, clock, name, std::move(imported), root_signer));
    }
    for (const Pkcs11IssuerOptions& hsm : options.pkcs11_issuers) {
      fs::create_directories(dir / "issuers" / hsm.name, ec);
      SIGNET_ASSIGN_OR_RETURN(auto issuer_signer, signer::LoadPkcs11Signer(hsm.key));
      SIGNET_RETURN_IF_ERROR(
          AddIssuer(options, clock, hsm.name, std::move(issuer_signer), root_signer));
    }
    // The root's CRL (named in every intermediate): signed whenever the root key is at hand, and
    // at least once. BR 4.9.7: a CA CRL must be reissued within 12 months.
    fs::path root_crl = dir / "root" / "crl.der";
    if (root_signer || options.sign_root_crl || !fs::exists(root_crl)) {
      SIGNET_RETURN_IF_ERROR(SignRootCrl(options, clock, root_signer));
    }
    root_crl_der_ = ReadFile(root_crl);
    return Status::Ok();
  }

 private:
  Status SignRootCrl(const CaHierarchyOptions& options, const Clock& clock,
                     std::unique_ptr<signer::Signer>& root_signer) {
    fs::path dir(options.directory);
    if (!root_signer) {
      SIGNET_ASSIGN_OR_RETURN(
          root_signer,
          signer::LoadKeyFileSigner((dir / "root" / "key.pem").string(), options.passphrase));
    }
    Issuer root{"root", root_pem_, "", root_.get(), root_signer.get()};
    int64_t number =
        std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch())
            .count();  // grows with time: no counter to keep for an offline key
    SIGNET_ASSIGN_OR_RETURN(
        std::string der,
        BuildCrl(root, {}, number, std::chrono::time_point_cast<std::chrono::seconds>(clock.Now()),
                 std::chrono::hours(24 * 365), /*url=*/"", true));
    if (!WriteFileAtomically(dir / "root" / "crl.der", der)) {
      return UnavailableError("cannot write the root CRL");
    }
    log::Info("signed the root CRL", {{"valid_days", 365}});
    return Status::Ok();
  }

  // Loads an intermediate's certificate, creating it (signed by the root) when missing.
  Status AddIssuer(const CaHierarchyOptions& options, const Clock& clock, const std::string& name,
                   std::unique_ptr<signer::Signer> issuer_signer,
                   std::unique_ptr<signer::Signer>& root_signer) {
    fs::path dir(options.directory);
    fs::path cert_path = dir / "issuers" / name / "cert.pem";
    if (!fs::exists(cert_path)) {
      if (!root_signer) {
        SIGNET_ASSIGN_OR_RETURN(
            root_signer,
            signer::LoadKeyFileSigner((dir / "root" / "key.pem").string(), options.passphrase));
      }
      TimePoint now = clock.Now();
      CertificateTemplate t;
      t.subject = {{"C", options.country},
                   {"O", options.organization},
                   {"CN", options.organization + " TLS Issuing CA " + name}};
      t.issuer = root_.get();
      t.public_key = issuer_signer->public_key();
      t.not_before = now - std::chrono::hours(1);
      t.not_after = now + 1825 * kDay;
      t.serial = NewSerial(random_);
      // BR 7.1.2.6: TLS subordinate CA with serverAuth EKU and the reserved policy OIDs.
      t.extensions = {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                      {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
                      {NID_ext_key_usage, "serverAuth"},
                      {NID_certificate_policies, "2.23.140.1.2.1,2.23.140.1.2.2,2.23.140.1.1"},
                      {NID_subject_key_identifier, "hash"},
                      {NID_authority_key_identifier, "keyid:always"}};
      if (!options.public_url.empty()) {
        t.extensions.push_back(
            {NID_info_access, "caIssuers;URI:" + options.public_url + "/ca/root.der"});
        t.extensions.push_back(
            {NID_crl_distribution_points, "URI:" + options.public_url + "/crl/root.crl"});
      }
      SIGNET_ASSIGN_OR_RETURN(X509Ptr cert, BuildUnsignedCertificate(t));
      SIGNET_RETURN_IF_ERROR(root_signer->SignCertificate(cert.get()));
      if (!WriteFileAtomically(cert_path, CertificateToPem(cert.get()))) {
        return UnavailableError("cannot write " + cert_path.string());
      }
      log::Info("created issuing CA", {{"issuer", name}});
    }
    Issuer issuer;
    issuer.name = name;
    issuer.certificate_pem = ReadFile(cert_path);
    fs::path parents_path = dir / "issuers" / name / "parents.pem";
    issuer.parents_pem = fs::exists(parents_path) ? ReadFile(parents_path) : root_pem_;
    X509Ptr cert = CertificateFromPem(issuer.certificate_pem);
    if (!cert) return MalformedError(cert_path.string() + " is not a PEM certificate", "bad_ca");
    // The certificate must belong to the key we hold, or every signature would be useless.
    if (EVP_PKEY_eq(X509_get0_pubkey(cert.get()), issuer_signer->public_key()) != 1) {
      return MalformedError("the certificate " + cert_path.string() + " does not match its key",
                            "bad_ca");
    }
    issuer.certificate = cert.get();
    issuer.signer = issuer_signer.get();
    certificates_.push_back(std::move(cert));
    signers_.push_back(std::move(issuer_signer));
    issuers_.push_back(std::move(issuer));
    return Status::Ok();
  }

  SystemRandom random_;
  std::string root_pem_;
  std::string root_crl_der_;
  X509Ptr root_;
  std::vector<X509Ptr> certificates_;
  std::vector<std::unique_ptr<signer::Signer>> signers_;
  std::vector<Issuer> issuers_;
};

}  // namespace

Status ImportIssuer(const std::string& directory, const std::string& name,
                    const std::string& certificate_pem, const std::string& private_key_pem,
                    const std::string& key_passphrase, const std::string& parents_pem,
                    const std::string& ca_passphrase) {
  if (name.empty() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    return MalformedError("an issuer name uses a-z, 0-9 and '-' only", "invalid_name");
  }
  fs::path dir = fs::path(directory) / "issuers" / name;
  if (fs::exists(dir))
    return ConflictError("an issuer named " + name + " exists already", "already_exists");
  X509Ptr cert = CertificateFromPem(certificate_pem);
  if (!cert) return MalformedError("the certificate is not PEM", "invalid_certificate");
  if (X509_check_ca(cert.get()) < 1 || !(X509_get_key_usage(cert.get()) & KU_KEY_CERT_SIGN)) {
    return MalformedError(
        "the certificate is not a CA certificate allowed to sign certificates "
        "(basicConstraints CA:TRUE and keyUsage keyCertSign)",
        "not_a_ca");
  }
  auto read_key = pem::ReadPrivateKey(private_key_pem, key_passphrase);
  if (!read_key.ok()) {
    return MalformedError("the private key cannot be read (wrong passphrase, or not PEM)",
                          "invalid_key");
  }
  PkeyPtr key = std::move(read_key).value();
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return MalformedError("the private key does not belong to the certificate", "key_mismatch");
  }
  // The chain must reach a self-signed root through the given parents.
  std::string parents = parents_pem;
  bool self_signed = X509_check_issued(cert.get(), cert.get()) == X509_V_OK;
  if (parents.empty() && !self_signed) {
    return MalformedError("give the chain above this CA, up to its root", "chain_missing");
  }
  if (!parents.empty()) {
    X509_STORE* store = X509_STORE_new();
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    auto read_parents = pem::ReadCertificates(parents);
    std::vector<X509Ptr> owned;
    if (read_parents.ok()) owned = std::move(read_parents).value();
    for (const X509Ptr& parent : owned) {
      X509* p = parent.get();
      if (X509_check_issued(p, p) == X509_V_OK)
        X509_STORE_add_cert(store, p);
      else
        sk_X509_push(untrusted, p);
    }
    ERR_clear_error();
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, cert.get(), untrusted);
    bool ok = X509_verify_cert(ctx) == 1;
    std::string why = ok ? "" : X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    X509_STORE_free(store);
    if (!ok) return MalformedError("the chain does not lead to a root: " + why, "chain_invalid");
  } else {
    parents = certificate_pem;  // a root is its own chain
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return UnavailableError("cannot create " + dir.string());
  BioPtr out(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(), ca_passphrase.data(),
                                    static_cast<int>(ca_passphrase.size()), nullptr,
                                    nullptr) != 1) {
    return InternalError("re-encrypting the key failed");
  }
  std::string encrypted = BioToString(out.get());
  {
    std::ofstream key_out(dir / "key.pem", std::ios::trunc);
    chmod((dir / "key.pem").c_str(), 0600);
    key_out << encrypted;
  }
  if (!WriteFileAtomically(dir / "parents.pem", parents == certificate_pem ? "" : parents) ||
      !WriteFileAtomically(dir / "cert.pem", CertificateToPem(cert.get()))) {
    return UnavailableError("cannot write the imported issuer into " + dir.string());
  }
  log::Info("imported issuing CA", {{"issuer", name}});
  return Status::Ok();
}

Result<std::unique_ptr<CaHierarchy>> CaHierarchy::LoadOrCreate(const CaHierarchyOptions& options,
                                                               const Clock& clock) {
  auto h = std::make_unique<FileCaHierarchy>();
  SIGNET_RETURN_IF_ERROR(h->Load(options, clock));
  return std::unique_ptr<CaHierarchy>(std::move(h));
}

}  // namespace signet::ca

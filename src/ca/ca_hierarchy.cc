#include "signet/ca/ca_hierarchy.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ca/certificate_builder.h"
#include "ca/openssl_handles.h"
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
    for (const Pkcs11IssuerOptions& hsm : options.pkcs11_issuers) {
      fs::create_directories(dir / "issuers" / hsm.name, ec);
      SIGNET_ASSIGN_OR_RETURN(auto issuer_signer, signer::LoadPkcs11Signer(hsm.key));
      SIGNET_RETURN_IF_ERROR(
          AddIssuer(options, clock, hsm.name, std::move(issuer_signer), root_signer));
    }
    return Status::Ok();
  }

 private:
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
  X509Ptr root_;
  std::vector<X509Ptr> certificates_;
  std::vector<std::unique_ptr<signer::Signer>> signers_;
  std::vector<Issuer> issuers_;
};

}  // namespace

Result<std::unique_ptr<CaHierarchy>> CaHierarchy::LoadOrCreate(const CaHierarchyOptions& options,
                                                               const Clock& clock) {
  auto h = std::make_unique<FileCaHierarchy>();
  SIGNET_RETURN_IF_ERROR(h->Load(options, clock));
  return std::unique_ptr<CaHierarchy>(std::move(h));
}

}  // namespace signet::ca

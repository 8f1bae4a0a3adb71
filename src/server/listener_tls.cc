#include "server/listener_tls.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "signet/common/log.h"

namespace signet::server {

namespace {

namespace fs = std::filesystem;

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free>;
using CertPtr = std::unique_ptr<X509, Free>;
using BioPtr = std::unique_ptr<BIO, Free>;

bool AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

CertPtr MakeCertificate(EVP_PKEY* subject_key, const std::string& cn, X509* issuer,
                        EVP_PKEY* issuer_key, bool is_ca, const std::string& san, TimePoint now,
                        long days) {
  CertPtr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  time_t t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, -3600, &t);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(days), 0, &t);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Signet"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), subject_key);
  X509* issuer_cert = issuer ? issuer : cert.get();
  bool ok = AddExtension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  ok = ok && AddExtension(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
  if (is_ca) {
    ok = ok &&
         AddExtension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    ok = ok && AddExtension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && AddExtension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    ok = ok && AddExtension(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature");
    ok = ok && AddExtension(cert.get(), issuer_cert, NID_ext_key_usage, "serverAuth");
    ok = ok && AddExtension(cert.get(), issuer_cert, NID_subject_alt_name, san);
  }
  if (!ok || X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) return nullptr;
  return cert;
}

std::string ToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string KeyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// Writes via a temporary file and rename, so a crash never leaves half a file.
bool WriteFileAtomically(const fs::path& path, const std::string& content, mode_t mode) {
  fs::path tmp = path;
  tmp += ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return false;
  chmod(tmp.c_str(), mode);
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (fsync(fileno(f)) == 0) && ok;
  std::fclose(f);
  if (!ok) return false;
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

std::string SanFor(const std::string& host) {
  std::string san = "IP:127.0.0.1,IP:::1,DNS:localhost";
  if (host.empty() || host == "127.0.0.1" || host == "localhost" || host == "::1" ||
      host == "0.0.0.0" || host == "::") {
    return san;
  }
  bool is_ip = host.find_first_not_of("0123456789.") == std::string::npos ||
               host.find(':') != std::string::npos;
  return san + (is_ip ? ",IP:" : ",DNS:") + host;
}

// True when the certificate exists, is valid for 30 more days and names `host`.
bool IsUsable(const fs::path& cert_path, const std::string& san, TimePoint now) {
  FILE* f = std::fopen(cert_path.c_str(), "rb");
  if (!f) return false;
  CertPtr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  if (!cert) return false;
  time_t soon =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() + 30 * 86400;
  if (X509_cmp_time(X509_get0_notAfter(cert.get()), &soon) <= 0) return false;
  // Compare the SAN text we would write with what is there.
  int idx = X509_get_ext_by_NID(cert.get(), NID_subject_alt_name, -1);
  if (idx < 0) return false;
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509V3_EXT_print(bio.get(), X509_get_ext(cert.get(), idx), 0, 0);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  std::string printed(data, static_cast<size_t>(n));
  std::string expected_host = san.substr(san.rfind(',') + 1);
  expected_host = expected_host.substr(expected_host.find(':') + 1);
  return printed.find(expected_host) != std::string::npos;
}

}  // namespace

Result<ListenerTlsFiles> EnsureListenerCertificate(const std::string& data_dir,
                                                   const std::string& host, const Clock& clock) {
  fs::path dir = fs::path(data_dir) / "tls";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return UnavailableError("cannot create " + dir.string() + ": " + ec.message());
  chmod(dir.c_str(), 0700);
  ListenerTlsFiles files{(dir / "listener.pem").string(), (dir / "listener.key").string(),
                         (fs::path(data_dir) / "ca.pem").string()};
  std::string san = SanFor(host);
  TimePoint now = clock.Now();
  if (fs::exists(files.private_key) && fs::exists(files.trust_anchor) &&
      IsUsable(files.cert_chain, san, now)) {
    return files;
  }
  KeyPtr root_key(EVP_EC_gen("P-256"));
  KeyPtr leaf_key(EVP_EC_gen("P-256"));
  if (!root_key || !leaf_key) return InternalError("key generation failed");
  CertPtr root = MakeCertificate(root_key.get(), "Signet Local Listener Root", nullptr,
                                 root_key.get(), true, "", now, 3650);
  if (!root) return InternalError("creating the listener trust anchor failed");
  CertPtr leaf = MakeCertificate(leaf_key.get(), host.empty() ? "localhost" : host, root.get(),
                                 root_key.get(), false, san, now, 397);
  if (!leaf) return InternalError("creating the listener certificate failed");
  // The root key goes out of scope here, unsaved.
  if (!WriteFileAtomically(files.private_key, KeyToPem(leaf_key.get()), 0600) ||
      !WriteFileAtomically(files.cert_chain, ToPem(leaf.get()) + ToPem(root.get()), 0644) ||
      !WriteFileAtomically(files.trust_anchor, ToPem(root.get()), 0644)) {
    return UnavailableError("cannot write the listener certificate into " + dir.string());
  }
  log::Info("created listener certificate", {{"trust_anchor", files.trust_anchor}, {"san", san}});
  return files;
}

}  // namespace signet::server

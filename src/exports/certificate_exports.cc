#include "signet/exports/certificate_exports.h"

#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <zip.h>

#include <chrono>
#include <memory>
#include <vector>

#include "signet/common/encoding.h"
#include "signet/common/pem_input.h"

namespace signet::exports {

namespace {

struct Free {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(PKCS12* p) const { PKCS12_free(p); }
  void operator()(PKCS7* p) const { PKCS7_free(p); }
};
template <typename T>
using Ptr = std::unique_ptr<T, Free>;

std::string FromBio(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

// Stored PEM, read without a password prompt (pem_input.h); unreadable text gives no certificate.
std::vector<X509Ptr> ReadCertificates(const std::string& pem) {
  auto read = pem::ReadCertificates(pem);
  return read.ok() ? std::move(read).value() : std::vector<X509Ptr>{};
}

std::string Der(X509* cert) {
  unsigned char* der = nullptr;
  int n = i2d_X509(cert, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(std::max(n, 0)));
  OPENSSL_free(der);
  return out;
}

// A password for a download: 16 characters of base64url (96 random bits), unless chosen.
Result<std::string> PasswordFor(const ExportOptions& options, Random& random) {
  if (options.password.empty()) return random.Token(12);
  if (options.password.size() < 8 || options.password.size() > 128) {
    return MalformedError("the password must have 8 to 128 characters", "invalid_password");
  }
  for (char c : options.password) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
      return MalformedError(
          "the password must be printable ASCII (Java keystores and older "
          "Windows cannot read others)",
          "invalid_password");
    }
  }
  return options.password;
}

Status NeedsKey(const ExportInput& input, const char* format) {
  if (!input.private_key_pem.empty()) return Status::Ok();
  return Status::Error(ErrorCode::kConflict, "private_key_not_held",
                       std::string("the ") + format +
                           " format includes the private key, which Signet does not hold for "
                           "certificates requested with your own CSR; download nginx, apache or "
                           "pem and use your key");
}

Result<std::string> Pkcs12(const ExportInput& input, const std::string& password, bool legacy,
                           const std::string& name) {
  auto leaf = ReadCertificates(input.certificate_pem);
  auto cas = ReadCertificates(input.intermediates_pem + input.root_pem);
  auto key = pem::ReadPrivateKey(input.private_key_pem);
  if (leaf.empty() || !key.ok()) return InternalError("the certificate or key is unreadable");
  STACK_OF(X509)* ca = sk_X509_new_null();
  for (auto& c : cas) sk_X509_push(ca, c.get());
  int nid = legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : NID_aes_256_cbc;
  Ptr<PKCS12> p12(PKCS12_create(password.c_str(), name.c_str(), key->get(), leaf[0].get(), ca, nid,
                                nid, PKCS12_DEFAULT_ITER, -1, 0));
  sk_X509_free(ca);
  if (!p12) return InternalError("building the PKCS#12 file failed");
  if (PKCS12_set_mac(p12.get(), password.c_str(), -1, nullptr, 0, PKCS12_DEFAULT_ITER,
                     legacy ? EVP_sha1() : EVP_sha256()) != 1) {
    return InternalError("sealing the PKCS#12 file failed");
  }
  Ptr<BIO> out(BIO_new(BIO_s_mem()));
  i2d_PKCS12_bio(out.get(), p12.get());
  return FromBio(out.get());
}

std::string Pkcs7(const ExportInput& input) {
  Ptr<PKCS7> p7(PKCS7_new());
  PKCS7_set_type(p7.get(), NID_pkcs7_signed);
  PKCS7_content_new(p7.get(), NID_pkcs7_data);
  auto certs = ReadCertificates(input.certificate_pem + input.intermediates_pem);
  for (auto& c : certs) PKCS7_add_certificate(p7.get(), c.get());
  Ptr<BIO> out(BIO_new(BIO_s_mem()));
  PEM_write_bio_PKCS7(out.get(), p7.get());
  return FromBio(out.get());
}

// An in-memory zip of (name, content) files.
Result<std::string> Zip(const std::vector<std::pair<std::string, std::string>>& files) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
  if (!archive) {
    if (buffer) zip_source_free(buffer);
    zip_error_fini(&error);
    return InternalError("creating the zip failed");
  }
  zip_source_keep(buffer);
  for (const auto& [name, content] : files) {
    zip_source_t* file = zip_source_buffer(archive, content.data(), content.size(), 0);
    if (!file || zip_file_add(archive, name.c_str(), file, ZIP_FL_ENC_UTF_8) < 0) {
      if (file) zip_source_free(file);
      zip_discard(archive);
      zip_source_free(buffer);
      return InternalError("adding " + name + " to the zip failed");
    }
  }
  if (zip_close(archive) < 0) {
    zip_discard(archive);
    zip_source_free(buffer);
    return InternalError("writing the zip failed");
  }
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
    out.resize(st.size);
    zip_int64_t n = zip_source_read(buffer, out.data(), st.size);
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  zip_error_fini(&error);
  if (out.empty()) return InternalError("reading the zip failed");
  return out;
}

std::string SafeName(const std::string& base) {
  std::string out;
  for (char c : base.empty() ? std::string("certificate") : base) {
    out.push_back(c == '*'                                                                ? '_'
                  : (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c
                                                                                          : '_');
  }
  return out;
}

constexpr char kZip[] = "application/zip";
constexpr char kPem[] = "application/x-pem-file";

}  // namespace

Result<ExportFormat> ParseExportFormat(const std::string& name) {
  static const std::pair<const char*, ExportFormat> kFormats[] = {
      {"pem", ExportFormat::kPem},       {"der", ExportFormat::kDer},
      {"pkcs7", ExportFormat::kPkcs7},   {"chain", ExportFormat::kChain},
      {"pkcs12", ExportFormat::kPkcs12}, {"jks", ExportFormat::kJks},
      {"nginx", ExportFormat::kNginx},   {"apache", ExportFormat::kApache},
      {"iis", ExportFormat::kIis},       {"tomcat", ExportFormat::kTomcat}};
  for (const auto& [n, f] : kFormats) {
    if (name == n) return f;
  }
  return MalformedError(
      "format must be one of nginx, apache, iis, tomcat, pem, der, pkcs7, "
      "pkcs12, jks, chain; got '" +
          name + "'",
      "invalid_format");
}

Result<std::string> BuildPkcs12(const ExportInput& input, const std::string& password,
                                bool legacy) {
  SIGNET_RETURN_IF_ERROR(NeedsKey(input, "PKCS#12"));
  return Pkcs12(input, password, legacy, SafeName(input.base_name));
}

Result<ExportResult> Export(const ExportInput& input, ExportFormat format,
                            const ExportOptions& options, Random& random) {
  std::string name = SafeName(input.base_name);
  auto leaf = ReadCertificates(input.certificate_pem);
  if (leaf.empty()) return InternalError("the certificate is unreadable");
  std::string readme_key =
      input.private_key_pem.empty()
          ? "The private key is not included: it stays with whoever made the CSR.\n"
          : "";
  ExportResult r;
  switch (format) {
    case ExportFormat::kPem:
      return ExportResult{name + ".pem", kPem, input.certificate_pem, ""};
    case ExportFormat::kDer:
      return ExportResult{name + ".cer", "application/pkix-cert", Der(leaf[0].get()), ""};
    case ExportFormat::kPkcs7:
      return ExportResult{name + ".p7b", "application/x-pkcs7-certificates", Pkcs7(input), ""};
    case ExportFormat::kChain:
      return ExportResult{name + "-ca-chain.pem", kPem, input.intermediates_pem + input.root_pem,
                          ""};
    case ExportFormat::kNginx: {
      std::vector<std::pair<std::string, std::string>> files = {
          {name + ".crt", input.certificate_pem + input.intermediates_pem}};
      if (!input.private_key_pem.empty())
        files.push_back({name + ".key", input.private_key_pem});
      else
        files.push_back({"README.txt", readme_key});
      SIGNET_ASSIGN_OR_RETURN(r.body, Zip(files));
      r.filename = name + "_nginx.zip";
      r.content_type = kZip;
      return r;
    }
    case ExportFormat::kApache: {
      std::vector<std::pair<std::string, std::string>> files = {
          {name + ".crt", input.certificate_pem}, {name + "-chain.crt", input.intermediates_pem}};
      if (!input.private_key_pem.empty())
        files.push_back({name + ".key", input.private_key_pem});
      else
        files.push_back({"README.txt", readme_key});
      SIGNET_ASSIGN_OR_RETURN(r.body, Zip(files));
      r.filename = name + "_apache.zip";
      r.content_type = kZip;
      return r;
    }
    case ExportFormat::kPkcs12:
    case ExportFormat::kIis: {
      SIGNET_RETURN_IF_ERROR(NeedsKey(input, format == ExportFormat::kIis ? "IIS" : "PKCS#12"));
      SIGNET_ASSIGN_OR_RETURN(r.password, PasswordFor(options, random));
      bool legacy = options.legacy_pkcs12;
      SIGNET_ASSIGN_OR_RETURN(std::string pfx, Pkcs12(input, r.password, legacy, name));
      std::string file = name + (format == ExportFormat::kIis ? ".pfx" : ".p12");
      SIGNET_ASSIGN_OR_RETURN(r.body, Zip({{file, pfx}, {"password.txt", r.password + "\n"}}));
      r.filename = name + (format == ExportFormat::kIis ? "_iis.zip" : "_pkcs12.zip");
      r.content_type = kZip;
      return r;
    }
    case ExportFormat::kJks:
    case ExportFormat::kTomcat: {
      SIGNET_RETURN_IF_ERROR(NeedsKey(input, format == ExportFormat::kJks ? "JKS" : "Tomcat"));
      SIGNET_ASSIGN_OR_RETURN(r.password, PasswordFor(options, random));
      auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
      SIGNET_ASSIGN_OR_RETURN(
          std::string jks,
          BuildJks(input.private_key_pem, input.certificate_pem + input.intermediates_pem, "tomcat",
                   r.password, random, now));
      std::vector<std::pair<std::string, std::string>> files = {
          {name + ".jks", jks}, {"password.txt", r.password + "\n"}};
      if (format == ExportFormat::kTomcat) {
        SIGNET_ASSIGN_OR_RETURN(std::string p12, Pkcs12(input, r.password, false, "tomcat"));
        files.push_back({name + ".p12", p12});
      }
      SIGNET_ASSIGN_OR_RETURN(r.body, Zip(files));
      r.filename = name + (format == ExportFormat::kJks ? "_jks.zip" : "_tomcat.zip");
      r.content_type = kZip;
      return r;
    }
  }
  return InternalError("unknown format");
}

}  // namespace signet::exports

// Certificate downloads in the formats servers want (PRODUCT.md "Download"): single files (PEM,
// DER, PKCS#7, the CA chain) and per-server zip bundles (nginx, Apache, IIS, Tomcat), PKCS#12 in
// a modern (AES-256, SHA-256 MAC) or legacy (3DES, SHA-1 MAC; older Windows/IIS) encryption, and
// JKS. Bundles hold the private key only when Signet generated it; a password is generated per
// download unless the user chose one, never a fixed default.
//
// Thread-safety: pure functions (Random must be thread-safe).
#pragma once

#include <string>

#include "signet/common/random.h"
#include "signet/common/status.h"

namespace signet::exports {

enum class ExportFormat {
  kPem,
  kDer,
  kPkcs7,
  kChain,
  kPkcs12,
  kJks,
  kNginx,
  kApache,
  kIis,
  kTomcat
};
Result<ExportFormat> ParseExportFormat(const std::string& name);

struct ExportInput {
  std::string certificate_pem;
  std::string intermediates_pem;  // the issuing CA(s), leaf-most first
  std::string root_pem;
  std::string private_key_pem;  // empty when the subscriber keeps the key (CSR orders)
  std::string base_name;        // file names, usually the common name ("*" becomes "_")
};

struct ExportOptions {
  std::string password;        // empty: generate one when the format needs a password
  bool legacy_pkcs12 = false;  // 3DES + SHA-1 MAC for Windows Server 2016 and older
};

struct ExportResult {
  std::string filename;
  std::string content_type;
  std::string body;
  std::string password;  // the password protecting it, when there is one (shown to the user)
};

Result<ExportResult> Export(const ExportInput& input, ExportFormat format,
                            const ExportOptions& options, Random& random);

// The PKCS#12 file alone (a .pfx): the key, the certificate and the chain under `password`.
Result<std::string> BuildPkcs12(const ExportInput& input, const std::string& password, bool legacy);

// The Java KeyStore (JKS) encoding of one private key entry with its chain.
Result<std::string> BuildJks(const std::string& private_key_pem, const std::string& chain_pem,
                             const std::string& alias, const std::string& password, Random& random,
                             int64_t timestamp_ms);

}  // namespace signet::exports

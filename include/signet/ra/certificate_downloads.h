// CertificateDownloads: an account's issued certificates as the REST API shows them, and their
// downloads per server type (built on the exports module). The private key is in a bundle only
// when Signet generated it, and then encrypted with the password chosen at order time, if any.
//
// Thread-safety: all methods may be called from many threads at once.
#pragma once

#include <string>

#include "signet/common/random.h"
#include "signet/exports/certificate_exports.h"
#include "signet/sa/storage.h"

namespace signet {
class KeyVault;
}  // namespace signet
namespace signet::ca {
class CaHierarchy;
using KeyVault = signet::KeyVault;  // common/key_vault.h
}  // namespace signet::ca

namespace signet::ra {

struct CertificateView {
  sa::CertificateRecord record;
  std::string certificate_pem;
  std::string chain_pem;  // issuer, then root
  std::string order_id;   // empty for certificates not issued through an order
  bool has_private_key = false;
};

// What deployment needs of a certificate: its PEM pieces and, when Signet holds it, its private
// key, unencrypted (servers read their keys unattended).
struct CertificateMaterial {
  exports::ExportInput pem;
  std::string serial_hex;
  std::string names;
  bool revoked = false;
  std::string issuance_id;  // empty for uploaded certificates
};

class CertificateDownloads {
 public:
  CertificateDownloads(sa::Storage& storage, const ca::CaHierarchy& hierarchy,
                       const ca::KeyVault& vault, Random& random);
  Result<CertificateView> Get(const std::string& account_id, const std::string& serial_hex);
  // `serial_hex` may also be an uploaded certificate's id ("up_...").
  Result<exports::ExportResult> Download(const std::string& account_id,
                                         const std::string& serial_hex, const std::string& format,
                                         const std::string& password, bool legacy_pkcs12);
  // `id` is an issued certificate's serial or an uploaded certificate's id.
  Result<CertificateMaterial> Material(const std::string& account_id, const std::string& id);

 private:
  sa::Storage& storage_;
  const ca::CaHierarchy& hierarchy_;
  const ca::KeyVault& vault_;
  Random& random_;
};

}  // namespace signet::ra

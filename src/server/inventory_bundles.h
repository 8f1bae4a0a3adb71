// InventoryBundles: the deploy module's BundleSource over the certificate inventory
// (ra::CertificateDownloads). Private to the server.
//
// Thread-safety: as CertificateDownloads: any number of threads.
#pragma once

#include "signet/deploy/deployment_service.h"
#include "signet/ra/certificate_downloads.h"

namespace signet::server {

class InventoryBundles final : public deploy::BundleSource {
 public:
  explicit InventoryBundles(ra::CertificateDownloads& downloads) : downloads_(downloads) {}

  Result<deploy::CertificateBundle> Bundle(const std::string& account_id,
                                           const std::string& certificate_id) override {
    SIGNET_ASSIGN_OR_RETURN(ra::CertificateMaterial m,
                            downloads_.Material(account_id, certificate_id));
    deploy::CertificateBundle b;
    b.serial_hex = m.serial_hex;
    b.names = m.names;
    b.certificate_pem = m.pem.certificate_pem;
    b.intermediates_pem = m.pem.intermediates_pem;
    b.root_pem = m.pem.root_pem;
    b.private_key_pem = m.pem.private_key_pem;
    b.revoked = m.revoked;
    return b;
  }

 private:
  ra::CertificateDownloads& downloads_;
};

}  // namespace signet::server

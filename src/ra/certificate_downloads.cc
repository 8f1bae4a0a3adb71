#include "signet/ra/certificate_downloads.h"

#include "signet/ca/ca_hierarchy.h"
#include "signet/ca/certificate_reader.h"
#include "signet/ca/subscriber_keys.h"
#include "signet/common/encoding.h"

namespace signet::ra {

CertificateDownloads::CertificateDownloads(sa::Storage& storage, const ca::CaHierarchy& hierarchy,
                                           const ca::KeyVault& vault, Random& random)
    : storage_(storage), hierarchy_(hierarchy), vault_(vault), random_(random) {}

Result<CertificateView> CertificateDownloads::Get(const std::string& account_id,
                                                  const std::string& serial_hex) {
  auto record = storage_.GetCertificateBySerial(serial_hex);
  if (!record.ok() || (!account_id.empty() && record->account_id != account_id)) {
    return NotFoundError("no certificate " + serial_hex + " in this account");
  }
  CertificateView view;
  view.record = *record;
  SIGNET_ASSIGN_OR_RETURN(view.certificate_pem,
                          ca::CertificatePemFromDerBase64(record->der_base64));
  if (const ca::Issuer* issuer = hierarchy_.Find(record->issuer)) {
    view.chain_pem = issuer->certificate_pem + issuer->parents_pem;
  }
  auto order = storage_.GetOrderByIssuance(record->issuance_id);
  if (order.ok()) {
    view.order_id = order->id;
    view.has_private_key = !order->sealed_private_key.empty();
  }
  return view;
}

Result<exports::ExportResult> CertificateDownloads::Download(const std::string& account_id,
                                                             const std::string& id,
                                                             const std::string& format_name,
                                                             const std::string& password,
                                                             bool legacy_pkcs12) {
  SIGNET_ASSIGN_OR_RETURN(exports::ExportFormat format, exports::ParseExportFormat(format_name));
  SIGNET_ASSIGN_OR_RETURN(CertificateMaterial material, Material(account_id, id));
  bool container = format == exports::ExportFormat::kPkcs12 ||
                   format == exports::ExportFormat::kJks || format == exports::ExportFormat::kIis ||
                   format == exports::ExportFormat::kTomcat;
  if (material.pem.private_key_pem.empty() && container) {
    return Status::Error(
        ErrorCode::kConflict, "no_private_key",
        material.issuance_id.empty()
            ? "this certificate was uploaded without its private key, so a " + format_name +
                  " bundle cannot be built; use pem or chain"
            : "this certificate was issued for your CSR, so Signet does not hold its private key "
              "and cannot build a " +
                  format_name + " bundle; use pem, chain or nginx and combine it with your key");
  }
  if (!material.pem.private_key_pem.empty() && !material.issuance_id.empty() && !container) {
    // A password chosen at order time protects the PEM key in every bundle.
    SIGNET_ASSIGN_OR_RETURN(sa::Order order, storage_.GetOrderByIssuance(material.issuance_id));
    const auto& chosen = order.application.key;
    if (chosen && !chosen->password_sealed.empty()) {
      SIGNET_ASSIGN_OR_RETURN(std::string key_password,
                              vault_.Unseal(chosen->password_sealed, order.id));
      SIGNET_ASSIGN_OR_RETURN(material.pem.private_key_pem,
                              ca::ProtectPrivateKeyPem(material.pem.private_key_pem, key_password));
    }
  }
  exports::ExportOptions options;
  options.password = password;
  options.legacy_pkcs12 = legacy_pkcs12;
  return exports::Export(material.pem, format, options, random_);
}

Result<CertificateMaterial> CertificateDownloads::Material(const std::string& account_id,
                                                           const std::string& id) {
  CertificateMaterial out;
  auto managed = storage_.GetManagedCertificate(account_id, id);
  if (managed.ok() && managed->source != core::CertificateSource::kIssued) {
    // Uploaded or discovered: the certificate and chain as they were given or served.
    const sa::ManagedCertificate& m = *managed;
    SIGNET_ASSIGN_OR_RETURN(out.pem.certificate_pem, ca::CertificatePemFromDerBase64(m.der_base64));
    out.pem.intermediates_pem = m.chain_pem;
    if (!m.sealed_private_key.empty()) {
      SIGNET_ASSIGN_OR_RETURN(out.pem.private_key_pem, vault_.Unseal(m.sealed_private_key, m.id));
    }
    out.serial_hex = m.serial_hex;
    out.names = m.names;
    out.pem.base_name = m.names.substr(0, m.names.find(','));
    return out;
  }
  SIGNET_ASSIGN_OR_RETURN(CertificateView view, Get(account_id, id));
  const ca::Issuer* issuer = hierarchy_.Find(view.record.issuer);
  if (issuer == nullptr) return InternalError("the issuer " + view.record.issuer + " is gone");
  out.pem.certificate_pem = view.certificate_pem;
  out.pem.intermediates_pem = issuer->certificate_pem;
  out.pem.root_pem = hierarchy_.root_pem();
  out.serial_hex = view.record.serial_hex;
  out.names = view.record.names;
  out.pem.base_name = out.names.substr(0, out.names.find(','));
  out.revoked = view.record.status == core::CertificateStatus::kRevoked;
  out.issuance_id = view.record.issuance_id;
  if (view.has_private_key) {
    SIGNET_ASSIGN_OR_RETURN(sa::Order order, storage_.GetOrderByIssuance(view.record.issuance_id));
    SIGNET_ASSIGN_OR_RETURN(out.pem.private_key_pem,
                            vault_.Unseal(order.sealed_private_key, order.id));
  }
  return out;
}

}  // namespace signet::ra

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
                                                             const std::string& serial_hex,
                                                             const std::string& format_name,
                                                             const std::string& password,
                                                             bool legacy_pkcs12) {
  SIGNET_ASSIGN_OR_RETURN(exports::ExportFormat format, exports::ParseExportFormat(format_name));
  if (serial_hex.rfind("up_", 0) == 0) {
    return DownloadUploaded(account_id, serial_hex, format, format_name, password, legacy_pkcs12);
  }
  SIGNET_ASSIGN_OR_RETURN(CertificateView view, Get(account_id, serial_hex));
  const ca::Issuer* issuer = hierarchy_.Find(view.record.issuer);
  if (issuer == nullptr) return InternalError("the issuer " + view.record.issuer + " is gone");
  exports::ExportInput input;
  input.certificate_pem = view.certificate_pem;
  input.intermediates_pem = issuer->certificate_pem;
  input.root_pem = hierarchy_.root_pem();
  std::string names = view.record.names;
  input.base_name = names.substr(0, names.find(','));
  if (view.has_private_key) {
    SIGNET_ASSIGN_OR_RETURN(sa::Order order, storage_.GetOrderByIssuance(view.record.issuance_id));
    SIGNET_ASSIGN_OR_RETURN(std::string key, vault_.Unseal(order.sealed_private_key, order.id));
    // A password chosen at order time protects the PEM key in every bundle.
    const auto& chosen = order.application.key;
    if (chosen && !chosen->password_sealed.empty()) {
      SIGNET_ASSIGN_OR_RETURN(std::string key_password,
                              vault_.Unseal(chosen->password_sealed, order.id));
      bool container =
          format == exports::ExportFormat::kPkcs12 || format == exports::ExportFormat::kJks ||
          format == exports::ExportFormat::kIis || format == exports::ExportFormat::kTomcat;
      if (!container) {
        SIGNET_ASSIGN_OR_RETURN(key, ca::ProtectPrivateKeyPem(key, key_password));
      }
    }
    input.private_key_pem = key;
  } else if (format == exports::ExportFormat::kPkcs12 || format == exports::ExportFormat::kJks ||
             format == exports::ExportFormat::kIis || format == exports::ExportFormat::kTomcat) {
    return Status::Error(ErrorCode::kConflict, "no_private_key",
                         "this certificate was issued for your CSR, so Signet does not hold its "
                         "private key and cannot build a " +
                             format_name +
                             " bundle; use pem, chain or nginx and combine it with your key");
  }
  exports::ExportOptions options;
  options.password = password;
  options.legacy_pkcs12 = legacy_pkcs12;
  return exports::Export(input, format, options, random_);
}

Result<exports::ExportResult> CertificateDownloads::DownloadUploaded(
    const std::string& account_id, const std::string& id, exports::ExportFormat format,
    const std::string& format_name, const std::string& password, bool legacy_pkcs12) {
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m, storage_.GetManagedCertificate(account_id, id));
  exports::ExportInput input;
  SIGNET_ASSIGN_OR_RETURN(input.certificate_pem, ca::CertificatePemFromDerBase64(m.der_base64));
  // The uploaded chain as given: intermediates, and a root if the owner included one.
  input.intermediates_pem = m.chain_pem;
  input.base_name = m.names.substr(0, m.names.find(','));
  bool container = format == exports::ExportFormat::kPkcs12 ||
                   format == exports::ExportFormat::kJks || format == exports::ExportFormat::kIis ||
                   format == exports::ExportFormat::kTomcat;
  if (!m.sealed_private_key.empty()) {
    SIGNET_ASSIGN_OR_RETURN(input.private_key_pem, vault_.Unseal(m.sealed_private_key, m.id));
  } else if (container) {
    return Status::Error(ErrorCode::kConflict, "no_private_key",
                         "this certificate was uploaded without its private key, so a " +
                             format_name + " bundle cannot be built; use pem or chain");
  }
  exports::ExportOptions options;
  options.password = password;
  options.legacy_pkcs12 = legacy_pkcs12;
  return exports::Export(input, format, options, random_);
}

}  // namespace signet::ra

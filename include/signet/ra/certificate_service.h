// CertificateService: everything a certificate's owner does after issuance (PRODUCT.md, "After
// issuance"): list and search, alias and project, reminder settings, hide, revoke, reissue,
// renew, upload (host) certificates issued elsewhere, and the scheduled work: expiry reminders
// and the successive certificates of multi-year terms.
//
// Thread-safety: all methods may be called from many threads at once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/status.h"
#include "signet/core/application.h"
#include "signet/core/certificate_state.h"
#include "signet/sa/storage.h"

namespace signet {
class KeyVault;
}  // namespace signet
namespace signet::ca {
class CaHierarchy;
using KeyVault = signet::KeyVault;  // common/key_vault.h
class CrlWriter;
}  // namespace signet::ca
namespace signet::notify {
class Notifier;
}

namespace signet::ra {

class OrderService;

struct CertificateServiceOptions {
  std::string public_url;
  std::vector<int> default_reminder_days = {30, 15, 7, 3, 1};
  // Multi-year terms: the next certificate is issued this many days before the current expires.
  int renew_before_days = 30;
  // At the end of a term, renew automatically when validation runs unattended (CNAME
  // delegation, automatic DNS).
  bool automatic_renewal = true;
  // Reissue: the old certificate is revoked as superseded after this grace period (0: never).
  int supersede_after_hours = 72;
  // OV/EV revocation needs an uploaded revocation_letter on the order first.
  bool require_revocation_letter = false;
};

// What the REST API shows of a certificate.
struct CertificateInfo {
  sa::ManagedCertificate managed;
  core::CertificateStatus status = core::CertificateStatus::kActive;
  std::optional<TimePoint> revoked_at;
  std::string revocation_reason;
  std::string certificate_pem;
  bool private_key_held = false;  // Signet generated (or was given) the key and keeps it sealed
  // After a reissue, how long the old certificate stays valid before it is revoked as
  // superseded (CertificateServiceOptions::supersede_after_hours; 0: never automatically).
  int superseded_revocation_hours = 0;
  std::string product_id;  // the product of the order that issued it; empty for uploads
};

struct CertificatePatch {
  std::optional<std::string> alias;
  std::optional<std::string> project;
  std::optional<bool> reminders_enabled;
  std::optional<std::vector<int>> reminder_days;
};

struct UploadInput {
  std::string certificate_pem;
  std::string chain_pem;
  std::string private_key_pem;       // optional
  std::string private_key_password;  // when private_key_pem is encrypted; never stored
  std::string alias;
  std::string project;
};

class CertificateService {
 public:
  CertificateService(sa::Storage& storage, OrderService& orders, const ca::CaHierarchy& hierarchy,
                     ca::CrlWriter& crls, const ca::KeyVault& vault, notify::Notifier& notifier,
                     const Clock& clock, Random& random, CertificateServiceOptions options);
  ~CertificateService();

  Result<CertificateInfo> Get(const std::string& account_id, const std::string& id);
  // filter.expiring_before is set from `expiring_within_days`; `status` is filtered in storage.
  Result<sa::Page<CertificateInfo>> List(const std::string& account_id,
                                         const sa::CertificateFilter& filter,
                                         std::optional<core::CertificateStatus> status,
                                         const sa::PageRequest& page);
  Result<CertificateInfo> Patch(const std::string& account_id, const std::string& id,
                                const CertificatePatch& patch, const sa::Actor& actor);
  // Hides an expired, revoked or uploaded certificate; an active issued one only with force.
  Status Hide(const std::string& account_id, const std::string& id, bool force,
              const sa::Actor& actor);
  Result<CertificateInfo> Revoke(const std::string& account_id, const std::string& id,
                                 const std::string& reason, const sa::Actor& actor);
  // A new order for the same names, submitted at once with a new key (or CSR): validation is
  // reused while within the reuse period. The old certificate is revoked as superseded after
  // the grace period once the new one is issued.
  Result<sa::Order> Reissue(const std::string& account_id, const std::string& id,
                            const std::optional<core::KeyChoice>& key, const sa::Actor& actor);
  // A new order pre-filled from the certificate's order, left for the applicant to submit.
  Result<sa::Order> Renew(const std::string& account_id, const std::string& id,
                          const sa::Actor& actor);
  Result<CertificateInfo> Upload(const std::string& account_id, const UploadInput& input,
                                 const sa::Actor& actor);
  Status SetAccountReminderDays(const std::string& account_id, const std::vector<int>& days,
                                const sa::Actor& actor);
  Result<std::vector<int>> AccountReminderDays(const std::string& account_id);

  // The daily work: reminders due now, and the next certificate of multi-year terms. Returns
  // how many reminders were queued.
  Result<int> RunReminders();
  Result<int> RunTermRenewals();
  // Job "certificate.supersede" (payload {"id"}): revokes a replaced certificate.
  Status RunSupersedeJob(const std::string& payload);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "30,15,7,3,1" <-> {30, 15, 7, 3, 1}; days must be 1-365, at most 10 of them.
Result<std::vector<int>> ParseReminderDays(const std::string& text);
std::string FormatReminderDays(const std::vector<int>& days);

}  // namespace signet::ra

#include "signet/ra/certificate_service.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "signet/ca/ca_hierarchy.h"
#include "signet/ca/certificate_reader.h"
#include "signet/ca/crl_writer.h"
#include "signet/ca/subscriber_keys.h"
#include "signet/common/crash_point.h"
#include "signet/common/encoding.h"
#include "signet/common/job_payload.h"
#include "signet/common/log.h"
#include "signet/common/pem_input.h"
#include "signet/notify/messages.h"
#include "signet/notify/notifier.h"
#include "signet/ra/order_service.h"

namespace signet::ra {

namespace {

// A discovered certificate (seen on a server by discovery) is watched, not managed: Signet did not
// issue it and has no key for it. Where it was seen is in the alias discovery gave it, unless
// someone has renamed it since.
Status NotManaged(const sa::ManagedCertificate& m) {
  const std::string prefix = "discovered on ";
  std::string where = m.alias.rfind(prefix, 0) == 0 && m.alias.size() > prefix.size()
                          ? "discovered on '" + m.alias.substr(prefix.size()) + "'"
                          : "discovered on a server";
  return ConflictError("this certificate was " + where +
                           "; Signet has no key for it and did not issue it, so it cannot "
                           "reissue, renew or revoke it; order a new certificate instead",
                       "not_managed");
}

}  // namespace

Result<std::vector<int>> ParseReminderDays(const std::string& text) {
  std::vector<int> days;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    item.erase(0, item.find_first_not_of(' '));
    if (item.empty()) continue;
    size_t used = 0;
    int d = 0;
    try {
      d = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || d < 1 || d > 365) {
      return MalformedError(
          "reminder days must be whole numbers of days from 1 to 365, e.g. "
          "30,15,7,3,1",
          "invalid_field");
    }
    days.push_back(d);
  }
  if (days.size() > 10) return MalformedError("at most 10 reminder days", "invalid_field");
  std::sort(days.begin(), days.end(), std::greater<>());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

std::string FormatReminderDays(const std::vector<int>& days) {
  std::string out;
  for (int d : days) out += (out.empty() ? "" : ",") + std::to_string(d);
  return out;
}

struct CertificateService::Impl {
  sa::Storage& storage;
  OrderService& orders;
  const ca::CaHierarchy& hierarchy;
  ca::CrlWriter& crls;
  const ca::KeyVault& vault;
  notify::Notifier& notifier;
  const Clock& clock;
  Random& random;
  CertificateServiceOptions options;

  Result<CertificateInfo> Info(const sa::ManagedCertificate& m) {
    CertificateInfo info;
    info.managed = m;
    info.superseded_revocation_hours = options.supersede_after_hours;
    info.status = core::CertificateStatus::kActive;
    if (m.source == core::CertificateSource::kIssued) {
      auto record = storage.GetCertificateBySerial(m.serial_hex);
      if (record.ok() && record->status == core::CertificateStatus::kRevoked) {
        info.status = core::CertificateStatus::kRevoked;
        info.revoked_at = record->revoked_at;
        info.revocation_reason = ca::RevocationReasonName(record->revocation_reason);
      }
    }
    if (m.upstream_revoked_at) {
      info.status = core::CertificateStatus::kRevoked;
      info.revoked_at = m.upstream_revoked_at;
      info.revocation_reason = ca::RevocationReasonName(m.upstream_revocation_reason);
    }
    if (info.status == core::CertificateStatus::kActive && m.not_after <= clock.Now()) {
      info.status = core::CertificateStatus::kExpired;
    }
    if (m.source == core::CertificateSource::kUploaded) {
      info.private_key_held = !m.sealed_private_key.empty();
    } else if (!m.order_id.empty()) {
      auto order = storage.GetOrder(m.account_id, m.order_id);
      info.private_key_held = order.ok() && !order->sealed_private_key.empty();
      if (order.ok()) info.product_id = order->product_id;
    }
    auto pem = ca::CertificatePemFromDerBase64(m.der_base64);
    if (pem.ok()) info.certificate_pem = *pem;
    return info;
  }

  std::vector<int> ScheduleFor(const sa::ManagedCertificate& m) {
    if (!m.reminder_days.empty()) {
      auto days = ParseReminderDays(m.reminder_days);
      if (days.ok()) return *days;
    }
    auto account = storage.GetAccountReminderDays(m.account_id);
    if (account.ok() && !account->empty()) {
      auto days = ParseReminderDays(*account);
      if (days.ok()) return *days;
    }
    return options.default_reminder_days;
  }

  std::vector<std::string> Recipients(const sa::ManagedCertificate& m) {
    std::vector<std::string> to;
    if (!m.order_id.empty()) {
      auto order = storage.GetOrder(m.account_id, m.order_id);
      if (order.ok()) {
        if (order->application.administrator) {
          to.push_back(order->application.administrator->email);
        }
      }
    }
    if (to.empty()) {
      auto members = storage.ListMembers(m.account_id, {500, ""});
      if (members.ok()) {
        for (const auto& u : members->items) {
          if (u.role == sa::Role::kOwner && u.status == sa::MembershipStatus::kActive) {
            to.push_back(u.email);
          }
        }
      }
    }
    return to;
  }
};

CertificateService::CertificateService(sa::Storage& storage, OrderService& orders,
                                       const ca::CaHierarchy& hierarchy, ca::CrlWriter& crls,
                                       const ca::KeyVault& vault, notify::Notifier& notifier,
                                       const Clock& clock, Random& random,
                                       CertificateServiceOptions options)
    : impl_(new Impl{storage, orders, hierarchy, crls, vault, notifier, clock, random,
                     std::move(options)}) {}

CertificateService::~CertificateService() = default;

Result<CertificateInfo> CertificateService::Get(const std::string& account_id,
                                                const std::string& id) {
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, id));
  return impl_->Info(m);
}

Result<sa::Page<CertificateInfo>> CertificateService::List(
    const std::string& account_id, const sa::CertificateFilter& filter,
    std::optional<core::CertificateStatus> status, const sa::PageRequest& page) {
  sa::CertificateFilter by_status = filter;
  by_status.status = status;
  by_status.status_at = impl_->clock.Now();
  SIGNET_ASSIGN_OR_RETURN(auto managed,
                          impl_->storage.ListManagedCertificates(account_id, by_status, page));
  sa::Page<CertificateInfo> out;
  out.next_after = managed.next_after;
  for (const auto& m : managed.items) {
    SIGNET_ASSIGN_OR_RETURN(CertificateInfo info, impl_->Info(m));
    out.items.push_back(std::move(info));
  }
  return out;
}

Result<CertificateInfo> CertificateService::Patch(const std::string& account_id,
                                                  const std::string& id,
                                                  const CertificatePatch& patch,
                                                  const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, id));
  if (patch.alias) m.alias = *patch.alias;
  if (patch.project) m.project = *patch.project;
  if (patch.reminders_enabled) m.reminders_enabled = *patch.reminders_enabled;
  if (patch.reminder_days) m.reminder_days = FormatReminderDays(*patch.reminder_days);
  SIGNET_ASSIGN_OR_RETURN(m, impl_->storage.UpdateManagedCertificate(m, actor));
  return impl_->Info(m);
}

Status CertificateService::Hide(const std::string& account_id, const std::string& id, bool force,
                                const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, id));
  SIGNET_ASSIGN_OR_RETURN(CertificateInfo info, impl_->Info(m));
  if (info.status == core::CertificateStatus::kActive &&
      m.source == core::CertificateSource::kIssued && !force) {
    return ConflictError(
        "the certificate is still valid; deleting only hides it from lists, it "
        "stays trusted until it expires. Revoke it first, or repeat with "
        "?force=true if you really want it out of sight",
        "certificate_active");
  }
  m.hidden = true;
  return impl_->storage.UpdateManagedCertificate(m, actor).status();
}

Result<CertificateInfo> CertificateService::Revoke(const std::string& account_id,
                                                   const std::string& id, const std::string& reason,
                                                   const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(int code, ca::ParseRevocationReason(reason));
  static const std::set<int> kAllowed = {0, 1, 3, 4, 5, 9};  // BR 7.2.2
  if (kAllowed.count(code) == 0) {
    return MalformedError(
        "'reason' must be unspecified, keyCompromise, affiliationChanged, "
        "superseded, cessationOfOperation or privilegeWithdrawn (BR 7.2.2)",
        "invalid_field");
  }
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, id));
  if (m.source == core::CertificateSource::kDiscovered) return NotManaged(m);
  if (m.source == core::CertificateSource::kUpstream) {
    // The brand's CA revokes it; Signet's CRL and OCSP never speak for its certificates.
    if (!m.upstream_revoked_at) {
      SIGNET_RETURN_IF_ERROR(impl_->orders.RevokeAtUpstream(m, code));
      SIGNET_RETURN_IF_ERROR(impl_->storage.MarkUpstreamRevoked(account_id, m.id, code, actor));
    }
    SIGNET_ASSIGN_OR_RETURN(m, impl_->storage.GetManagedCertificate(account_id, id));
    return impl_->Info(m);
  }
  if (m.source != core::CertificateSource::kIssued) {
    return ConflictError("this certificate was issued by another CA; revoke it there",
                         "not_issued_here");
  }
  if (impl_->options.require_revocation_letter && !m.order_id.empty()) {
    auto order = impl_->storage.GetOrder(account_id, m.order_id);
    auto files = impl_->storage.ListAttachments(m.order_id);
    bool organization = order.ok() && order->application.organization.has_value();
    bool letter = files.ok() && std::any_of(files->begin(), files->end(), [](const auto& a) {
                    return a.kind == "revocation_letter";
                  });
    if (organization && !letter && code != 1) {
      return Status::Error(ErrorCode::kForbidden, "revocation_letter_required",
                           "OV and EV certificates are revoked on a signed revocation letter: "
                           "upload it to order " +
                               m.order_id + " (kind=revocation_letter), then revoke again");
    }
  }
  SIGNET_ASSIGN_OR_RETURN(sa::CertificateRecord revoked,
                          impl_->storage.RevokeCertificate(account_id, m.serial_hex, code, actor));
  // Publish now: BR 4.9.7 wants the CRL within 24 hours; Signet does it at once.
  auto crl = impl_->crls.Generate(revoked.issuer, revoked.crl_shard);
  if (!crl.ok()) {
    log::Error("regenerating the CRL after a revocation failed",
               {{"serial", m.serial_hex}, {"error", crl.status().message()}});
  }
  return impl_->Info(m);
}

Result<sa::Order> CertificateService::Reissue(const std::string& account_id, const std::string& id,
                                              const std::optional<core::KeyChoice>& key,
                                              const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, id));
  if (m.source == core::CertificateSource::kDiscovered) return NotManaged(m);
  if (m.order_id.empty()) {
    return ConflictError("only certificates issued through an order can be reissued",
                         "not_issued_here");
  }
  SIGNET_ASSIGN_OR_RETURN(
      sa::Order order,
      impl_->orders.CreateFromOrder(account_id, m.order_id, key, true, "reissue", actor));
  if (impl_->options.supersede_after_hours > 0) {
    // Once the new certificate exists, the old one is revoked as superseded after the grace
    // period (the job waits for the new order's issuance).
    std::string payload = EncodeJobPayload(
        {{"id", m.id}, {"account_id", account_id}, {"replacement_order", order.id}});
    TimePoint at = impl_->clock.Now() + std::chrono::hours(impl_->options.supersede_after_hours);
    SIGNET_RETURN_IF_ERROR(
        impl_->storage.EnqueueJob("certificate.supersede", payload, at, 20).status());
  }
  return order;
}

Result<sa::Order> CertificateService::Renew(const std::string& account_id, const std::string& id,
                                            const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, id));
  if (m.source == core::CertificateSource::kDiscovered) return NotManaged(m);
  if (m.order_id.empty()) {
    return ConflictError(
        "only certificates issued through an order can be renewed here; order "
        "a new certificate for an uploaded one",
        "not_issued_here");
  }
  return impl_->orders.CreateFromOrder(account_id, m.order_id, std::nullopt, false, "renewal",
                                       actor);
}

Status CertificateService::RunSupersedeJob(const std::string& payload) {
  SIGNET_ASSIGN_OR_RETURN(std::string certificate_id, JobPayloadField(payload, "id"));
  SIGNET_ASSIGN_OR_RETURN(std::string account, JobPayloadField(payload, "account_id"));
  SIGNET_ASSIGN_OR_RETURN(std::string replacement_id,
                          JobPayloadField(payload, "replacement_order"));
  auto replacement = impl_->storage.GetOrder(account, replacement_id);
  if (!replacement.ok() || replacement->status == core::OrderStatus::kCancelled)
    return Status::Ok();
  if (replacement->status != core::OrderStatus::kIssued) {
    return Status::Error(ErrorCode::kUnavailable, "waiting", "the replacement is not issued yet");
  }
  sa::Actor system{"system", account, "system", ""};
  auto revoked = Revoke(account, certificate_id, "superseded", system);
  if (!revoked.ok() && revoked.status().reason() != "already_revoked") return revoked.status();
  return Status::Ok();
}

Result<CertificateInfo> CertificateService::Upload(const std::string& account_id,
                                                   const UploadInput& in, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(ca::CheckedUpload upload,
                          ca::CheckUpload(in.certificate_pem, in.chain_pem, in.private_key_pem,
                                          in.private_key_password, impl_->clock.Now()));
  sa::ManagedCertificate m;
  m.id = "up_" + impl_->random.Token(16);
  m.account_id = account_id;
  m.source = core::CertificateSource::kUploaded;
  const ca::CertificateFacts& leaf = upload.leaf;
  m.serial_hex = leaf.serial_hex;
  m.der_base64 = Base64Encode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(leaf.der.data()), leaf.der.size()));
  m.chain_pem = upload.chain_pem;
  // Kept decrypted under the master key: downloads protect it with a password of their own.
  if (!upload.private_key_pem.empty()) {
    m.sealed_private_key = impl_->vault.Seal(upload.private_key_pem, m.id);
  }
  for (const auto& n : leaf.names) m.names += (m.names.empty() ? "" : ",") + n;
  m.issuer_name = leaf.issuer;
  m.not_before = leaf.not_before;
  m.not_after = leaf.not_after;
  m.alias = in.alias;
  m.project = in.project;
  SIGNET_ASSIGN_OR_RETURN(m, impl_->storage.AddManagedCertificate(m, actor));
  return impl_->Info(m);
}

Status CertificateService::SetAccountReminderDays(const std::string& account_id,
                                                  const std::vector<int>& days,
                                                  const sa::Actor& actor) {
  return impl_->storage.SetAccountReminderDays(account_id, FormatReminderDays(days), actor);
}

Result<std::vector<int>> CertificateService::AccountReminderDays(const std::string& account_id) {
  SIGNET_ASSIGN_OR_RETURN(std::string days, impl_->storage.GetAccountReminderDays(account_id));
  if (days.empty()) return impl_->options.default_reminder_days;
  return ParseReminderDays(days);
}

Result<int> CertificateService::RunReminders() {
  TimePoint now = impl_->clock.Now();
  int longest = 365;
  sa::CertificateFilter filter;
  filter.expiring_before = now + std::chrono::hours(24 * longest);
  int queued = 0;
  sa::PageRequest page{500, ""};
  while (true) {
    SIGNET_ASSIGN_OR_RETURN(auto batch, impl_->storage.ListManagedCertificates("", filter, page));
    for (const auto& m : batch.items) {
      if (!m.reminders_enabled || m.not_after <= now) continue;
      SIGNET_ASSIGN_OR_RETURN(CertificateInfo info, impl_->Info(m));
      if (info.status != core::CertificateStatus::kActive) continue;
      auto left = std::chrono::duration_cast<std::chrono::hours>(m.not_after - now).count();
      int days_left = static_cast<int>((left + 23) / 24);
      // The reminder due now is the smallest scheduled day at or above the days left; larger
      // ones that were missed (the certificate arrived late, or the service was down) are
      // not sent afterwards.
      std::vector<int> schedule = impl_->ScheduleFor(m);
      std::optional<int> due;
      for (int d : schedule) {
        if (d >= days_left && (!due || d < *due)) due = d;
      }
      if (!due) continue;
      std::string name = m.alias.empty() ? m.names.substr(0, m.names.find(',')) : m.alias;
      notify::Notification n;
      n.event = "certificate.expiring";
      n.account_id = m.account_id;
      n.subject_id = m.id;
      n.emails = impl_->Recipients(m);
      notify::Message message = notify::ExpiryReminder(notify::Links(impl_->options.public_url),
                                                       m.id, name, m.names, m.not_after, days_left);
      n.subject = message.subject;
      n.text = message.text;
      // The reminder's messages are queued in the transaction that records it as sent.
      SIGNET_ASSIGN_OR_RETURN(std::vector<sa::NewJob> jobs, impl_->notifier.Jobs(n));
      SIGNET_ASSIGN_OR_RETURN(bool fresh,
                              impl_->storage.MarkReminderSent(m.id, m.not_after, *due, jobs));
      if (!fresh) continue;
      for (int d : schedule) {
        if (d > *due) (void)impl_->storage.MarkReminderSent(m.id, m.not_after, d);
      }
      ++queued;
    }
    if (batch.next_after.empty()) break;
    page.after = batch.next_after;
  }
  return queued;
}

Result<int> CertificateService::RunTermRenewals() {
  TimePoint now = impl_->clock.Now();
  sa::CertificateFilter filter;
  filter.include_hidden = true;
  filter.expiring_before = now + std::chrono::hours(24 * impl_->options.renew_before_days);
  int started = 0;
  sa::PageRequest page{500, ""};
  const sa::Actor system{"system", "", "system", ""};
  while (true) {
    SIGNET_ASSIGN_OR_RETURN(auto batch, impl_->storage.ListManagedCertificates("", filter, page));
    for (const auto& m : batch.items) {
      if (m.source != core::CertificateSource::kIssued || m.order_id.empty() || m.not_after <= now)
        continue;
      auto order = impl_->storage.GetOrder(m.account_id, m.order_id);
      if (!order.ok()) continue;
      const core::Application& app = order->application;
      if (!app.term_ends_at_micros) continue;
      TimePoint term_end = FromUnixMicros(*app.term_ends_at_micros);
      // Within the term: the next certificate of it. At its end: an automatic renewal, but only
      // where validation runs unattended (Signet publishes the record itself).
      // (A day's slack: a certificate sized to the term's end stops within seconds of it.)
      bool next_in_term = term_end - m.not_after > std::chrono::hours(24);
      std::string method = app.Method();
      bool unattended = method == "dns_cname" || method == "dns_auto";
      if (!next_in_term && !(impl_->options.automatic_renewal && unattended)) continue;
      SIGNET_ASSIGN_OR_RETURN(CertificateInfo info, impl_->Info(m));
      if (info.status != core::CertificateStatus::kActive) continue;
      // days = 0 marks "the next certificate of the term was started" for this certificate. It
      // is written only once that order is submitted: the order itself (one per certificate)
      // is what makes a second attempt, after a crash, finish it rather than start another.
      SIGNET_ASSIGN_OR_RETURN(bool done, impl_->storage.ReminderSent(m.id, m.not_after, 0));
      if (done) continue;
      sa::Actor actor = system;
      actor.account_id = m.account_id;
      auto next = impl_->orders.ContinueCertificate(
          m.account_id, m.id, m.order_id,
          next_in_term ? "term.next_certificate" : "renewal.automatic", actor);
      if (!next.ok()) {
        log::Error("starting the next certificate of a multi-year term failed; retried later",
                   {{"order", m.order_id}, {"error", next.status().message()}});
        continue;
      }
      CrashPoint("term.order_submitted");
      SIGNET_ASSIGN_OR_RETURN(bool fresh, impl_->storage.MarkReminderSent(m.id, m.not_after, 0));
      if (!fresh) continue;  // another node finished it at the same time
      ++started;
    }
    if (batch.next_after.empty()) break;
    page.after = batch.next_after;
  }
  return started;
}

}  // namespace signet::ra

// OrderService's private parts, shared by its sources: the state shared by its methods (Impl)
// and small helpers. Private to ra.
//
// Thread-safety: as OrderService.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ra/order_application.h"
#include "signet/ca/certificate_authority.h"
#include "signet/ca/csr.h"
#include "signet/ca/subscriber_keys.h"
#include "signet/common/crash_point.h"
#include "signet/common/crypto.h"
#include "signet/common/job_payload.h"
#include "signet/common/log.h"
#include "signet/notify/messages.h"
#include "signet/notify/notifier.h"
#include "signet/policy/br_rules.h"
#include "signet/ra/domain_validation_service.h"
#include "signet/ra/order_service.h"
#include "signet/va/domain_name.h"

namespace signet::ra {

namespace fs = std::filesystem;

namespace order_internal {

inline const std::set<std::string> kAttachmentKinds = {
    "confirmation_letter", "application_form", "service_agreement", "business_license",
    "id_card_front",       "id_card_back",     "revocation_letter"};

// The content type of an upload, by its first bytes; empty when not JPEG, PNG or PDF.
inline std::string SniffContentType(const std::string& content) {
  auto starts = [&](std::string_view magic) {
    return content.size() >= magic.size() && content.compare(0, magic.size(), magic) == 0;
  };
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts("%PDF-")) return "application/pdf";
  return "";
}

}  // namespace order_internal

struct OrderService::Impl {
  // Fills the new order `created` with `source`'s application (sealed values sealed again for
  // it; another key when `key` is given) and puts `event` on both timelines.
  Result<sa::Order> FillFrom(const sa::Order& source, sa::Order created,
                             const std::optional<core::KeyChoice>& key, const std::string& event,
                             const sa::Actor& actor);

  sa::Storage& storage;
  const ProductCatalog& products;
  const va::NamePolicy& names;
  DomainValidationService& validations;
  ca::CertificateAuthority& authority;
  const ca::CaHierarchy& hierarchy;
  const ca::KeyVault& vault;
  notify::Notifier& notifier;
  const Clock& clock;
  Random& random;
  OrderOptions options;
  upstream::UpstreamClients* upstream_clients = nullptr;

  // A brand's order at its upstream CA (order_upstream.cc): places it, creates a validation per
  // pending authorization (the upstream's challenge in the order's method), answers the
  // challenge once Signet sees the record, finalizes and stores the certificate. While the
  // upstream works, the order is advanced again in a few seconds.
  Status AdvanceUpstream(sa::Order o, const Product& product, const sa::Actor& actor);
  Status FailUpstream(sa::Order o, const std::string& reason, const sa::Actor& actor);
  Status AdvanceUpstreamLater(const std::string& order_id, int seconds);    // 1 to 60 s
  Status AdvanceUpstreamLaterAt(const std::string& order_id, int seconds);  // 1 s to an hour

  Result<const Product*> ProductOf(const sa::Order& o) const {
    const Product* p = products.Find(o.product_id);
    if (p == nullptr) return InternalError("order " + o.id + " names an unknown product");
    return p;
  }

  sa::OrderEvent Event(const sa::Actor& actor, std::string event, std::string detail = "") {
    sa::OrderEvent e;
    e.actor = actor.user_id.empty() ? "system" : actor.user_id;
    e.event = std::move(event);
    e.detail = std::move(detail);
    return e;
  }

  std::vector<std::string> Recipients(const sa::Order& o) {
    const core::Application& app = o.application;
    std::vector<std::string> to;
    if (app.administrator) to.push_back(app.administrator->email);
    if (app.contact) {
      const std::string& c = app.contact->email;
      if (!c.empty() && (to.empty() || c != to.front())) to.push_back(c);
    }
    return to;
  }

  // The jobs announcing a change of order `o` to its applicant, to be stored by the same
  // UpdateOrder (or MarkOrderIssued) that makes the change: announced exactly when it commits.
  Result<std::vector<sa::NewJob>> Announcement(const sa::Order& o, const std::string& event,
                                               const std::string& subject,
                                               const std::string& text) {
    notify::Notification n{
        event,
        o.account_id,
        o.id,
        Recipients(o),
        subject + " (" + o.id + ")",
        notify::OrderMessageText(notify::Links(options.public_url), text, o.id, o.names)};
    return notifier.Jobs(n);
  }

  bool HasReviewDocuments(const std::string& order_id) {
    auto list = storage.ListAttachments(order_id);
    if (!list.ok()) return false;
    std::set<std::string> kinds;
    for (const auto& a : *list) kinds.insert(a.kind);
    // Either the signed and stamped letter, or the full set of application documents.
    return kinds.count("confirmation_letter") > 0 ||
           (kinds.count("application_form") > 0 && kinds.count("business_license") > 0 &&
            kinds.count("service_agreement") > 0);
  }

  // Automatic checks before a reviewer sees the order. Returns the problems found.
  std::vector<std::string> PreReview(const sa::Order& o, std::string* notes) {
    std::vector<std::string> problems;
    const core::Application& app = o.application;
    std::string name = app.organization ? app.organization->name : "";
    if (name.size() < 2) problems.push_back("the organization name is missing");
    if (!app.administrator) problems.push_back("the administrator is missing");
    // The letter's metadata should name the organization, where the PDF says anything.
    auto list = storage.ListAttachments(o.id);
    if (list.ok()) {
      for (const auto& a : *list) {
        if (a.kind != "confirmation_letter" || a.content_type != "application/pdf") continue;
        auto bytes = ReadAttachment(a);
        if (!bytes.ok()) continue;
        bool named = !name.empty() && bytes->find(name) != std::string::npos;
        *notes += std::string("confirmation letter ") + a.id +
                  (named ? ": names the organization"
                         : ": the organization name was not found "
                           "in its text or metadata (check by eye)");
      }
    }
    return problems;
  }

  Result<std::string> ReadAttachment(const sa::Attachment& a) {
    fs::path path =
        fs::path(options.data_dir) / "attachments" / a.sha256_hex.substr(0, 2) / a.sha256_hex;
    std::ifstream in(path, std::ios::binary);
    if (!in) return InternalError("attachment file " + a.sha256_hex + " is missing");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // An order of the same account whose reviewer approved this organization (name, country and
  // registration number alike) within the BR 4.2.1 reuse period; empty when there is none.
  std::string PriorOrganizationApproval(const sa::Order& o, const core::Application& app) {
    if (!app.organization || app.organization->name.empty()) return "";
    const core::OrganizationInfo& org = *app.organization;
    TimePoint since = clock.Now() - std::chrono::hours(24 * 398);
    sa::PageRequest page{500, ""};
    auto approved =
        storage.ListOrders(o.account_id, {.review_status = core::ReviewStatus::kApproved}, page);
    if (!approved.ok()) return "";
    for (const sa::Order& prior : approved->items) {
      if (prior.id == o.id || prior.updated_at < since) continue;
      const core::Application& prior_app = prior.application;
      if (!prior_app.review_reused_from.empty() || !prior_app.organization) continue;
      const core::OrganizationInfo& p = *prior_app.organization;
      if (p.name == org.name && p.country == org.country &&
          p.registration_number == org.registration_number) {
        return prior.id;
      }
    }
    return "";
  }

  // The names the certificate carries: as requested, plus the names a product covers for free
  // ("www.x" also covers "x"), except for ACME orders, whose CSR names exactly the identifiers.
  std::vector<va::Identifier> CertificateNames(const core::Application& app) {
    std::vector<va::Identifier> requested = RequestedDomains(app, names);
    if (app.exact_names) return requested;
    return va::WithCoveredNames(requested, names);
  }

  // Starts a validation of `base` by `method` for the order (with the order's DNS update key
  // for dns_auto); stored with its first job, but not yet linked to the order.
  // `upstream`: the upstream CA's challenge it answers (a brand's order).
  Result<sa::DomainValidation> StartValidation(
      const sa::Order& o, const core::Application& app, const std::string& base,
      const std::string& method, const sa::Actor& actor,
      const std::optional<UpstreamChallengeInput>& upstream = std::nullopt) {
    NewValidation nv;
    nv.domain = base;
    nv.method = method;
    nv.upstream = upstream;
    if (method == "email") nv.email = "admin@" + base;
    if (method == "dns_auto" && app.dns_auto) {
      // The applicant's TSIG secret is unsealed only here, for the validation service,
      // which seals it again under its own record; the order keeps only the sealed copy.
      const core::DnsAutoSettings& a = *app.dns_auto;
      std::string secret = a.secret;  // rows written before secrets were sealed
      if (!a.secret_sealed.empty()) {
        SIGNET_ASSIGN_OR_RETURN(secret, vault.Unseal(a.secret_sealed, o.id));
      }
      nv.dns_auto = DnsAutoInput{a.server, a.zone, a.key_name,
                                 a.algorithm.empty() ? "hmac-sha256" : a.algorithm, secret};
    }
    return validations.Create(o.account_id, nv, actor);
  }

  // After (re)submission: validations per name, review state, then advance.
  // `enqueue` false: the caller advances the order itself (and queues it if that fails).
  Result<sa::Order> StartProcessing(sa::Order o, core::OrderStatus expected,
                                    const std::string& event, const sa::Actor& actor,
                                    bool enqueue = true) {
    SIGNET_ASSIGN_OR_RETURN(const Product* product, ProductOf(o));
    core::Application& app = o.application;
    std::vector<va::Identifier> all = CertificateNames(app);
    std::string joined;
    for (const auto& n : all) joined += (joined.empty() ? "" : ",") + n.name;
    o.names = joined;

    std::string method = app.Method();
    bool all_valid = true;
    std::vector<std::pair<std::string, std::string>> links;
    if (product->upstream) {
      // A brand's upstream CA says what it needs validated, and reuses what it decides to:
      // the advance job places the order there and creates the validations it asks for.
      all_valid = false;
    } else {
      // One validation per base name: reuse a valid one of the account, else start one.
      std::map<std::string, bool> bases;  // base name -> whether a wildcard needs it
      for (const auto& n : all) bases[n.base] = bases[n.base] || n.wildcard;
      std::map<std::string, bool> to_validate;
      for (const auto& [base, wildcard] : bases) {
        SIGNET_ASSIGN_OR_RETURN(std::optional<sa::DomainValidation> reusable,
                                validations.FindReusable(o.account_id, base, wildcard));
        if (reusable) {
          links.emplace_back(base, reusable->id);
        } else {
          to_validate[base] = wildcard;
        }
      }
      // One proof per Authorization Domain Name: with a method that covers names below it (BR
      // 3.2.2.4.7, 3.2.2.4.4), "x.com" also proves "www.x.com", so an order for both asks the
      // applicant for one record, not two. File validation proves only its own name (3.2.2.4.18).
      if (MethodCoversSubdomains(method)) {
        for (auto it = to_validate.begin(); it != to_validate.end();) {
          std::string parent;
          for (const auto& [other, unused] : to_validate) {
            if (other != it->first && va::ValidationCovers(other, it->first, true) &&
                (parent.empty() || other.size() < parent.size())) {
              parent = other;
            }
          }
          if (parent.empty()) {
            ++it;
            continue;
          }
          to_validate[parent] = to_validate[parent] || it->second;
          it = to_validate.erase(it);
        }
      }
      for (const auto& [base, wildcard] : to_validate) {
        all_valid = false;
        SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation created,
                                StartValidation(o, app, base, method, actor));
        links.emplace_back(base, created.id);
      }
    }
    o.dcv_status = all_valid ? core::DcvStatus::kValid : core::DcvStatus::kPending;
    std::string reused_review;
    if (product->type == ca::ProductType::kDv) {
      o.review_status = core::ReviewStatus::kNotRequired;
    } else if (app.from_acme && !(reused_review = PriorOrganizationApproval(o, app)).empty()) {
      // Automation for OV: the organization was verified by a reviewer within the reuse period
      // (BR 4.2.1), so this order rests on that review (and is never itself the ground for
      // another: the reuse period counts from a reviewer's decision).
      o.review_status = core::ReviewStatus::kApproved;
      app.review_reused_from = reused_review;
    } else {
      o.review_status = HasReviewDocuments(o.id) ? core::ReviewStatus::kPreReviewing
                                                 : core::ReviewStatus::kPendingAttachments;
      o.review_reason.clear();
    }
    o.status = core::OrderStatus::kProcessing;
    o.submitted_at = clock.Now();
    SIGNET_ASSIGN_OR_RETURN(
        std::vector<sa::NewJob> announce,
        Announcement(o, "order.submitted", "Certificate order submitted",
                     "Your order was submitted. Domain validation" +
                         std::string(product->type == ca::ProductType::kDv
                                         ? " is under way."
                                         : " and the organization review are under way.")));
    SIGNET_ASSIGN_OR_RETURN(sa::Order updated, storage.UpdateOrder(o, expected, Event(actor, event),
                                                                   actor, links, announce));
    CrashPoint("order.processing");
    if (!reused_review.empty()) {
      (void)storage.AppendOrderEvent({"",
                                      o.id,
                                      {},
                                      "system",
                                      "review.reused",
                                      "the organization was approved for order " + reused_review});
    }
    if (updated.review_status == core::ReviewStatus::kPreReviewing) {
      SIGNET_ASSIGN_OR_RETURN(updated, RunPreReview(updated, actor));
    }
    if (enqueue) Enqueue(updated.id);
    return updated;
  }

  Result<sa::Order> RunPreReview(sa::Order o, const sa::Actor& actor) {
    std::string notes;
    std::vector<std::string> problems = PreReview(o, &notes);
    if (!problems.empty()) {
      std::string reason = "automatic pre-review: ";
      for (size_t i = 0; i < problems.size(); ++i) reason += (i ? "; " : "") + problems[i];
      o.status = core::OrderStatus::kReviewFailed;
      o.review_status = core::ReviewStatus::kRejected;
      o.review_reason = reason;
      SIGNET_ASSIGN_OR_RETURN(std::vector<sa::NewJob> announce,
                              Announcement(o, "review.failed", "Review failed",
                                           "The review found problems: " + reason +
                                               "\nEdit the application and resubmit."));
      SIGNET_ASSIGN_OR_RETURN(
          o, storage.UpdateOrder(o, core::OrderStatus::kProcessing,
                                 Event(actor, "review.rejected", reason), actor, {}, announce));
      return o;
    }
    o.review_status = core::ReviewStatus::kCaReviewing;
    // BR/EVG verification: the CA confirms the request with the administrator.
    const core::Application& app = o.application;
    std::string admin = app.administrator ? app.administrator->email : "";
    notify::Notification confirm{
        "review.confirmation",
        o.account_id,
        o.id,
        {admin},
        "Please confirm the certificate application for " +
            (app.organization ? app.organization->name : std::string("your organization")),
        "The certificate authority is reviewing an application that names you as the "
        "administrator.\nDomains: " +
            o.names +
            "\nA reviewer may call you to confirm it. If you did not apply, reply to "
            "this email.\n"};
    SIGNET_ASSIGN_OR_RETURN(std::vector<sa::NewJob> announce, notifier.Jobs(confirm));
    SIGNET_ASSIGN_OR_RETURN(
        o, storage.UpdateOrder(
               o, core::OrderStatus::kProcessing,
               Event(actor, "review.ca_reviewing",
                     notes.empty() ? "pre-review passed" : "pre-review passed; " + notes),
               actor, {}, announce));
    return o;
  }

  void Enqueue(const std::string& order_id) {
    auto job =
        storage.EnqueueJob("order.advance", EncodeJobPayload({{"id", order_id}}), clock.Now(), 50);
    if (!job.ok()) log::Error("queueing order.advance failed", {{"order", order_id}});
  }

  // Moves a processing order on: refreshes DCV progress, and issues when both checks passed.
  // `csr_spki_der`: the key of the order's CSR, when the caller has just parsed it.
  Status Advance(const std::string& order_id, const std::vector<uint8_t>* csr_spki_der = nullptr) {
    const sa::Actor system{"system", "", "system", ""};
    SIGNET_ASSIGN_OR_RETURN(sa::Order o, storage.GetOrder("", order_id));
    if (o.status != core::OrderStatus::kProcessing) return Status::Ok();
    SIGNET_ASSIGN_OR_RETURN(auto links, storage.ListOrderValidations(o.id));
    core::DcvStatus dcv = core::DcvStatus::kValid;
    std::string failure;
    std::map<std::string, sa::DomainValidation> methods;  // base name -> its validation
    for (const auto& [domain, vid] : links) {
      SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation v,
                              storage.GetDomainValidation(o.account_id, vid));
      methods[domain] = v;
      if (v.status == core::ValidationStatus::kPending && !IsStopped(v, clock.Now())) {
        if (dcv == core::DcvStatus::kValid) dcv = core::DcvStatus::kPending;
      } else if (v.status != core::ValidationStatus::kValid) {
        dcv = core::DcvStatus::kFailed;
        core::ValidationStatus shown = v.status == core::ValidationStatus::kPending
                                           ? core::ValidationStatus::kExpired
                                           : v.status;
        failure = domain + ": validation " + std::string(core::Name(shown)) +
                  (v.last_error.empty() ? "" : " (" + v.last_error + ")");
      }
    }
    sa::Actor actor{"system", o.account_id, "system", ""};
    SIGNET_ASSIGN_OR_RETURN(const Product* product, ProductOf(o));
    if (product->upstream) return AdvanceUpstream(o, *product, actor);
    if (dcv != o.dcv_status) {
      o.dcv_status = dcv;
      auto updated =
          storage.UpdateOrder(o, core::OrderStatus::kProcessing,
                              Event(system, "dcv." + std::string(core::Name(dcv)), failure), actor);
      if (!updated.ok())
        return updated.status().reason() == "status_changed" ? Status::Ok() : updated.status();
      o = *updated;
    }
    // Pending: the validation's own jobs retry, and each change of a validation queues this
    // order again (OnValidationChanged), so there is nothing to retry here. Failed: the
    // applicant starts again with a new order.
    if (o.dcv_status != core::DcvStatus::kValid) return Status::Ok();
    if (o.review_status != core::ReviewStatus::kApproved &&
        o.review_status != core::ReviewStatus::kNotRequired) {
      return Status::Ok();  // the reviewer's decision advances it
    }
    return Issue(o, methods, actor, csr_spki_der);
  }

  // Whether `v`'s own check covered CAA for `name` recently enough to issue on (BR 3.2.2.8).
  // Email approvals are not CAA-checked when approved, so they never count.
  static bool CaaCheckedAtValidation(const sa::DomainValidation& v, const va::Identifier& name,
                                     TimePoint now) {
    if (v.method == "email" || v.domain != name.base || !v.validated_at) return false;
    if (now - *v.validated_at > std::chrono::hours(8)) return false;
    return v.details.wildcard == name.wildcard;
  }

  Status Issue(sa::Order o, const std::map<std::string, sa::DomainValidation>& methods,
               const sa::Actor& actor, const std::vector<uint8_t>* csr_spki_der) {
    SIGNET_ASSIGN_OR_RETURN(const Product* product, ProductOf(o));
    core::Application& app = o.application;
    // CAA for every name (BR 3.2.2.8), from every perspective; RFC 8657's validationmethods is
    // matched against the method that validated the name. A check that validation itself made
    // for exactly this name (same base, same wildcard-ness) within the last 8 hours stands, as
    // BR 3.2.2.8 allows; anything older, or a name proven through a parent, is checked now.
    std::vector<va::Identifier> all = CertificateNames(app);
    TimePoint now = clock.Now();
    for (const auto& n : all) {
      auto m = methods.find(n.base);
      std::string method = m != methods.end() ? m->second.method : app.Method();
      if (m != methods.end() && CaaCheckedAtValidation(m->second, n, now)) continue;
      Status caa = validations.CheckCaaForIssuance(o.account_id, n.base, n.wildcard, method);
      if (!caa.ok()) {
        (void)storage.AppendOrderEvent({"", o.id, {}, "system", "caa.refused", caa.message()});
        return caa;  // the job retries; fixing CAA lets it issue
      }
    }
    ca::IssuanceRequest request;
    request.issuance_id = o.issuance_id;
    request.account_id = o.account_id;
    request.type = product->type;
    for (const auto& n : all) request.dns_names.push_back(n.name);
    request.subject = SubjectFromApplication(app, product->type);
    request.issuer = product->issuer;
    // The term starts with the first certificate; successive ones stay within it.
    now = clock.Now();
    if (!app.term_ends_at_micros) {
      app.term_ends_at_micros =
          ToUnixMicros(now + std::chrono::hours(24 * (product->term_months * 365 / 12)));
    }
    TimePoint term_end = FromUnixMicros(*app.term_ends_at_micros);
    auto remaining = std::chrono::duration_cast<std::chrono::hours>(term_end - now).count() / 24;
    if (remaining < policy::DefaultValidityDays(now)) {
      request.validity_days = static_cast<int>(std::max<int64_t>(1, remaining));
    }
    if (!o.csr_pem.empty() && csr_spki_der != nullptr) {
      request.public_key_der = *csr_spki_der;
    } else if (!o.csr_pem.empty()) {
      SIGNET_ASSIGN_OR_RETURN(ca::ParsedCsr csr, ca::ParseCsr(o.csr_pem));
      request.public_key_der = csr.key.spki_der;
    } else {
      SIGNET_ASSIGN_OR_RETURN(std::string key_pem, vault.Unseal(o.sealed_private_key, o.id));
      SIGNET_ASSIGN_OR_RETURN(request.public_key_der, ca::PublicKeyOfPrivateKeyPem(key_pem));
    }
    auto result = authority.Issue(request, actor);
    if (!result.ok() && result.status().code() == ErrorCode::kConflict) {
      // Another worker (the advance job, or a "check now") is issuing this very issuance; the
      // job's retry then finds the certificate it stored.
      return Status::Error(ErrorCode::kUnavailable, "issuing_elsewhere",
                           "the certificate is being issued by another worker");
    }
    if (!result.ok()) return result.status();
    ca::IssuedCertificate issued = std::move(result).value();
    CrashPoint("order.certificate_signed");
    o.status = core::OrderStatus::kIssued;
    o.certificate_serial = issued.serial_hex;
    o.issued_at = clock.Now();
    // The certificate joins the account's certificates in the same transaction.
    sa::ManagedCertificate tracked;
    tracked.id = issued.serial_hex;
    tracked.account_id = o.account_id;
    tracked.source = core::CertificateSource::kIssued;
    tracked.order_id = o.id;
    tracked.serial_hex = issued.serial_hex;
    tracked.der_base64 = issued.der_base64;
    tracked.names = issued.names;
    tracked.issuer_name = issued.issuer;
    tracked.not_before = issued.not_before;
    tracked.not_after = issued.not_after;
    tracked.lineage_id = o.lineage_id.empty() ? o.id : o.lineage_id;
    SIGNET_ASSIGN_OR_RETURN(
        std::vector<sa::NewJob> announce,
        Announcement(o, "order.issued", "Your certificate is issued",
                     notify::CertificateIssuedText(notify::Links(options.public_url), o.names,
                                                   issued.serial_hex, issued.not_after)));
    auto updated = storage.MarkOrderIssued(o, Event(actor, "issued", "serial " + issued.serial_hex),
                                           tracked, actor, announce);
    CrashPoint("order.issued");
    if (!updated.ok()) {
      // Another worker issued it first (the issuance id made it the same certificate).
      return updated.status().reason() == "status_changed" ? Status::Ok() : updated.status();
    }
    return Status::Ok();
  }
};

}  // namespace signet::ra

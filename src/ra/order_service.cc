#include "signet/ra/order_service.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ra/order_application.h"
#include "signet/ca/certificate_authority.h"
#include "signet/ca/csr.h"
#include "signet/ca/subscriber_keys.h"
#include "signet/common/crypto.h"
#include "signet/common/log.h"
#include "signet/notify/notifier.h"
#include "signet/policy/br_rules.h"
#include "signet/ra/domain_validation_service.h"
#include "signet/va/domain_name.h"

namespace signet::ra {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::set<std::string> kAttachmentKinds = {
    "confirmation_letter", "application_form", "service_agreement", "business_license",
    "id_card_front",       "id_card_back",     "revocation_letter"};

// The content type of an upload, by its first bytes; empty when not JPEG, PNG or PDF.
std::string SniffContentType(const std::string& content) {
  auto starts = [&](std::string_view magic) {
    return content.size() >= magic.size() && content.compare(0, magic.size(), magic) == 0;
  };
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts("%PDF-")) return "application/pdf";
  return "";
}

json Parse(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

std::string SubStatus(const sa::Order& o) {
  if (o.status == "pending_information") return "PENDING-INFORMATION";
  if (o.status == "cancelled") return "CANCELLED";
  if (o.status == "issued") return "ISSUED";
  if (o.status == "review_failed") return "REVIEW-FAILED";
  if (o.review_status == "pending_attachments") return "PENDING-ATTACHMENTS";
  if (o.review_status == "pre_reviewing") return "PRE-REVIEWING";
  if (o.dcv_status == "pending") return "PENDING-DCV";
  if (o.review_status == "ca_reviewing") return "CA-REVIEWING";
  return "WAIT-ISSUE";
}

}  // namespace

struct OrderService::Impl {
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
  std::function<void(const sa::Order&)> issued_observer;

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
    json app = Parse(o.application);
    std::vector<std::string> to;
    if (app.contains("administrator")) to.push_back(app["administrator"].value("email", ""));
    if (app.contains("contact") && app["contact"].is_object()) {
      std::string c = app["contact"].value("email", "");
      if (!c.empty() && (to.empty() || c != to.front())) to.push_back(c);
    }
    return to;
  }

  void Notify(const sa::Order& o, const std::string& event, const std::string& subject,
              const std::string& text) {
    notify::Notification n{event,
                           o.account_id,
                           o.id,
                           Recipients(o),
                           subject + " (" + o.id + ")",
                           text + "\n\nOrder: " + o.id + "\nDomains: " + o.names + "\nDetails: " +
                               options.public_url + "/api/v1/orders/" + o.id + "\n"};
    Status s = notifier.Notify(n);
    if (!s.ok())
      log::Error("queueing a notification failed", {{"order", o.id}, {"error", s.message()}});
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
    json app = Parse(o.application);
    json org = app.value("organization", json::object());
    if (org.value("name", "").size() < 2) problems.push_back("the organization name is missing");
    if (!app.contains("administrator")) problems.push_back("the administrator is missing");
    // The letter's metadata should name the organization, where the PDF says anything.
    auto list = storage.ListAttachments(o.id);
    std::string name = org.value("name", "");
    if (list.ok()) {
      for (const auto& a : *list) {
        if (a.kind != "confirmation_letter" || a.content_type != "application/pdf") continue;
        std::string content_type;
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

  // After (re)submission: validations per name, review state, then advance.
  Result<sa::Order> StartProcessing(sa::Order o, const std::string& expected,
                                    const std::string& event, const sa::Actor& actor) {
    SIGNET_ASSIGN_OR_RETURN(const Product* product, ProductOf(o));
    json app = Parse(o.application);
    std::vector<va::Identifier> requested = RequestedDomains(app, names);
    std::vector<va::Identifier> all = va::WithCoveredNames(requested, names);
    std::string joined;
    for (const auto& n : all) joined += (joined.empty() ? "" : ",") + n.name;
    o.names = joined;

    // One validation per base name: reuse a valid one of the account, else start one.
    std::string method = app.value("validation_method", "dns_txt");
    bool all_valid = true;
    std::set<std::string> bases;
    for (const auto& n : all) bases.insert(n.base);
    for (const std::string& base : bases) {
      SIGNET_ASSIGN_OR_RETURN(std::optional<sa::DomainValidation> reusable,
                              validations.FindReusable(o.account_id, base));
      std::string validation_id;
      if (reusable) {
        validation_id = reusable->id;
      } else {
        all_valid = false;
        NewValidation nv;
        nv.domain = base;
        nv.method = method;
        if (method == "email") nv.email = "admin@" + base;
        if (method == "dns_auto" && app.contains("dns_auto")) {
          const json& a = app["dns_auto"];
          nv.dns_auto =
              DnsAutoInput{a.value("server", ""), a.value("zone", ""), a.value("key_name", ""),
                           a.value("algorithm", "hmac-sha256"), a.value("secret", "")};
        }
        SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation created,
                                validations.Create(o.account_id, nv, actor));
        validation_id = created.id;
      }
      SIGNET_RETURN_IF_ERROR(storage.LinkOrderValidation(o.id, base, validation_id));
    }
    o.dcv_status = all_valid ? "valid" : "pending";
    if (product->type == ca::ProductType::kDv) {
      o.review_status = "not_required";
    } else {
      o.review_status = HasReviewDocuments(o.id) ? "pre_reviewing" : "pending_attachments";
      o.review_reason.clear();
    }
    o.status = "processing";
    o.submitted_at = clock.Now();
    SIGNET_ASSIGN_OR_RETURN(sa::Order updated,
                            storage.UpdateOrder(o, expected, Event(actor, event), actor));
    Notify(updated, "order.submitted", "Certificate order submitted",
           "Your order was submitted. Domain validation" +
               std::string(product->type == ca::ProductType::kDv
                               ? " is under way."
                               : " and the organization review are under way."));
    if (updated.review_status == "pre_reviewing") {
      SIGNET_ASSIGN_OR_RETURN(updated, RunPreReview(updated, actor));
    }
    Enqueue(updated.id);
    return updated;
  }

  Result<sa::Order> RunPreReview(sa::Order o, const sa::Actor& actor) {
    std::string notes;
    std::vector<std::string> problems = PreReview(o, &notes);
    if (!problems.empty()) {
      std::string reason = "automatic pre-review: ";
      for (size_t i = 0; i < problems.size(); ++i) reason += (i ? "; " : "") + problems[i];
      o.status = "review_failed";
      o.review_status = "rejected";
      o.review_reason = reason;
      SIGNET_ASSIGN_OR_RETURN(
          o, storage.UpdateOrder(o, "processing", Event(actor, "review.rejected", reason), actor));
      Notify(o, "review.failed", "Review failed",
             "The review found problems: " + reason + "\nEdit the application and resubmit.");
      return o;
    }
    o.review_status = "ca_reviewing";
    SIGNET_ASSIGN_OR_RETURN(
        o, storage.UpdateOrder(
               o, "processing",
               Event(actor, "review.ca_reviewing",
                     notes.empty() ? "pre-review passed" : "pre-review passed; " + notes),
               actor));
    // BR/EVG verification: the CA confirms the request with the administrator.
    json app = Parse(o.application);
    std::string admin = app.value("administrator", json::object()).value("email", "");
    notify::Notification confirm{
        "review.confirmation",
        o.account_id,
        o.id,
        {admin},
        "Please confirm the certificate application for " +
            app.value("organization", json::object())
                .value("name", std::string("your organization")),
        "The certificate authority is reviewing an application that names you as the "
        "administrator.\nDomains: " +
            o.names +
            "\nA reviewer may call you to confirm it. If you did not apply, reply to "
            "this email.\n"};
    Status s = notifier.Notify(confirm);
    if (!s.ok()) log::Error("queueing the confirmation email failed", {{"error", s.message()}});
    return o;
  }

  void Enqueue(const std::string& order_id) {
    auto job = storage.EnqueueJob("order.advance", json{{"id", order_id}}.dump(), clock.Now(), 50);
    if (!job.ok()) log::Error("queueing order.advance failed", {{"order", order_id}});
  }

  // Moves a processing order on: refreshes DCV progress, and issues when both checks passed.
  Status Advance(const std::string& order_id) {
    const sa::Actor system{"system", "", "system", ""};
    SIGNET_ASSIGN_OR_RETURN(sa::Order o, storage.GetOrder("", order_id));
    if (o.status != "processing") return Status::Ok();
    SIGNET_ASSIGN_OR_RETURN(auto links, storage.ListOrderValidations(o.id));
    std::string dcv = "valid";
    std::string failure;
    for (const auto& [domain, vid] : links) {
      SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation v,
                              storage.GetDomainValidation(o.account_id, vid));
      if (v.status == "pending") {
        if (dcv == "valid") dcv = "pending";
      } else if (v.status != "valid") {
        dcv = "failed";
        failure = domain + ": validation " + v.status +
                  (v.last_error.empty() ? "" : " (" + v.last_error + ")");
      }
    }
    sa::Actor actor{"system", o.account_id, "system", ""};
    if (dcv != o.dcv_status) {
      std::string previous = o.dcv_status;
      o.dcv_status = dcv;
      auto updated =
          storage.UpdateOrder(o, "processing", Event(system, "dcv." + dcv, failure), actor);
      if (!updated.ok())
        return updated.status().reason() == "status_changed" ? Status::Ok() : updated.status();
      o = *updated;
    }
    // Pending: the validation's own jobs retry, and each change of a validation queues this
    // order again (OnValidationChanged), so there is nothing to retry here. Failed: the
    // applicant starts again with a new order.
    if (o.dcv_status != "valid") return Status::Ok();
    if (o.review_status != "approved" && o.review_status != "not_required") {
      return Status::Ok();  // the reviewer's decision advances it
    }
    return Issue(o, actor);
  }

  Status Issue(sa::Order o, const sa::Actor& actor) {
    SIGNET_ASSIGN_OR_RETURN(const Product* product, ProductOf(o));
    json app = Parse(o.application);
    std::string method = app.value("validation_method", "dns_txt");
    // CAA at issuance, for every name (BR 3.2.2.8), from every perspective.
    std::vector<va::Identifier> all = va::WithCoveredNames(RequestedDomains(app, names), names);
    for (const auto& n : all) {
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
    TimePoint now = clock.Now();
    if (!app.contains("term_ends_at")) {
      app["term_ends_at"] =
          ToUnixMicros(now + std::chrono::hours(24 * (product->term_months * 365 / 12)));
    }
    TimePoint term_end = FromUnixMicros(app["term_ends_at"].get<int64_t>());
    auto remaining = std::chrono::duration_cast<std::chrono::hours>(term_end - now).count() / 24;
    if (remaining < policy::DefaultValidityDays(now)) {
      request.validity_days = static_cast<int>(std::max<int64_t>(1, remaining));
    }
    if (!o.csr_pem.empty()) {
      SIGNET_ASSIGN_OR_RETURN(ca::ParsedCsr csr, ca::ParseCsr(o.csr_pem));
      request.public_key_der = csr.key.spki_der;
    } else {
      SIGNET_ASSIGN_OR_RETURN(std::string key_pem, vault.Unseal(o.sealed_private_key, o.id));
      SIGNET_ASSIGN_OR_RETURN(request.public_key_der, ca::PublicKeyOfPrivateKeyPem(key_pem));
    }
    SIGNET_ASSIGN_OR_RETURN(ca::IssuedCertificate issued, authority.Issue(request, actor));
    o.status = "issued";
    o.application = app.dump();
    o.certificate_serial = issued.serial_hex;
    o.issued_at = clock.Now();
    auto updated = storage.UpdateOrder(
        o, "processing", Event(actor, "issued", "serial " + issued.serial_hex), actor);
    if (!updated.ok()) {
      // Another worker issued it first (the issuance id made it the same certificate).
      return updated.status().reason() == "status_changed" ? Status::Ok() : updated.status();
    }
    if (issued_observer) issued_observer(*updated);
    Notify(*updated, "order.issued", "Your certificate is issued",
           "Your certificate for " + updated->names + " is issued (serial " + issued.serial_hex +
               ", valid until " + FormatRfc3339(issued.not_after) +
               ").\nDownload it for your server: " + options.public_url + "/api/v1/certificates/" +
               issued.serial_hex + "/download?format=nginx");
    return Status::Ok();
  }
};

OrderService::OrderService(sa::Storage& storage, const ProductCatalog& products,
                           const va::NamePolicy& names, DomainValidationService& validations,
                           ca::CertificateAuthority& authority, const ca::CaHierarchy& hierarchy,
                           const ca::KeyVault& vault, notify::Notifier& notifier,
                           const Clock& clock, Random& random, OrderOptions options)
    : impl_(new Impl{storage, products, names, validations, authority, hierarchy, vault, notifier,
                     clock, random, std::move(options), nullptr}) {}

OrderService::~OrderService() = default;

Result<sa::Order> OrderService::Create(const std::string& account_id, const std::string& product_id,
                                       const sa::Actor& actor) {
  if (impl_->products.Find(product_id) == nullptr) {
    return Status::Error(ErrorCode::kMalformed, "unknown_product",
                         "there is no product '" + product_id + "'; see GET /api/v1/products");
  }
  sa::Order o;
  o.account_id = account_id;
  o.product_id = product_id;
  o.application = "{}";
  o.issuance_id = "iss_" + impl_->random.Token(16);
  return impl_->storage.CreateOrder(o, actor);
}

const std::set<std::string>& OrderService::ApplicationFields() { return ApplicationFieldNames(); }

Result<sa::Order> OrderService::PutApplication(const std::string& account_id,
                                               const std::string& order_id,
                                               const std::string& application_json,
                                               const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != "pending_information" && o.status != "review_failed") {
    return ConflictError(
        "the order is " + o.status + "; its application cannot change after submission",
        "not_editable");
  }
  SIGNET_ASSIGN_OR_RETURN(const Product* product, impl_->ProductOf(o));
  auto input = json::parse(application_json, nullptr, false);
  if (input.is_discarded()) return MalformedError("the body is not valid JSON", "malformed_json");
  json stored = Parse(o.application);
  json allowance = stored.value("allowance", json());
  SIGNET_ASSIGN_OR_RETURN(json app, NormalizeApplication(input, *product, impl_->names,
                                                         impl_->storage, account_id, allowance));
  if (!allowance.is_null()) app["allowance"] = allowance;
  if (o.status == "review_failed") {
    // After submission the names and the key are fixed: only the information may change.
    json old = Parse(o.application);
    for (const char* locked : {"domains", "key", "validation_method"}) {
      if (app.contains(locked) && old.value(locked, json()) != app[locked]) {
        return ConflictError(std::string("'") + locked +
                                 "' cannot change after submission; edit the organization, "
                                 "administrator or contact, or cancel and order again",
                             "not_editable");
      }
      if (old.contains(locked)) app[locked] = old[locked];
    }
  }
  // Secrets are sealed at rest, never kept as typed.
  if (app.contains("key") && app["key"].contains("generate") &&
      app["key"]["generate"].contains("password")) {
    app["key"]["generate"]["password_sealed"] =
        impl_->vault.Seal(app["key"]["generate"]["password"].get<std::string>(), o.id);
    app["key"]["generate"].erase("password");
  }
  if (app.contains("dns_auto") && app["dns_auto"].contains("secret")) {
    app["dns_auto"]["secret_sealed"] =
        impl_->vault.Seal(app["dns_auto"]["secret"].get<std::string>(), o.id);
    app["dns_auto"].erase("secret");
  }
  o.application = app.dump();
  return impl_->storage.UpdateOrder(o, o.status, impl_->Event(actor, "application.saved"), actor);
}

Result<sa::Order> OrderService::Submit(const std::string& account_id, const std::string& order_id,
                                       const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != "pending_information") {
    return ConflictError("the order is already " + o.status, "not_pending_information");
  }
  SIGNET_ASSIGN_OR_RETURN(const Product* product, impl_->ProductOf(o));
  json app = Parse(o.application);
  std::vector<std::string> missing = MissingForSubmit(app, *product);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return MalformedError("complete the application first: " + list +
                              " missing (PUT "
                              "/api/v1/orders/" +
                              o.id + "/application)",
                          "incomplete_application");
  }
  if (app["key"].contains("generate")) {
    SIGNET_ASSIGN_OR_RETURN(ca::GeneratedKey key,
                            ca::GenerateSubscriberKey(app["key"]["generate"]["algorithm"]));
    o.sealed_private_key = impl_->vault.Seal(key.private_key_pem, o.id);
  } else {
    o.csr_pem = app["key"]["csr"].get<std::string>();
  }
  // dns_auto: unseal the applicant's TSIG secret for the validation service, which seals it again
  // under its own record.
  if (app.contains("dns_auto") && app["dns_auto"].contains("secret_sealed")) {
    SIGNET_ASSIGN_OR_RETURN(std::string secret,
                            impl_->vault.Unseal(app["dns_auto"]["secret_sealed"], o.id));
    json with_secret = app;
    with_secret["dns_auto"]["secret"] = secret;
    sa::Order copy = o;
    copy.application = with_secret.dump();
    auto started = impl_->StartProcessing(copy, "pending_information", "submitted", actor);
    if (!started.ok()) return started.status();
    // Keep only the sealed secret in the stored application.
    return impl_->storage.GetOrder(account_id, order_id);
  }
  return impl_->StartProcessing(o, "pending_information", "submitted", actor);
}

Result<sa::Order> OrderService::Resubmit(const std::string& account_id, const std::string& order_id,
                                         const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != "review_failed") {
    return ConflictError(
        "only an order whose review failed can be resubmitted; this one is " + o.status,
        "not_review_failed");
  }
  return impl_->StartProcessing(o, "review_failed", "resubmitted", actor);
}

Result<sa::Order> OrderService::Cancel(const std::string& account_id, const std::string& order_id,
                                       const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status == "issued") {
    return ConflictError(
        "the certificate is already issued, so the order cannot be cancelled; "
        "revoke the certificate instead",
        "already_issued");
  }
  if (o.status == "cancelled") return ConflictError("the order is already cancelled", "cancelled");
  std::string expected = o.status;
  o.status = "cancelled";
  SIGNET_ASSIGN_OR_RETURN(
      o, impl_->storage.UpdateOrder(o, expected, impl_->Event(actor, "cancelled"), actor));
  impl_->Notify(o, "order.cancelled", "Certificate order cancelled",
                "Your order was cancelled; nothing will be issued for it.");
  return o;
}

Result<sa::Order> OrderService::CheckValidations(const std::string& account_id,
                                                 const std::string& order_id,
                                                 const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != "processing") {
    return ConflictError("validation runs once the order is submitted; it is " + o.status,
                         "not_processing");
  }
  SIGNET_ASSIGN_OR_RETURN(auto links, impl_->storage.ListOrderValidations(o.id));
  for (const auto& [domain, vid] : links) {
    auto checked = impl_->validations.CheckNow(o.account_id, vid, actor);
    if (!checked.ok()) return checked.status();
  }
  Status advanced = impl_->Advance(o.id);
  // A CAA refusal or lookup failure is on the timeline, and the advance job retries it.
  if (!advanced.ok() && advanced.code() != ErrorCode::kCaa && advanced.code() != ErrorCode::kDns) {
    return advanced;
  }
  return impl_->storage.GetOrder(account_id, order_id);
}

Result<sa::Attachment> OrderService::AddAttachment(const std::string& account_id,
                                                   const std::string& order_id,
                                                   const std::string& kind,
                                                   const std::string& content,
                                                   const sa::Actor& actor) {
  if (kAttachmentKinds.count(kind) == 0) {
    return MalformedError(
        "?kind= must be confirmation_letter, application_form, "
        "service_agreement, business_license, id_card_front, id_card_back or "
        "revocation_letter",
        "invalid_field");
  }
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  bool open = o.status == "pending_information" || o.status == "review_failed" ||
              (o.status == "processing" && o.review_status == "pending_attachments");
  if (!open) {
    return ConflictError(
        "documents can be uploaded before submission, while the order waits "
        "for them, or after a failed review; this order is " +
            o.status + (o.status == "processing" ? " (" + o.review_status + ")" : ""),
        "not_editable");
  }
  if (content.empty()) return MalformedError("the upload is empty", "empty_upload");
  if (content.size() > impl_->options.max_attachment_bytes) {
    return Status::Error(ErrorCode::kMalformed, "payload_too_large",
                         "the file is " + std::to_string(content.size() / 1024) + " KiB; at most " +
                             std::to_string(impl_->options.max_attachment_bytes / 1024) +
                             " KiB is accepted. Scan at a lower resolution or compress it");
  }
  std::string type = SniffContentType(content);
  if (type.empty()) {
    return Status::Error(ErrorCode::kMalformed, "unsupported_file",
                         "the file is not a JPG, PNG or PDF (judged by its content, not its "
                         "name); scan or export the document as one of those");
  }
  sa::Attachment a;
  a.order_id = o.id;
  a.account_id = o.account_id;
  a.kind = kind;
  a.content_type = type;
  a.sha256_hex = Sha256Hex(content);
  a.size = static_cast<int64_t>(content.size());
  fs::path dir = fs::path(impl_->options.data_dir) / "attachments" / a.sha256_hex.substr(0, 2);
  fs::create_directories(dir);
  fs::path path = dir / a.sha256_hex;
  if (!fs::exists(path)) {
    fs::path tmp = path;
    tmp += ".tmp" + impl_->random.Token(6);
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(content.data(), static_cast<std::streamsize>(content.size()));
      if (!out) return InternalError("could not store the upload");
    }
    fs::rename(tmp, path);
  }
  SIGNET_ASSIGN_OR_RETURN(sa::Attachment stored, impl_->storage.CreateAttachment(a, actor));
  (void)impl_->storage.AppendOrderEvent(
      {"", o.id, {}, actor.user_id, "attachment.uploaded", kind + " (" + type + ")"});
  if (o.status == "processing" && o.review_status == "pending_attachments" &&
      impl_->HasReviewDocuments(o.id)) {
    o.review_status = "pre_reviewing";
    auto updated = impl_->storage.UpdateOrder(o, "processing",
                                              impl_->Event(actor, "review.pre_reviewing"), actor);
    if (updated.ok()) {
      auto reviewed = impl_->RunPreReview(*updated, actor);
      if (!reviewed.ok()) log::Error("pre-review failed", {{"order", o.id}});
    }
  }
  return stored;
}

Result<std::string> OrderService::AttachmentContent(const std::string& account_id,
                                                    const std::string& order_id,
                                                    const std::string& attachment_id,
                                                    std::string* content_type) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  SIGNET_ASSIGN_OR_RETURN(sa::Attachment a, impl_->storage.GetAttachment(o.id, attachment_id));
  *content_type = a.content_type;
  return impl_->ReadAttachment(a);
}

Result<std::string> OrderService::ConfirmationLetterTemplate(const std::string& account_id,
                                                             const std::string& order_id) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  json app = Parse(o.application);
  auto esc = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == '<')
        out += "&lt;";
      else if (c == '>')
        out += "&gt;";
      else if (c == '&')
        out += "&amp;";
      else
        out += c;
    }
    return out;
  };
  json org = app.value("organization", json::object());
  json admin = app.value("administrator", json::object());
  std::string domains;
  for (const auto& d : app.value("domains", json::array())) {
    domains += "<li>" + esc(d.get<std::string>()) + "</li>";
  }
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Confirmation letter / "
         "确认函</title></head><body><h1>Certificate application confirmation letter / "
         "证书申请确认函</h1><p>Order: " +
         o.id + "</p><p>We, <b>" + esc(org.value("name", "________________")) +
         "</b>, confirm that we applied for a TLS certificate for these domains, which we "
         "control / 我单位确认申请以下域名的证书：</p><ul>" +
         domains + "</ul><p>Administrator / 管理员: " + esc(admin.value("name", "________")) +
         ", " + esc(admin.value("position", "________")) + ", " +
         esc(admin.value("phone", "________")) + ", " + esc(admin.value("email", "________")) +
         "</p><p>Signature / 签字: ____________ &nbsp; Company stamp / 公章: ____________ "
         "&nbsp; Date / 日期: ____________</p></body></html>";
}

Result<sa::Order> OrderService::Review(const std::string& order_id, const std::string& decision,
                                       const std::string& reason, const std::string& checks_json,
                                       const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder("", order_id));
  if (o.status != "processing" || o.review_status != "ca_reviewing") {
    return ConflictError("the order is not awaiting a reviewer's decision (it is " + o.status +
                             ", review " + o.review_status + ")",
                         "not_in_review");
  }
  sa::Actor acting = actor;
  acting.account_id = o.account_id;
  if (decision == "approve") {
    o.review_status = "approved";
    SIGNET_ASSIGN_OR_RETURN(
        o, impl_->storage.UpdateOrder(o, "processing",
                                      impl_->Event(actor, "review.approved", checks_json), acting));
    impl_->Notify(o, "review.passed", "Review passed",
                  "The organization review of your order passed." +
                      std::string(o.dcv_status == "valid"
                                      ? " The certificate is being issued."
                                      : " It is issued once domain validation completes."));
    Status advanced = impl_->Advance(o.id);
    if (!advanced.ok()) impl_->Enqueue(o.id);
    return impl_->storage.GetOrder("", order_id);
  }
  if (decision != "reject")
    return MalformedError("'decision' must be approve or reject", "invalid_field");
  if (reason.empty()) {
    return MalformedError("a rejection needs a 'reason' the applicant can act on", "missing_field");
  }
  o.status = "review_failed";
  o.review_status = "rejected";
  o.review_reason = reason;
  SIGNET_ASSIGN_OR_RETURN(
      o, impl_->storage.UpdateOrder(o, "processing", impl_->Event(actor, "review.rejected", reason),
                                    acting));
  impl_->Notify(o, "review.failed", "Review failed",
                "The review of your order failed: " + reason +
                    "\nEdit the application, upload the corrected documents and resubmit.");
  return o;
}

void OrderService::SetIssuedObserver(std::function<void(const sa::Order&)> observer) {
  impl_->issued_observer = std::move(observer);
}

Result<sa::Order> OrderService::CreateFromOrder(const std::string& account_id,
                                                const std::string& source_id,
                                                const std::string& key_json, bool submit,
                                                const std::string& event, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order source, impl_->storage.GetOrder(account_id, source_id));
  SIGNET_ASSIGN_OR_RETURN(sa::Order created, Create(source.account_id, source.product_id, actor));
  json app = Parse(source.application);
  // Sealed values are bound to their order: open them and seal them again for the new one.
  auto reseal = [&](json& holder, const char* field) -> Status {
    if (!holder.contains(field)) return Status::Ok();
    SIGNET_ASSIGN_OR_RETURN(std::string plain,
                            impl_->vault.Unseal(holder[field].get<std::string>(), source.id));
    holder[field] = impl_->vault.Seal(plain, created.id);
    return Status::Ok();
  };
  if (!key_json.empty()) {
    auto key = json::parse(key_json, nullptr, false);
    if (key.is_discarded()) return MalformedError("'key' is not valid JSON", "invalid_field");
    SIGNET_ASSIGN_OR_RETURN(const Product* product, impl_->ProductOf(source));
    SIGNET_ASSIGN_OR_RETURN(
        json checked,
        NormalizeApplication(json{{"domains", app["domains"]}, {"key", key}}, *product,
                             impl_->names, impl_->storage, source.account_id));
    app["key"] = checked["key"];
    if (app["key"].contains("generate") && app["key"]["generate"].contains("password")) {
      app["key"]["generate"]["password_sealed"] =
          impl_->vault.Seal(app["key"]["generate"]["password"].get<std::string>(), created.id);
      app["key"]["generate"].erase("password");
    }
  } else if (app.contains("key") && app["key"].contains("generate")) {
    SIGNET_RETURN_IF_ERROR(reseal(app["key"]["generate"], "password_sealed"));
  }
  if (app.contains("dns_auto")) SIGNET_RETURN_IF_ERROR(reseal(app["dns_auto"], "secret_sealed"));
  // A renewal starts a new term; a reissue or the next certificate of a term keeps the old one.
  if (event.rfind("renewal", 0) == 0) app.erase("term_ends_at");
  created.application = app.dump();
  SIGNET_ASSIGN_OR_RETURN(
      created, impl_->storage.UpdateOrder(created, "pending_information",
                                          impl_->Event(actor, event, "from " + source.id), actor));
  (void)impl_->storage.AppendOrderEvent(
      {"", source.id, {}, actor.user_id, event, "new order " + created.id});
  if (!submit) return created;
  return Submit(created.account_id, created.id, actor);
}

Result<sa::Order> OrderService::Merge(const std::string& account_id,
                                      const std::vector<std::string>& order_ids,
                                      const sa::Actor& actor) {
  std::vector<std::string> ids;
  for (const auto& id : order_ids) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  if (ids.size() < 2) {
    return MalformedError("'order_ids' must name at least two different orders", "invalid_field");
  }
  std::vector<sa::Order> orders;
  const Product* first = nullptr;
  json allowance = {{"common", 0}, {"wildcard", 0}, {"any", 0}};
  for (const auto& id : ids) {
    SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, id));
    json app = Parse(o.application);
    if (o.status != "pending_information" || app.contains("domains") || app.contains("key")) {
      return ConflictError("order " + o.id + " has been used (" + o.status +
                               "); only untouched orders can be merged",
                           "order_used");
    }
    SIGNET_ASSIGN_OR_RETURN(const Product* p, impl_->ProductOf(o));
    if (first == nullptr) first = p;
    if (p->type != first->type || p->issuer != first->issuer ||
        p->term_months != first->term_months) {
      return ConflictError("orders of different brands, types or terms cannot be merged (" +
                               orders.front().product_id + " and " + o.product_id + ")",
                           "not_mergeable");
    }
    json existing = app.value("allowance", json());
    if (existing.is_object()) {
      for (const char* k : {"common", "wildcard", "any"}) {
        allowance[k] = allowance[k].get<int>() + existing.value(k, 0);
      }
    } else if (p->coverage == "wildcard") {
      allowance["wildcard"] = allowance["wildcard"].get<int>() + 1;
    } else if (p->coverage == "mixed") {
      allowance["any"] = allowance["any"].get<int>() + p->max_domains;
    } else {
      allowance["common"] = allowance["common"].get<int>() + p->max_domains;
    }
    orders.push_back(o);
  }
  // Close the others first; if one cannot be closed, reopen those already closed.
  std::vector<sa::Order> closed;
  for (size_t i = 1; i < orders.size(); ++i) {
    sa::Order o = orders[i];
    o.status = "cancelled";
    auto done = impl_->storage.UpdateOrder(
        o, "pending_information", impl_->Event(actor, "merged", "into " + orders[0].id), actor);
    if (!done.ok()) {
      for (sa::Order c : closed) {
        c.status = "pending_information";
        (void)impl_->storage.UpdateOrder(
            c, "cancelled", impl_->Event(actor, "merge.undone", done.status().message()), actor);
      }
      return done.status();
    }
    closed.push_back(*done);
  }
  sa::Order kept = orders[0];
  json app = Parse(kept.application);
  app["allowance"] = allowance;
  kept.application = app.dump();
  std::string merged;
  for (size_t i = 1; i < orders.size(); ++i) merged += (i > 1 ? ", " : "") + orders[i].id;
  return impl_->storage.UpdateOrder(kept, "pending_information",
                                    impl_->Event(actor, "merged", "with " + merged), actor);
}

Status OrderService::RunAdvanceJob(const std::string& payload) {
  auto j = json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("id")) return MalformedError("bad order.advance payload");
  return impl_->Advance(j["id"].get<std::string>());
}

void OrderService::OnValidationChanged(const std::string& validation_id) {
  auto orders = impl_->storage.ListOrdersForValidation(validation_id);
  if (!orders.ok()) return;
  for (const auto& id : *orders) impl_->Enqueue(id);
}

Result<std::string> OrderService::OrderJson(const sa::Order& o) {
  json app = Parse(o.application);
  // Secrets never leave: the sealed key password and TSIG secret are dropped.
  if (app.contains("key") && app["key"].contains("generate")) {
    bool has_password = app["key"]["generate"].contains("password_sealed");
    app["key"]["generate"].erase("password_sealed");
    app["key"]["generate"]["password_set"] = has_password;
  }
  if (app.contains("dns_auto")) app["dns_auto"].erase("secret_sealed");
  json validations = json::array();
  SIGNET_ASSIGN_OR_RETURN(auto links, impl_->storage.ListOrderValidations(o.id));
  for (const auto& [domain, vid] : links) {
    auto v = impl_->storage.GetDomainValidation(o.account_id, vid);
    if (!v.ok()) continue;
    json vj = json::parse(impl_->validations.InstructionsJson(*v));
    vj["validation_id"] = vid;
    vj["for"] = domain;
    validations.push_back(vj);
  }
  json timeline = json::array();
  SIGNET_ASSIGN_OR_RETURN(auto events, impl_->storage.ListOrderEvents(o.id));
  for (const auto& e : events) {
    timeline.push_back({{"at", FormatRfc3339(e.at)},
                        {"event", e.event},
                        {"actor", e.actor},
                        {"detail", e.detail}});
  }
  json attachments = json::array();
  SIGNET_ASSIGN_OR_RETURN(auto files, impl_->storage.ListAttachments(o.id));
  for (const auto& a : files) {
    attachments.push_back({{"id", a.id},
                           {"kind", a.kind},
                           {"content_type", a.content_type},
                           {"size", a.size},
                           {"sha256", a.sha256_hex},
                           {"uploaded_at", FormatRfc3339(a.created_at)}});
  }
  json names = json::array();
  std::stringstream list(o.names);
  for (std::string n; std::getline(list, n, ',');) names.push_back(n);
  const Product* product = impl_->products.Find(o.product_id);
  json out = {
      {"id", o.id},
      {"product", o.product_id},
      {"type", product ? ca::ProductTypeName(product->type) : ""},
      {"status", o.status},
      {"sub_status", SubStatus(o)},
      {"progress", {{"dcv", o.dcv_status}, {"review", o.review_status}}},
      {"application", app},
      {"allowance", app.value("allowance", json())},
      {"names", names},
      {"validations", validations},
      {"review",
       {{"status", o.review_status},
        {"reason", o.review_reason.empty() ? json() : json(o.review_reason)}}},
      {"attachments", attachments},
      {"timeline", timeline},
      {"certificate_id", o.certificate_serial.empty() ? json() : json(o.certificate_serial)},
      {"created_at", FormatRfc3339(o.created_at)},
      {"updated_at", FormatRfc3339(o.updated_at)},
      {"submitted_at", o.submitted_at ? json(FormatRfc3339(*o.submitted_at)) : json()},
      {"issued_at", o.issued_at ? json(FormatRfc3339(*o.issued_at)) : json()}};
  return out.dump();
}

}  // namespace signet::ra

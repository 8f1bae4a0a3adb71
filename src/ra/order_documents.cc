// OrderService: documents (uploads, the confirmation letter template) and the order as the REST
// API shows it.
#include <map>

#include "ra/order_service_impl.h"

namespace signet::ra {

using order_internal::kAttachmentKinds;
using order_internal::SniffContentType;
using order_internal::SubStatus;

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
  bool open = o.status == core::OrderStatus::kPendingInformation ||
              o.status == core::OrderStatus::kReviewFailed ||
              (o.status == core::OrderStatus::kProcessing &&
               o.review_status == core::ReviewStatus::kPendingAttachments);
  if (!open) {
    return ConflictError(
        "documents can be uploaded before submission, while the order waits "
        "for them, or after a failed review; this order is " +
            std::string(core::Name(o.status)) +
            (o.status == core::OrderStatus::kProcessing
                 ? " (" + std::string(core::Name(o.review_status)) + ")"
                 : ""),
        "not_editable");
  }
  if (content.empty()) return MalformedError("the upload is empty", "empty_upload");
  if (content.size() > impl_->options.max_attachment_bytes) {
    return Status::Error(ErrorCode::kPayloadTooLarge, "payload_too_large",
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
  if (o.status == core::OrderStatus::kProcessing &&
      o.review_status == core::ReviewStatus::kPendingAttachments &&
      impl_->HasReviewDocuments(o.id)) {
    o.review_status = core::ReviewStatus::kPreReviewing;
    auto updated = impl_->storage.UpdateOrder(o, core::OrderStatus::kProcessing,
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

Result<std::string> OrderService::OrderJson(const sa::Order& o) {
  json app = Parse(o.application);
  // Secrets never leave: the sealed key password and TSIG secret are dropped.
  if (app.contains("key") && app["key"].contains("generate")) {
    bool has_password = app["key"]["generate"].contains("password_sealed");
    app["key"]["generate"].erase("password_sealed");
    app["key"]["generate"]["password_set"] = has_password;
  }
  if (app.contains("dns_auto")) {
    app["dns_auto"].erase("secret_sealed");
    app["dns_auto"].erase("secret");  // rows written before secrets were sealed at submission
  }
  json validations = json::array();
  std::vector<std::string> cert_names;
  {
    std::stringstream list(o.names);
    for (std::string n; std::getline(list, n, ',');) cert_names.push_back(n);
  }
  SIGNET_ASSIGN_OR_RETURN(auto links, impl_->storage.ListOrderValidations(o.id));
  for (const auto& [domain, vid] : links) {
    auto v = impl_->storage.GetDomainValidation(o.account_id, vid);
    if (!v.ok()) continue;
    json vj = json::parse(impl_->validations.InstructionsJson(*v));
    vj["validation_id"] = vid;
    vj["for"] = domain;
    // The certificate names this proof stands for: its own, and those below it that the
    // order asked for without a validation of their own.
    json covers = json::array();
    for (const auto& n : cert_names) {
      std::string base = n.rfind("*.", 0) == 0 ? n.substr(2) : n;
      bool own = base == domain;
      bool below = !own && va::ValidationCovers(domain, base, MethodCoversSubdomains(v->method));
      bool has_own_link = false;
      for (const auto& other : links) has_own_link = has_own_link || other.first == base;
      if (own || (below && !has_own_link)) covers.push_back(n);
    }
    vj["covers"] = covers;
    validations.push_back(vj);
  }
  json timeline = json::array();
  SIGNET_ASSIGN_OR_RETURN(auto events, impl_->storage.ListOrderEvents(o.id));
  // People of the order's account are named as the REST API names them (the membership id) and
  // by email, so the timeline reads "alice@x did this"; anyone else (staff) stays as stored.
  std::map<std::string, std::pair<std::string, std::string>> people;  // user id -> (id, email)
  for (const auto& e : events) {
    std::string actor = e.actor;
    json email;
    if (e.actor.rfind("user_", 0) == 0) {
      auto [it, fresh] = people.try_emplace(e.actor);
      if (fresh) {
        auto m = impl_->storage.GetMembership(e.actor, o.account_id);
        if (m.ok()) it->second = {m->id, m->email};
      }
      if (!it->second.first.empty()) {
        actor = it->second.first;
        email = it->second.second;
      }
    }
    timeline.push_back({{"at", FormatRfc3339(e.at)},
                        {"event", e.event},
                        {"actor", actor},
                        {"actor_email", email},
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
  json actions = json::array();
  for (core::OrderAction a : core::AllowedActions(o.State())) actions.push_back(core::Name(a));
  json out = {
      {"id", o.id},
      {"product", o.product_id},
      {"type", product ? ca::ProductTypeName(product->type) : ""},
      {"status", core::Name(o.status)},
      {"sub_status", SubStatus(o)},
      {"progress", {{"dcv", core::Name(o.dcv_status)}, {"review", core::Name(o.review_status)}}},
      {"allowed_actions", actions},
      {"needs_applicant", core::NeedsApplicant(o.State())},
      {"application", app},
      {"allowance", app.value("allowance", json())},
      {"names", names},
      {"validations", validations},
      {"review",
       {{"status", core::Name(o.review_status)},
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

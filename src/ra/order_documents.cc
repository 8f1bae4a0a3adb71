// OrderService: documents (uploads, the confirmation letter template) and the order as the REST
// API shows it.
#include <map>

#include "ra/order_service_impl.h"

namespace signet::ra {

using order_internal::kAttachmentKinds;
using order_internal::SniffContentType;

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

Result<OrderView> OrderService::View(const sa::Order& o) {
  OrderView view;
  view.order = o;
  view.product = impl_->products.Find(o.product_id);
  {
    std::stringstream list(o.names);
    for (std::string n; std::getline(list, n, ',');) view.names.push_back(n);
  }
  SIGNET_ASSIGN_OR_RETURN(auto links, impl_->storage.ListOrderValidations(o.id));
  for (const auto& [domain, vid] : links) {
    auto v = impl_->storage.GetDomainValidation(o.account_id, vid);
    if (!v.ok()) continue;
    OrderValidation entry{domain, impl_->validations.View(*v), {}};
    for (const auto& n : view.names) {
      std::string base = n.rfind("*.", 0) == 0 ? n.substr(2) : n;
      bool own = base == domain;
      bool below = !own && va::ValidationCovers(domain, base, MethodCoversSubdomains(v->method));
      bool has_own_link = false;
      for (const auto& other : links) has_own_link = has_own_link || other.first == base;
      if (own || (below && !has_own_link)) entry.covers.push_back(n);
    }
    view.validations.push_back(std::move(entry));
  }
  SIGNET_ASSIGN_OR_RETURN(auto events, impl_->storage.ListOrderEvents(o.id));
  std::map<std::string, std::pair<std::string, std::string>> people;  // user id -> (id, email)
  for (const auto& e : events) {
    TimelineEntry line{e.at, e.event, e.actor, "", e.detail};
    if (e.actor.rfind("user_", 0) == 0) {
      auto [it, fresh] = people.try_emplace(e.actor);
      if (fresh) {
        auto m = impl_->storage.GetMembership(e.actor, o.account_id);
        if (m.ok()) it->second = {m->id, m->email};
      }
      if (!it->second.first.empty()) {
        line.actor = it->second.first;
        line.actor_email = it->second.second;
      }
    }
    view.timeline.push_back(std::move(line));
  }
  SIGNET_ASSIGN_OR_RETURN(view.attachments, impl_->storage.ListAttachments(o.id));
  return view;
}

}  // namespace signet::ra

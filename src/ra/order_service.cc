#include "signet/ra/order_service.h"

#include "ra/order_service_impl.h"

namespace signet::ra {

OrderService::OrderService(sa::Storage& storage, const ProductCatalog& products,
                           const va::NamePolicy& names, DomainValidationService& validations,
                           ca::CertificateAuthority& authority, const ca::CaHierarchy& hierarchy,
                           const ca::KeyVault& vault, notify::Notifier& notifier,
                           const Clock& clock, Random& random, OrderOptions options)
    : impl_(new Impl{storage, products, names, validations, authority, hierarchy, vault, notifier,
                     clock, random, std::move(options)}) {}

OrderService::~OrderService() = default;

Result<sa::Order> OrderService::Create(const std::string& account_id, const std::string& product_id,
                                       const sa::Actor& actor) {
  if (impl_->products.Find(product_id) == nullptr) {
    return Status::Error(
        ErrorCode::kMalformed, "unknown_product",
        "there is no product '" + product_id + "'; choose one of the product catalog's");
  }
  sa::Order o;
  o.account_id = account_id;
  o.product_id = product_id;
  o.issuance_id = "iss_" + impl_->random.Token(16);
  return impl_->storage.CreateOrder(o, actor);
}

Result<sa::Order> OrderService::PutApplication(const std::string& account_id,
                                               const std::string& order_id,
                                               const core::Application& input,
                                               const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != core::OrderStatus::kPendingInformation &&
      o.status != core::OrderStatus::kReviewFailed) {
    return ConflictError("the order is " + std::string(core::Name(o.status)) +
                             "; its application cannot change after submission",
                         "not_editable");
  }
  SIGNET_ASSIGN_OR_RETURN(const Product* product, impl_->ProductOf(o));
  const core::Application& old = o.application;
  SIGNET_ASSIGN_OR_RETURN(core::Application app,
                          NormalizeApplication(input, *product, impl_->names, impl_->storage,
                                               account_id, old.allowance));
  // What Signet set, never the applicant, stays.
  app.allowance = old.allowance;
  app.term_ends_at_micros = old.term_ends_at_micros;
  app.exact_names = old.exact_names;
  app.from_acme = old.from_acme;
  if (o.status == core::OrderStatus::kReviewFailed) {
    // After submission the names and the key are fixed: only the information may change.
    auto locked = [](const char* field) {
      return ConflictError(std::string("'") + field +
                               "' cannot change after submission; edit the organization, "
                               "administrator or contact, or cancel and order again",
                           "not_editable");
    };
    if (app.domains && app.domains != old.domains) return locked("domains");
    if (app.key && (!old.key || !app.key->SameChoice(*old.key))) return locked("key");
    if (!app.validation_method.empty() && app.validation_method != old.validation_method) {
      return locked("validation_method");
    }
    if (old.domains) app.domains = old.domains;
    if (old.key) app.key = old.key;
    if (!old.validation_method.empty()) app.validation_method = old.validation_method;
  }
  // Secrets are sealed at rest, never kept as typed.
  if (app.key && !app.key->password.empty()) {
    app.key->password_sealed = impl_->vault.Seal(app.key->password, o.id);
    app.key->password.clear();
  }
  if (app.dns_auto && !app.dns_auto->secret.empty()) {
    app.dns_auto->secret_sealed = impl_->vault.Seal(app.dns_auto->secret, o.id);
    app.dns_auto->secret.clear();
  }
  o.application = std::move(app);
  return impl_->storage.UpdateOrder(o, o.status, impl_->Event(actor, "application.saved"), actor);
}

Result<sa::Order> OrderService::Submit(const std::string& account_id, const std::string& order_id,
                                       const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != core::OrderStatus::kPendingInformation) {
    return ConflictError("the order is already " + std::string(core::Name(o.status)),
                         "not_pending_information");
  }
  SIGNET_ASSIGN_OR_RETURN(const Product* product, impl_->ProductOf(o));
  const core::Application& app = o.application;
  std::vector<std::string> missing = MissingForSubmit(app, *product);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return MalformedError(
        "complete the application first: " + list + " missing (edit the order's application)",
        "incomplete_application");
  }
  if (app.key->Generates()) {
    SIGNET_ASSIGN_OR_RETURN(ca::GeneratedKey key, ca::GenerateSubscriberKey(app.key->algorithm));
    o.sealed_private_key = impl_->vault.Seal(key.private_key_pem, o.id);
  } else {
    o.csr_pem = app.key->csr_pem;
  }
  return impl_->StartProcessing(o, core::OrderStatus::kPendingInformation, "submitted", actor);
}

Result<sa::Order> OrderService::Resubmit(const std::string& account_id, const std::string& order_id,
                                         const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != core::OrderStatus::kReviewFailed) {
    return ConflictError("only an order whose review failed can be resubmitted; this one is " +
                             std::string(core::Name(o.status)),
                         "not_review_failed");
  }
  return impl_->StartProcessing(o, core::OrderStatus::kReviewFailed, "resubmitted", actor);
}

Result<sa::Order> OrderService::Cancel(const std::string& account_id, const std::string& order_id,
                                       const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status == core::OrderStatus::kIssued) {
    return ConflictError(
        "the certificate is already issued, so the order cannot be cancelled; "
        "revoke the certificate instead",
        "already_issued");
  }
  if (o.status == core::OrderStatus::kCancelled)
    return ConflictError("the order is already cancelled", "cancelled");
  core::OrderStatus expected = o.status;
  o.status = core::OrderStatus::kCancelled;
  SIGNET_ASSIGN_OR_RETURN(
      std::vector<sa::NewJob> announce,
      impl_->Announcement(o, "order.cancelled", "Certificate order cancelled",
                          "Your order was cancelled; nothing will be issued for it."));
  SIGNET_ASSIGN_OR_RETURN(
      o, impl_->storage.UpdateOrder(o, expected, impl_->Event(actor, "cancelled"), actor, {},
                                    announce));
  return o;
}

Result<sa::Order> OrderService::CheckValidations(const std::string& account_id,
                                                 const std::string& order_id,
                                                 const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != core::OrderStatus::kProcessing) {
    return ConflictError(
        "validation runs once the order is submitted; it is " + std::string(core::Name(o.status)),
        "not_processing");
  }
  SIGNET_ASSIGN_OR_RETURN(auto links, impl_->storage.ListOrderValidations(o.id));
  for (const auto& [domain, vid] : links) {
    auto checked = impl_->validations.CheckNow(o.account_id, vid, actor);
    if (!checked.ok()) return checked.status();
  }
  Status advanced = impl_->Advance(o.id);
  // A CAA refusal or lookup failure is on the timeline, and the advance job retries it; so does
  // an issuance another worker has in hand.
  if (!advanced.ok() && advanced.code() != ErrorCode::kCaa && advanced.code() != ErrorCode::kDns &&
      advanced.code() != ErrorCode::kUnavailable) {
    return advanced;
  }
  return impl_->storage.GetOrder(account_id, order_id);
}

Result<sa::Order> OrderService::RestartValidation(const std::string& account_id,
                                                  const std::string& order_id,
                                                  const std::string& validation_id,
                                                  const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != core::OrderStatus::kProcessing) {
    return ConflictError("only a submitted order's validations can be started again; it is " +
                             std::string(core::Name(o.status)),
                         "not_processing");
  }
  SIGNET_ASSIGN_OR_RETURN(auto links, impl_->storage.ListOrderValidations(o.id));
  std::string domain;
  for (const auto& [d, vid] : links) {
    if (vid == validation_id) domain = d;
  }
  if (domain.empty()) {
    return NotFoundError("order " + o.id + " has no validation " + validation_id);
  }
  SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation old,
                          impl_->storage.GetDomainValidation(o.account_id, validation_id));
  if (!IsStopped(old, impl_->clock.Now())) {
    return ConflictError("validation " + validation_id + " of " + domain + " is " +
                             std::string(core::Name(old.status)) +
                             "; only an expired or failed validation can be started again",
                         "validation_not_stopped");
  }
  const core::Application& app = o.application;
  std::string method = app.Method();
  SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation fresh,
                          impl_->StartValidation(o, app, domain, method, actor));
  o.dcv_status = core::DcvStatus::kPending;
  auto updated = impl_->storage.UpdateOrder(
      o, core::OrderStatus::kProcessing,
      impl_->Event(actor, "dcv.restarted", domain + ": " + validation_id + " -> " + fresh.id),
      actor, {{domain, fresh.id}});
  if (!updated.ok()) return updated.status();
  return *updated;
}

Result<sa::Order> OrderService::Review(const std::string& order_id, const std::string& decision,
                                       const std::string& reason, const std::string& checks_detail,
                                       const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder("", order_id));
  if (o.status != core::OrderStatus::kProcessing ||
      o.review_status != core::ReviewStatus::kCaReviewing) {
    return ConflictError("the order is not awaiting a reviewer's decision (it is " +
                             std::string(core::Name(o.status)) + ", review " +
                             std::string(core::Name(o.review_status)) + ")",
                         "not_in_review");
  }
  sa::Actor acting = actor;
  acting.account_id = o.account_id;
  if (decision == "approve") {
    o.review_status = core::ReviewStatus::kApproved;
    SIGNET_ASSIGN_OR_RETURN(
        std::vector<sa::NewJob> announce,
        impl_->Announcement(
            o, "review.passed", "Review passed",
            "The organization review of your order passed." +
                std::string(o.dcv_status == core::DcvStatus::kValid
                                ? " The certificate is being issued."
                                : " It is issued once domain validation completes.")));
    SIGNET_ASSIGN_OR_RETURN(
        o, impl_->storage.UpdateOrder(o, core::OrderStatus::kProcessing,
                                      impl_->Event(actor, "review.approved", checks_detail), acting,
                                      {}, announce));
    Status advanced = impl_->Advance(o.id);
    if (!advanced.ok()) impl_->Enqueue(o.id);
    return impl_->storage.GetOrder("", order_id);
  }
  if (decision != "reject")
    return MalformedError("'decision' must be approve or reject", "invalid_field");
  if (reason.empty()) {
    return MalformedError("a rejection needs a 'reason' the applicant can act on", "missing_field");
  }
  o.status = core::OrderStatus::kReviewFailed;
  o.review_status = core::ReviewStatus::kRejected;
  o.review_reason = reason;
  SIGNET_ASSIGN_OR_RETURN(
      std::vector<sa::NewJob> announce,
      impl_->Announcement(
          o, "review.failed", "Review failed",
          "The review of your order failed: " + reason +
              "\nEdit the application, upload the corrected documents and resubmit."));
  SIGNET_ASSIGN_OR_RETURN(
      o, impl_->storage.UpdateOrder(o, core::OrderStatus::kProcessing,
                                    impl_->Event(actor, "review.rejected", reason), acting, {},
                                    announce));
  return o;
}

Result<sa::Order> OrderService::CreateFromOrder(const std::string& account_id,
                                                const std::string& source_id,
                                                const std::optional<core::KeyChoice>& key,
                                                bool submit, const std::string& event,
                                                const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order source, impl_->storage.GetOrder(account_id, source_id));
  SIGNET_ASSIGN_OR_RETURN(sa::Order created, Create(source.account_id, source.product_id, actor));
  SIGNET_ASSIGN_OR_RETURN(created, impl_->FillFrom(source, created, key, event, actor));
  if (!submit) return created;
  return Submit(created.account_id, created.id, actor);
}

Result<sa::Order> OrderService::ContinueCertificate(const std::string& account_id,
                                                    const std::string& certificate_id,
                                                    const std::string& source_id,
                                                    const std::string& event,
                                                    const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order source, impl_->storage.GetOrder(account_id, source_id));
  SIGNET_ASSIGN_OR_RETURN(std::optional<sa::Order> existing,
                          impl_->storage.FindOrderContinuing(certificate_id));
  sa::Order o;
  if (existing) {
    o = *existing;
  } else {
    sa::Order draft;
    draft.account_id = source.account_id;
    draft.product_id = source.product_id;
    draft.issuance_id = "iss_" + impl_->random.Token(16);
    draft.continues_certificate_id = certificate_id;
    draft.lineage_id = source.lineage_id.empty() ? source.id : source.lineage_id;
    auto created = impl_->storage.CreateOrder(draft, actor);
    if (created.ok()) {
      o = *created;
      CrashPoint("term.order_created");
    } else {
      // The unique index: another node (or an earlier attempt) made it first.
      SIGNET_ASSIGN_OR_RETURN(existing, impl_->storage.FindOrderContinuing(certificate_id));
      if (!existing) return created.status();
      o = *existing;
    }
  }
  if (o.status != core::OrderStatus::kPendingInformation) return o;  // submitted, or cancelled
  if (o.application.Empty()) {
    SIGNET_ASSIGN_OR_RETURN(o, impl_->FillFrom(source, o, std::nullopt, event, actor));
    CrashPoint("term.order_filled");
  }
  return Submit(o.account_id, o.id, actor);
}

Result<sa::Order> OrderService::Impl::FillFrom(const sa::Order& source, sa::Order created,
                                               const std::optional<core::KeyChoice>& key,
                                               const std::string& event, const sa::Actor& actor) {
  core::Application app = source.application;
  // Sealed values are bound to their order: open them and seal them again for the new one.
  auto reseal = [&](std::string& sealed) -> Status {
    if (sealed.empty()) return Status::Ok();
    SIGNET_ASSIGN_OR_RETURN(std::string plain, vault.Unseal(sealed, source.id));
    sealed = vault.Seal(plain, created.id);
    return Status::Ok();
  };
  if (key) {
    SIGNET_ASSIGN_OR_RETURN(const Product* product, ProductOf(source));
    core::Application input;
    input.domains = app.domains;
    input.key = key;
    SIGNET_ASSIGN_OR_RETURN(
        core::Application checked,
        NormalizeApplication(input, *product, names, storage, source.account_id));
    app.key = checked.key;
    if (!app.key->password.empty()) {
      app.key->password_sealed = vault.Seal(app.key->password, created.id);
      app.key->password.clear();
    }
  } else if (app.key) {
    SIGNET_RETURN_IF_ERROR(reseal(app.key->password_sealed));
  }
  if (app.dns_auto) SIGNET_RETURN_IF_ERROR(reseal(app.dns_auto->secret_sealed));
  // A renewal starts a new term; a reissue or the next certificate of a term keeps the old one.
  if (event.rfind("renewal", 0) == 0) app.term_ends_at_micros.reset();
  created.application = std::move(app);
  // Reissues and renewals continue the source's lineage: its deployments follow them.
  created.lineage_id = source.lineage_id.empty() ? source.id : source.lineage_id;
  SIGNET_ASSIGN_OR_RETURN(created,
                          storage.UpdateOrder(created, core::OrderStatus::kPendingInformation,
                                              Event(actor, event, "from " + source.id), actor));
  (void)storage.AppendOrderEvent(
      {"", source.id, {}, actor.user_id, event, "new order " + created.id});
  return created;
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
  core::DomainAllowance allowance;
  for (const auto& id : ids) {
    SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, id));
    const core::Application& app = o.application;
    if (o.status != core::OrderStatus::kPendingInformation || app.domains || app.key) {
      return ConflictError("order " + o.id + " has been used (" +
                               std::string(core::Name(o.status)) +
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
    if (app.allowance) {
      allowance.common += app.allowance->common;
      allowance.wildcard += app.allowance->wildcard;
      allowance.any += app.allowance->any;
    } else if (p->coverage == "wildcard") {
      allowance.wildcard += 1;
    } else if (p->coverage == "mixed") {
      allowance.any += p->max_domains;
    } else {
      allowance.common += p->max_domains;
    }
    orders.push_back(o);
  }
  // Close the others first; if one cannot be closed, reopen those already closed.
  std::vector<sa::Order> closed;
  for (size_t i = 1; i < orders.size(); ++i) {
    sa::Order o = orders[i];
    o.status = core::OrderStatus::kCancelled;
    auto done =
        impl_->storage.UpdateOrder(o, core::OrderStatus::kPendingInformation,
                                   impl_->Event(actor, "merged", "into " + orders[0].id), actor);
    if (!done.ok()) {
      for (sa::Order c : closed) {
        c.status = core::OrderStatus::kPendingInformation;
        (void)impl_->storage.UpdateOrder(
            c, core::OrderStatus::kCancelled,
            impl_->Event(actor, "merge.undone", done.status().message()), actor);
      }
      return done.status();
    }
    closed.push_back(*done);
  }
  sa::Order kept = orders[0];
  kept.application.allowance = allowance;
  std::string merged;
  for (size_t i = 1; i < orders.size(); ++i) merged += (i > 1 ? ", " : "") + orders[i].id;
  return impl_->storage.UpdateOrder(kept, core::OrderStatus::kPendingInformation,
                                    impl_->Event(actor, "merged", "with " + merged), actor);
}

Status OrderService::RunAdvanceJob(const std::string& payload) {
  SIGNET_ASSIGN_OR_RETURN(std::string id, JobPayloadField(payload, "id"));
  return impl_->Advance(id);
}

Result<int> OrderService::ResumeProcessing(std::chrono::seconds idle) {
  int looked_at = 0;
  sa::PageRequest page{200, ""};
  TimePoint cutoff = impl_->clock.Now() - idle;
  for (;;) {
    SIGNET_ASSIGN_OR_RETURN(auto orders, impl_->storage.ListOrders(
                                             "", {.status = core::OrderStatus::kProcessing}, page));
    for (const sa::Order& o : orders.items) {
      if (o.updated_at > cutoff) continue;  // someone is working on it right now
      ++looked_at;
      Status advanced = impl_->Advance(o.id);
      if (!advanced.ok()) {
        // CAA, DNS or an issuer outage: the next pass (or the order's advance job) tries again.
        log::Info("resuming an order did not finish it yet",
                  {{"order", o.id}, {"reason", advanced.reason()}});
      }
    }
    if (orders.next_after.empty()) break;
    page.after = orders.next_after;
  }
  return looked_at;
}

void OrderService::SetUpstreamClients(upstream::UpstreamClients* clients) {
  impl_->upstream_clients = clients;
}

void OrderService::OnValidationChanged(const std::string& validation_id) {
  auto orders = impl_->storage.ListOrdersForValidation(validation_id);
  if (!orders.ok()) return;
  for (const auto& id : *orders) impl_->Enqueue(id);
}

}  // namespace signet::ra

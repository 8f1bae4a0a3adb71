// OrderService for ACME: orders whose names are exactly the ACME identifiers and whose key comes
// with the CSR at finalize. Everything after submission is the common path (StartProcessing,
// Advance, Issue), so an ACME certificate is an order's certificate like any other.
#include "ra/order_service_impl.h"

namespace signet::ra {

Result<sa::Order> OrderService::CreateAcme(const std::string& account_id,
                                           const std::string& product_id,
                                           const std::vector<std::string>& names,
                                           const std::string& organization_id,
                                           const std::string& administrator_id,
                                           const sa::AcmeOrderRows& acme, const sa::Actor& actor) {
  const Product* product = impl_->products.Find(product_id);
  if (product == nullptr) {
    return Status::Error(ErrorCode::kMalformed, "unknown_product",
                         "there is no product '" + product_id + "'");
  }
  if (product->type == ca::ProductType::kEv || product->type == ca::ProductType::kPrivate) {
    return Status::Error(ErrorCode::kForbidden, "product_not_automatable",
                         "only DV and OV products can be ordered through ACME");
  }
  if (static_cast<int>(names.size()) > product->max_domains) {
    return Status::Error(ErrorCode::kRejectedIdentifier, "too_many_domains",
                         "the profile allows at most " + std::to_string(product->max_domains) +
                             " identifiers per order");
  }
  sa::Order o;
  o.account_id = account_id;
  o.product_id = product_id;
  core::Application app;
  app.domains = names;
  if (product->type == ca::ProductType::kOv) {
    // The saved profiles are copied in, as when an applicant picks them in the console.
    app.organization_id = organization_id;
    app.administrator_id = administrator_id;
    SIGNET_ASSIGN_OR_RETURN(
        app, NormalizeApplication(app, *product, impl_->names, impl_->storage, account_id));
  }
  app.validation_method = "acme";
  app.exact_names = true;
  app.from_acme = true;
  o.application = std::move(app);
  o.issuance_id = "iss_" + impl_->random.Token(16);
  if (!acme.order.replaces_serial.empty()) {
    // An ARI replacement (RFC 9773) continues the replaced certificate's lineage, so its
    // deployments follow. Orders without `replaces` start their own.
    auto replaced = impl_->storage.GetManagedCertificate(account_id, acme.order.replaces_serial);
    if (replaced.ok()) o.lineage_id = replaced->lineage_id;
  }
  return impl_->storage.CreateOrder(o, actor, &acme);
}

Result<sa::Order> OrderService::FinalizeAcme(const std::string& account_id,
                                             const std::string& order_id,
                                             const std::string& csr_pem,
                                             const std::vector<uint8_t>& csr_spki_der,
                                             const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(account_id, order_id));
  if (o.status != core::OrderStatus::kPendingInformation) {
    return ConflictError("the order is already " + std::string(core::Name(o.status)),
                         "not_pending_information");
  }
  if (!o.application.from_acme) {
    return ConflictError("the order was not created through ACME", "not_acme");
  }
  o.application.key = core::KeyChoice{};
  o.application.key->csr_pem = csr_pem;
  o.csr_pem = csr_pem;
  SIGNET_ASSIGN_OR_RETURN(
      sa::Order started,
      impl_->StartProcessing(o, core::OrderStatus::kPendingInformation, "finalized", actor, false));
  CrashPoint("acme.finalized");
  // Issue now, on this request, so the client's next poll finds the certificate. When that
  // cannot finish (CAA, DNS, another worker, a validation not yet valid), the advance job
  // takes the order on, with its retries.
  Status issued = impl_->Advance(started.id, &csr_spki_der);
  SIGNET_ASSIGN_OR_RETURN(sa::Order after, impl_->storage.GetOrder(account_id, order_id));
  if (after.status == core::OrderStatus::kProcessing) impl_->Enqueue(after.id);
  if (!issued.ok() && issued.code() != ErrorCode::kCaa && issued.code() != ErrorCode::kDns &&
      issued.code() != ErrorCode::kUnavailable) {
    return issued;
  }
  return after;
}

}  // namespace signet::ra

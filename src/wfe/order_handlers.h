// The handlers of products, orders (the applicant's journey) and the review queue
// (order_handlers.cc). route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include <string>

#include "wfe/handlers.h"

namespace signet::ra {
class OrderService;
class ProductCatalog;
}  // namespace signet::ra

namespace signet::wfe {

class OrderHandlers {
 public:
  OrderHandlers(HandlerDeps& deps, const ra::ProductCatalog& products, ra::OrderService& orders)
      : deps_(deps), products_(products), orders_(orders) {}

  HttpResponse ListProducts(RouteContext& ctx);
  // Operators: each brand's upstream CA, its directory fetched now (GET /api/v1/upstreams).
  HttpResponse ListUpstreams(RouteContext& ctx);
  // The account's own EAB credentials at brands' CAs (GET, PUT and DELETE
  // /api/v1/upstream-eab[/{product}]); the HMAC key is never shown.
  HttpResponse ListUpstreamEab(RouteContext& ctx);
  HttpResponse PutUpstreamEab(RouteContext& ctx);
  HttpResponse DeleteUpstreamEab(RouteContext& ctx);
  HttpResponse Create(RouteContext& ctx);
  HttpResponse List(RouteContext& ctx);
  HttpResponse Merge(RouteContext& ctx);
  HttpResponse Get(RouteContext& ctx);
  HttpResponse PutApplication(RouteContext& ctx);
  HttpResponse Submit(RouteContext& ctx);
  HttpResponse Resubmit(RouteContext& ctx);
  HttpResponse Cancel(RouteContext& ctx);
  HttpResponse CheckValidations(RouteContext& ctx);
  HttpResponse RestartValidation(RouteContext& ctx);
  HttpResponse AddAttachment(RouteContext& ctx);
  HttpResponse ListAttachments(RouteContext& ctx);
  HttpResponse Attachment(RouteContext& ctx);  // a document's content
  HttpResponse ConfirmationLetterTemplate(RouteContext& ctx);
  HttpResponse ReviewQueue(RouteContext& ctx);
  HttpResponse Review(RouteContext& ctx);

 private:
  // An order service call on the order in the path, answered with the order.
  using OrderAction = Result<sa::Order> (ra::OrderService::*)(const std::string&,
                                                              const std::string&, const sa::Actor&);
  HttpResponse Action(RouteContext& ctx, OrderAction method);

  HandlerDeps& deps_;
  const ra::ProductCatalog& products_;
  ra::OrderService& orders_;
};

}  // namespace signet::wfe

// The routes of brands issued by upstream CAs (docs/BRANDS.md): their health for operators,
// and an applicant account's own external account bindings. AddRoutes calls AddBrandRoutes
// after the product catalog.
#include "wfe/order_handlers.h"
#include "wfe/route_table.h"

namespace signet::wfe {

void AddBrandRoutes(Router& router, OrderHandlers& handlers) {
  OrderHandlers* orders = &handlers;
  router.Add({.method = "GET",
              .pattern = "/api/v1/upstreams",
              .access = Access::kAdmin,
              .summary = "The brands' upstream ACME CAs and how they are doing: each directory "
                         "fetched now, Signet's account there",
              .tag = "orders",
              .response_schema = "UpstreamList",
              .handler = Bind(orders, &OrderHandlers::ListUpstreams)});
  router.Add({.method = "GET",
              .pattern = "/api/v1/upstream-eab",
              .access = Access::kAuthenticated,
              .summary = "The account's own external account bindings at brands' CAs (their "
                         "HMAC keys are never shown)",
              .tag = "orders",
              .response_schema = "UpstreamEabList",
              .handler = Bind(orders, &OrderHandlers::ListUpstreamEab)});
  router.Add({.method = "PUT",
              .pattern = "/api/v1/upstream-eab/{product}",
              .access = Access::kOwner,
              .summary = "Give the account's own EAB for the CA of a brand product (a CA that "
                         "binds each customer); its orders of that CA use it",
              .tag = "orders",
              .request_schema = "UpstreamEabInput",
              .handler = Bind(orders, &OrderHandlers::PutUpstreamEab)});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/upstream-eab/{product}",
              .access = Access::kOwner,
              .summary = "Forget the account's own EAB for the CA of a brand product",
              .tag = "orders",
              .success_status = 204,
              .handler = Bind(orders, &OrderHandlers::DeleteUpstreamEab)});
}

}  // namespace signet::wfe

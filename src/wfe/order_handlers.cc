// Products, orders (the applicant's journey), the review queue, and issued certificates with
// their downloads.
#include "signet/ra/order_service.h"
#include "signet/ra/product_catalog.h"
#include "wfe/handlers.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

nlohmann::json ProductJson(const ra::Product& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"type", ca::ProductTypeName(p.type)},
          {"coverage", p.coverage},
          {"max_domains", p.max_domains},
          {"issuer", p.issuer.empty() ? nlohmann::json() : nlohmann::json(p.issuer)},
          {"term_months", p.term_months}};
}

bool IsStaff(const RouteContext& ctx) { return sa::IsStaff(ctx.principal->role); }

// Reviewers and admins see every account's orders; others only their own.
std::string Scope(const RouteContext& ctx) { return IsStaff(ctx) ? "" : ctx.principal->account_id; }

HttpResponse OrderResponse(int status, ra::OrderService& orders, const sa::Order& o,
                           const RouteContext& ctx) {
  auto text = orders.OrderJson(o);
  if (!text.ok()) return ErrorResponse(text.status(), ctx);
  return JsonResponse(status, nlohmann::json::parse(*text));
}

}  // namespace

void RegisterOrderRoutes(Router& router, HandlerDeps& deps, const ra::ProductCatalog& products,
                         ra::OrderService& orders) {
  router.Add({"GET", "/api/v1/products", Access::kAuthenticated, "The product catalog", "orders",
              "", "ProductList", 200, false, [&products](RouteContext&) {
                nlohmann::json items = nlohmann::json::array();
                for (const auto& p : products.all()) items.push_back(ProductJson(p));
                return JsonResponse(200, PageJson(std::move(items), ""));
              }});

  router.Add({"POST", "/api/v1/orders", Access::kAuthenticated, "Buy a product: a new order",
              "orders", "OrderInput", "Order", 201, false, [&orders](RouteContext& ctx) {
                auto body = ParseJsonObject(ctx.request, {"product"});
                if (!body.ok()) return ErrorResponse(body.status(), ctx);
                auto product = RequiredString(*body, "product", 64);
                if (!product.ok()) return ErrorResponse(product.status(), ctx);
                auto o = orders.Create(ctx.principal->account_id, *product, ActorFor(ctx));
                if (!o.ok()) return ErrorResponse(o.status(), ctx);
                HttpResponse r = OrderResponse(201, orders, *o, ctx);
                r.headers.emplace_back("Location", "/api/v1/orders/" + o->id);
                return r;
              }});

  router.Add({"GET", "/api/v1/orders", Access::kAuthenticated,
              "The account's orders (?status=, ?domain=, ?q= part of a name or id)", "orders", "",
              "OrderList", 200, true, [&deps, &orders](RouteContext& ctx) {
                auto page = PageFromQuery(ctx.request);
                if (!page.ok()) return ErrorResponse(page.status(), ctx);
                sa::OrderFilter filter;
                if (ctx.request.HasQuery("status")) {
                  filter.status = core::ParseOrderStatus(ctx.request.Query("status"));
                  if (!filter.status) {
                    return ErrorResponse(
                        MalformedError("status must be pending_information, processing, "
                                       "review_failed, issued or cancelled",
                                       "invalid_field"),
                        ctx);
                  }
                }
                auto query = SearchQuery(ctx.request);
                if (!query.ok()) return ErrorResponse(query.status(), ctx);
                filter.query = *query;
                auto list = deps.storage.ListOrders(ctx.principal->account_id, filter, *page);
                if (!list.ok()) return ErrorResponse(list.status(), ctx);
                std::string domain = ctx.request.Query("domain");
                nlohmann::json items = nlohmann::json::array();
                for (const auto& o : list->items) {
                  if (!domain.empty() &&
                      ("," + o.names + ",").find("," + domain + ",") == std::string::npos &&
                      o.application.find("\"" + domain + "\"") == std::string::npos) {
                    continue;
                  }
                  auto text = orders.OrderJson(o);
                  if (text.ok()) items.push_back(nlohmann::json::parse(*text));
                }
                return JsonResponse(200, PageJson(std::move(items), list->next_after));
              }});

  router.Add({"POST", "/api/v1/orders/merge", Access::kAuthenticated,
              "Merge untouched orders of one brand and term into one", "orders", "MergeInput",
              "Order", 200, false, [&orders](RouteContext& ctx) {
                auto body = ParseJsonObject(ctx.request, {"order_ids"});
                if (!body.ok()) return ErrorResponse(body.status(), ctx);
                std::vector<std::string> ids;
                const auto& list = body->value("order_ids", nlohmann::json());
                if (!list.is_array()) {
                  return ErrorResponse(
                      MalformedError("'order_ids' must be an array of order ids", "invalid_field"),
                      ctx);
                }
                for (const auto& id : list) {
                  if (!id.is_string()) {
                    return ErrorResponse(
                        MalformedError("'order_ids' must contain strings", "invalid_field"), ctx);
                  }
                  ids.push_back(id.get<std::string>());
                }
                auto o = orders.Merge(ctx.principal->account_id, ids, ActorFor(ctx));
                if (!o.ok()) return ErrorResponse(o.status(), ctx);
                return OrderResponse(200, orders, *o, ctx);
              }});

  router.Add({"GET", "/api/v1/orders/{id}", Access::kAuthenticated,
              "One order: status, progress, validations, review, timeline", "orders", "", "Order",
              200, false, [&deps, &orders](RouteContext& ctx) {
                auto o = deps.storage.GetOrder(Scope(ctx), ctx.params["id"]);
                if (!o.ok()) return ErrorResponse(o.status(), ctx);
                return OrderResponse(200, orders, *o, ctx);
              }});

  router.Add({"PUT", "/api/v1/orders/{id}/application", Access::kAuthenticated,
              "Complete (or save a draft of) the application", "orders", "Application", "Order",
              200, false, [&orders](RouteContext& ctx) {
                auto body = ParseJsonObject(ctx.request, ra::OrderService::ApplicationFields());
                if (!body.ok()) return ErrorResponse(body.status(), ctx);
                auto o = orders.PutApplication(ctx.principal->account_id, ctx.params["id"],
                                               body->dump(), ActorFor(ctx));
                if (!o.ok()) return ErrorResponse(o.status(), ctx);
                return OrderResponse(200, orders, *o, ctx);
              }});

  auto action = [&](const char* path, const char* summary,
                    Result<sa::Order> (ra::OrderService::*method)(
                        const std::string&, const std::string&, const sa::Actor&)) {
    router.Add({"POST", path, Access::kAuthenticated, summary, "orders", "", "Order", 200, false,
                [&orders, method](RouteContext& ctx) {
                  auto o =
                      (orders.*method)(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
                  if (!o.ok()) return ErrorResponse(o.status(), ctx);
                  return OrderResponse(200, orders, *o, ctx);
                }});
  };
  action("/api/v1/orders/{id}/submit", "Submit: validation and review start",
         &ra::OrderService::Submit);
  action("/api/v1/orders/{id}/resubmit", "Resubmit after a failed review",
         &ra::OrderService::Resubmit);
  action("/api/v1/orders/{id}/cancel", "Cancel before issuance", &ra::OrderService::Cancel);
  action("/api/v1/orders/{id}/validations/check", "Check every pending domain now",
         &ra::OrderService::CheckValidations);
  router.Add({"POST", "/api/v1/orders/{id}/validations/{validation}/restart",
              Access::kAuthenticated,
              "Start an expired or failed validation of the order again (a new random value)",
              "orders", "", "Order", 200, false, [&orders](RouteContext& ctx) {
                auto o = orders.RestartValidation(ctx.principal->account_id, ctx.params["id"],
                                                  ctx.params["validation"], ActorFor(ctx));
                if (!o.ok()) return ErrorResponse(o.status(), ctx);
                return OrderResponse(200, orders, *o, ctx);
              }});

  router.Add({"POST", "/api/v1/orders/{id}/attachments", Access::kAuthenticated,
              "Upload a document (?kind=); the body is the JPG, PNG or PDF file", "orders", "",
              "Attachment", 201, false, [&orders](RouteContext& ctx) {
                auto a = orders.AddAttachment(ctx.principal->account_id, ctx.params["id"],
                                              ctx.request.Query("kind"), ctx.request.body,
                                              ActorFor(ctx));
                if (!a.ok()) return ErrorResponse(a.status(), ctx);
                return JsonResponse(201, {{"id", a->id},
                                          {"kind", a->kind},
                                          {"content_type", a->content_type},
                                          {"size", a->size},
                                          {"sha256", a->sha256_hex},
                                          {"uploaded_at", TimeJson(a->created_at)}});
              }});

  router.Add({"GET", "/api/v1/orders/{id}/attachments", Access::kAuthenticated,
              "The order's documents", "orders", "", "AttachmentList", 200, false,
              [&deps](RouteContext& ctx) {
                auto o = deps.storage.GetOrder(Scope(ctx), ctx.params["id"]);
                if (!o.ok()) return ErrorResponse(o.status(), ctx);
                auto list = deps.storage.ListAttachments(o->id);
                if (!list.ok()) return ErrorResponse(list.status(), ctx);
                nlohmann::json items = nlohmann::json::array();
                for (const auto& a : *list) {
                  items.push_back({{"id", a.id},
                                   {"kind", a.kind},
                                   {"content_type", a.content_type},
                                   {"size", a.size},
                                   {"sha256", a.sha256_hex},
                                   {"uploaded_at", TimeJson(a.created_at)}});
                }
                return JsonResponse(200, PageJson(std::move(items), ""));
              }});

  router.Add({"GET", "/api/v1/orders/{id}/attachments/{attachment}", Access::kAuthenticated,
              "A document's content (owner and reviewers only)", "orders", "", "", 200, false,
              [&orders](RouteContext& ctx) {
                std::string type;
                auto bytes = orders.AttachmentContent(Scope(ctx), ctx.params["id"],
                                                      ctx.params["attachment"], &type);
                if (!bytes.ok()) return ErrorResponse(bytes.status(), ctx);
                HttpResponse r;
                r.content_type = type;
                r.headers.emplace_back("Content-Disposition", "attachment");
                r.headers.emplace_back("X-Content-Type-Options", "nosniff");
                r.body = std::move(bytes).value();
                return r;
              }});

  router.Add({"GET", "/api/v1/orders/{id}/confirmation-letter-template", Access::kAuthenticated,
              "The confirmation letter to print, sign and stamp (HTML)", "orders", "", "", 200,
              false, [&orders](RouteContext& ctx) {
                auto html =
                    orders.ConfirmationLetterTemplate(ctx.principal->account_id, ctx.params["id"]);
                if (!html.ok()) return ErrorResponse(html.status(), ctx);
                HttpResponse r;
                r.content_type = "text/html; charset=utf-8";
                r.headers.emplace_back("Content-Disposition",
                                       "attachment; filename=\"confirmation-letter.html\"");
                r.body = std::move(html).value();
                return r;
              }});

  router.Add(
      {"GET", "/api/v1/review-queue", Access::kReviewer, "Orders awaiting a reviewer, oldest first",
       "review", "", "OrderList", 200, true, [&deps, &orders](RouteContext& ctx) {
         auto page = PageFromQuery(ctx.request);
         if (!page.ok()) return ErrorResponse(page.status(), ctx);
         auto list = deps.storage.ListOrders("",
                                             {.status = core::OrderStatus::kProcessing,
                                              .review_status = core::ReviewStatus::kCaReviewing},
                                             *page);
         if (!list.ok()) return ErrorResponse(list.status(), ctx);
         nlohmann::json items = nlohmann::json::array();
         for (auto it = list->items.rbegin(); it != list->items.rend(); ++it) {
           auto text = orders.OrderJson(*it);
           if (text.ok()) items.push_back(nlohmann::json::parse(*text));
         }
         return JsonResponse(200, PageJson(std::move(items), list->next_after));
       }});

  router.Add({"POST", "/api/v1/orders/{id}/review", Access::kReviewer,
              "Approve or reject (with a reason the applicant sees)", "review", "ReviewDecision",
              "Order", 200, false, [&orders](RouteContext& ctx) {
                auto body = ParseJsonObject(ctx.request, {"decision", "reason", "checks"});
                if (!body.ok()) return ErrorResponse(body.status(), ctx);
                auto decision = RequiredString(*body, "decision", 16);
                if (!decision.ok()) return ErrorResponse(decision.status(), ctx);
                auto reason = OptionalString(*body, "reason", 2000);
                if (!reason.ok()) return ErrorResponse(reason.status(), ctx);
                nlohmann::json checks = body->value("checks", nlohmann::json::object());
                if (!checks.is_object()) {
                  return ErrorResponse(MalformedError("'checks' must be an object such as "
                                                      "{\"phone_confirmed\": true}",
                                                      "invalid_field"),
                                       ctx);
                }
                auto o = orders.Review(ctx.params["id"], *decision, *reason, checks.dump(),
                                       ActorFor(ctx));
                if (!o.ok()) return ErrorResponse(o.status(), ctx);
                return OrderResponse(200, orders, *o, ctx);
              }});
}

}  // namespace signet::wfe

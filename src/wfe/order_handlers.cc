// Products, orders (the applicant's journey), the review queue, and issued certificates with
// their downloads.
#include "wfe/order_handlers.h"

#include "signet/ra/order_service.h"
#include "signet/ra/product_catalog.h"
#include "wfe/application_json.h"
#include "wfe/json_body.h"
#include "wfe/order_views.h"

namespace signet::wfe {

namespace {

nlohmann::json ProductJson(const ra::Product& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"type", ca::ProductTypeName(p.type)},
          {"coverage", p.coverage},
          {"max_domains", p.max_domains},
          {"issuer", p.issuer.empty() ? nlohmann::json() : nlohmann::json(p.issuer)},
          {"term_months", p.term_months},
          // The brand's CA, when it is not Signet's own (no key or EAB secret is shown).
          {"upstream",
           p.upstream ? nlohmann::json{{"acme_directory", p.upstream->acme_directory},
                                       {"profile", p.upstream->profile},
                                       {"external_account_binding", !p.upstream->eab_kid.empty()}}
                      : nlohmann::json()}};
}

bool IsStaff(const RouteContext& ctx) { return sa::IsStaff(ctx.principal->role); }

// Reviewers and admins see every account's orders; others only their own.
std::string Scope(const RouteContext& ctx) { return IsStaff(ctx) ? "" : ctx.principal->account_id; }

HttpResponse OrderResponse(int status, ra::OrderService& orders, const sa::Order& o,
                           const RouteContext& ctx) {
  auto view = orders.View(o);
  if (!view.ok()) return ErrorResponse(view.status(), ctx);
  return JsonResponse(status, OrderJson(*view));
}

}  // namespace

HttpResponse OrderHandlers::ListProducts(RouteContext&) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& p : products_.all()) items.push_back(ProductJson(p));
  return JsonResponse(200, PageJson(std::move(items), ""));
}

HttpResponse OrderHandlers::ListUpstreams(RouteContext& ctx) {
  auto checked = orders_.CheckUpstreams();
  if (!checked.ok()) return ErrorResponse(checked.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& h : *checked) {
    items.push_back(
        {{"acme_directory", h.acme_directory},
         {"products", h.products},
         {"reachable", h.reachable},
         {"error", h.error.empty() ? nlohmann::json() : nlohmann::json(h.error)},
         {"account_url", h.account_url.empty() ? nlohmann::json() : nlohmann::json(h.account_url)},
         {"external_account_required", h.external_account_required},
         {"renewal_info", h.renewal_info},
         {"profiles", h.profiles}});
  }
  return JsonResponse(200, PageJson(std::move(items), ""));
}

HttpResponse OrderHandlers::ListUpstreamEab(RouteContext& ctx) {
  auto list = orders_.ListUpstreamEab(ctx.principal->account_id);
  if (!list.ok()) return ErrorResponse(list.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : *list) {
    // The HMAC key is never shown again.
    items.push_back({{"product", c.product_id},
                     {"acme_directory", c.directory_url},
                     {"eab_kid", c.eab_kid},
                     {"created_at", TimeJson(c.created_at)}});
  }
  return JsonResponse(200, PageJson(std::move(items), ""));
}

HttpResponse OrderHandlers::PutUpstreamEab(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"eab_kid", "eab_hmac_key"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto kid = RequiredString(*body, "eab_kid", 200);
  if (!kid.ok()) return ErrorResponse(kid.status(), ctx);
  auto key = RequiredString(*body, "eab_hmac_key", 500);
  if (!key.ok()) return ErrorResponse(key.status(), ctx);
  Status s = orders_.SetUpstreamEab(ctx.principal->account_id, ctx.params["product"], *kid, *key,
                                    ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  return JsonResponse(200, {{"product", ctx.params["product"]}, {"eab_kid", *kid}});
}

HttpResponse OrderHandlers::DeleteUpstreamEab(RouteContext& ctx) {
  Status s =
      orders_.DeleteUpstreamEab(ctx.principal->account_id, ctx.params["product"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse OrderHandlers::Create(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"product"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto product = RequiredString(*body, "product", 64);
  if (!product.ok()) return ErrorResponse(product.status(), ctx);
  auto o = orders_.Create(ctx.principal->account_id, *product, ActorFor(ctx));
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  HttpResponse r = OrderResponse(201, orders_, *o, ctx);
  r.headers.emplace_back("Location", "/api/v1/orders/" + o->id);
  return r;
}

HttpResponse OrderHandlers::List(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  sa::OrderFilter filter;
  if (ctx.request.HasQuery("status")) {
    filter.status = core::ParseOrderStatus(ctx.request.Query("status"));
    if (!filter.status) {
      return ErrorResponse(MalformedError("status must be pending_information, processing, "
                                          "review_failed, issued or cancelled",
                                          "invalid_field"),
                           ctx);
    }
  }
  auto query = SearchQuery(ctx.request);
  if (!query.ok()) return ErrorResponse(query.status(), ctx);
  filter.query = *query;
  auto list = deps_.storage.ListOrders(ctx.principal->account_id, filter, *page);
  if (!list.ok()) return ErrorResponse(list.status(), ctx);
  std::string domain = ctx.request.Query("domain");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& o : list->items) {
    if (!domain.empty() && ("," + o.names + ",").find("," + domain + ",") == std::string::npos &&
        !(o.application.domains &&
          std::find(o.application.domains->begin(), o.application.domains->end(), domain) !=
              o.application.domains->end())) {
      continue;
    }
    auto view = orders_.View(o);
    if (view.ok()) items.push_back(OrderJson(*view));
  }
  return JsonResponse(200, PageJson(std::move(items), list->next_after));
}

HttpResponse OrderHandlers::Merge(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"order_ids"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  std::vector<std::string> ids;
  const auto& list = body->value("order_ids", nlohmann::json());
  if (!list.is_array()) {
    return ErrorResponse(
        MalformedError("'order_ids' must be an array of order ids", "invalid_field"), ctx);
  }
  for (const auto& id : list) {
    if (!id.is_string()) {
      return ErrorResponse(MalformedError("'order_ids' must contain strings", "invalid_field"),
                           ctx);
    }
    ids.push_back(id.get<std::string>());
  }
  auto o = orders_.Merge(ctx.principal->account_id, ids, ActorFor(ctx));
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  return OrderResponse(200, orders_, *o, ctx);
}

HttpResponse OrderHandlers::Get(RouteContext& ctx) {
  auto o = deps_.storage.GetOrder(Scope(ctx), ctx.params["id"]);
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  return OrderResponse(200, orders_, *o, ctx);
}

HttpResponse OrderHandlers::PutApplication(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, ApplicationFieldNames());
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto application = ApplicationFromJson(*body);
  if (!application.ok()) return ErrorResponse(application.status(), ctx);
  auto o = orders_.PutApplication(ctx.principal->account_id, ctx.params["id"], *application,
                                  ActorFor(ctx));
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  return OrderResponse(200, orders_, *o, ctx);
}

HttpResponse OrderHandlers::Submit(RouteContext& ctx) {
  return Action(ctx, &ra::OrderService::Submit);
}

HttpResponse OrderHandlers::Resubmit(RouteContext& ctx) {
  return Action(ctx, &ra::OrderService::Resubmit);
}

HttpResponse OrderHandlers::Cancel(RouteContext& ctx) {
  return Action(ctx, &ra::OrderService::Cancel);
}

HttpResponse OrderHandlers::CheckValidations(RouteContext& ctx) {
  return Action(ctx, &ra::OrderService::CheckValidations);
}

HttpResponse OrderHandlers::Action(RouteContext& ctx, OrderAction method) {
  auto o = (orders_.*method)(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  return OrderResponse(200, orders_, *o, ctx);
}

HttpResponse OrderHandlers::RestartValidation(RouteContext& ctx) {
  auto o = orders_.RestartValidation(ctx.principal->account_id, ctx.params["id"],
                                     ctx.params["validation"], ActorFor(ctx));
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  return OrderResponse(200, orders_, *o, ctx);
}

HttpResponse OrderHandlers::AddAttachment(RouteContext& ctx) {
  auto a = orders_.AddAttachment(ctx.principal->account_id, ctx.params["id"],
                                 ctx.request.Query("kind"), ctx.request.body, ActorFor(ctx));
  if (!a.ok()) return ErrorResponse(a.status(), ctx);
  return JsonResponse(201, {{"id", a->id},
                            {"kind", a->kind},
                            {"content_type", a->content_type},
                            {"size", a->size},
                            {"sha256", a->sha256_hex},
                            {"uploaded_at", TimeJson(a->created_at)}});
}

HttpResponse OrderHandlers::ListAttachments(RouteContext& ctx) {
  auto o = deps_.storage.GetOrder(Scope(ctx), ctx.params["id"]);
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  auto list = deps_.storage.ListAttachments(o->id);
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
}

HttpResponse OrderHandlers::Attachment(RouteContext& ctx) {
  std::string type;
  auto bytes =
      orders_.AttachmentContent(Scope(ctx), ctx.params["id"], ctx.params["attachment"], &type);
  if (!bytes.ok()) return ErrorResponse(bytes.status(), ctx);
  HttpResponse r;
  r.content_type = type;
  r.headers.emplace_back("Content-Disposition", "attachment");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.body = std::move(bytes).value();
  return r;
}

HttpResponse OrderHandlers::ConfirmationLetterTemplate(RouteContext& ctx) {
  auto order = deps_.storage.GetOrder(ctx.principal->account_id, ctx.params["id"]);
  if (!order.ok()) return ErrorResponse(order.status(), ctx);
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"confirmation-letter.html\"");
  r.body = ConfirmationLetterHtml(*order);
  return r;
}

HttpResponse OrderHandlers::ReviewQueue(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  auto list = deps_.storage.ListOrders(
      "",
      {.status = core::OrderStatus::kProcessing, .review_status = core::ReviewStatus::kCaReviewing},
      *page);
  if (!list.ok()) return ErrorResponse(list.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (auto it = list->items.rbegin(); it != list->items.rend(); ++it) {
    auto view = orders_.View(*it);
    if (view.ok()) items.push_back(OrderJson(*view));
  }
  return JsonResponse(200, PageJson(std::move(items), list->next_after));
}

HttpResponse OrderHandlers::Review(RouteContext& ctx) {
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
  auto o = orders_.Review(ctx.params["id"], *decision, *reason, checks.dump(), ActorFor(ctx));
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  return OrderResponse(200, orders_, *o, ctx);
}

}  // namespace signet::wfe

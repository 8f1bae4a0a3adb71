// External account binding keys (RFC 8555 7.3.4) of the caller's account, and the operator's
// ARI renewal windows (RFC 9773).
#include "wfe/eab_key_handlers.h"

#include "signet/common/clock.h"
#include "signet/ra/acme_service.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

nlohmann::json EabKeyJson(const sa::EabKey& k) {
  return {{"id", k.id},
          {"key_id", k.key_id},
          {"name", k.name},
          {"created_at", TimeJson(k.created_at)},
          {"revoked_at", OptionalTimeJson(k.revoked_at)},
          {"acme_account",
           k.acme_account_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(k.acme_account_id)},
          {"organization_id",
           k.organization_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(k.organization_id)},
          {"administrator_id", k.administrator_id.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(k.administrator_id)}};
}

}  // namespace

HttpResponse EabKeyHandlers::List(RouteContext& ctx) {
  auto keys = service_.ListEabKeys(ctx.principal->account_id);
  if (!keys.ok()) return ErrorResponse(keys.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& k : *keys) items.push_back(EabKeyJson(k));
  return JsonResponse(200, {{"items", items}});
}

HttpResponse EabKeyHandlers::Create(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"name", "organization_id", "administrator_id"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto name = OptionalString(*body, "name", 100);
  if (!name.ok()) return ErrorResponse(name.status(), ctx);
  auto organization = OptionalString(*body, "organization_id", 100);
  if (!organization.ok()) return ErrorResponse(organization.status(), ctx);
  auto administrator = OptionalString(*body, "administrator_id", 100);
  if (!administrator.ok()) return ErrorResponse(administrator.status(), ctx);
  auto created = service_.CreateEabKey(ctx.principal->account_id, *name, *organization,
                                       *administrator, ActorFor(ctx));
  if (!created.ok()) return ErrorResponse(created.status(), ctx);
  nlohmann::json j = EabKeyJson(created->key);
  j["hmac_key"] = created->hmac_key;
  j["directory"] = deps_.public_url + "/acme/directory";
  HttpResponse r = JsonResponse(201, j);
  r.headers.emplace_back("Location", "/api/v1/eab-keys/" + created->key.id);
  return r;
}

HttpResponse EabKeyHandlers::Revoke(RouteContext& ctx) {
  Status s = service_.RevokeEabKey(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse EabKeyHandlers::SetRenewalWindow(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"start", "end", "explanation_url"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto start = RequiredString(*body, "start", 40);
  if (!start.ok()) return ErrorResponse(start.status(), ctx);
  auto end = RequiredString(*body, "end", 40);
  if (!end.ok()) return ErrorResponse(end.status(), ctx);
  auto url = OptionalString(*body, "explanation_url", 500);
  if (!url.ok()) return ErrorResponse(url.status(), ctx);
  auto from = ParseRfc3339(*start);
  auto to = ParseRfc3339(*end);
  if (!from || !to) {
    return ErrorResponse(MalformedError("'start' and 'end' are RFC 3339 times, "
                                        "e.g. 2026-12-01T00:00:00Z",
                                        "invalid_field"),
                         ctx);
  }
  Status s = service_.SetRenewalWindow(ctx.params["id"], *from, *to, *url, ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  return JsonResponse(
      200,
      {{"serial", ctx.params["id"]}, {"start", *start}, {"end", *end}, {"explanation_url", *url}});
}

}  // namespace signet::wfe

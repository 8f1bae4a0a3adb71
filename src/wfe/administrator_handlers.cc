// Saved administrators (the person the CA contacts about an application), reused across orders.
#include "wfe/administrator_handlers.h"

#include "signet/ra/contact_rules.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

nlohmann::json AdministratorJson(const sa::Administrator& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"position", a.position},
          {"phone", a.phone},
          {"email", a.email},
          {"created_at", TimeJson(a.created_at)},
          {"updated_at", TimeJson(a.updated_at)}};
}

const std::set<std::string> kFields = {"name", "position", "phone", "email"};

Result<sa::Administrator> AdministratorFromJson(const nlohmann::json& body) {
  sa::Administrator a;
  SIGNET_ASSIGN_OR_RETURN(a.name, RequiredString(body, "name", 100));
  SIGNET_ASSIGN_OR_RETURN(a.position, OptionalString(body, "position", 100));
  SIGNET_ASSIGN_OR_RETURN(a.phone, RequiredString(body, "phone", 32));
  SIGNET_ASSIGN_OR_RETURN(a.email, RequiredString(body, "email", 254));
  for (char& c : a.email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!ra::ValidPhone(a.phone)) {
    return MalformedError(
        "'phone' must be a phone number of 6 to 20 digits (+, -, spaces and "
        "parentheses allowed)",
        "invalid_field");
  }
  if (!ra::ValidEmail(a.email)) {
    return MalformedError("'email' must be an email address such as it@example.com",
                          "invalid_field");
  }
  return a;
}

}  // namespace

HttpResponse AdministratorHandlers::List(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  auto list = deps_.storage.ListAdministrators(ctx.principal->account_id, *page);
  if (!list.ok()) return ErrorResponse(list.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : list->items) items.push_back(AdministratorJson(a));
  return JsonResponse(200, PageJson(std::move(items), list->next_after));
}

HttpResponse AdministratorHandlers::Create(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, kFields);
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto a = AdministratorFromJson(*body);
  if (!a.ok()) return ErrorResponse(a.status(), ctx);
  a->account_id = ctx.principal->account_id;
  auto created = deps_.parties.AddAdministrator(*a, ActorFor(ctx));
  if (!created.ok()) return ErrorResponse(created.status(), ctx);
  HttpResponse r = JsonResponse(201, AdministratorJson(*created));
  r.headers.emplace_back("Location", "/api/v1/administrators/" + created->id);
  return r;
}

HttpResponse AdministratorHandlers::Get(RouteContext& ctx) {
  auto a = deps_.storage.GetAdministrator(ctx.principal->account_id, ctx.params["id"]);
  if (!a.ok()) return ErrorResponse(a.status(), ctx);
  return JsonResponse(200, AdministratorJson(*a));
}

HttpResponse AdministratorHandlers::Replace(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, kFields);
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto a = AdministratorFromJson(*body);
  if (!a.ok()) return ErrorResponse(a.status(), ctx);
  a->id = ctx.params["id"];
  a->account_id = ctx.principal->account_id;
  auto updated = deps_.parties.ReplaceAdministrator(*a, ActorFor(ctx));
  if (!updated.ok()) return ErrorResponse(updated.status(), ctx);
  return JsonResponse(200, AdministratorJson(*updated));
}

HttpResponse AdministratorHandlers::Delete(RouteContext& ctx) {
  Status s =
      deps_.parties.RemoveAdministrator(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace signet::wfe

// Saved organization profiles (the applicant's company details), reused across OV/EV orders.
#include "wfe/organization_handlers.h"

#include <cctype>

#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

nlohmann::json OrganizationJson(const sa::Organization& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"department", o.department},
          {"country", o.country},
          {"province", o.province},
          {"city", o.city},
          {"address", o.address},
          {"phone", o.phone},
          {"created_at", TimeJson(o.created_at)},
          {"updated_at", TimeJson(o.updated_at)}};
}

const std::set<std::string> kOrganizationFields = {"name", "department", "country", "province",
                                                   "city", "address",    "phone"};

// Reads and checks the fields of an organization; errors name the field and the fix.
Result<sa::Organization> OrganizationFromJson(const nlohmann::json& body) {
  sa::Organization o;
  SIGNET_ASSIGN_OR_RETURN(o.name, RequiredString(body, "name", 200));
  SIGNET_ASSIGN_OR_RETURN(o.department, OptionalString(body, "department", 200));
  SIGNET_ASSIGN_OR_RETURN(o.country, OptionalString(body, "country", 2));
  SIGNET_ASSIGN_OR_RETURN(o.province, OptionalString(body, "province", 128));
  SIGNET_ASSIGN_OR_RETURN(o.city, OptionalString(body, "city", 128));
  SIGNET_ASSIGN_OR_RETURN(o.address, OptionalString(body, "address", 400));
  SIGNET_ASSIGN_OR_RETURN(o.phone, OptionalString(body, "phone", 32));
  for (char& c : o.country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!o.country.empty() &&
      (o.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(o.country[0])) ||
       !std::isalpha(static_cast<unsigned char>(o.country[1])))) {
    return MalformedError("'country' must be a two-letter ISO 3166 code such as CN or US",
                          "invalid_field");
  }
  for (char c : o.phone) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != ' ' &&
        c != '(' && c != ')') {
      return MalformedError("'phone' may contain digits, spaces and + - ( ) only", "invalid_field");
    }
  }
  return o;
}

HttpResponse NoContent() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace

HttpResponse OrganizationHandlers::List(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  auto orgs = deps_.storage.ListOrganizations(ctx.principal->account_id, *page);
  if (!orgs.ok()) return ErrorResponse(orgs.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& o : orgs->items) items.push_back(OrganizationJson(o));
  return JsonResponse(200, PageJson(std::move(items), orgs->next_after));
}

HttpResponse OrganizationHandlers::Create(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, kOrganizationFields);
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto org = OrganizationFromJson(*body);
  if (!org.ok()) return ErrorResponse(org.status(), ctx);
  org->account_id = ctx.principal->account_id;
  auto created = deps_.parties.AddOrganization(*org, ActorFor(ctx));
  if (!created.ok()) return ErrorResponse(created.status(), ctx);
  HttpResponse r = JsonResponse(201, OrganizationJson(*created));
  r.headers.emplace_back("Location", "/api/v1/organizations/" + created->id);
  return r;
}

HttpResponse OrganizationHandlers::Get(RouteContext& ctx) {
  auto org = deps_.storage.GetOrganization(ctx.principal->account_id, ctx.params["id"]);
  if (!org.ok()) return ErrorResponse(org.status(), ctx);
  return JsonResponse(200, OrganizationJson(*org));
}

HttpResponse OrganizationHandlers::Replace(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, kOrganizationFields);
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto org = OrganizationFromJson(*body);
  if (!org.ok()) return ErrorResponse(org.status(), ctx);
  org->id = ctx.params["id"];
  org->account_id = ctx.principal->account_id;
  auto updated = deps_.parties.ReplaceOrganization(*org, ActorFor(ctx));
  if (!updated.ok()) return ErrorResponse(updated.status(), ctx);
  return JsonResponse(200, OrganizationJson(*updated));
}

HttpResponse OrganizationHandlers::Delete(RouteContext& ctx) {
  Status s =
      deps_.parties.RemoveOrganization(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  return NoContent();
}

}  // namespace signet::wfe

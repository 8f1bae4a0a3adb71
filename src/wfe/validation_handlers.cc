// Domain-control validation over REST (/api/v1/domain-validations, /api/v1/domains) and the
// public email approval page (/dcv/email/{token}) that the validation email links to.
#include "wfe/validation_handlers.h"

#include "signet/ra/domain_validation_service.h"
#include "signet/va/domain_name.h"
#include "wfe/json_body.h"
#include "wfe/order_views.h"

namespace signet::wfe {

namespace {

const std::set<std::string> kValidationFields = {"domain", "method", "dns_auto", "email"};
const std::set<std::string> kDnsAutoFields = {"server", "zone", "key_name", "algorithm", "secret"};

HttpResponse ValidationResponse(int status, ra::DomainValidationService& service,
                                const sa::DomainValidation& v) {
  return JsonResponse(status, ValidationJson(service.View(v)));
}

Result<ra::NewValidation> NewValidationFromJson(const nlohmann::json& body) {
  ra::NewValidation in;
  SIGNET_ASSIGN_OR_RETURN(in.domain, RequiredString(body, "domain", 1024));
  SIGNET_ASSIGN_OR_RETURN(in.method, RequiredString(body, "method", 32));
  SIGNET_ASSIGN_OR_RETURN(in.email, OptionalString(body, "email", 320));
  if (body.contains("dns_auto")) {
    const nlohmann::json& a = body["dns_auto"];
    if (!a.is_object()) {
      return MalformedError(
          "'dns_auto' must be an object {server, zone, key_name, algorithm, "
          "secret}",
          "invalid_field");
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (kDnsAutoFields.count(it.key()) == 0) {
        return MalformedError("unknown field 'dns_auto." + it.key() +
                                  "'; allowed: server, zone, key_name, algorithm, secret",
                              "unknown_field");
      }
    }
    ra::DnsAutoInput d;
    SIGNET_ASSIGN_OR_RETURN(d.server, RequiredString(a, "server", 100));
    SIGNET_ASSIGN_OR_RETURN(d.zone, RequiredString(a, "zone", 253));
    SIGNET_ASSIGN_OR_RETURN(d.key_name, RequiredString(a, "key_name", 253));
    SIGNET_ASSIGN_OR_RETURN(std::string algorithm, OptionalString(a, "algorithm", 32));
    if (!algorithm.empty()) d.algorithm = algorithm;
    SIGNET_ASSIGN_OR_RETURN(d.secret, RequiredString(a, "secret", 200));
    in.dns_auto = d;
  }
  return in;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

HttpResponse HtmlPage(int status, const std::string& title, const std::string& body_html) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + HtmlEscape(title) +
           "</title><style>body{font-family:sans-serif;max-width:40em;margin:3em auto}</style>"
           "</head><body><h1>" +
           HtmlEscape(title) + "</h1>" + body_html + "</body></html>";
  return r;
}

}  // namespace

HttpResponse ValidationHandlers::Create(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, kValidationFields);
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto input = NewValidationFromJson(*body);
  if (!input.ok()) return ErrorResponse(input.status(), ctx);
  auto created = service_.Create(ctx.principal->account_id, *input, ActorFor(ctx));
  if (!created.ok()) return ErrorResponse(created.status(), ctx);
  HttpResponse r = ValidationResponse(201, service_, *created);
  r.headers.emplace_back("Location", "/api/v1/domain-validations/" + created->id);
  return r;
}

HttpResponse ValidationHandlers::List(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  auto list = deps_.storage.ListDomainValidations(ctx.principal->account_id,
                                                  ctx.request.Query("domain"), *page);
  if (!list.ok()) return ErrorResponse(list.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& v : list->items) {
    items.push_back(ValidationJson(service_.View(v)));
  }
  return JsonResponse(200, PageJson(std::move(items), list->next_after));
}

HttpResponse ValidationHandlers::Get(RouteContext& ctx) {
  auto v = deps_.storage.GetDomainValidation(ctx.principal->account_id, ctx.params["id"]);
  if (!v.ok()) return ErrorResponse(v.status(), ctx);
  return ValidationResponse(200, service_, *v);
}

HttpResponse ValidationHandlers::Check(RouteContext& ctx) {
  auto v = service_.CheckNow(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!v.ok()) return ErrorResponse(v.status(), ctx);
  return ValidationResponse(200, service_, *v);
}

HttpResponse ValidationHandlers::Attempts(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  auto v = deps_.storage.GetDomainValidation(ctx.principal->account_id, ctx.params["id"]);
  if (!v.ok()) return ErrorResponse(v.status(), ctx);
  auto list = deps_.storage.ListValidationAttempts(ctx.principal->account_id, v->id, *page);
  if (!list.ok()) return ErrorResponse(list.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : list->items) {
    items.push_back({{"id", a.id},
                     {"at", TimeJson(a.at)},
                     {"method", a.method},
                     {"br_method", a.br_method},
                     {"valid", a.valid},
                     {"seen", a.seen},
                     {"reason", a.reason},
                     {"error", a.error},
                     {"perspectives", AttemptEvidenceJson(a.perspectives)}});
  }
  return JsonResponse(200, PageJson(std::move(items), list->next_after));
}

HttpResponse ValidationHandlers::Domains(RouteContext& ctx) {
  auto list = service_.ListPrevalidated(ctx.principal->account_id);
  if (!list.ok()) return ErrorResponse(list.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& d : *list) {
    items.push_back({{"domain", d.domain},
                     {"method", d.method},
                     {"validation_id", d.validation_id},
                     {"validated_at", TimeJson(d.validated_at)},
                     {"valid_until", TimeJson(d.valid_until)},
                     {"covers_subdomains", d.covers_subdomains}});
  }
  return JsonResponse(200, PageJson(std::move(items), ""));
}

// The approval page. GET only shows what would be approved: mail scanners that fetch links
// must not approve anything. The form POSTs back to the same URL.
HttpResponse ValidationHandlers::EmailApprovalPage(RouteContext& ctx) {
  auto v = service_.LookUpEmailApproval(ctx.params["token"]);
  if (!v.ok()) {
    return HtmlPage(404, "Unknown link",
                    "<p>This approval link is not known. Use the link from the "
                    "most recent email.</p>");
  }
  if (v->status != core::ValidationStatus::kPending) {
    std::string status(core::Name(v->status));
    return HtmlPage(200, "Already " + status,
                    "<p>The request for <b>" + HtmlEscape(v->domain) + "</b> is already " +
                        HtmlEscape(status) + ".</p>");
  }
  return HtmlPage(200, "Approve a certificate request",
                  "<p>Approve that the applicant controls <b>" + HtmlEscape(v->domain) +
                      "</b> and may obtain a certificate for it? 是否批准？</p>"
                      "<form method=\"post\"><button type=\"submit\" "
                      "name=\"approve\" value=\"yes\">Approve / 批准</button>"
                      "</form>");
}

HttpResponse ValidationHandlers::ApproveEmail(RouteContext& ctx) {
  sa::Actor actor{"email-approval", "", ctx.request.remote_address, ctx.request.request_id};
  auto v = service_.ApproveEmail(ctx.params["token"], actor);
  if (!v.ok()) {
    int status = v.status().code() == ErrorCode::kNotFound ? 404 : 409;
    return HtmlPage(status, "Not approved", "<p>" + HtmlEscape(v.status().message()) + "</p>");
  }
  if (v->status != core::ValidationStatus::kValid) {
    return HtmlPage(409, "Not approved", "<p>" + HtmlEscape(v->last_error) + "</p>");
  }
  return HtmlPage(
      200, "Approved",
      "<p>Thank you. Control of <b>" + HtmlEscape(v->domain) + "</b> is confirmed. 已批准。</p>");
}

}  // namespace signet::wfe

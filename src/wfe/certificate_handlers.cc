// Certificates after issuance: list and search, one certificate, alias/project/reminders, hide,
// download, revoke, reissue, renew, upload (host) one issued elsewhere, and the account's
// reminder schedule.
#include "wfe/certificate_handlers.h"

#include "signet/ra/certificate_downloads.h"
#include "signet/ra/certificate_service.h"
#include "signet/ra/order_service.h"
#include "wfe/application_json.h"
#include "wfe/json_body.h"
#include "wfe/order_views.h"

namespace signet::wfe {

namespace {

nlohmann::json CertificateJson(const ra::CertificateInfo& c) {
  const sa::ManagedCertificate& m = c.managed;
  nlohmann::json names = nlohmann::json::array();
  size_t start = 0;
  while (start < m.names.size()) {
    size_t comma = m.names.find(',', start);
    names.push_back(m.names.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  nlohmann::json days = nlohmann::json::array();
  if (auto parsed = ra::ParseReminderDays(m.reminder_days); parsed.ok()) {
    for (int d : *parsed) days.push_back(d);
  }
  auto optional = [](const std::string& s) {
    return s.empty() ? nlohmann::json() : nlohmann::json(s);
  };
  return {{"id", m.id},
          {"source", core::Name(m.source)},
          {"hosted", m.source == core::CertificateSource::kUploaded},
          {"serial", m.serial_hex},
          {"names", names},
          {"issuer", m.issuer_name},
          {"status", core::Name(c.status)},
          {"not_before", TimeJson(m.not_before)},
          {"not_after", TimeJson(m.not_after)},
          {"revoked_at", OptionalTimeJson(c.revoked_at)},
          {"revocation_reason", optional(c.revocation_reason)},
          {"order_id", optional(m.order_id)},
          {"alias", optional(m.alias)},
          {"project", optional(m.project)},
          {"reminders_enabled", m.reminders_enabled},
          {"reminder_days", days.empty() ? nlohmann::json() : days},
          {"hidden", m.hidden},
          {"private_key_held", c.private_key_held},
          {"superseded_revocation_hours", c.superseded_revocation_hours},
          {"product", optional(c.product_id)},
          {"certificate", c.certificate_pem}};
}

Result<std::vector<int>> DaysFromJson(const nlohmann::json& value, const std::string& field) {
  if (!value.is_array()) {
    return MalformedError("'" + field + "' must be an array of days, e.g. [30, 15, 7, 3, 1]",
                          "invalid_field");
  }
  std::string text;
  for (const auto& d : value) {
    if (!d.is_number_integer()) {
      return MalformedError("'" + field + "' must contain whole numbers of days", "invalid_field");
    }
    text += (text.empty() ? "" : ",") + std::to_string(d.get<int>());
  }
  return ra::ParseReminderDays(text);
}

}  // namespace

HttpResponse CertificateHandlers::List(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  sa::CertificateFilter filter;
  filter.domain = ctx.request.Query("domain");
  filter.project = ctx.request.Query("project");
  filter.include_hidden = ctx.request.Query("include_hidden") == "true";
  auto query = SearchQuery(ctx.request);
  if (!query.ok()) return ErrorResponse(query.status(), ctx);
  filter.query = *query;
  std::string sort = ctx.request.Query("sort");
  if (sort == "not_after") {
    filter.sort = sa::CertificateSort::kExpiringFirst;
  } else if (sort == "-not_after") {
    filter.sort = sa::CertificateSort::kExpiringLast;
  } else if (!sort.empty()) {
    return ErrorResponse(
        MalformedError("sort must be not_after (soonest expiry first) or -not_after",
                       "invalid_query"),
        ctx);
  }
  std::string within = ctx.request.Query("expiring_within_days");
  if (!within.empty()) {
    int days = 0;
    try {
      days = std::stoi(within);
    } catch (const std::exception&) {
      days = -1;
    }
    if (days < 0 || days > 3650) {
      return ErrorResponse(
          MalformedError("expiring_within_days must be a number of days from 0 to 3650",
                         "invalid_query"),
          ctx);
    }
    filter.expiring_before = deps_.clock.Now() + std::chrono::hours(24 * days);
  }
  std::optional<core::CertificateStatus> status;
  if (ctx.request.HasQuery("status")) {
    status = core::ParseCertificateStatus(ctx.request.Query("status"));
    if (!status) {
      return ErrorResponse(
          MalformedError("status must be active, revoked or expired", "invalid_query"), ctx);
    }
  }
  auto list = certificates_.List(ctx.principal->account_id, filter, status, *page);
  if (!list.ok()) return ErrorResponse(list.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : list->items) items.push_back(CertificateJson(c));
  return JsonResponse(200, PageJson(std::move(items), list->next_after));
}

HttpResponse CertificateHandlers::Upload(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"certificate", "chain", "private_key",
                                            "private_key_password", "alias", "project"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  ra::UploadInput in;
  for (auto [field, target, max, required] :
       std::vector<std::tuple<const char*, std::string*, size_t, bool>>{
           {"certificate", &in.certificate_pem, 65536, true},
           {"chain", &in.chain_pem, 262144, false},
           {"private_key", &in.private_key_pem, 65536, false},
           {"private_key_password", &in.private_key_password, 1024, false},
           {"alias", &in.alias, 200, false},
           {"project", &in.project, 200, false}}) {
    auto value = required ? RequiredString(*body, field, max) : OptionalString(*body, field, max);
    if (!value.ok()) return ErrorResponse(value.status(), ctx);
    *target = *value;
  }
  auto c = certificates_.Upload(ctx.principal->account_id, in, ActorFor(ctx));
  if (!c.ok()) return ErrorResponse(c.status(), ctx);
  HttpResponse r = JsonResponse(201, CertificateJson(*c));
  r.headers.emplace_back("Location", "/api/v1/certificates/" + c->managed.id);
  return r;
}

HttpResponse CertificateHandlers::Get(RouteContext& ctx) {
  auto c = certificates_.Get(ctx.principal->account_id, ctx.params["id"]);
  if (!c.ok()) return ErrorResponse(c.status(), ctx);
  return JsonResponse(200, CertificateJson(*c));
}

HttpResponse CertificateHandlers::Patch(RouteContext& ctx) {
  auto body =
      ParseJsonObject(ctx.request, {"alias", "project", "reminders_enabled", "reminder_days"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  ra::CertificatePatch patch;
  if (body->contains("alias")) {
    auto v = OptionalString(*body, "alias", 200);
    if (!v.ok()) return ErrorResponse(v.status(), ctx);
    patch.alias = *v;
  }
  if (body->contains("project")) {
    auto v = OptionalString(*body, "project", 200);
    if (!v.ok()) return ErrorResponse(v.status(), ctx);
    patch.project = *v;
  }
  if (body->contains("reminders_enabled")) {
    if (!(*body)["reminders_enabled"].is_boolean()) {
      return ErrorResponse(
          MalformedError("'reminders_enabled' must be true or false", "invalid_field"), ctx);
    }
    patch.reminders_enabled = (*body)["reminders_enabled"].get<bool>();
  }
  if (body->contains("reminder_days")) {
    auto days = DaysFromJson((*body)["reminder_days"], "reminder_days");
    if (!days.ok()) return ErrorResponse(days.status(), ctx);
    patch.reminder_days = *days;
  }
  auto c = certificates_.Patch(ctx.principal->account_id, ctx.params["id"], patch, ActorFor(ctx));
  if (!c.ok()) return ErrorResponse(c.status(), ctx);
  return JsonResponse(200, CertificateJson(*c));
}

HttpResponse CertificateHandlers::Hide(RouteContext& ctx) {
  Status s = certificates_.Hide(ctx.principal->account_id, ctx.params["id"],
                                ctx.request.Query("force") == "true", ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse CertificateHandlers::Download(RouteContext& ctx) {
  std::string format = ctx.request.Query("format");
  if (format.empty()) format = "pem";
  auto result =
      downloads_.Download(ctx.principal->account_id, ctx.params["id"], format,
                          ctx.request.Query("password"), ctx.request.Query("legacy") == "true");
  if (!result.ok() && result.status().reason() == "no_private_key") {
    // A discovered certificate was never Signet's to hold a key for: say so, not "uploaded
    // without its key".
    auto c = certificates_.Get(ctx.principal->account_id, ctx.params["id"]);
    if (c.ok() && c->managed.source == core::CertificateSource::kDiscovered) {
      const std::string prefix = "discovered on ";
      const std::string& alias = c->managed.alias;
      std::string where = alias.rfind(prefix, 0) == 0 && alias.size() > prefix.size()
                              ? "discovered on '" + alias.substr(prefix.size()) + "'"
                              : "discovered on a server";
      return ErrorResponse(
          ConflictError("this certificate was " + where +
                            "; Signet has no key for it and did not issue it, so it cannot build "
                            "a bundle with a private key (" +
                            format + "); download pem or chain, or order a new certificate",
                        "not_managed"),
          ctx);
    }
  }
  if (!result.ok()) return ErrorResponse(result.status(), ctx);
  HttpResponse r;
  r.content_type = result->content_type;
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + result->filename + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  if (!result->password.empty()) {
    r.headers.emplace_back("X-Signet-Bundle-Password", result->password);
  }
  r.body = std::move(result->body);
  return r;
}

HttpResponse CertificateHandlers::Revoke(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"reason"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto reason = OptionalString(*body, "reason", 32);
  if (!reason.ok()) return ErrorResponse(reason.status(), ctx);
  auto c = certificates_.Revoke(ctx.principal->account_id, ctx.params["id"],
                                reason->empty() ? "unspecified" : *reason, ActorFor(ctx));
  if (!c.ok()) return ErrorResponse(c.status(), ctx);
  return JsonResponse(200, CertificateJson(*c));
}

HttpResponse CertificateHandlers::Reissue(RouteContext& ctx) {
  std::optional<core::KeyChoice> key;
  if (!ctx.request.body.empty()) {
    auto body = ParseJsonObject(ctx.request, {"key"});
    if (!body.ok()) return ErrorResponse(body.status(), ctx);
    if (body->contains("key")) {
      auto chosen = KeyChoiceFromJson((*body)["key"], "key");
      if (!chosen.ok()) return ErrorResponse(chosen.status(), ctx);
      key = *chosen;
    }
  }
  auto o = certificates_.Reissue(ctx.principal->account_id, ctx.params["id"], key, ActorFor(ctx));
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  auto view = orders_.View(*o);
  if (!view.ok()) return ErrorResponse(view.status(), ctx);
  return JsonResponse(201, OrderJson(*view));
}

HttpResponse CertificateHandlers::Renew(RouteContext& ctx) {
  auto o = certificates_.Renew(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!o.ok()) return ErrorResponse(o.status(), ctx);
  auto view = orders_.View(*o);
  if (!view.ok()) return ErrorResponse(view.status(), ctx);
  return JsonResponse(201, OrderJson(*view));
}

HttpResponse CertificateHandlers::ReminderSchedule(RouteContext& ctx) {
  auto days = certificates_.AccountReminderDays(ctx.principal->account_id);
  if (!days.ok()) return ErrorResponse(days.status(), ctx);
  return JsonResponse(200, {{"days", *days}});
}

HttpResponse CertificateHandlers::SetReminderSchedule(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"days"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto days = DaysFromJson(body->value("days", nlohmann::json()), "days");
  if (!days.ok()) return ErrorResponse(days.status(), ctx);
  Status s = certificates_.SetAccountReminderDays(ctx.principal->account_id, *days, ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  return JsonResponse(200, {{"days", *days}});
}

}  // namespace signet::wfe

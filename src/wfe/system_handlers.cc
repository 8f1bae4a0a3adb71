// Public operational endpoints (/healthz, /readyz, /metrics, the OpenAPI document) and the
// staff views of the audit log and the job queue.
#include "wfe/system_handlers.h"

#include <map>
#include <utility>

#include "signet/common/encoding.h"
#include "wfe/json_body.h"
#include "wfe/openapi.h"

namespace signet::wfe {

HttpResponse SystemHandlers::Healthz(RouteContext&) {
  return JsonResponse(200, {{"status", "ok"}});
}

HttpResponse SystemHandlers::Readyz(RouteContext&) {
  if (!deps_.ready.load()) {
    return JsonResponse(503, {{"status", "not ready"}, {"reason", "starting or stopping"}});
  }
  Status db = deps_.storage.Ping();
  if (!db.ok()) {
    return JsonResponse(503, {{"status", "not ready"}, {"reason", "database unreachable"}});
  }
  return JsonResponse(200, {{"status", "ready"}, {"database", deps_.storage.Backend()}});
}

HttpResponse SystemHandlers::Metrics(RouteContext&) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = deps_.metrics.Render();
  return r;
}

HttpResponse SystemHandlers::OpenApi(RouteContext&) {
  return JsonResponse(200, BuildOpenApi(deps_.router, deps_.public_url));
}

HttpResponse SystemHandlers::CrlShard(RouteContext& ctx) {
  const std::string& file = ctx.params["file"];
  size_t dot = file.find(".crl");
  std::string number = file.substr(0, dot);
  bool valid = dot != std::string::npos && dot + 4 == file.size() && !number.empty() &&
               number.size() <= 4 && number.find_first_not_of("0123456789") == std::string::npos;
  if (!valid) {
    return ErrorResponse(NotFoundError("CRLs are at /crl/<issuer>/<shard>.crl"), ctx);
  }
  auto crl = deps_.storage.GetCrl(ctx.params["issuer"], std::stoi(number));
  if (!crl.ok()) return ErrorResponse(crl.status(), ctx);
  auto der = Base64Decode(crl->der_base64);
  if (!der) return ErrorResponse(InternalError("stored CRL is unreadable"), ctx);
  HttpResponse r;
  r.content_type = "application/pkix-crl";
  r.body.assign(der->begin(), der->end());
  r.headers.emplace_back("Cache-Control", "public, max-age=300");
  return r;
}

HttpResponse SystemHandlers::AuditEvents(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  bool admin = ctx.principal->role == sa::Role::kAdmin;
  std::string account = admin ? ctx.request.Query("account_id") : ctx.principal->account_id;
  auto events = deps_.storage.ListAuditEvents(account, *page);
  if (!events.ok()) return ErrorResponse(events.status(), ctx);
  // The actor is shown as the REST user id (the membership's) in the event's
  // account, as /users and /session show it; the stored value (the person's id,
  // or system / admin-cli) is kept for actors without a membership there.
  std::map<std::pair<std::string, std::string>, std::string> shown;
  auto actor_of = [&](const sa::AuditEvent& e) -> const std::string& {
    auto [it, fresh] = shown.try_emplace({e.actor, e.account_id}, e.actor);
    if (fresh && e.actor.rfind("user_", 0) == 0 && !e.account_id.empty()) {
      auto m = deps_.storage.GetMembership(e.actor, e.account_id);
      if (m.ok()) it->second = m->id;
    }
    return it->second;
  };
  nlohmann::json items = nlohmann::json::array();
  for (const sa::AuditEvent& e : events->items) {
    nlohmann::json details = nlohmann::json::parse(e.details, nullptr, false);
    items.push_back({{"seq", e.seq},
                     {"at", TimeJson(e.at)},
                     {"actor", actor_of(e)},
                     {"account_id", e.account_id},
                     {"action", e.action},
                     {"target_type", e.target_type},
                     {"target_id", e.target_id},
                     {"source", e.source},
                     {"request_id", e.request_id},
                     {"details", details.is_discarded() ? nlohmann::json::object() : details},
                     {"hash", e.hash}});
  }
  return JsonResponse(200, PageJson(std::move(items), events->next_after));
}

HttpResponse SystemHandlers::Jobs(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  std::optional<sa::JobState> state;
  if (ctx.request.HasQuery("state")) {
    state = sa::ParseJobState(ctx.request.Query("state"));
    if (!state) {
      return ErrorResponse(
          MalformedError("state must be queued, running, done or failed", "invalid_field"), ctx);
    }
  }
  auto jobs = deps_.storage.ListJobs(state, *page);
  if (!jobs.ok()) return ErrorResponse(jobs.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const sa::Job& j : jobs->items) {
    items.push_back({{"id", j.id},
                     {"kind", j.kind},
                     {"state", sa::JobStateName(j.state)},
                     {"attempts", j.attempts},
                     {"max_attempts", j.max_attempts},
                     {"run_at", TimeJson(j.run_at)},
                     {"last_error", j.last_error},
                     {"created_at", TimeJson(j.created_at)},
                     {"updated_at", TimeJson(j.updated_at)}});
  }
  return JsonResponse(200, PageJson(std::move(items), jobs->next_after));
}

}  // namespace signet::wfe

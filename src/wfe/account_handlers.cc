// Sessions (console sign-in, switching account) and API keys. People and invitations are in
// user_handlers.cc.
#include "wfe/account_handlers.h"

#include <map>

#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

// `member_id` is the REST user id of the key's holder in the key's account (see sa::Membership).
nlohmann::json ApiKeyJson(const sa::ApiKey& k, const std::string& member_id) {
  return {{"id", k.id},
          {"name", k.name},
          {"prefix", k.prefix},
          {"user_id", member_id},
          {"created_at", TimeJson(k.created_at)},
          {"last_used_at", OptionalTimeJson(k.last_used_at)},
          {"revoked_at", OptionalTimeJson(k.revoked_at)}};
}

HttpResponse SessionResponse(HandlerDeps& deps, const accounts::Principal& p, int status,
                             const RouteContext& ctx) {
  auto user = deps.storage.GetUser(p.user_id);
  if (!user.ok()) return ErrorResponse(user.status(), ctx);
  auto account = deps.storage.GetAccount(p.account_id);
  if (!account.ok()) return ErrorResponse(account.status(), ctx);
  auto member = deps.storage.GetMembership(p.user_id, p.account_id);
  if (!member.ok()) return ErrorResponse(member.status(), ctx);
  auto choices = deps.accounts.AccountsOf(p.user_id);
  if (!choices.ok()) return ErrorResponse(choices.status(), ctx);
  nlohmann::json accounts = nlohmann::json::array();
  for (const accounts::AccountChoice& c : *choices) {
    accounts.push_back({{"id", c.account_id}, {"name", c.name}, {"role", sa::RoleName(c.role)}});
  }
  nlohmann::json body = {
      {"user",
       {{"id", member->id},
        {"email", user->email},
        {"role", sa::RoleName(p.role)},
        {"account_id", p.account_id},
        {"created_at", TimeJson(user->created_at)}}},
      {"account",
       {{"id", account->id},
        {"name", account->name},
        {"created_at", TimeJson(account->created_at)}}},
      {"accounts", std::move(accounts)},
      {"authenticated_by", p.via == accounts::Principal::Via::kApiKey ? "api_key" : "session"}};
  if (p.via == accounts::Principal::Via::kSession) body["csrf_token"] = p.csrf_token;
  return JsonResponse(status, body);
}

constexpr char kSessionCookie[] = "signet_session";

std::string SessionCookie(const HttpRequest& request) {
  const std::string& header = request.Header("cookie");
  size_t pos = header.find(std::string(kSessionCookie) + "=");
  if (pos == std::string::npos) return "";
  size_t start = pos + sizeof(kSessionCookie);
  return header.substr(start, header.find(';', start) - start);
}

}  // namespace

HttpResponse SignedInResponse(HandlerDeps& deps, const accounts::LoginResult& login,
                              const RouteContext& ctx) {
  HttpResponse r = SessionResponse(deps, login.principal, 200, ctx);
  auto max_age = std::chrono::duration_cast<std::chrono::seconds>(login.session.expires_at -
                                                                  login.session.created_at)
                     .count();
  r.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + login.session_token +
                                           "; Path=/; Max-Age=" + std::to_string(max_age) +
                                           "; Secure; HttpOnly; SameSite=Strict");
  return r;
}

HttpResponse SessionHandlers::SignIn(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"email", "password", "account_id"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto email = RequiredString(*body, "email", 254);
  if (!email.ok()) return ErrorResponse(email.status(), ctx);
  auto password = RequiredString(*body, "password", 1024);
  if (!password.ok()) return ErrorResponse(password.status(), ctx);
  auto account_id = OptionalString(*body, "account_id", 100);
  if (!account_id.ok()) return ErrorResponse(account_id.status(), ctx);
  auto login = deps_.accounts.Login(*email, *password, *account_id, ActorFor(ctx));
  if (!login.ok()) return ErrorResponse(login.status(), ctx);
  return SignedInResponse(deps_, *login, ctx);
}

HttpResponse SessionHandlers::SwitchAccount(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"account_id"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto account_id = RequiredString(*body, "account_id", 100);
  if (!account_id.ok()) return ErrorResponse(account_id.status(), ctx);
  if (ctx.principal->via != accounts::Principal::Via::kSession) {
    return ErrorResponse(MalformedError("an API key belongs to one account; create a key in the "
                                        "other account to act there",
                                        "api_key_account_fixed"),
                         ctx);
  }
  auto switched =
      deps_.accounts.SwitchAccount(SessionCookie(ctx.request), *account_id, ActorFor(ctx));
  if (!switched.ok()) return ErrorResponse(switched.status(), ctx);
  return SessionResponse(deps_, *switched, 200, ctx);
}

HttpResponse SessionHandlers::Current(RouteContext& ctx) {
  return SessionResponse(deps_, *ctx.principal, 200, ctx);
}

HttpResponse SessionHandlers::SignOut(RouteContext& ctx) {
  std::string cookie = SessionCookie(ctx.request);
  if (!cookie.empty()) {
    Status s = deps_.accounts.Logout(cookie, ActorFor(ctx));
    if (!s.ok()) return ErrorResponse(s, ctx);
  }
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  r.headers.emplace_back(
      "Set-Cookie",
      std::string(kSessionCookie) + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
  return r;
}

HttpResponse SessionHandlers::List(RouteContext& ctx) {
  auto sessions = deps_.accounts.ListSessions(ctx.principal->user_id, SessionCookie(ctx.request));
  if (!sessions.ok()) return ErrorResponse(sessions.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const accounts::SessionInfo& s : *sessions) {
    items.push_back({{"id", s.id},
                     {"created_at", TimeJson(s.session.created_at)},
                     {"expires_at", TimeJson(s.session.expires_at)},
                     {"remote_address", s.session.remote_address},
                     {"user_agent", s.session.user_agent},
                     {"current", s.current}});
  }
  return JsonResponse(200, PageJson(std::move(items), ""));
}

HttpResponse SessionHandlers::End(RouteContext& ctx) {
  Status s = deps_.accounts.EndSession(ctx.principal->user_id, ctx.params["id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse ApiKeyHandlers::List(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  bool all = ctx.principal->role == sa::Role::kOwner || ctx.principal->role == sa::Role::kAdmin;
  auto keys = deps_.storage.ListApiKeys(ctx.principal->account_id,
                                        all ? "" : ctx.principal->user_id, *page);
  if (!keys.ok()) return ErrorResponse(keys.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  std::map<std::string, std::string> member_ids;  // person id -> membership id
  for (const sa::ApiKey& k : keys->items) {
    auto [it, fresh] = member_ids.try_emplace(k.user_id);
    if (fresh) {
      auto m = deps_.storage.GetMembership(k.user_id, k.account_id);
      if (m.ok()) it->second = m->id;
    }
    items.push_back(ApiKeyJson(k, it->second));
  }
  return JsonResponse(200, PageJson(std::move(items), keys->next_after));
}

HttpResponse ApiKeyHandlers::Create(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"name"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto name = OptionalString(*body, "name", 100);
  if (!name.ok()) return ErrorResponse(name.status(), ctx);
  auto issued = deps_.accounts.CreateApiKey(ctx.principal->user_id, ctx.principal->account_id,
                                            *name, ActorFor(ctx));
  if (!issued.ok()) return ErrorResponse(issued.status(), ctx);
  auto member = deps_.storage.GetMembership(ctx.principal->user_id, ctx.principal->account_id);
  if (!member.ok()) return ErrorResponse(member.status(), ctx);
  nlohmann::json out = ApiKeyJson(issued->key, member->id);
  out["key"] = issued->secret;
  return JsonResponse(201, out);
}

HttpResponse ApiKeyHandlers::Revoke(RouteContext& ctx) {
  const std::string& id = ctx.params["id"];
  bool owner = ctx.principal->role == sa::Role::kOwner || ctx.principal->role == sa::Role::kAdmin;
  if (!owner) {
    auto keys =
        deps_.storage.ListApiKeys(ctx.principal->account_id, ctx.principal->user_id, {500, ""});
    if (!keys.ok()) return ErrorResponse(keys.status(), ctx);
    bool mine = std::any_of(keys->items.begin(), keys->items.end(),
                            [&](const sa::ApiKey& k) { return k.id == id; });
    if (!mine) return ErrorResponse(NotFoundError("no API key " + id + " of yours"), ctx);
  }
  Status s = deps_.accounts.RevokeApiKey(ctx.principal->account_id, id, ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace signet::wfe

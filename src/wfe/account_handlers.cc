// Sessions (console sign-in), users and API keys.
#include "wfe/handlers.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

nlohmann::json UserJson(const sa::User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"role", sa::RoleName(u.role)},
          {"account_id", u.account_id},
          {"created_at", TimeJson(u.created_at)}};
}

nlohmann::json ApiKeyJson(const sa::ApiKey& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"prefix", k.prefix},
          {"user_id", k.user_id},
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
  nlohmann::json body = {
      {"user", UserJson(*user)},
      {"account",
       {{"id", account->id},
        {"name", account->name},
        {"created_at", TimeJson(account->created_at)}}},
      {"authenticated_by", p.via == accounts::Principal::Via::kApiKey ? "api_key" : "session"}};
  if (p.via == accounts::Principal::Via::kSession) body["csrf_token"] = p.csrf_token;
  return JsonResponse(status, body);
}

constexpr char kSessionCookie[] = "signet_session";

}  // namespace

void RegisterAccountRoutes(Router& router, HandlerDeps& deps) {
  router.Add({"POST", "/api/v1/session", Access::kPublic,
              "Sign in with email and password; sets the session cookie", "accounts",
              "LoginRequest", "Session", 200, false, [&deps](RouteContext& ctx) {
                auto body = ParseJsonObject(ctx.request, {"email", "password"});
                if (!body.ok()) return ErrorResponse(body.status(), ctx);
                auto email = RequiredString(*body, "email", 254);
                if (!email.ok()) return ErrorResponse(email.status(), ctx);
                auto password = RequiredString(*body, "password", 1024);
                if (!password.ok()) return ErrorResponse(password.status(), ctx);
                auto login = deps.accounts.Login(*email, *password, ActorFor(ctx));
                if (!login.ok()) return ErrorResponse(login.status(), ctx);
                HttpResponse r = SessionResponse(deps, login->principal, 200, ctx);
                auto max_age = std::chrono::duration_cast<std::chrono::seconds>(
                                   login->session.expires_at - login->session.created_at)
                                   .count();
                r.headers.emplace_back("Set-Cookie",
                                       std::string(kSessionCookie) + "=" + login->session_token +
                                           "; Path=/; Max-Age=" + std::to_string(max_age) +
                                           "; Secure; HttpOnly; SameSite=Strict");
                return r;
              }});

  router.Add(
      {"GET", "/api/v1/session", Access::kAuthenticated, "Who am I: the caller's user and account",
       "accounts", "", "Session", 200, false,
       [&deps](RouteContext& ctx) { return SessionResponse(deps, *ctx.principal, 200, ctx); }});

  router.Add({"DELETE", "/api/v1/session", Access::kAuthenticated, "Sign out", "accounts", "", "",
              204, false, [&deps](RouteContext& ctx) {
                std::string cookie;
                const std::string& header = ctx.request.Header("cookie");
                size_t pos = header.find(std::string(kSessionCookie) + "=");
                if (pos != std::string::npos) {
                  size_t start = pos + sizeof(kSessionCookie);
                  cookie = header.substr(start, header.find(';', start) - start);
                }
                if (!cookie.empty()) {
                  Status s = deps.accounts.Logout(cookie, ActorFor(ctx));
                  if (!s.ok()) return ErrorResponse(s, ctx);
                }
                HttpResponse r;
                r.status = 204;
                r.content_type.clear();
                r.headers.emplace_back(
                    "Set-Cookie", std::string(kSessionCookie) +
                                      "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
                return r;
              }});

  router.Add({"GET", "/api/v1/users", Access::kOwner,
              "Users of the account (all accounts for admins)", "accounts", "", "UserList", 200,
              true, [&deps](RouteContext& ctx) {
                auto page = PageFromQuery(ctx.request);
                if (!page.ok()) return ErrorResponse(page.status(), ctx);
                bool admin = ctx.principal->role == sa::Role::kAdmin;
                auto users = deps.storage.ListUsers(
                    admin ? ctx.request.Query("account_id") : ctx.principal->account_id, *page);
                if (!users.ok()) return ErrorResponse(users.status(), ctx);
                nlohmann::json items = nlohmann::json::array();
                for (const sa::User& u : users->items) items.push_back(UserJson(u));
                return JsonResponse(200, PageJson(std::move(items), users->next_after));
              }});

  router.Add(
      {"POST", "/api/v1/users", Access::kOwner,
       "Add a user: owners add owners and members to their account; admins add anyone", "accounts",
       "NewUser", "User", 201, false, [&deps](RouteContext& ctx) {
         auto body = ParseJsonObject(ctx.request, {"email", "role", "password", "account"});
         if (!body.ok()) return ErrorResponse(body.status(), ctx);
         auto email = RequiredString(*body, "email", 254);
         if (!email.ok()) return ErrorResponse(email.status(), ctx);
         auto role = RequiredString(*body, "role", 20);
         if (!role.ok()) return ErrorResponse(role.status(), ctx);
         auto password = OptionalString(*body, "password", 1024);
         if (!password.ok()) return ErrorResponse(password.status(), ctx);
         auto account = OptionalString(*body, "account", 100);
         if (!account.ok()) return ErrorResponse(account.status(), ctx);
         std::string account_name;
         if (ctx.principal->role == sa::Role::kAdmin) {
           account_name = *account;
         } else {
           if (*role != "owner" && *role != "member") {
             return ErrorResponse(ForbiddenError("owners may add owners and members only"), ctx);
           }
           if (!account->empty()) {
             return ErrorResponse(
                 ForbiddenError("owners add users to their own account; omit 'account'"), ctx);
           }
           auto own = deps.storage.GetAccount(ctx.principal->account_id);
           if (!own.ok()) return ErrorResponse(own.status(), ctx);
           account_name = own->name;
         }
         auto user =
             deps.accounts.CreateUser(*email, *role, account_name, *password, ActorFor(ctx));
         if (!user.ok() && user.status().reason() == "already_exists" &&
             ctx.principal->role != sa::Role::kAdmin) {
           // Email addresses are unique across accounts. An owner gets the same answer whether
           // the address is a user of their own account or of another, so nothing about other
           // accounts (not even which account holds it) can be learned here.
           return ErrorResponse(
               ConflictError("this email address cannot be used for a new user: if it is one of "
                             "your users already, find it in GET /api/v1/users; otherwise ask "
                             "the person for another address",
                             "email_unavailable"),
               ctx);
         }
         if (!user.ok()) return ErrorResponse(user.status(), ctx);
         return JsonResponse(201, UserJson(*user));
       }});

  router.Add({"GET", "/api/v1/api-keys", Access::kAuthenticated,
              "API keys: owners see the account's, members their own", "accounts", "", "ApiKeyList",
              200, true, [&deps](RouteContext& ctx) {
                auto page = PageFromQuery(ctx.request);
                if (!page.ok()) return ErrorResponse(page.status(), ctx);
                bool all = ctx.principal->role == sa::Role::kOwner ||
                           ctx.principal->role == sa::Role::kAdmin;
                auto keys = deps.storage.ListApiKeys(ctx.principal->account_id,
                                                     all ? "" : ctx.principal->user_id, *page);
                if (!keys.ok()) return ErrorResponse(keys.status(), ctx);
                nlohmann::json items = nlohmann::json::array();
                for (const sa::ApiKey& k : keys->items) items.push_back(ApiKeyJson(k));
                return JsonResponse(200, PageJson(std::move(items), keys->next_after));
              }});

  router.Add({"POST", "/api/v1/api-keys", Access::kAuthenticated,
              "Create an API key for yourself; the key is in this response only", "accounts",
              "NewApiKey", "ApiKey", 201, false, [&deps](RouteContext& ctx) {
                auto body = ParseJsonObject(ctx.request, {"name"});
                if (!body.ok()) return ErrorResponse(body.status(), ctx);
                auto name = OptionalString(*body, "name", 100);
                if (!name.ok()) return ErrorResponse(name.status(), ctx);
                auto issued =
                    deps.accounts.CreateApiKey(ctx.principal->user_id, *name, ActorFor(ctx));
                if (!issued.ok()) return ErrorResponse(issued.status(), ctx);
                nlohmann::json out = ApiKeyJson(issued->key);
                out["key"] = issued->secret;
                return JsonResponse(201, out);
              }});

  router.Add({"DELETE", "/api/v1/api-keys/{id}", Access::kAuthenticated,
              "Revoke an API key (members: their own only)", "accounts", "", "", 204, false,
              [&deps](RouteContext& ctx) {
                const std::string& id = ctx.params["id"];
                bool owner = ctx.principal->role == sa::Role::kOwner ||
                             ctx.principal->role == sa::Role::kAdmin;
                if (!owner) {
                  auto keys = deps.storage.ListApiKeys(ctx.principal->account_id,
                                                       ctx.principal->user_id, {500, ""});
                  if (!keys.ok()) return ErrorResponse(keys.status(), ctx);
                  bool mine = std::any_of(keys->items.begin(), keys->items.end(),
                                          [&](const sa::ApiKey& k) { return k.id == id; });
                  if (!mine)
                    return ErrorResponse(NotFoundError("no API key " + id + " of yours"), ctx);
                }
                Status s = deps.storage.RevokeApiKey(ctx.principal->account_id, id, ActorFor(ctx));
                if (!s.ok()) return ErrorResponse(s, ctx);
                HttpResponse r;
                r.status = 204;
                r.content_type.clear();
                return r;
              }});
}

}  // namespace signet::wfe

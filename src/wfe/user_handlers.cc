// People of an account (memberships), invitations and their acceptance.
//
// Owners manage their own account's owners and members; admins manage any account (the account
// by ?account_id= or, when adding, by name). Owners only invite: the answer to inviting an
// address is the same whether or not it already signs in to Signet somewhere, and the link
// goes to that address only, so nothing about other accounts can be learned here.
#include "wfe/user_handlers.h"

#include "signet/common/clock.h"
#include "signet/notify/notifier.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

nlohmann::json MemberJson(const sa::Membership& m) {
  nlohmann::json j = {{"id", m.id},
                      {"email", m.email},
                      {"role", sa::RoleName(m.role)},
                      {"status", sa::MembershipStatusName(m.status)},
                      {"account_id", m.account_id},
                      {"created_at", TimeJson(m.created_at)}};
  // null for an invitation never accepted (open or withdrawn)
  j["accepted_at"] = OptionalTimeJson(m.accepted_at);
  j["invitation_expires_at"] = m.status == sa::MembershipStatus::kInvited
                                   ? OptionalTimeJson(m.invitation_expires_at)
                                   : nlohmann::json();
  return j;
}

bool IsAdmin(const RouteContext& ctx) { return ctx.principal->role == sa::Role::kAdmin; }

// The account a request manages: the caller's own, or for admins ?account_id= when given.
std::string ManagedAccount(const RouteContext& ctx) {
  std::string requested = ctx.request.Query("account_id");
  if (IsAdmin(ctx) && !requested.empty()) return requested;
  return ctx.principal->account_id;
}

Result<sa::Role> AssignableRole(const RouteContext& ctx, const std::string& name) {
  auto role = sa::ParseRole(name);
  if (!role) {
    return MalformedError("role must be one of owner, member, reviewer, admin; got '" + name + "'",
                          "invalid_role");
  }
  if (!IsAdmin(ctx) && *role != sa::Role::kOwner && *role != sa::Role::kMember) {
    return ForbiddenError("owners may give the roles owner and member only");
  }
  return *role;
}

std::string InvitationUrl(const HandlerDeps& deps, const std::string& token) {
  // The token rides in the fragment, which browsers never send to the server, so it stays out
  // of access logs and proxies.
  return deps.public_url + "/invitation#" + token;
}

Status SendInvitation(HandlerDeps& deps, notify::Notifier* notifier, const RouteContext& ctx,
                      const accounts::Invitation& inv) {
  auto account = deps.storage.GetAccount(inv.member.account_id);
  if (!account.ok()) return account.status();
  std::string text =
      ctx.principal->email + " invited you to work as " + sa::RoleName(inv.member.role) +
      " in the account \"" + account->name + "\" on Signet, the certificate service.\n\n" +
      "Open this link to accept (it works once, until " +
      FormatRfc3339(*inv.member.invitation_expires_at) + "):\n" + InvitationUrl(deps, inv.token) +
      "\n\nIf you already sign in to Signet with this address, accept with your password; "
      "otherwise you choose one there.\nIf you did not expect this, ignore this message.\n";
  return notifier->SendPrivateEmail(inv.member.email,
                                    "Invitation to " + account->name + " on Signet", text);
}

Status EmailCheck(notify::Notifier* notifier, const RouteContext& ctx) {
  if (notifier != nullptr && notifier->CanEmail()) return Status::Ok();
  if (IsAdmin(ctx)) return Status::Ok();  // admins get the link in the answer
  return Status::Error(ErrorCode::kUnavailable, "smtp_not_configured",
                       "invitations are sent by email and no SMTP server is configured "
                       "(smtp.url); ask the operator to configure one, or an admin to invite");
}

// The answer to an invitation: the membership, and for admins the link itself.
HttpResponse InvitationResponse(HandlerDeps& deps, notify::Notifier* notifier,
                                const RouteContext& ctx, const accounts::Invitation& inv,
                                int status) {
  nlohmann::json out = MemberJson(inv.member);
  bool emailed = notifier != nullptr && notifier->CanEmail();
  if (emailed) {
    Status sent = SendInvitation(deps, notifier, ctx, inv);
    if (!sent.ok()) return ErrorResponse(sent, ctx);
  }
  out["invitation_emailed"] = emailed;
  if (IsAdmin(ctx)) out["invitation_url"] = InvitationUrl(deps, inv.token);
  return JsonResponse(status, out);
}

}  // namespace

HttpResponse UserHandlers::List(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  std::string account = ManagedAccount(ctx);
  if (IsAdmin(ctx) && ctx.request.Query("account_id") == "*") account.clear();
  auto members = deps_.storage.ListMembers(account, *page);
  if (!members.ok()) return ErrorResponse(members.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const sa::Membership& m : members->items) items.push_back(MemberJson(m));
  return JsonResponse(200, PageJson(std::move(items), members->next_after));
}

HttpResponse UserHandlers::Add(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"email", "role", "password", "account"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto email = RequiredString(*body, "email", 254);
  if (!email.ok()) return ErrorResponse(email.status(), ctx);
  auto role_name = RequiredString(*body, "role", 20);
  if (!role_name.ok()) return ErrorResponse(role_name.status(), ctx);
  auto password = OptionalString(*body, "password", 1024);
  if (!password.ok()) return ErrorResponse(password.status(), ctx);
  auto account = OptionalString(*body, "account", 100);
  if (!account.ok()) return ErrorResponse(account.status(), ctx);
  auto role = AssignableRole(ctx, *role_name);
  if (!role.ok()) return ErrorResponse(role.status(), ctx);
  if (!IsAdmin(ctx)) {
    if (!password->empty()) {
      return ErrorResponse(
          MalformedError("owners invite people and never set their passwords: omit "
                         "'password'; the person chooses one from the invitation email",
                         "password_not_allowed"),
          ctx);
    }
    if (!account->empty()) {
      return ErrorResponse(ForbiddenError("owners add people to their own account; omit 'account'"),
                           ctx);
    }
  }
  if (IsAdmin(ctx) && !password->empty()) {
    auto added = deps_.accounts.CreateUser(*email, *role_name, *account, *password, ActorFor(ctx));
    if (!added.ok()) return ErrorResponse(added.status(), ctx);
    nlohmann::json out = MemberJson(*added);
    return JsonResponse(201, out);
  }
  std::string account_id = ctx.principal->account_id;
  if (!account->empty()) {
    // An admin inviting the first owner of a new team creates its account; any other
    // role must join an account that exists.
    auto named = deps_.accounts.AccountIdByName(*account, *role == sa::Role::kOwner, ActorFor(ctx));
    if (!named.ok()) {
      if (named.status().code() == ErrorCode::kNotFound) {
        return ErrorResponse(NotFoundError("no account named '" + *account +
                                           "'; invite its first owner (role owner) to "
                                           "create it"),
                             ctx);
      }
      return ErrorResponse(named.status(), ctx);
    }
    account_id = *named;
  }
  Status can_email = EmailCheck(notifier_, ctx);
  if (!can_email.ok()) return ErrorResponse(can_email, ctx);
  auto inv = deps_.accounts.Invite(*email, *role_name, account_id, ActorFor(ctx));
  if (!inv.ok()) return ErrorResponse(inv.status(), ctx);
  return InvitationResponse(deps_, notifier_, ctx, *inv, 201);
}

HttpResponse UserHandlers::Get(RouteContext& ctx) {
  auto m = deps_.storage.GetMembershipById(ManagedAccount(ctx), ctx.params["id"]);
  if (!m.ok()) return ErrorResponse(m.status(), ctx);
  return JsonResponse(200, MemberJson(*m));
}

HttpResponse UserHandlers::Update(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"role", "status"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto role_name = OptionalString(*body, "role", 20);
  if (!role_name.ok()) return ErrorResponse(role_name.status(), ctx);
  auto status_name = OptionalString(*body, "status", 20);
  if (!status_name.ok()) return ErrorResponse(status_name.status(), ctx);
  std::string account_id = ManagedAccount(ctx);
  auto current = deps_.storage.GetMembershipById(account_id, ctx.params["id"]);
  if (!current.ok()) return ErrorResponse(current.status(), ctx);
  if (!IsAdmin(ctx) && current->role != sa::Role::kOwner && current->role != sa::Role::kMember) {
    return ErrorResponse(ForbiddenError("staff roles are changed by admins"), ctx);
  }
  std::optional<sa::Role> role;
  if (!role_name->empty()) {
    auto r = AssignableRole(ctx, *role_name);
    if (!r.ok()) return ErrorResponse(r.status(), ctx);
    role = *r;
  }
  std::optional<sa::MembershipStatus> status;
  if (!status_name->empty()) {
    status = sa::ParseMembershipStatus(*status_name);
    if (!status) {
      return ErrorResponse(
          MalformedError("status must be active or disabled; got '" + *status_name + "'",
                         "invalid_status"),
          ctx);
    }
  }
  auto updated =
      deps_.accounts.UpdateMember(current->user_id, account_id, role, status, ActorFor(ctx));
  if (!updated.ok()) return ErrorResponse(updated.status(), ctx);
  return JsonResponse(200, MemberJson(*updated));
}

HttpResponse UserHandlers::ResendInvitation(RouteContext& ctx) {
  Status can_email = EmailCheck(notifier_, ctx);
  if (!can_email.ok()) return ErrorResponse(can_email, ctx);
  std::string account_id = ManagedAccount(ctx);
  auto current = deps_.storage.GetMembershipById(account_id, ctx.params["id"]);
  if (!current.ok()) return ErrorResponse(current.status(), ctx);
  auto inv = deps_.accounts.RenewInvitation(current->user_id, account_id, ActorFor(ctx));
  if (!inv.ok()) return ErrorResponse(inv.status(), ctx);
  return InvitationResponse(deps_, notifier_, ctx, *inv, 200);
}

HttpResponse UserHandlers::LookUpInvitation(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"token"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto token = RequiredString(*body, "token", 100);
  if (!token.ok()) return ErrorResponse(token.status(), ctx);
  auto view = deps_.accounts.LookUpInvitation(*token);
  if (!view.ok()) return ErrorResponse(view.status(), ctx);
  return JsonResponse(200,
                      {{"email", view->member.email},
                       {"account", {{"id", view->member.account_id}, {"name", view->account_name}}},
                       {"role", sa::RoleName(view->member.role)},
                       {"expires_at", OptionalTimeJson(view->member.invitation_expires_at)},
                       {"password_set", view->password_set}});
}

HttpResponse UserHandlers::AcceptInvitation(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"token", "password"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto token = RequiredString(*body, "token", 100);
  if (!token.ok()) return ErrorResponse(token.status(), ctx);
  auto password = RequiredString(*body, "password", 1024);
  if (!password.ok()) return ErrorResponse(password.status(), ctx);
  auto login = deps_.accounts.AcceptInvitation(*token, *password, ActorFor(ctx));
  if (!login.ok()) return ErrorResponse(login.status(), ctx);
  return SignedInResponse(deps_, *login, ctx);
}

}  // namespace signet::wfe

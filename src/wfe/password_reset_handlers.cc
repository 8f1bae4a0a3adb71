// Self-service password reset by email (docs/PEOPLE.md): ask for a link, look it up, choose a
// new password. All public: the person cannot sign in, which is the point.
#include "wfe/password_reset_handlers.h"

#include "signet/notify/notifier.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

Status SendResetLink(HandlerDeps& deps, notify::Notifier& notifier,
                     const accounts::PasswordResetLink& link) {
  // The token rides in the fragment, which browsers never send to the server.
  std::string url = deps.public_url + "/reset-password#" + link.token;
  std::string text =
      "Someone (we hope you) asked to reset the password you use on Signet, the certificate "
      "service, with this address.\n\nOpen this link to choose a new one (it works once, until " +
      FormatRfc3339(link.expires_at) + "):\n" + url +
      "\n\nChoosing a new password signs you out everywhere.\nIf you did not ask, ignore this "
      "message: your password stays as it is.\n\n"
      "有人（希望是您）请求重置您在 Signet 证书服务的密码。打开上面的链接设置新密码（仅可使用一次，"
      "在上述时间前有效）；设置后所有已登录的会话都会退出。如果不是您本人操作，请忽略本邮件。\n";
  return notifier.SendPrivateEmail(link.email, "Reset your Signet password / 重置 Signet 密码",
                                   text);
}

}  // namespace

HttpResponse PasswordResetHandlers::Request(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"email"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto email = RequiredString(*body, "email", 254);
  if (!email.ok()) return ErrorResponse(email.status(), ctx);
  if (notifier_ == nullptr || !notifier_->CanEmail()) {
    return ErrorResponse(
        Status::Error(ErrorCode::kUnavailable, "smtp_not_configured",
                      "password reset links are sent by email and no SMTP server is "
                      "configured (smtp.url); ask the operator to run signetd admin "
                      "reset-password"),
        ctx);
  }
  auto link = deps_.accounts.RequestPasswordReset(*email, ActorFor(ctx));
  if (!link.ok()) return ErrorResponse(link.status(), ctx);
  if (*link) {
    Status sent = SendResetLink(deps_, *notifier_, **link);
    if (!sent.ok()) return ErrorResponse(sent, ctx);
  }
  return JsonResponse(202, nlohmann::json::object());
}

HttpResponse PasswordResetHandlers::Check(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"token"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto token = RequiredString(*body, "token", 200);
  if (!token.ok()) return ErrorResponse(token.status(), ctx);
  auto view = deps_.accounts.LookUpPasswordReset(*token);
  if (!view.ok()) return ErrorResponse(view.status(), ctx);
  return JsonResponse(200, {{"email", view->email}, {"expires_at", TimeJson(view->expires_at)}});
}

HttpResponse PasswordResetHandlers::Confirm(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"token", "password"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto token = RequiredString(*body, "token", 200);
  if (!token.ok()) return ErrorResponse(token.status(), ctx);
  auto password = RequiredString(*body, "password", 1024);
  if (!password.ok()) return ErrorResponse(password.status(), ctx);
  auto email = deps_.accounts.CompletePasswordReset(*token, *password, ActorFor(ctx));
  if (!email.ok()) return ErrorResponse(email.status(), ctx);
  return JsonResponse(200, {{"email", *email}});
}

}  // namespace signet::wfe

// Notification channels of the caller's account: email addresses, webhooks and chat robots
// (DingTalk, WeCom, Feishu, Slack) that receive the account's notifications besides the order's
// administrator and contact, and the test message that shows a channel works.
#include "wfe/notification_channel_handlers.h"

#include <cctype>

#include "signet/common/encoding.h"
#include "signet/common/json_post.h"
#include "signet/notify/chat_formats.h"
#include "signet/notify/notifier.h"
#include "signet/ra/contact_rules.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

constexpr size_t kMaxChannels = 20;
constexpr size_t kMaxSecretLength = 200;

// A secret is never shown, only whether one is stored (a webhook's is shown once, at creation).
nlohmann::json ChannelJson(const sa::NotificationChannel& c) {
  nlohmann::json j = {{"id", c.id},
                      {"kind", c.kind},
                      {"target", c.target},
                      {"has_secret", !c.secret.empty()},
                      {"monitor_alerts", c.monitor_alerts},
                      {"created_at", TimeJson(c.created_at)}};
  if (c.digest_due_at) j["next_digest_at"] = TimeJson(*c.digest_due_at);
  return j;
}

// "immediate" or "daily_digest", or what to change.
Status CheckMonitorAlerts(const std::string& mode) {
  if (mode == "immediate" || mode == "daily_digest") return Status::Ok();
  return MalformedError(
      "'monitor_alerts' must be immediate (each change for the worse) or daily_digest (one "
      "summary a day)",
      "invalid_field");
}

Status InvalidField(const std::string& message) { return MalformedError(message, "invalid_field"); }

// A robot's signing secret as the user pasted it: printable ASCII; DingTalk's all start with SEC
// (catching the access token pasted instead, which would fail every delivery).
Status CheckRobotSecret(const std::string& kind, const std::string& secret) {
  for (unsigned char c : secret) {
    if (c <= 0x20 || c >= 0x7f) {
      return InvalidField(
          "'secret' must be the robot's signing secret as its settings show it "
          "(printable characters, no spaces)");
    }
  }
  if (kind == "dingtalk" && secret.rfind("SEC", 0) != 0) {
    return InvalidField(
        "'secret' must be the DingTalk robot's signing secret (加签), which starts "
        "with SEC");
  }
  return Status::Ok();
}

}  // namespace

HttpResponse NotificationChannelHandlers::List(RouteContext& ctx) {
  auto channels = deps_.storage.ListNotificationChannels(ctx.principal->account_id);
  if (!channels.ok()) return ErrorResponse(channels.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : *channels) items.push_back(ChannelJson(c));
  return JsonResponse(200, PageJson(items, ""));
}

HttpResponse NotificationChannelHandlers::Create(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"kind", "target", "secret", "monitor_alerts"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto kind = RequiredString(*body, "kind", 20);
  if (!kind.ok()) return ErrorResponse(kind.status(), ctx);
  auto target = RequiredString(*body, "target", 500);
  if (!target.ok()) return ErrorResponse(target.status(), ctx);
  auto secret = OptionalString(*body, "secret", kMaxSecretLength);
  if (!secret.ok()) return ErrorResponse(secret.status(), ctx);
  auto monitor_alerts = OptionalString(*body, "monitor_alerts", 20);
  if (!monitor_alerts.ok()) return ErrorResponse(monitor_alerts.status(), ctx);
  sa::NotificationChannel c;
  c.account_id = ctx.principal->account_id;
  if (!monitor_alerts->empty()) {
    Status s = CheckMonitorAlerts(*monitor_alerts);
    if (!s.ok()) return ErrorResponse(s, ctx);
    c.monitor_alerts = *monitor_alerts;
  }
  c.kind = *kind;
  c.target = *target;
  if (c.kind != "email" && c.kind != "webhook" && !notify::IsChatKind(c.kind)) {
    return ErrorResponse(
        InvalidField("'kind' must be one of email, webhook, dingtalk, wecom, feishu, slack"), ctx);
  }
  if (!secret->empty() && !notify::ChatKindTakesSecret(c.kind)) {
    return ErrorResponse(InvalidField("'secret' is only for dingtalk and feishu channels (a "
                                      "webhook's secret is made by Signet)"),
                         ctx);
  }
  if (c.kind == "email") {
    if (!ra::ValidEmail(c.target)) {
      return ErrorResponse(InvalidField("'target' must be an email address such as "
                                        "ops@example.com"),
                           ctx);
    }
  } else {
    if (!IsAcceptableWebhookUrl(c.target)) {
      return ErrorResponse(InvalidField("'target' must be an https:// URL (at most 500 "
                                        "characters, no credentials in it)"),
                           ctx);
    }
    if (c.kind == "webhook") {
      c.secret = random_.Token(32);
    } else {
      Status s = CheckRobotSecret(c.kind, *secret);
      if (!s.ok()) return ErrorResponse(s, ctx);
      c.secret = *secret;
    }
  }
  auto existing = deps_.storage.ListNotificationChannels(c.account_id);
  if (!existing.ok()) return ErrorResponse(existing.status(), ctx);
  if (existing->size() >= kMaxChannels) {
    return ErrorResponse(ConflictError("an account has at most " + std::to_string(kMaxChannels) +
                                           " notification channels; remove one first",
                                       "too_many_channels"),
                         ctx);
  }
  for (const auto& e : *existing) {
    if (e.kind == c.kind && e.target == c.target) {
      return ErrorResponse(ConflictError("this channel exists already", "already_exists"), ctx);
    }
  }
  auto created = notifier_.AddChannel(c, ActorFor(ctx));
  if (!created.ok()) return ErrorResponse(created.status(), ctx);
  nlohmann::json j = ChannelJson(*created);
  // Webhook receivers check X-Signet-Signature with this; it is not shown again. A robot's
  // secret came from the user and is never shown.
  if (c.kind == "webhook") j["secret"] = created->secret;
  HttpResponse r = JsonResponse(201, j);
  r.headers.emplace_back("Location", "/api/v1/notification-channels/" + created->id);
  return r;
}

HttpResponse NotificationChannelHandlers::Update(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"monitor_alerts"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto mode = RequiredString(*body, "monitor_alerts", 20);
  if (!mode.ok()) return ErrorResponse(mode.status(), ctx);
  Status s = CheckMonitorAlerts(*mode);
  if (!s.ok()) return ErrorResponse(s, ctx);
  auto updated =
      notifier_.SetMonitorAlerts(ctx.principal->account_id, ctx.params["id"], *mode, ActorFor(ctx));
  if (!updated.ok()) return ErrorResponse(updated.status(), ctx);
  return JsonResponse(200, ChannelJson(*updated));
}

HttpResponse NotificationChannelHandlers::Delete(RouteContext& ctx) {
  Status s = notifier_.RemoveChannel(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse NotificationChannelHandlers::Test(RouteContext& ctx) {
  auto test = notifier_.TestChannel(ctx.principal->account_id, ctx.params["id"]);
  if (!test.ok()) return ErrorResponse(test.status(), ctx);
  // A failed delivery is the answer to the question asked, not a failed request.
  return JsonResponse(200, {{"ok", test->ok}, {"detail", test->detail}});
}

}  // namespace signet::wfe

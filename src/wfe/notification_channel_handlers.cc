// Notification channels of the caller's account: email addresses and webhooks that receive the
// account's notifications besides the order's administrator and contact.
#include "wfe/notification_channel_handlers.h"

#include <cctype>

#include "signet/common/encoding.h"
#include "signet/common/json_post.h"
#include "signet/notify/notifier.h"
#include "signet/ra/contact_rules.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

constexpr size_t kMaxChannels = 20;

nlohmann::json ChannelJson(const sa::NotificationChannel& c) {
  return {
      {"id", c.id}, {"kind", c.kind}, {"target", c.target}, {"created_at", TimeJson(c.created_at)}};
}

}  // namespace

HttpResponse NotificationChannelHandlers::List(RouteContext& ctx) {
  auto channels = deps_.storage.ListNotificationChannels(ctx.principal->account_id);
  if (!channels.ok()) return ErrorResponse(channels.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : *channels) items.push_back(ChannelJson(c));
  return JsonResponse(200, {{"items", items}});
}

HttpResponse NotificationChannelHandlers::Create(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"kind", "target"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto kind = RequiredString(*body, "kind", 20);
  if (!kind.ok()) return ErrorResponse(kind.status(), ctx);
  auto target = RequiredString(*body, "target", 500);
  if (!target.ok()) return ErrorResponse(target.status(), ctx);
  sa::NotificationChannel c;
  c.account_id = ctx.principal->account_id;
  c.kind = *kind;
  c.target = *target;
  if (c.kind == "email") {
    if (!ra::ValidEmail(c.target)) {
      return ErrorResponse(MalformedError("'target' must be an email address such as "
                                          "ops@example.com",
                                          "invalid_field"),
                           ctx);
    }
  } else if (c.kind == "webhook") {
    if (!IsAcceptableWebhookUrl(c.target)) {
      return ErrorResponse(MalformedError("'target' must be an https:// URL (at most 500 "
                                          "characters, no credentials in it)",
                                          "invalid_field"),
                           ctx);
    }
    c.secret = random_.Token(32);
  } else {
    return ErrorResponse(MalformedError("'kind' must be email or webhook", "invalid_field"), ctx);
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
  // Webhook receivers check X-Signet-Signature with this; it is not shown again.
  if (c.kind == "webhook") j["secret"] = created->secret;
  HttpResponse r = JsonResponse(201, j);
  r.headers.emplace_back("Location", "/api/v1/notification-channels/" + created->id);
  return r;
}

HttpResponse NotificationChannelHandlers::Delete(RouteContext& ctx) {
  Status s = notifier_.RemoveChannel(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace signet::wfe

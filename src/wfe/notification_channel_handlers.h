// The handlers of an account's notification channels: email addresses, webhooks and chat robots
// (notification_channel_handlers.cc). route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "signet/common/random.h"
#include "wfe/handlers.h"

namespace signet::notify {
class Notifier;
}  // namespace signet::notify

namespace signet::wfe {

class NotificationChannelHandlers {
 public:
  // `random` makes the webhooks' signing secrets.
  NotificationChannelHandlers(HandlerDeps& deps, Random& random, notify::Notifier& notifier)
      : deps_(deps), random_(random), notifier_(notifier) {}

  HttpResponse List(RouteContext& ctx);
  HttpResponse Create(RouteContext& ctx);
  // Changes how monitor alerts reach the channel: {"monitor_alerts"}.
  HttpResponse Update(RouteContext& ctx);
  HttpResponse Delete(RouteContext& ctx);
  // Sends a test message through the channel now: {"ok", "detail"}.
  HttpResponse Test(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
  Random& random_;
  notify::Notifier& notifier_;
};

}  // namespace signet::wfe

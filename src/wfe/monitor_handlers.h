// The handlers of an account's monitors (monitor_handlers.cc): TLS endpoints checked on a
// schedule, a check now, and the history of checks. route_table.cc binds them to their routes.
// Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::monitor {
class MonitorService;
}  // namespace signet::monitor

namespace signet::wfe {

class MonitorHandlers {
 public:
  explicit MonitorHandlers(monitor::MonitorService& monitors) : monitors_(monitors) {}

  HttpResponse List(RouteContext& ctx);
  HttpResponse Create(RouteContext& ctx);
  HttpResponse Get(RouteContext& ctx);
  HttpResponse Update(RouteContext& ctx);
  HttpResponse Delete(RouteContext& ctx);
  HttpResponse Check(RouteContext& ctx);
  HttpResponse Checks(RouteContext& ctx);
  HttpResponse Discover(RouteContext& ctx);
  // The agent's own routes (Authorization: Bearer <agent credential>): its due monitors, and
  // what it read for one of them.
  HttpResponse AgentMonitors(RouteContext& ctx);
  HttpResponse AgentCheck(RouteContext& ctx);

 private:
  monitor::MonitorService& monitors_;
};

}  // namespace signet::wfe

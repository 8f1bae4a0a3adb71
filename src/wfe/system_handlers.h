// The handlers of the public operational endpoints (/healthz, /readyz, /metrics, the OpenAPI
// document), the CRL shards, and the staff views of the audit log and the job queue
// (system_handlers.cc). route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::wfe {

class SystemHandlers {
 public:
  explicit SystemHandlers(HandlerDeps& deps) : deps_(deps) {}

  HttpResponse Healthz(RouteContext& ctx);
  HttpResponse Readyz(RouteContext& ctx);
  HttpResponse Metrics(RouteContext& ctx);
  HttpResponse OpenApi(RouteContext& ctx);
  HttpResponse CrlShard(RouteContext& ctx);
  HttpResponse AuditEvents(RouteContext& ctx);
  HttpResponse Jobs(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
};

}  // namespace signet::wfe

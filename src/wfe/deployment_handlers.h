// The handlers of deployment (deployment_handlers.cc): an account's deployment targets, the
// bindings of a certificate's lineage to targets, and the deployment runs. route_table.cc binds
// them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::deploy {
class DeploymentService;
}  // namespace signet::deploy

namespace signet::wfe {

class DeploymentHandlers {
 public:
  DeploymentHandlers(HandlerDeps& deps, deploy::DeploymentService& deployments)
      : deps_(deps), deployments_(deployments) {}

  HttpResponse ListTargets(RouteContext& ctx);
  HttpResponse CreateTarget(RouteContext& ctx);
  HttpResponse GetTarget(RouteContext& ctx);
  HttpResponse UpdateTarget(RouteContext& ctx);
  HttpResponse DeleteTarget(RouteContext& ctx);
  HttpResponse TestTarget(RouteContext& ctx);

  HttpResponse ListBindings(RouteContext& ctx);
  HttpResponse Bind(RouteContext& ctx);
  HttpResponse Unbind(RouteContext& ctx);
  HttpResponse Redeploy(RouteContext& ctx);

  HttpResponse ListDeployments(RouteContext& ctx);
  HttpResponse GetDeployment(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
  deploy::DeploymentService& deployments_;
};

}  // namespace signet::wfe

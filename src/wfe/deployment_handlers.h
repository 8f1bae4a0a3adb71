// The handlers of deployment (deployment_handlers.cc): an account's deployment targets, the
// bindings of a certificate's lineage to targets, and the deployment runs. route_table.cc binds
// them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include <atomic>

#include "wfe/handlers.h"

namespace signet::deploy {
class DeploymentService;
}  // namespace signet::deploy

namespace signet::wfe {

class DeploymentHandlers {
 public:
  explicit DeploymentHandlers(deploy::DeploymentService& deployments) : deployments_(deployments) {}

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

  // Agent targets: a new registration token; and the agent's own routes (public routes: the
  // agent authenticates with its credential, not as a person).
  HttpResponse NewAgentToken(RouteContext& ctx);
  HttpResponse RegisterAgent(RouteContext& ctx);
  HttpResponse AgentWork(RouteContext& ctx);
  HttpResponse AgentReport(RouteContext& ctx);

 private:
  // Each agent waiting for work holds a blocking worker thread: at most this many wait at once,
  // the others are answered at once and asked to come back (Retry-After).
  static constexpr int kMaxWaitingAgents = 2;

  deploy::DeploymentService& deployments_;
  std::atomic<int> waiting_agents_{0};
};

}  // namespace signet::wfe

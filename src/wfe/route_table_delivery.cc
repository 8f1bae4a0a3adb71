// The routes of delivery: notification channels (docs/NOTIFICATIONS.md), deployment (targets,
// bindings, runs, agents; docs/DEPLOYMENT.md) and monitoring (monitors, their checks, discovery;
// docs/MONITORING.md). AddRoutes calls AddDeliveryRoutes where they belong in the route order.
#include "wfe/deployment_handlers.h"
#include "wfe/monitor_handlers.h"
#include "wfe/notification_channel_handlers.h"
#include "wfe/route_table.h"

namespace signet::wfe {

void AddDeliveryRoutes(Router& router, const RouteHandlers& handlers) {
  // Notification channels of the account: served with a notifier.
  if (NotificationChannelHandlers* channels = handlers.notification_channels.get()) {
    router.Add({.method = "GET",
                .pattern = "/api/v1/notification-channels",
                .access = Access::kAuthenticated,
                .summary = "The account's notification channels (their secrets are never shown)",
                .tag = "accounts",
                .response_schema = "NotificationChannelList",
                .handler = Bind(channels, &NotificationChannelHandlers::List)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/notification-channels",
                .access = Access::kOwner,
                .summary = "Add an email address, an https webhook (its signing secret is shown "
                           "once) or a DingTalk, WeCom, Feishu or Slack robot",
                .tag = "accounts",
                .request_schema = "NotificationChannelInput",
                .response_schema = "NotificationChannel",
                .success_status = 201,
                .handler = Bind(channels, &NotificationChannelHandlers::Create)});
    router.Add({.method = "PATCH",
                .pattern = "/api/v1/notification-channels/{id}",
                .access = Access::kOwner,
                .summary = "Change how monitor alerts reach the channel: each change for the "
                           "worse (immediate) or one summary a day (daily_digest)",
                .tag = "accounts",
                .request_schema = "NotificationChannelPatch",
                .response_schema = "NotificationChannel",
                .handler = Bind(channels, &NotificationChannelHandlers::Update)});
    router.Add({.method = "DELETE",
                .pattern = "/api/v1/notification-channels/{id}",
                .access = Access::kOwner,
                .summary = "Remove a notification channel",
                .tag = "accounts",
                .success_status = 204,
                .handler = Bind(channels, &NotificationChannelHandlers::Delete)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/notification-channels/{id}/test",
                .access = Access::kOwner,
                .summary = "Send a test message through the channel now; ok false with the "
                           "vendor's error when it was refused",
                .tag = "accounts",
                .response_schema = "NotificationChannelTest",
                .handler = Bind(channels, &NotificationChannelHandlers::Test)});
  }

  // Deployment (issue 16): targets, bindings of certificates to them, and the runs.
  if (DeploymentHandlers* deployments = handlers.deployments.get()) {
    router.Add({.method = "GET",
                .pattern = "/api/v1/deployment-targets",
                .access = Access::kAuthenticated,
                .summary = "The account's deployment targets (their secrets are never shown)",
                .tag = "deployment",
                .response_schema = "DeploymentTargetList",
                .handler = Bind(deployments, &DeploymentHandlers::ListTargets)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/deployment-targets",
                .access = Access::kAuthenticated,
                .summary = "Add a target: ssh (pinned host key), local or webhook",
                .tag = "deployment",
                .request_schema = "DeploymentTargetInput",
                .response_schema = "DeploymentTarget",
                .success_status = 201,
                .handler = Bind(deployments, &DeploymentHandlers::CreateTarget)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/deployment-targets/{id}",
                .access = Access::kAuthenticated,
                .summary = "One deployment target",
                .tag = "deployment",
                .response_schema = "DeploymentTarget",
                .handler = Bind(deployments, &DeploymentHandlers::GetTarget)});
    router.Add({.method = "PATCH",
                .pattern = "/api/v1/deployment-targets/{id}",
                .access = Access::kAuthenticated,
                .summary = "Change a target; an absent secret keeps the stored one",
                .tag = "deployment",
                .request_schema = "DeploymentTargetInput",
                .response_schema = "DeploymentTarget",
                .handler = Bind(deployments, &DeploymentHandlers::UpdateTarget)});
    router.Add({.method = "DELETE",
                .pattern = "/api/v1/deployment-targets/{id}",
                .access = Access::kAuthenticated,
                .summary = "Remove a target that no binding uses",
                .tag = "deployment",
                .success_status = 204,
                .handler = Bind(deployments, &DeploymentHandlers::DeleteTarget)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/deployment-targets/{id}/test",
                .access = Access::kAuthenticated,
                .summary = "Connect and log in without changing anything",
                .tag = "deployment",
                .response_schema = "TargetTest",
                .handler = Bind(deployments, &DeploymentHandlers::TestTarget)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/deployment-targets/{id}/agent-token",
                .access = Access::kAuthenticated,
                .summary = "A new one-time registration token for an agent target (valid a day)",
                .tag = "deployment",
                .success_status = 201,
                .handler = Bind(deployments, &DeploymentHandlers::NewAgentToken)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/agent/register",
                .access = Access::kPublic,
                .summary = "signet agent: trade a registration token for the agent's credential",
                .tag = "deployment",
                .success_status = 201,
                .handler = Bind(deployments, &DeploymentHandlers::RegisterAgent)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/agent/work",
                .access = Access::kPublic,
                .summary = "signet agent: the next certificate to install (?wait=seconds, up "
                           "to 25); 204 when none",
                .tag = "deployment",
                .handler = Bind(deployments, &DeploymentHandlers::AgentWork)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/agent/deployments/{id}/report",
                .access = Access::kPublic,
                .summary = "signet agent: how a run ended",
                .tag = "deployment",
                .response_schema = "Deployment",
                .handler = Bind(deployments, &DeploymentHandlers::AgentReport)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/certificates/{id}/bindings",
                .access = Access::kAuthenticated,
                .summary = "Where the certificate's lineage is deployed, with each last run",
                .tag = "deployment",
                .response_schema = "BindingList",
                .handler = Bind(deployments, &DeploymentHandlers::ListBindings)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/certificates/{id}/bindings",
                .access = Access::kAuthenticated,
                .summary = "Deploy the certificate to a target now and every successor later",
                .tag = "deployment",
                .request_schema = "BindingInput",
                .response_schema = "Binding",
                .success_status = 201,
                .handler = Bind(deployments, &DeploymentHandlers::Bind)});
    router.Add({.method = "DELETE",
                .pattern = "/api/v1/certificates/{id}/bindings/{binding_id}",
                .access = Access::kAuthenticated,
                .summary = "Stop deploying the lineage there (the files stay)",
                .tag = "deployment",
                .success_status = 204,
                .handler = Bind(deployments, &DeploymentHandlers::Unbind)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/certificates/{id}/bindings/{binding_id}/deploy",
                .access = Access::kAuthenticated,
                .summary = "Deploy the lineage's newest certificate there again",
                .tag = "deployment",
                .response_schema = "Deployment",
                .success_status = 201,
                .handler = Bind(deployments, &DeploymentHandlers::Redeploy)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/deployments",
                .access = Access::kAuthenticated,
                .summary = "Deployment runs, newest first (?certificate_id=&target_id=)",
                .tag = "deployment",
                .response_schema = "DeploymentList",
                .paginated = true,
                .handler = Bind(deployments, &DeploymentHandlers::ListDeployments)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/deployments/{id}",
                .access = Access::kAuthenticated,
                .summary = "One deployment run",
                .tag = "deployment",
                .response_schema = "Deployment",
                .handler = Bind(deployments, &DeploymentHandlers::GetDeployment)});
  }

  // Monitoring (issue 17): TLS endpoints checked on a schedule, and their history.
  if (MonitorHandlers* monitors = handlers.monitors.get()) {
    router.Add({.method = "GET",
                .pattern = "/api/v1/monitors",
                .access = Access::kAuthenticated,
                .summary = "The account's monitors, each with its last check",
                .tag = "monitoring",
                .response_schema = "MonitorList",
                .paginated = true,
                .handler = Bind(monitors, &MonitorHandlers::List)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/monitors",
                .access = Access::kAuthenticated,
                .summary = "Watch a TLS endpoint (https, tls, or smtp/imap/pop3 with STARTTLS)",
                .tag = "monitoring",
                .request_schema = "MonitorInput",
                .response_schema = "Monitor",
                .success_status = 201,
                .handler = Bind(monitors, &MonitorHandlers::Create)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/agent/monitors",
                .access = Access::kPublic,
                .summary = "signet agent: the monitors it checks that are due now, each claimed "
                           "for ten minutes",
                .tag = "monitoring",
                .handler = Bind(monitors, &MonitorHandlers::AgentMonitors)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/agent/monitors/{id}/check",
                .access = Access::kPublic,
                .summary = "signet agent: the chains it read at each address of a monitor's host, "
                           "judged and kept like Signet's own checks",
                .tag = "monitoring",
                .response_schema = "MonitorCheck",
                .handler = Bind(monitors, &MonitorHandlers::AgentCheck)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/monitors/discover",
                .access = Access::kAuthenticated,
                .summary = "Find TLS endpoints on hosts and ports, adding certificates the "
                           "inventory did not know as discovered",
                .tag = "monitoring",
                .request_schema = "DiscoverInput",
                .response_schema = "DiscoverResult",
                .handler = Bind(monitors, &MonitorHandlers::Discover)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/monitors/{id}",
                .access = Access::kAuthenticated,
                .summary = "One monitor with its last check",
                .tag = "monitoring",
                .response_schema = "Monitor",
                .handler = Bind(monitors, &MonitorHandlers::Get)});
    router.Add({.method = "PATCH",
                .pattern = "/api/v1/monitors/{id}",
                .access = Access::kAuthenticated,
                .summary = "Change a monitor's interval or pause it",
                .tag = "monitoring",
                .request_schema = "MonitorInput",
                .response_schema = "Monitor",
                .handler = Bind(monitors, &MonitorHandlers::Update)});
    router.Add({.method = "DELETE",
                .pattern = "/api/v1/monitors/{id}",
                .access = Access::kAuthenticated,
                .summary = "Stop watching an endpoint (its history goes too)",
                .tag = "monitoring",
                .success_status = 204,
                .handler = Bind(monitors, &MonitorHandlers::Delete)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/monitors/{id}/check",
                .access = Access::kAuthenticated,
                .summary = "Check now: every address of the host, the served chain judged",
                .tag = "monitoring",
                .response_schema = "MonitorCheck",
                .handler = Bind(monitors, &MonitorHandlers::Check)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/monitors/{id}/checks",
                .access = Access::kAuthenticated,
                .summary = "The monitor's checks, newest first (its timeline)",
                .tag = "monitoring",
                .response_schema = "MonitorCheckList",
                .paginated = true,
                .handler = Bind(monitors, &MonitorHandlers::Checks)});
  }
}

}  // namespace signet::wfe

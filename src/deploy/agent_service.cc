// DeploymentService's side of agents (signet agent): registration with a one-time token, work
// handed out on request, and the agent's reports. An agent is given the certificate only: the
// files it writes and the command it runs are in its own configuration, on its own host.
#include <thread>

#include "deploy/deployment_impl.h"
#include "signet/common/crypto.h"

namespace signet::deploy {

namespace {

constexpr auto kTokenLifetime = std::chrono::hours(24);
// A run an agent took but never reported (it stopped) is handed out again after this.
constexpr auto kAbandonedAfter = std::chrono::minutes(5);

}  // namespace

Result<std::string> DeploymentService::NewAgentToken(const std::string& account_id,
                                                     const std::string& target_id,
                                                     const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::DeploymentTarget t,
                          impl_->storage.GetDeploymentTarget(account_id, target_id));
  if (t.type != core::TargetType::kAgent) {
    return MalformedError("only agent targets have registration tokens", "invalid_target");
  }
  std::string token = "sat_" + impl_->random.Token(32);
  SIGNET_RETURN_IF_ERROR(impl_->storage.SetAgentToken(account_id, target_id, Sha256Hex(token),
                                                      impl_->clock.Now() + kTokenLifetime, actor));
  return token;
}

Result<AgentRegistration> DeploymentService::RegisterAgent(const std::string& token,
                                                           const std::string& hostname) {
  std::string credential = "sag_" + impl_->random.Token(32);
  SIGNET_ASSIGN_OR_RETURN(sa::DeploymentAgent agent,
                          impl_->storage.RegisterAgent(Sha256Hex(token), Sha256Hex(credential),
                                                       hostname, impl_->clock.Now()));
  SIGNET_ASSIGN_OR_RETURN(sa::DeploymentTarget t,
                          impl_->storage.GetDeploymentTarget(agent.account_id, agent.target_id));
  return AgentRegistration{t.id, t.name, credential};
}

Result<std::optional<AgentWork>> DeploymentService::NextAgentWork(const std::string& credential,
                                                                  std::chrono::seconds wait) {
  SIGNET_ASSIGN_OR_RETURN(
      sa::DeploymentAgent agent,
      impl_->storage.FindAgentByCredential(Sha256Hex(credential), impl_->clock.Now()));
  auto until = std::chrono::steady_clock::now() + wait;
  while (true) {
    sa::DeploymentFilter filter;
    filter.target_id = agent.target_id;
    std::optional<sa::Deployment> next;
    // The newest pending run (older ones carry older certificates of the same lineages), else
    // one the agent took and never reported.
    for (auto status : {core::DeploymentStatus::kPending, core::DeploymentStatus::kRunning}) {
      filter.status = status;
      SIGNET_ASSIGN_OR_RETURN(auto page,
                              impl_->storage.ListDeployments(agent.account_id, filter, {20, ""}));
      for (const sa::Deployment& d : page.items) {
        if (status == core::DeploymentStatus::kRunning &&
            impl_->clock.Now() - d.updated_at < kAbandonedAfter) {
          continue;
        }
        next = d;
        break;
      }
      if (next) break;
    }
    if (next) {
      // Handed out, not claimed: the agent claims it by reporting "running" when it starts, so
      // an answer lost with a dead connection is handed out again at the next request.
      auto bundle = impl_->bundles.Bundle(next->account_id, next->certificate_id);
      if (bundle.ok() && !bundle->revoked) return std::optional<AgentWork>({*next, *bundle});
      sa::Deployment d = *next;
      core::DeploymentStatus expected = d.status;
      d.status = core::DeploymentStatus::kRunning;
      auto claimed = impl_->storage.UpdateDeployment(d, expected, {});
      if (claimed.ok()) {
        RunOutcome refused;
        refused.error = bundle.ok() ? "certificate " + d.certificate_id + " is revoked"
                                    : bundle.status().message();
        SIGNET_RETURN_IF_ERROR(impl_->Finish(*claimed, refused, agent.target_id).status());
      }
      continue;
    }
    if (std::chrono::steady_clock::now() >= until) return std::optional<AgentWork>();
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

Result<sa::Deployment> DeploymentService::ReportAgentRun(const std::string& credential,
                                                         const std::string& deployment_id,
                                                         const AgentReport& report) {
  SIGNET_ASSIGN_OR_RETURN(
      sa::DeploymentAgent agent,
      impl_->storage.FindAgentByCredential(Sha256Hex(credential), impl_->clock.Now()));
  SIGNET_ASSIGN_OR_RETURN(sa::Deployment d,
                          impl_->storage.GetDeployment(agent.account_id, deployment_id));
  if (d.target_id != agent.target_id) {
    return NotFoundError("no deployment " + deployment_id + " for this agent");
  }
  if (report.status == core::DeploymentStatus::kRunning) {
    // The agent starts the run: it is claimed, once.
    if (d.status != core::DeploymentStatus::kPending &&
        !(d.status == core::DeploymentStatus::kRunning &&
          impl_->clock.Now() - d.updated_at >= kAbandonedAfter)) {
      return ConflictError(
          "deployment " + deployment_id + " is " + std::string(core::Name(d.status)) + " already",
          "status_changed");
    }
    core::DeploymentStatus expected = d.status;
    d.status = core::DeploymentStatus::kRunning;
    d.attempts += 1;
    if (!d.started_at) d.started_at = impl_->clock.Now();
    return impl_->storage.UpdateDeployment(d, expected, {});
  }
  if (d.status != core::DeploymentStatus::kRunning) {
    return ConflictError("deployment " + deployment_id + " is " +
                             std::string(core::Name(d.status)) +
                             ", not running: report \"running\" when starting it",
                         "status_changed");
  }
  if (!core::IsFinal(report.status)) {
    return MalformedError("'status' must be running, succeeded, failed or rolled_back",
                          "invalid_field");
  }
  RunOutcome outcome;
  outcome.status = report.status;
  outcome.served_serial = report.served_serial;
  outcome.error = report.error;
  SIGNET_ASSIGN_OR_RETURN(sa::DeploymentTarget t,
                          impl_->storage.GetDeploymentTarget(agent.account_id, agent.target_id));
  return impl_->Finish(d, outcome, t.name);
}

Result<std::optional<sa::DeploymentAgent>> DeploymentService::Agent(const std::string& target_id) {
  return impl_->storage.GetAgent(target_id);
}

}  // namespace signet::deploy

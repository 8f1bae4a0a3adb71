#include "signet/core/deployment_state.h"

#include "core/name_table.h"

namespace signet::core {

namespace {
constexpr NameTable<TargetType, 4> kTargetTypes = {{
    {TargetType::kSsh, "ssh"},
    {TargetType::kAgent, "agent"},
    {TargetType::kLocal, "local"},
    {TargetType::kWebhook, "webhook"},
}};
constexpr NameTable<DeploymentStatus, 5> kStatuses = {{
    {DeploymentStatus::kPending, "pending"},
    {DeploymentStatus::kRunning, "running"},
    {DeploymentStatus::kSucceeded, "succeeded"},
    {DeploymentStatus::kFailed, "failed"},
    {DeploymentStatus::kRolledBack, "rolled_back"},
}};
}  // namespace

std::string_view Name(TargetType type) { return NameIn(kTargetTypes, type); }
std::optional<TargetType> ParseTargetType(std::string_view name) {
  return ParseIn(kTargetTypes, name);
}

std::string_view Name(DeploymentStatus status) { return NameIn(kStatuses, status); }
std::optional<DeploymentStatus> ParseDeploymentStatus(std::string_view name) {
  return ParseIn(kStatuses, name);
}

}  // namespace signet::core

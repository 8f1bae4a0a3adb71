// The states of deployment (issue 16) as users see them: the one place their names are parsed
// and printed.
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string_view>

namespace signet::core {

// How a certificate reaches a server: pushed over SSH, pulled by an agent on the server,
// written on Signet's own host, or POSTed to a webhook.
enum class TargetType { kSsh, kAgent, kLocal, kWebhook };
std::string_view Name(TargetType type);
std::optional<TargetType> ParseTargetType(std::string_view name);

// One run of putting one certificate on one target. pending -> running -> succeeded, failed
// (nothing changed on the target, or it could not be reached), or rolled_back (the files were
// changed, the reload or the check failed, and the previous files were put back).
enum class DeploymentStatus { kPending, kRunning, kSucceeded, kFailed, kRolledBack };
std::string_view Name(DeploymentStatus status);
std::optional<DeploymentStatus> ParseDeploymentStatus(std::string_view name);
inline bool IsFinal(DeploymentStatus s) {
  return s != DeploymentStatus::kPending && s != DeploymentStatus::kRunning;
}

}  // namespace signet::core

// The state DeploymentService's parts share (target rules, the service, the run). Private to the
// deploy module.
//
// Thread-safety: immutable after construction but for the storage and randomness, which are
// thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "signet/common/ids.h"
#include "signet/deploy/deployment_service.h"
#include "signet/deploy/install.h"
#include "signet/deploy/ssh_client.h"
#include "signet/deploy/target_host.h"
#include "signet/notify/notifier.h"

namespace signet::deploy {

inline constexpr char kRunJobKind[] = "deploy.run";

// The context a target's secret is sealed under: it opens only for that target and field.
inline std::string SecretContext(const std::string& target_id, const char* field) {
  return "deployment-target:" + target_id + ":" + field;
}

// Checks `input` for a new target (or, with `existing`, an update of it) and returns the target
// to store, secrets sealed. 400 invalid_target names the field and what to change.
Result<sa::DeploymentTarget> CheckTarget(const TargetInput& input,
                                         const sa::DeploymentTarget* existing,
                                         const DeploymentOptions& options, const KeyVault& vault,
                                         Random& random, IdGenerator& ids);
// Checks a binding's verify endpoint (host empty: none).
Status CheckVerifyEndpoint(const sa::VerifyEndpoint& verify);

// The files a target receives of `bundle`: the paths it names, each with its content and mode.
// 409 no_private_key when the target wants a key Signet does not hold.
Result<std::vector<RemoteFile>> FilesFor(const sa::DeploymentTarget& target,
                                         const CertificateBundle& bundle, const KeyVault& vault,
                                         Random& random);

// The SSH settings of an ssh target, its secrets opened.
Result<SshTarget> SshTargetOf(const sa::DeploymentTarget& target, const KeyVault& vault);

// A binding's verify endpoint as the probe takes it.
VerifySpec VerifySpecOf(const sa::VerifyEndpoint& verify, std::chrono::seconds wait);

// How one run ended, as the run records it.
struct RunOutcome {
  core::DeploymentStatus status = core::DeploymentStatus::kFailed;
  std::string served_serial;
  std::string error;
  bool retry = false;  // a transient failure (unreachable): the job tries again later
};

struct DeploymentService::Impl {
  sa::Storage& storage;
  BundleSource& bundles;
  const KeyVault& vault;
  notify::Notifier& notifier;
  const Clock& clock;
  Random& random;
  DeploymentOptions options;
  IdGenerator ids{clock, random};  // time-ordered ids: lists show the newest run first

  // The deployment of the lineage's certificate `certificate_id` to the binding, and its job.
  sa::Deployment NewDeployment(const sa::CertificateBinding& binding,
                               const std::string& certificate_id, const std::string& serial_hex,
                               const std::string& trigger);
  sa::NewJob JobFor(const sa::Deployment& d) const;
  // The lineage's newest certificate (by creation), for binding and manual redeploys.
  Result<sa::ManagedCertificate> Newest(const std::string& account_id,
                                        const std::string& lineage_id);
  // Runs the deployment to its end on `target` (RunDeploymentJob's work after bookkeeping).
  RunOutcome Push(const sa::Deployment& d, const sa::DeploymentTarget& target,
                  const sa::CertificateBinding& binding);
  // Records the end of a run (from `running`), notifying the account of a failure.
  Result<sa::Deployment> Finish(sa::Deployment d, const RunOutcome& outcome,
                                const std::string& target_name);
};

}  // namespace signet::deploy

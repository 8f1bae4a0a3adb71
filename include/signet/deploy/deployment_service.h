// DeploymentService: certificates reach the servers that use them (issue 16). An account's
// deployment targets (where files go and how the server reloads), bindings of certificate
// lineages to targets (the certificate bound and each successor: reissues, renewals, the next
// certificate of a term, ACME replacements), and deployment runs, each a durable job:
//
//   pending -> running -> succeeded | failed | rolled_back
//
// A run writes the files (each atomically, the previous ones kept), runs the reload command, and
// succeeds only when the binding's verify endpoint serves the new certificate; when the reload or
// the check fails, the previous files are put back and reloaded (rolled_back) and the account is
// notified. A success is recorded in the audit chain (the deployment receipt). The reconciler
// (Reconcile, run periodically on every node) starts the deployment of each binding's newest
// certificate once, across nodes.
//
// Targets' secrets (SSH key or password, keystore password, webhook secret) are sealed with the
// master key and never returned or logged.
//
// Thread-safety: all methods may be called from many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/key_vault.h"
#include "signet/common/random.h"
#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet::notify {
class Notifier;
}

namespace signet::deploy {

// What a target receives of one certificate.
struct CertificateBundle {
  std::string serial_hex;
  std::string names;  // comma-separated
  std::string certificate_pem;
  std::string intermediates_pem;  // leaf-most first, without the root
  std::string root_pem;           // empty when unknown (uploads)
  std::string private_key_pem;    // unencrypted; empty when Signet does not hold the key
  bool revoked = false;
};

// Where bundles come from (the certificate inventory); consumer-side, so tests can fake it.
class BundleSource {
 public:
  virtual ~BundleSource() = default;
  virtual Result<CertificateBundle> Bundle(const std::string& account_id,
                                           const std::string& certificate_id) = 0;
};

// A target as a request gives it. Secrets are plaintext here and sealed before storage; on an
// update, an empty secret keeps the stored one.
struct TargetInput {
  std::string name;
  std::optional<core::TargetType> type;  // required on create; cannot change
  std::string host;
  std::optional<int> port;
  std::string username;
  std::string private_key;
  std::string private_key_passphrase;
  std::string password;
  std::string host_key;
  std::optional<sa::TargetFiles> files;
  std::optional<std::string> reload_command;
  std::string keystore_password;
  std::string url;
};

struct DeploymentOptions {
  bool allow_local_targets = false;  // deployment.allow_local_targets
  // Reload commands; with the other bounds, a run stays well within the job lease (5 minutes).
  std::chrono::seconds command_timeout{60};
  std::chrono::seconds connect_timeout{15};
  // How long a run waits for the verify endpoint to serve the new certificate after the reload.
  std::chrono::seconds verify_wait{20};
  int max_attempts = 6;  // of a run's job, for a target that cannot be reached
  bool allow_private_webhooks = false;
};

// The answer of a connection test.
struct TargetTest {
  bool ok = false;
  std::string detail;    // what was done or what failed, in words
  std::string host_key;  // ssh: the fingerprint the server presented
};

// A binding with the newest run of it, for "where is this certificate installed".
struct BindingView {
  sa::CertificateBinding binding;
  std::optional<sa::Deployment> last;
};

// What an agent receives for one deployment: the certificate, never a file path or a command
// (those are in the agent's own configuration).
struct AgentWork {
  sa::Deployment deployment;
  CertificateBundle bundle;
};

struct AgentRegistration {
  std::string target_id;
  std::string target_name;
  std::string credential;  // the agent's secret from now on; Signet keeps only its hash
};

// An agent's report of a run it was given.
struct AgentReport {
  core::DeploymentStatus status = core::DeploymentStatus::kFailed;  // a final one
  std::string served_serial;
  std::string error;
};

class DeploymentService {
 public:
  DeploymentService(sa::Storage& storage, BundleSource& bundles, const KeyVault& vault,
                    notify::Notifier& notifier, const Clock& clock, Random& random,
                    DeploymentOptions options);
  ~DeploymentService();

  Result<sa::DeploymentTarget> CreateTarget(const std::string& account_id, const TargetInput& input,
                                            const sa::Actor& actor);
  Result<sa::DeploymentTarget> UpdateTarget(const std::string& account_id, const std::string& id,
                                            const TargetInput& input, const sa::Actor& actor);
  Result<sa::DeploymentTarget> GetTarget(const std::string& account_id, const std::string& id);
  Result<std::vector<sa::DeploymentTarget>> ListTargets(const std::string& account_id);
  Status DeleteTarget(const std::string& account_id, const std::string& id, const sa::Actor& actor);
  // Connects and logs in (ssh), or checks the directory (local), changing nothing.
  Result<TargetTest> TestTarget(const std::string& account_id, const std::string& id);
  // The plaintext webhook secret of a webhook target just created (shown once).
  Result<std::string> WebhookSecret(const sa::DeploymentTarget& target) const;

  // Binds the certificate's lineage to the target and deploys the certificate now.
  Result<BindingView> Bind(const std::string& account_id, const std::string& certificate_id,
                           const std::string& target_id, const sa::VerifyEndpoint& verify,
                           const sa::Actor& actor);
  // The bindings of the certificate's lineage, each with its newest run.
  Result<std::vector<BindingView>> ListBindings(const std::string& account_id,
                                                const std::string& certificate_id);
  Status Unbind(const std::string& account_id, const std::string& certificate_id,
                const std::string& binding_id, const sa::Actor& actor);
  // Deploys the lineage's newest certificate to the binding's target again (trigger "manual").
  Result<sa::Deployment> Redeploy(const std::string& account_id, const std::string& binding_id,
                                  const sa::Actor& actor);

  Result<sa::Page<sa::Deployment>> ListDeployments(const std::string& account_id,
                                                   const sa::DeploymentFilter& filter,
                                                   const sa::PageRequest& page);
  Result<sa::Deployment> GetDeployment(const std::string& account_id, const std::string& id);

  // Agent targets: a one-time registration token (valid a day; shown once), redeemed by
  // `signet agent register` for the agent's credential. The agent then asks for work (waiting up
  // to `wait` for some) and reports each run's end.
  Result<std::string> NewAgentToken(const std::string& account_id, const std::string& target_id,
                                    const sa::Actor& actor);
  Result<AgentRegistration> RegisterAgent(const std::string& token, const std::string& hostname);
  Result<std::optional<AgentWork>> NextAgentWork(const std::string& credential,
                                                 std::chrono::seconds wait);
  Result<sa::Deployment> ReportAgentRun(const std::string& credential,
                                        const std::string& deployment_id,
                                        const AgentReport& report);
  // The agent of a target, if one registered or a token was made.
  Result<std::optional<sa::DeploymentAgent>> Agent(const std::string& target_id);

  // Job "deploy.run" (payload {"deployment"}). Runs for agent targets wait for their agent.
  Status RunDeploymentJob(const sa::Job& job);
  // Starts the deployment of successors not deployed yet; returns how many were started.
  Result<int> Reconcile();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::deploy

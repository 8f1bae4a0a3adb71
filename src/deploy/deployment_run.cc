// One deployment run (job "deploy.run"): write the files, reload, check what the server serves,
// and roll back when the reload or the check fails. Safe to run again after a crash at any step:
// placing is idempotent within a run (TargetHost::Place), restoring is idempotent, and the final
// status is written with compare-and-set.
#include <nlohmann/json.hpp>
#include <thread>

#include "deploy/deployment_impl.h"
#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/job_payload.h"
#include "signet/common/json_post.h"
#include "signet/common/log.h"
#include "signet/deploy/install.h"
#include "signet/deploy/ssh_client.h"

namespace signet::deploy {

namespace {

// Errors worth another attempt later: the server was not reachable or did not answer in time.
bool Transient(const Status& s) {
  return s.reason() == "ssh_unreachable" || s.reason() == "ssh_timeout" ||
         s.code() == ErrorCode::kUnavailable;
}

}  // namespace

VerifySpec VerifySpecOf(const sa::VerifyEndpoint& verify, std::chrono::seconds wait) {
  VerifySpec spec;
  spec.endpoint.host = verify.host;
  spec.endpoint.port = verify.port;
  spec.endpoint.server_name = verify.server_name;
  spec.endpoint.protocol = probe::ParseProtocol(verify.protocol).value_or(probe::Protocol::kHttps);
  spec.endpoint.timeout = std::chrono::seconds(10);
  spec.wait = wait;
  return spec;
}

Result<SshTarget> SshTargetOf(const sa::DeploymentTarget& t, const KeyVault& vault) {
  SshTarget ssh;
  ssh.host = t.host;
  ssh.port = t.port;
  ssh.username = t.username;
  ssh.host_key = t.host_key;
  if (!t.sealed_private_key.empty()) {
    SIGNET_ASSIGN_OR_RETURN(ssh.private_key_pem,
                            vault.Unseal(t.sealed_private_key, SecretContext(t.id, "private_key")));
    if (!t.sealed_password.empty()) {
      SIGNET_ASSIGN_OR_RETURN(
          ssh.private_key_passphrase,
          vault.Unseal(t.sealed_password, SecretContext(t.id, "private_key_passphrase")));
    }
  } else {
    SIGNET_ASSIGN_OR_RETURN(ssh.password,
                            vault.Unseal(t.sealed_password, SecretContext(t.id, "password")));
  }
  return ssh;
}

RunOutcome DeploymentService::Impl::Push(const sa::Deployment& d,
                                         const sa::DeploymentTarget& target,
                                         const sa::CertificateBinding& binding) {
  RunOutcome out;
  auto fail = [&](const Status& s) {
    out.status = core::DeploymentStatus::kFailed;
    out.error = s.message();
    out.retry = Transient(s);
    return out;
  };
  auto bundle = bundles.Bundle(d.account_id, d.certificate_id);
  if (!bundle.ok()) return fail(bundle.status());
  if (bundle->revoked) {
    return fail(
        Status::Error(ErrorCode::kConflict, "certificate_revoked",
                      "certificate " + d.certificate_id + " is revoked; it is not deployed"));
  }
  if (target.type == core::TargetType::kWebhook) {
    auto secret =
        vault.Unseal(target.sealed_webhook_secret, SecretContext(target.id, "webhook_secret"));
    if (!secret.ok()) return fail(secret.status());
    nlohmann::json body = {{"event", "certificate.deploy"},
                           {"deployment_id", d.id},
                           {"certificate_id", d.certificate_id},
                           {"serial", d.serial_hex},
                           {"names", bundle->names},
                           {"certificate_pem", bundle->certificate_pem},
                           {"chain_pem", bundle->intermediates_pem},
                           {"fullchain_pem", bundle->certificate_pem + bundle->intermediates_pem},
                           {"at", FormatRfc3339(clock.Now())}};
    if (!bundle->private_key_pem.empty()) body["private_key_pem"] = bundle->private_key_pem;
    std::string text = body.dump();
    std::string t = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count());
    Sha256Digest mac = HmacSha256(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(secret->data()), secret->size()),
        t + "." + text);
    JsonPostRequest post;
    post.url = target.url;
    post.body = text;
    post.headers = {"X-Signet-Signature: t=" + t + ",v1=" + HexEncode(mac)};
    post.public_addresses_only = !options.allow_private_webhooks;
    post.timeout_ms = 30000;
    JsonPostResult sent = PostJson(post);
    if (!sent.reached) return fail(UnavailableError("the webhook was not reached: " + sent.error));
    if (sent.status < 200 || sent.status > 299) {
      return fail(Status::Error(ErrorCode::kConflict, "webhook_refused",
                                "the webhook answered HTTP " + std::to_string(sent.status)));
    }
    if (binding.verify.host.empty()) {
      out.status = core::DeploymentStatus::kSucceeded;
      return out;
    }
    InstallOutcome checked =
        VerifyServed(VerifySpecOf(binding.verify, options.verify_wait), d.serial_hex);
    // A webhook's receiver installs the files; Signet cannot put the old ones back.
    out.status = checked.status;
    out.served_serial = checked.served_serial;
    out.error = checked.error;
    return out;
  }
  auto files = FilesFor(target, *bundle, vault, random);
  if (!files.ok()) return fail(files.status());

  std::unique_ptr<TargetHost> host;
  if (target.type == core::TargetType::kSsh) {
    auto ssh = SshTargetOf(target, vault);
    if (!ssh.ok()) return fail(ssh.status());
    ssh->timeout = options.connect_timeout;
    auto connection = SshConnection::Open(*ssh);
    if (!connection.ok()) return fail(connection.status());
    host = std::move(*connection);
  } else if (target.type == core::TargetType::kLocal) {
    if (!options.allow_local_targets) {
      return fail(Status::Error(ErrorCode::kForbidden, "local_targets_disabled",
                                "deployment.allow_local_targets is off on this node"));
    }
    host = NewLocalHost();
  } else {
    return fail(Status::Error(
        ErrorCode::kConflict, "target_type_unavailable",
        std::string(core::Name(target.type)) + " targets are not deployed to by this version"));
  }

  InstallSteps steps;
  steps.files = std::move(*files);
  steps.run_id = d.id;
  steps.reload_command = target.reload_command;
  steps.command_timeout = options.command_timeout;
  steps.serial_hex = d.serial_hex;
  steps.verify = VerifySpecOf(binding.verify, options.verify_wait);
  InstallOutcome installed = Install(*host, steps);
  out.status = installed.status;
  out.served_serial = installed.served_serial;
  out.error = installed.error;
  return out;
}

Result<sa::Deployment> DeploymentService::Impl::Finish(sa::Deployment d, const RunOutcome& outcome,
                                                       const std::string& target_name) {
  d.status = outcome.status;
  // Errors carry what servers and commands said: kept displayable, whatever their bytes.
  d.error = DisplayableUtf8(outcome.error);
  d.served_serial = DisplayableUtf8(outcome.served_serial);
  d.finished_at = clock.Now();
  std::vector<sa::NewJob> announce;
  if (d.status != core::DeploymentStatus::kSucceeded) {
    notify::Notification n;
    n.event = "deployment.failed";
    n.account_id = d.account_id;
    n.subject_id = d.id;
    n.subject = "Deploying a certificate to " + target_name + " failed";
    n.text = "Signet could not deploy certificate " + d.certificate_id + " (serial " +
             d.serial_hex + ") to " + target_name +
             ".\n\nStatus: " + std::string(core::Name(d.status)) + "\nReason: " + d.error + "\n";
    SIGNET_ASSIGN_OR_RETURN(announce, notifier.Jobs(n));
  }
  SIGNET_ASSIGN_OR_RETURN(d,
                          storage.UpdateDeployment(d, core::DeploymentStatus::kRunning, announce));
  log::Info("deployment finished", {{"deployment", d.id},
                                    {"status", std::string(core::Name(d.status))},
                                    {"serial", d.serial_hex}});
  return d;
}

Status DeploymentService::RunDeploymentJob(const sa::Job& job) {
  SIGNET_ASSIGN_OR_RETURN(std::string id, JobPayloadField(job.payload, "deployment"));
  SIGNET_ASSIGN_OR_RETURN(sa::Deployment d, impl_->storage.GetDeployment("", id));
  if (core::IsFinal(d.status)) return Status::Ok();
  auto binding = impl_->storage.GetBinding(d.account_id, d.binding_id);
  auto target = impl_->storage.GetDeploymentTarget(d.account_id, d.target_id);
  // An agent's runs wait, pending, until the agent asks for them (NextAgentWork).
  if (target.ok() && target->type == core::TargetType::kAgent) return Status::Ok();
  core::DeploymentStatus expected = d.status;
  d.status = core::DeploymentStatus::kRunning;
  d.attempts += 1;
  if (!d.started_at) d.started_at = impl_->clock.Now();
  SIGNET_ASSIGN_OR_RETURN(d, impl_->storage.UpdateDeployment(d, expected, {}));

  RunOutcome outcome;
  if (!binding.ok() || !target.ok()) {
    outcome.error = "the binding or its target was removed before the deployment ran";
  } else {
    outcome = impl_->Push(d, *target, *binding);
  }
  bool last_attempt = job.attempts >= job.max_attempts;
  if (outcome.retry && !last_attempt) {
    // Recorded for the console, and tried again by the job's backoff; the run stays running.
    d.error = "attempt " + std::to_string(d.attempts) + " failed, trying again: " + outcome.error;
    SIGNET_ASSIGN_OR_RETURN(
        d, impl_->storage.UpdateDeployment(d, core::DeploymentStatus::kRunning, {}));
    return UnavailableError(outcome.error);
  }
  auto finished = impl_->Finish(d, outcome, target.ok() ? target->name : d.target_id);
  if (!finished.ok() && finished.status().reason() != "status_changed") return finished.status();
  return Status::Ok();
}

}  // namespace signet::deploy

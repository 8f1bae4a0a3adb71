// DeploymentService: targets, bindings, the list of runs and the reconciler. The run itself is
// in deployment_run.cc.
#include "signet/deploy/deployment_service.h"

#include "deploy/deployment_impl.h"
#include "signet/common/job_payload.h"
#include "signet/common/log.h"
#include "signet/deploy/ssh_client.h"

namespace signet::deploy {

DeploymentService::DeploymentService(sa::Storage& storage, BundleSource& bundles,
                                     const KeyVault& vault, notify::Notifier& notifier,
                                     const Clock& clock, Random& random, DeploymentOptions options)
    : impl_(new Impl{storage, bundles, vault, notifier, clock, random, std::move(options)}) {}

DeploymentService::~DeploymentService() = default;

sa::Deployment DeploymentService::Impl::NewDeployment(const sa::CertificateBinding& binding,
                                                      const std::string& certificate_id,
                                                      const std::string& serial_hex,
                                                      const std::string& trigger) {
  sa::Deployment d;
  d.id = ids.New("dep");
  d.account_id = binding.account_id;
  d.binding_id = binding.id;
  d.target_id = binding.target_id;
  d.certificate_id = certificate_id;
  d.serial_hex = serial_hex;
  d.trigger = trigger;
  return d;
}

sa::NewJob DeploymentService::Impl::JobFor(const sa::Deployment& d) const {
  return {kRunJobKind, EncodeJobPayload({{"deployment", d.id}}), clock.Now(), options.max_attempts};
}

Result<sa::ManagedCertificate> DeploymentService::Impl::Newest(const std::string& account_id,
                                                               const std::string& lineage_id) {
  // A lineage is a handful of certificates (one per reissue or renewal): read them all.
  sa::CertificateFilter filter;
  filter.include_hidden = true;
  filter.lineage_id = lineage_id;
  sa::PageRequest page{500, ""};
  std::optional<sa::ManagedCertificate> newest;
  while (true) {
    SIGNET_ASSIGN_OR_RETURN(auto batch, storage.ListManagedCertificates(account_id, filter, page));
    for (auto& m : batch.items) {
      if (!newest || m.created_at > newest->created_at) newest = std::move(m);
    }
    if (batch.next_after.empty()) break;
    page.after = batch.next_after;
  }
  if (!newest) return NotFoundError("no certificate of lineage " + lineage_id + " in this account");
  return *newest;
}

Result<sa::DeploymentTarget> DeploymentService::CreateTarget(const std::string& account_id,
                                                             const TargetInput& input,
                                                             const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(
      sa::DeploymentTarget t,
      CheckTarget(input, nullptr, impl_->options, impl_->vault, impl_->random, impl_->ids));
  t.account_id = account_id;
  return impl_->storage.CreateDeploymentTarget(t, actor);
}

Result<sa::DeploymentTarget> DeploymentService::UpdateTarget(const std::string& account_id,
                                                             const std::string& id,
                                                             const TargetInput& input,
                                                             const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::DeploymentTarget existing,
                          impl_->storage.GetDeploymentTarget(account_id, id));
  SIGNET_ASSIGN_OR_RETURN(
      sa::DeploymentTarget t,
      CheckTarget(input, &existing, impl_->options, impl_->vault, impl_->random, impl_->ids));
  return impl_->storage.UpdateDeploymentTarget(t, actor);
}

Result<sa::DeploymentTarget> DeploymentService::GetTarget(const std::string& account_id,
                                                          const std::string& id) {
  return impl_->storage.GetDeploymentTarget(account_id, id);
}

Result<std::vector<sa::DeploymentTarget>> DeploymentService::ListTargets(
    const std::string& account_id) {
  return impl_->storage.ListDeploymentTargets(account_id);
}

Status DeploymentService::DeleteTarget(const std::string& account_id, const std::string& id,
                                       const sa::Actor& actor) {
  return impl_->storage.DeleteDeploymentTarget(account_id, id, actor);
}

Result<std::string> DeploymentService::WebhookSecret(const sa::DeploymentTarget& t) const {
  return impl_->vault.Unseal(t.sealed_webhook_secret, SecretContext(t.id, "webhook_secret"));
}

Result<TargetTest> DeploymentService::TestTarget(const std::string& account_id,
                                                 const std::string& id) {
  SIGNET_ASSIGN_OR_RETURN(sa::DeploymentTarget t,
                          impl_->storage.GetDeploymentTarget(account_id, id));
  TargetTest test;
  if (t.type != core::TargetType::kSsh) {
    test.ok = true;
    test.detail = "nothing to connect to before a deployment: " + std::string(core::Name(t.type)) +
                  " targets are tried when a certificate is deployed";
    return test;
  }
  auto presented = HostKeyFingerprint(t.host, t.port, impl_->options.connect_timeout);
  if (presented.ok()) test.host_key = *presented;
  SIGNET_ASSIGN_OR_RETURN(SshTarget ssh, SshTargetOf(t, impl_->vault));
  ssh.timeout = impl_->options.connect_timeout;
  auto connection = SshConnection::Open(ssh);
  if (!connection.ok()) {
    test.detail = connection.status().message();
    return test;
  }
  auto ran = (*connection)->Run("true", impl_->options.connect_timeout);
  test.ok = ran.ok() && ran->exit_status == 0;
  test.detail =
      test.ok
          ? "connected to " + t.host + ", host key matches the pin, logged in as " + t.username
          : "logged in, but running a command failed: " +
                (ran.ok() ? "exit " + std::to_string(ran->exit_status) : ran.status().message());
  return test;
}

Result<BindingView> DeploymentService::Bind(const std::string& account_id,
                                            const std::string& certificate_id,
                                            const std::string& target_id,
                                            const sa::VerifyEndpoint& verify,
                                            const sa::Actor& actor) {
  SIGNET_RETURN_IF_ERROR(CheckVerifyEndpoint(verify));
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, certificate_id));
  SIGNET_ASSIGN_OR_RETURN(sa::DeploymentTarget target,
                          impl_->storage.GetDeploymentTarget(account_id, target_id));
  // The newest certificate of the lineage is the one deployed, whichever of it was named.
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate newest, impl_->Newest(account_id, m.lineage_id));
  // Refused now rather than failing at every run: a target that needs the key Signet lacks.
  SIGNET_ASSIGN_OR_RETURN(CertificateBundle bundle, impl_->bundles.Bundle(account_id, newest.id));
  SIGNET_RETURN_IF_ERROR(FilesFor(target, bundle, impl_->vault, impl_->random).status());
  sa::CertificateBinding b;
  b.id = impl_->ids.New("bind");
  b.account_id = account_id;
  b.target_id = target.id;
  b.lineage_id = m.lineage_id;
  b.certificate_id = m.id;
  b.verify = verify;
  if (!b.verify.host.empty() && b.verify.server_name.empty()) {
    b.verify.server_name = m.names.substr(0, m.names.find(','));
    if (b.verify.server_name.rfind("*.", 0) == 0) b.verify.server_name.clear();
  }
  sa::Deployment first = impl_->NewDeployment(b, newest.id, newest.serial_hex, "binding");
  SIGNET_ASSIGN_OR_RETURN(auto created,
                          impl_->storage.CreateBinding(b, first, impl_->JobFor(first), actor));
  return BindingView{created.first, created.second};
}

Result<std::vector<BindingView>> DeploymentService::ListBindings(
    const std::string& account_id, const std::string& certificate_id) {
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, certificate_id));
  SIGNET_ASSIGN_OR_RETURN(auto bindings, impl_->storage.ListBindings(account_id, m.lineage_id, ""));
  std::vector<BindingView> out;
  for (const auto& b : bindings) {
    BindingView v{b, std::nullopt};
    sa::DeploymentFilter filter;
    filter.binding_id = b.id;
    SIGNET_ASSIGN_OR_RETURN(auto runs, impl_->storage.ListDeployments(account_id, filter, {1, ""}));
    if (!runs.items.empty()) v.last = runs.items.front();
    out.push_back(std::move(v));
  }
  return out;
}

Status DeploymentService::Unbind(const std::string& account_id, const std::string& certificate_id,
                                 const std::string& binding_id, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate m,
                          impl_->storage.GetManagedCertificate(account_id, certificate_id));
  SIGNET_ASSIGN_OR_RETURN(sa::CertificateBinding b,
                          impl_->storage.GetBinding(account_id, binding_id));
  if (b.lineage_id != m.lineage_id) {
    return NotFoundError("certificate " + certificate_id + " has no binding " + binding_id);
  }
  return impl_->storage.DeleteBinding(account_id, binding_id, actor);
}

Result<sa::Deployment> DeploymentService::Redeploy(const std::string& account_id,
                                                   const std::string& binding_id,
                                                   const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::CertificateBinding b,
                          impl_->storage.GetBinding(account_id, binding_id));
  SIGNET_ASSIGN_OR_RETURN(sa::ManagedCertificate newest, impl_->Newest(account_id, b.lineage_id));
  sa::Deployment d = impl_->NewDeployment(b, newest.id, newest.serial_hex, "manual");
  SIGNET_ASSIGN_OR_RETURN(auto created,
                          impl_->storage.CreateDeployment(d, impl_->JobFor(d), false, actor));
  if (!created) return InternalError("the deployment was not stored");
  return *created;
}

Result<sa::Page<sa::Deployment>> DeploymentService::ListDeployments(
    const std::string& account_id, const sa::DeploymentFilter& filter,
    const sa::PageRequest& page) {
  return impl_->storage.ListDeployments(account_id, filter, page);
}

Result<sa::Deployment> DeploymentService::GetDeployment(const std::string& account_id,
                                                        const std::string& id) {
  return impl_->storage.GetDeployment(account_id, id);
}

Result<int> DeploymentService::Reconcile() {
  SIGNET_ASSIGN_OR_RETURN(auto pending,
                          impl_->storage.ListPendingSuccessors(impl_->clock.Now(), 200));
  int started = 0;
  for (const sa::PendingSuccessor& p : pending) {
    sa::Deployment d = impl_->NewDeployment(p.binding, p.certificate_id, p.serial_hex, "successor");
    const sa::Actor system{"system", p.binding.account_id, "system", ""};
    auto created = impl_->storage.CreateDeployment(d, impl_->JobFor(d), true, system);
    if (!created.ok()) {
      log::Error("starting a successor's deployment failed; retried at the next scan",
                 {{"binding", p.binding.id}, {"error", created.status().message()}});
      continue;
    }
    if (*created) ++started;
  }
  return started;
}

}  // namespace signet::deploy

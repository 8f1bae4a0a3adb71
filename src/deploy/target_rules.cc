// What a deployment target and a binding's verify endpoint may be, and the files a target
// receives. Every refusal names the field and says what to change.
#include <cctype>

#include "deploy/deployment_impl.h"
#include "signet/common/json_post.h"
#include "signet/deploy/ssh_client.h"
#include "signet/exports/certificate_exports.h"

namespace signet::deploy {

namespace {

Status Invalid(const std::string& message) { return MalformedError(message, "invalid_target"); }

bool Printable(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// A host name or an IP address literal: letters, digits, '-', '.', ':' (IPv6), '_'.
bool ValidHost(const std::string& host) {
  if (host.empty() || host.size() > 253 || host.front() == '-') return false;
  for (unsigned char c : host) {
    if (!std::isalnum(c) && c != '-' && c != '.' && c != ':' && c != '_') return false;
  }
  return true;
}

Status CheckPath(const char* field, const std::string& path) {
  if (path.empty()) return Status::Ok();
  if (path.front() != '/' || path.size() > 1024 || !Printable(path) ||
      path.find("/../") != std::string::npos || path.back() == '/') {
    return Invalid(std::string("files.") + field +
                   " must be an absolute file path (at most 1024 printable characters, no '..'), "
                   "such as /etc/nginx/tls/example.com.pem");
  }
  return Status::Ok();
}

Status CheckFiles(const sa::TargetFiles& f, bool keystore_password) {
  for (const auto& [field, path] :
       {std::pair<const char*, const std::string&>{"fullchain", f.fullchain},
        {"private_key", f.private_key},
        {"certificate", f.certificate},
        {"chain", f.chain},
        {"pfx", f.pfx},
        {"jks", f.jks}}) {
    SIGNET_RETURN_IF_ERROR(CheckPath(field, path));
  }
  if (f.fullchain.empty() && f.certificate.empty() && f.pfx.empty() && f.jks.empty()) {
    return Invalid(
        "'files' must name where the certificate goes: fullchain (most servers), certificate, "
        "pfx or jks, e.g. {\"fullchain\": \"/etc/nginx/tls/site.pem\", \"private_key\": "
        "\"/etc/nginx/tls/site.key\"}");
  }
  if ((!f.pfx.empty() || !f.jks.empty()) && !keystore_password) {
    return Invalid("'keystore_password' is needed for files.pfx and files.jks");
  }
  return Status::Ok();
}

std::string Seal(const KeyVault& vault, const std::string& id, const char* field,
                 const std::string& plain) {
  return plain.empty() ? std::string() : vault.Seal(plain, SecretContext(id, field));
}

}  // namespace

Status CheckVerifyEndpoint(const sa::VerifyEndpoint& v) {
  if (v.host.empty()) return Status::Ok();
  if (!ValidHost(v.host)) {
    return Invalid("verify.host must be a host name or an IP address, such as www.example.com");
  }
  if (v.port < 1 || v.port > 65535) return Invalid("verify.port must be 1-65535");
  if (!v.server_name.empty() && !ValidHost(v.server_name)) {
    return Invalid("verify.server_name must be a host name (the SNI the server expects)");
  }
  static const char* kProtocols[] = {"https", "tls", "smtp", "imap", "pop3"};
  for (const char* p : kProtocols) {
    if (v.protocol == p) return Status::Ok();
  }
  return Invalid("verify.protocol must be https, tls, smtp, imap or pop3");
}

Result<sa::DeploymentTarget> CheckTarget(const TargetInput& in,
                                         const sa::DeploymentTarget* existing,
                                         const DeploymentOptions& options, const KeyVault& vault,
                                         Random& random, IdGenerator& ids) {
  sa::DeploymentTarget t;
  if (existing != nullptr) {
    t = *existing;
    if (in.type && *in.type != t.type) {
      return Invalid("a target's type cannot change; create a new target instead");
    }
  } else {
    if (!in.type) return Invalid("'type' is required: ssh, agent, local or webhook");
    t.type = *in.type;
    t.id = ids.New("tgt");
  }
  if (!in.name.empty() || existing == nullptr) t.name = in.name;
  if (t.name.empty() || t.name.size() > 100 || !Printable(t.name)) {
    return Invalid("'name' is required: at most 100 printable characters, such as \"web-1 nginx\"");
  }
  if (in.files) t.files = *in.files;
  if (in.reload_command) t.reload_command = *in.reload_command;
  if (t.reload_command.size() > 2000 || t.reload_command.find('\0') != std::string::npos) {
    return Invalid("'reload_command' is at most 2000 characters");
  }
  if (!in.keystore_password.empty()) {
    t.sealed_keystore_password = Seal(vault, t.id, "keystore_password", in.keystore_password);
  }
  switch (t.type) {
    case core::TargetType::kSsh: {
      if (!in.host.empty()) t.host = in.host;
      if (in.port) t.port = *in.port;
      if (!in.username.empty()) t.username = in.username;
      if (!in.host_key.empty()) t.host_key = in.host_key;
      if (!ValidHost(t.host)) {
        return Invalid("'host' must be the server's name or IP address, such as web1.example.com");
      }
      if (t.port < 1 || t.port > 65535) return Invalid("'port' must be 1-65535 (SSH: 22)");
      if (t.username.empty() || t.username.size() > 64 || !Printable(t.username) ||
          t.username.find(' ') != std::string::npos) {
        return Invalid("'username' is required: the account Signet logs in as, such as deploy");
      }
      if (t.host_key.rfind("SHA256:", 0) != 0 || t.host_key.size() != 50) {
        return Invalid(
            "'host_key' must be the server's pinned fingerprint as `ssh-keygen -lf "
            "/etc/ssh/ssh_host_ed25519_key.pub` prints it: SHA256: and 43 characters");
      }
      if (!in.private_key.empty() && !in.password.empty()) {
        return Invalid("give 'private_key' or 'password', not both");
      }
      if (!in.private_key.empty()) {
        SIGNET_RETURN_IF_ERROR(CheckPrivateKey(in.private_key, in.private_key_passphrase));
        // The key is stored as given, with its passphrase sealed beside it.
        t.sealed_private_key = Seal(vault, t.id, "private_key", in.private_key);
        t.sealed_password = Seal(vault, t.id, "private_key_passphrase", in.private_key_passphrase);
      } else if (!in.password.empty()) {
        t.sealed_private_key.clear();
        t.sealed_password = Seal(vault, t.id, "password", in.password);
      }
      if (t.sealed_private_key.empty() && t.sealed_password.empty()) {
        return Invalid("an ssh target needs 'private_key' (recommended) or 'password'");
      }
      SIGNET_RETURN_IF_ERROR(CheckFiles(t.files, !t.sealed_keystore_password.empty()));
      break;
    }
    case core::TargetType::kLocal:
      if (!options.allow_local_targets) {
        return Status::Error(ErrorCode::kForbidden, "local_targets_disabled",
                             "this Signet does not deploy to its own host; the operator can allow "
                             "it with deployment.allow_local_targets = true");
      }
      SIGNET_RETURN_IF_ERROR(CheckFiles(t.files, !t.sealed_keystore_password.empty()));
      break;
    case core::TargetType::kWebhook:
      if (!in.url.empty()) t.url = in.url;
      if (!IsAcceptableWebhookUrl(t.url)) {
        return Invalid("'url' must be an https:// URL (at most 500 characters, no credentials)");
      }
      if (existing == nullptr) {
        t.sealed_webhook_secret = Seal(vault, t.id, "webhook_secret", random.Token(32));
      }
      break;
    case core::TargetType::kAgent:
      // The agent writes the files and runs the command its own host's configuration names:
      // a Signet that is taken over still cannot make it run anything else.
      if (!t.files.fullchain.empty() || !t.files.private_key.empty() ||
          !t.files.certificate.empty() || !t.files.chain.empty() || !t.files.pfx.empty() ||
          !t.files.jks.empty() || !t.reload_command.empty() ||
          !t.sealed_keystore_password.empty()) {
        return Invalid(
            "an agent's files, keystore password and reload command are set in the agent's own "
            "configuration on its host (signet agent), not here; give an agent target only a "
            "name");
      }
      break;
  }
  return t;
}

Result<std::vector<RemoteFile>> FilesFor(const sa::DeploymentTarget& target,
                                         const CertificateBundle& bundle, const KeyVault& vault,
                                         Random& random) {
  const sa::TargetFiles& f = target.files;
  bool needs_key = !f.private_key.empty() || !f.pfx.empty() || !f.jks.empty();
  if (needs_key && bundle.private_key_pem.empty()) {
    return Status::Error(ErrorCode::kConflict, "no_private_key",
                         "Signet does not hold this certificate's private key (it was issued for "
                         "a CSR, or uploaded without its key), so it cannot write files." +
                             std::string(f.private_key.empty() ? "pfx/jks" : "private_key") +
                             "; remove that file from the target or deploy a certificate whose "
                             "key Signet generated");
  }
  std::vector<RemoteFile> files;
  auto add = [&](const std::string& path, std::string content, int mode) {
    if (!path.empty()) files.push_back({path, std::move(content), mode});
  };
  add(f.fullchain, bundle.certificate_pem + bundle.intermediates_pem, 0644);
  add(f.certificate, bundle.certificate_pem, 0644);
  add(f.chain, bundle.intermediates_pem, 0644);
  add(f.private_key, bundle.private_key_pem, 0600);
  if (!f.pfx.empty() || !f.jks.empty()) {
    SIGNET_ASSIGN_OR_RETURN(std::string password,
                            vault.Unseal(target.sealed_keystore_password,
                                         SecretContext(target.id, "keystore_password")));
    exports::ExportInput input;
    input.certificate_pem = bundle.certificate_pem;
    input.intermediates_pem = bundle.intermediates_pem;
    input.root_pem = bundle.root_pem;
    input.private_key_pem = bundle.private_key_pem;
    input.base_name = bundle.names.substr(0, bundle.names.find(','));
    if (!f.pfx.empty()) {
      SIGNET_ASSIGN_OR_RETURN(std::string pfx, exports::BuildPkcs12(input, password, false));
      add(f.pfx, std::move(pfx), 0600);
    }
    if (!f.jks.empty()) {
      auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
      SIGNET_ASSIGN_OR_RETURN(
          std::string jks,
          exports::BuildJks(input.private_key_pem, input.certificate_pem + input.intermediates_pem,
                            "tomcat", password, random, now));
      add(f.jks, std::move(jks), 0600);
    }
  }
  return files;
}

}  // namespace signet::deploy

#include "signet/deploy/ssh_client.h"

#include <fcntl.h>
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <algorithm>

#include "deploy/place_scripts.h"

namespace signet::deploy {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;

Status Unreachable(const std::string& message) {
  return Status::Error(ErrorCode::kConnection, "ssh_unreachable", message);
}

struct SessionFree {
  void operator()(ssh_session s) const {
    if (ssh_is_connected(s)) ssh_disconnect(s);
    ssh_free(s);
  }
};
using SessionPtr = std::unique_ptr<ssh_session_struct, SessionFree>;

// A session set up to read nothing of the local user's SSH configuration.
Result<SessionPtr> NewSession(const std::string& host, int port, const std::string& username,
                              std::chrono::seconds timeout) {
  if (host.empty() || host.find_first_of("@ \t\r\n") != std::string::npos) {
    return MalformedError("'host' must be a host name or address", "invalid_target");
  }
  if (port < 1 || port > 65535) {
    return MalformedError("'port' must be 1-65535", "invalid_target");
  }
  SessionPtr s(ssh_new());
  if (!s) return InternalError("libssh could not make a session");
  unsigned int p = static_cast<unsigned int>(port);
  long seconds = static_cast<long>(timeout.count());
  int no = 0;
  if (ssh_options_set(s.get(), SSH_OPTIONS_HOST, host.c_str()) != SSH_OK ||
      ssh_options_set(s.get(), SSH_OPTIONS_PORT, &p) != SSH_OK ||
      ssh_options_set(s.get(), SSH_OPTIONS_TIMEOUT, &seconds) != SSH_OK ||
      ssh_options_set(s.get(), SSH_OPTIONS_PROCESS_CONFIG, &no) != SSH_OK ||
      ssh_options_set(s.get(), SSH_OPTIONS_KNOWNHOSTS, "/dev/null") != SSH_OK ||
      ssh_options_set(s.get(), SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null") != SSH_OK ||
      (!username.empty() &&
       ssh_options_set(s.get(), SSH_OPTIONS_USER, username.c_str()) != SSH_OK)) {
    return MalformedError("the SSH target's host, port or username is not usable",
                          "invalid_target");
  }
  if (ssh_connect(s.get()) != SSH_OK) {
    return Unreachable("could not connect to " + host + ":" + std::to_string(port) + " over SSH (" +
                       ssh_get_error(s.get()) + ")");
  }
  return s;
}

Result<std::string> ServerFingerprint(ssh_session s) {
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(s, &key) != SSH_OK) {
    return Unreachable("the server sent no host key");
  }
  unsigned char* hash = nullptr;
  size_t length = 0;
  int rc = ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length);
  ssh_key_free(key);
  if (rc != 0) return InternalError("could not hash the server's host key");
  char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
  ssh_clean_pubkey_hash(&hash);
  if (text == nullptr) return InternalError("could not print the host key's fingerprint");
  std::string fingerprint = text;
  ssh_string_free_char(text);
  return fingerprint;
}

}  // namespace

struct SshConnection::Impl {
  SessionPtr session;
  sftp_session sftp = nullptr;
  std::chrono::seconds timeout;

  ~Impl() {
    if (sftp != nullptr) sftp_free(sftp);
  }

  Status Sftp() {
    if (sftp != nullptr) return Status::Ok();
    sftp = sftp_new(session.get());
    if (sftp == nullptr || sftp_init(sftp) != SSH_OK) {
      return Status::Error(
          ErrorCode::kConnection, "deploy_write_failed",
          std::string("the server offers no SFTP: ") + ssh_get_error(session.get()));
    }
    return Status::Ok();
  }

  Status Write(const RemoteFile& f) {
    std::string temp = f.path + ".signet-new";
    auto failed = [&](const std::string& what) {
      return Status::Error(
          ErrorCode::kConnection, "deploy_write_failed",
          "could not " + what + " " + temp + " (" + ssh_get_error(session.get()) + ")");
    };
    sftp_file file =
        sftp_open(sftp, temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, static_cast<mode_t>(f.mode));
    if (file == nullptr) return failed("create");
    size_t done = 0;
    while (done < f.content.size()) {
      size_t chunk = std::min<size_t>(32 * 1024, f.content.size() - done);
      ssize_t n = sftp_write(file, f.content.data() + done, chunk);
      if (n <= 0) {
        sftp_close(file);
        return failed("write");
      }
      done += static_cast<size_t>(n);
    }
    if (sftp_close(file) != SSH_OK) return failed("close");
    // The server's umask applied at creation: set the mode the file must have.
    if (sftp_chmod(sftp, temp.c_str(), static_cast<mode_t>(f.mode)) != SSH_OK) {
      return failed("set the mode of");
    }
    return Status::Ok();
  }
};

SshConnection::SshConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SshConnection::~SshConnection() = default;

namespace {

// No callback is given, so an encrypted key without its passphrase fails instead of prompting.
Result<ssh_key> ImportPrivateKey(const std::string& pem, const std::string& passphrase) {
  ssh_key key = nullptr;
  if (pem.find('\0') != std::string::npos ||
      ssh_pki_import_privkey_base64(pem.c_str(), passphrase.empty() ? nullptr : passphrase.c_str(),
                                    nullptr, nullptr, &key) != SSH_OK) {
    return MalformedError(
        "'private_key' is not a readable private key (OpenSSH or PEM format), or it is "
        "encrypted and 'private_key_passphrase' is missing or wrong",
        "invalid_target");
  }
  return key;
}

}  // namespace

Status CheckPrivateKey(const std::string& pem, const std::string& passphrase) {
  SIGNET_ASSIGN_OR_RETURN(ssh_key key, ImportPrivateKey(pem, passphrase));
  ssh_key_free(key);
  return Status::Ok();
}

Result<std::unique_ptr<SshConnection>> SshConnection::Open(const SshTarget& t) {
  if (t.username.empty()) return MalformedError("'username' is required", "invalid_target");
  if (t.private_key_pem.empty() == t.password.empty()) {
    return MalformedError("give 'private_key' or 'password' (one of them)", "invalid_target");
  }
  if (t.host_key.rfind("SHA256:", 0) != 0 || t.host_key.size() < 20) {
    return MalformedError(
        "'host_key' must be the server's SHA256 fingerprint as `ssh-keygen -lf "
        "/etc/ssh/ssh_host_ed25519_key.pub` prints it (SHA256:...)",
        "invalid_target");
  }
  SIGNET_ASSIGN_OR_RETURN(SessionPtr s, NewSession(t.host, t.port, t.username, t.timeout));
  SIGNET_ASSIGN_OR_RETURN(std::string fingerprint, ServerFingerprint(s.get()));
  if (fingerprint != t.host_key) {
    // Nothing is sent to a server that is not the pinned one: not even a login attempt.
    return Status::Error(ErrorCode::kConnection, "host_key_mismatch",
                         t.host + " presented the host key " + fingerprint + ", not the pinned " +
                             t.host_key +
                             "; if the server's key really changed, update the target's host_key");
  }
  int rc = SSH_AUTH_DENIED;
  if (!t.private_key_pem.empty()) {
    SIGNET_ASSIGN_OR_RETURN(ssh_key key,
                            ImportPrivateKey(t.private_key_pem, t.private_key_passphrase));
    rc = ssh_userauth_publickey(s.get(), nullptr, key);
    ssh_key_free(key);
  } else {
    rc = ssh_userauth_password(s.get(), nullptr, t.password.c_str());
  }
  if (rc != SSH_AUTH_SUCCESS) {
    return Status::Error(ErrorCode::kConnection, "ssh_auth_failed",
                         t.host + " refused the login of " + t.username + " with the target's " +
                             (t.private_key_pem.empty() ? "password" : "key"));
  }
  auto impl = std::make_unique<Impl>();
  impl->session = std::move(s);
  impl->timeout = t.timeout;
  return std::unique_ptr<SshConnection>(new SshConnection(std::move(impl)));
}

Status SshConnection::Place(const std::vector<RemoteFile>& files, const std::string& run_id) {
  SIGNET_RETURN_IF_ERROR(CheckRemotePaths(files));
  SIGNET_RETURN_IF_ERROR(impl_->Sftp());
  for (const auto& f : files) SIGNET_RETURN_IF_ERROR(impl_->Write(f));
  SIGNET_ASSIGN_OR_RETURN(CommandResult r, Run(PlaceScript(files, run_id), impl_->timeout));
  if (r.exit_status != 0) return ScriptFailure("deploy_write_failed", "placing the files", r);
  return Status::Ok();
}

Status SshConnection::Restore(const std::vector<RemoteFile>& files) {
  SIGNET_RETURN_IF_ERROR(CheckRemotePaths(files));
  SIGNET_ASSIGN_OR_RETURN(CommandResult r, Run(RestoreScript(files), impl_->timeout));
  if (r.exit_status != 0) {
    return ScriptFailure("deploy_restore_failed", "putting the previous files back", r);
  }
  return Status::Ok();
}

Result<CommandResult> SshConnection::Run(const std::string& command,
                                         std::chrono::seconds deadline) {
  ssh_session s = impl_->session.get();
  ssh_channel channel = ssh_channel_new(s);
  if (channel == nullptr) return Unreachable(ssh_get_error(s));
  std::unique_ptr<ssh_channel_struct, void (*)(ssh_channel)> owned(channel, [](ssh_channel c) {
    ssh_channel_close(c);
    ssh_channel_free(c);
  });
  if (ssh_channel_open_session(channel) != SSH_OK ||
      ssh_channel_request_exec(channel, command.c_str()) != SSH_OK) {
    return Unreachable(std::string("could not run a command: ") + ssh_get_error(s));
  }
  CommandResult result;
  size_t out_bytes = 0, err_bytes = 0;
  auto until = std::chrono::steady_clock::now() + deadline;
  char buf[4096];
  // A channel the server closed without an EOF (the command killed) ends the wait too.
  while (!ssh_channel_is_eof(channel) && !ssh_channel_is_closed(channel)) {
    if (std::chrono::steady_clock::now() > until) {
      return Status::Error(
          ErrorCode::kUnavailable, "ssh_timeout",
          "the command did not finish within " + std::to_string(deadline.count()) + " s");
    }
    int n = ssh_channel_read_timeout(channel, buf, sizeof buf, 0, 100);
    if (n == SSH_ERROR)
      return Unreachable(std::string("the connection broke: ") + ssh_get_error(s));
    if (n > 0 && out_bytes < kMaxOutput) {
      result.output.append(buf, static_cast<size_t>(n));
      out_bytes += static_cast<size_t>(n);
    }
    int e = ssh_channel_read_nonblocking(channel, buf, sizeof buf, 1);
    if (e > 0 && err_bytes < kMaxOutput) {
      result.output.append(buf, static_cast<size_t>(e));
      err_bytes += static_cast<size_t>(e);
    }
  }
  for (int is_stderr : {0, 1}) {
    int n;
    while ((n = ssh_channel_read_nonblocking(channel, buf, sizeof buf, is_stderr)) > 0) {
      if (result.output.size() < 2 * kMaxOutput) result.output.append(buf, static_cast<size_t>(n));
    }
  }
  ssh_channel_send_eof(channel);
  result.exit_status = ssh_channel_get_exit_status(channel);
  return result;
}

Result<std::string> HostKeyFingerprint(const std::string& host, int port,
                                       std::chrono::seconds timeout) {
  SIGNET_ASSIGN_OR_RETURN(SessionPtr s, NewSession(host, port, "", timeout));
  return ServerFingerprint(s.get());
}

}  // namespace signet::deploy

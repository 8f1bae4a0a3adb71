// SshClient: Signet's side of SSH push deployment (issue 16), over libssh. It connects only to a
// server whose host key has the pinned SHA256 fingerprint (the target's `host_key`, as
// `ssh-keygen -lf` prints it), logs in with a private key or a password, writes files so a reader
// never sees half of one (written beside the final path, then renamed over it, keeping the
// previous file for rollback), and runs a command with a deadline.
//
// Nothing is read from ~/.ssh: no config, no known_hosts, no agent. Secrets given to it are
// never logged.
//
// Thread-safety: an SshConnection is used by one thread at a time; distinct connections are
// independent.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "signet/common/status.h"
#include "signet/deploy/target_host.h"

namespace signet::deploy {

struct SshTarget {
  std::string host;  // a name or an address
  int port = 22;
  std::string username;
  std::string private_key_pem;         // OpenSSH or PEM format; or
  std::string private_key_passphrase;  // for an encrypted key (never prompted for)
  std::string password;
  std::string host_key;  // the pinned fingerprint, "SHA256:<base64>"
  std::chrono::seconds timeout{15};
};

class SshConnection final : public TargetHost {
 public:
  // Connects, checks the host key against the pin, and logs in. Refusals: 400 invalid_target
  // (missing fields, a pin not of the SHA256:... form), 502 ssh_unreachable, 502
  // host_key_mismatch (the server's fingerprint is named), 502 ssh_auth_failed.
  static Result<std::unique_ptr<SshConnection>> Open(const SshTarget& target);
  ~SshConnection();
  SshConnection(const SshConnection&) = delete;
  SshConnection& operator=(const SshConnection&) = delete;

  // TargetHost, over SFTP and one shell command each (the login shell runs commands).
  Status Place(const std::vector<RemoteFile>& files, const std::string& run_id) override;
  Status Restore(const std::vector<RemoteFile>& files) override;
  Result<CommandResult> Run(const std::string& command, std::chrono::seconds deadline) override;

 private:
  struct Impl;
  explicit SshConnection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The SHA256 fingerprint of the server's host key ("SHA256:..."), without logging in: what the
// console shows for the operator to compare and pin.
Result<std::string> HostKeyFingerprint(const std::string& host, int port,
                                       std::chrono::seconds timeout);

// Whether `pem` is a private key libssh can log in with (never prompts for a passphrase):
// 400 invalid_target otherwise.
Status CheckPrivateKey(const std::string& pem, const std::string& passphrase);

}  // namespace signet::deploy

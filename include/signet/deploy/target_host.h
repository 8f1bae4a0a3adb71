// TargetHost: the machine a deployment writes to, as the deployment run sees it: place files (each
// atomically, the previous ones kept), put the previous ones back, run a command. Implemented by
// SshConnection (a remote server) and LocalHost (Signet's own machine).
//
// Thread-safety: an instance is used by one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "signet/common/status.h"

namespace signet::deploy {

// A file to place: its content and mode (e.g. 0600 for a private key).
struct RemoteFile {
  std::string path;  // absolute
  std::string content;
  int mode = 0644;
};

struct CommandResult {
  int exit_status = -1;
  std::string output;  // stdout and stderr, at most 64 KiB of each
};

class TargetHost {
 public:
  virtual ~TargetHost() = default;
  // Writes every file beside its path ("<path>.signet-new", mode set), then keeps each existing
  // file as "<path>.signet-previous" and renames the new one over it: all files change together,
  // each atomically. "<path>.signet-run" records `run_id`: placing again in the same run (resumed
  // after a crash) keeps the previous files of its first placing. 502 deploy_write_failed says
  // which path failed.
  virtual Status Place(const std::vector<RemoteFile>& files, const std::string& run_id) = 0;
  // Puts back what Place replaced: each "<path>.signet-previous" over its path, and a path that
  // did not exist before is removed. Idempotent.
  virtual Status Restore(const std::vector<RemoteFile>& files) = 0;
  // Runs `command` through the shell; its exit status and output, or 504 ssh_timeout.
  virtual Result<CommandResult> Run(const std::string& command, std::chrono::seconds deadline) = 0;
};

// Signet's own machine, or the agent's (local targets; signet agent). Files are written as the
// process's user; commands run through /bin/sh in their own process group, killed at the
// deadline.
std::unique_ptr<TargetHost> NewLocalHost();

// `text` quoted for a POSIX shell as one word.
std::string ShellQuote(const std::string& text);

}  // namespace signet::deploy

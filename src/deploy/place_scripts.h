// The shell scripts that make TargetHost's file changes, the same for a remote server (over SSH)
// and for Signet's own host, so both keep and restore previous files the same way. Private to
// the deploy module.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "signet/common/status.h"
#include "signet/deploy/target_host.h"

namespace signet::deploy {

// Every path absolute and printable: 400 invalid_target otherwise.
Status CheckRemotePaths(const std::vector<RemoteFile>& files);
// Run once each "<path>.signet-new" is written: keeps each current file as
// "<path>.signet-previous" (unless this run placed it already), renames the new ones over the
// paths, and records the run in "<path>.signet-run".
std::string PlaceScript(const std::vector<RemoteFile>& files, const std::string& run_id);
// Copies each "<path>.signet-previous" back over its path (a path without one is removed).
std::string RestoreScript(const std::vector<RemoteFile>& files);
// A script's failure as a Status: `reason` with the exit status and the start of the output.
Status ScriptFailure(const char* reason, const char* what, const CommandResult& result);

}  // namespace signet::deploy

// Install: one deployment run's steps on a TargetHost, shared by signetd (ssh and local
// targets) and `signet agent`: place the files, run the reload command, check that the endpoint
// serves the new certificate, and when the reload or the check fails put the previous files
// back and reload them (rolled_back).
//
// Thread-safety: free functions; the host is used by the calling thread only.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "signet/core/deployment_state.h"
#include "signet/deploy/target_host.h"
#include "signet/probe/tls_probe.h"

namespace signet::deploy {

struct InstallOutcome {
  core::DeploymentStatus status = core::DeploymentStatus::kFailed;
  std::string served_serial;
  std::string error;  // in words, for the run's record
};

// Where the result is checked, and how long the server may take to serve it (a reload is
// asynchronous: nginx's old workers finish their connections first).
struct VerifySpec {
  probe::Endpoint endpoint;  // host empty: no check
  std::chrono::seconds wait{20};
};

struct InstallSteps {
  std::vector<RemoteFile> files;
  std::string run_id;  // the deployment's id (TargetHost::Place)
  std::string reload_command;
  std::chrono::seconds command_timeout{60};
  std::string serial_hex;  // what the endpoint must serve
  VerifySpec verify;
};

InstallOutcome Install(TargetHost& host, const InstallSteps& steps);

// Probes the endpoint until it serves `serial_hex` or `wait` has passed: succeeded with the
// served serial, or failed with what was served or why the check failed.
InstallOutcome VerifyServed(const VerifySpec& verify, const std::string& serial_hex);

// Serials compared as numbers written in hex (case and leading zeros aside).
bool SameSerial(std::string a, std::string b);

}  // namespace signet::deploy

#include "signet/deploy/install.h"

#include <cctype>
#include <thread>

#include "signet/common/crash_point.h"
#include "signet/common/encoding.h"

namespace signet::deploy {

namespace {

// A command's output for the run's record: the start of it, as displayable text.
std::string Cut(const std::string& text, size_t n) {
  return DisplayableUtf8(text.size() <= n ? text : text.substr(0, n) + "...");
}

}  // namespace

bool SameSerial(std::string a, std::string b) {
  auto canonical = [](std::string& s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t nonzero = s.find_first_not_of('0');
    s = nonzero == std::string::npos ? "0" : s.substr(nonzero);
  };
  canonical(a);
  canonical(b);
  return a == b;
}

InstallOutcome VerifyServed(const VerifySpec& verify, const std::string& serial_hex) {
  InstallOutcome out;
  const probe::Endpoint& e = verify.endpoint;
  std::string where = e.host + ":" + std::to_string(e.port);
  auto until = std::chrono::steady_clock::now() + verify.wait;
  while (true) {
    auto served = probe::Probe(e);
    if (served.ok()) {
      out.served_serial = served->leaf_serial_hex;
      if (SameSerial(served->leaf_serial_hex, serial_hex)) {
        out.status = core::DeploymentStatus::kSucceeded;
        out.error.clear();
        return out;
      }
      out.error = where + " still serves serial " + served->leaf_serial_hex +
                  ", not the deployed " + serial_hex;
    } else {
      out.error = "checking " + where + " failed: " + served.status().message();
    }
    if (std::chrono::steady_clock::now() >= until) return out;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

InstallOutcome Install(TargetHost& host, const InstallSteps& steps) {
  InstallOutcome out;
  Status placed = host.Place(steps.files, steps.run_id);
  CrashPoint("deploy.files_placed");
  // From here on the files may have changed: every failure puts the previous ones back.
  auto roll_back = [&](const std::string& why) {
    out.status = core::DeploymentStatus::kRolledBack;
    out.error = why;
    Status restored = host.Restore(steps.files);
    if (!restored.ok()) {
      out.status = core::DeploymentStatus::kFailed;
      out.error = why + "; putting the previous files back failed too: " + restored.message();
      return out;
    }
    if (!steps.reload_command.empty()) {
      auto reloaded = host.Run(steps.reload_command, steps.command_timeout);
      out.error += !reloaded.ok() || reloaded->exit_status != 0
                       ? "; the previous files are back, but reloading them failed too"
                       : "; the previous files are back and reloaded";
    } else {
      out.error += "; the previous files are back";
    }
    return out;
  };
  if (!placed.ok()) return roll_back("writing the files failed: " + placed.message());
  if (!steps.reload_command.empty()) {
    auto reloaded = host.Run(steps.reload_command, steps.command_timeout);
    CrashPoint("deploy.reloaded");
    if (!reloaded.ok()) {
      return roll_back("the reload command failed: " + reloaded.status().message());
    }
    if (reloaded->exit_status != 0) {
      return roll_back("the reload command failed (exit " + std::to_string(reloaded->exit_status) +
                       "): " + Cut(reloaded->output, 500));
    }
  }
  if (steps.verify.endpoint.host.empty()) {
    out.status = core::DeploymentStatus::kSucceeded;
    return out;
  }
  InstallOutcome checked = VerifyServed(steps.verify, steps.serial_hex);
  if (checked.status == core::DeploymentStatus::kSucceeded) return checked;
  InstallOutcome back = roll_back(checked.error);
  back.served_serial = checked.served_serial;
  return back;
}

}  // namespace signet::deploy

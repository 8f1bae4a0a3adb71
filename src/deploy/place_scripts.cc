#include "deploy/place_scripts.h"

namespace signet::deploy {

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Status CheckRemotePaths(const std::vector<RemoteFile>& files) {
  for (const auto& f : files) {
    bool printable = true;
    for (unsigned char c : f.path) printable = printable && c >= 0x20 && c != 0x7f;
    if (f.path.empty() || f.path.front() != '/' || !printable) {
      return MalformedError("file paths must be absolute and printable, not '" + f.path + "'",
                            "invalid_target");
    }
  }
  return Status::Ok();
}

std::string PlaceScript(const std::vector<RemoteFile>& files, const std::string& run_id) {
  std::string script = "set -e", run = ShellQuote(run_id);
  for (const auto& f : files) {
    std::string p = ShellQuote(f.path), previous = ShellQuote(f.path + ".signet-previous");
    // Placed by this very run already (it is resumed after a crash): the previous file kept
    // then is the one to restore, so it stays. Otherwise the current file is kept, even when
    // it is the same, so a rollback puts back exactly what was there.
    script += "; if cmp -s " + ShellQuote(f.path + ".signet-new") + " " + p + " && [ \"$(cat " +
              ShellQuote(f.path + ".signet-run") + " 2>/dev/null)\" = " + run +
              " ]; then :; elif [ -e " + p + " ]; then cp -p " + p + " " + previous +
              "; else rm -f " + previous + "; fi";
  }
  for (const auto& f : files) {
    script += "; mv -f " + ShellQuote(f.path + ".signet-new") + " " + ShellQuote(f.path) +
              "; printf %s " + run + " > " + ShellQuote(f.path + ".signet-run");
  }
  return script;
}

std::string RestoreScript(const std::vector<RemoteFile>& files) {
  // Copied back, not moved: restoring twice gives the same files.
  std::string script = "set -e";
  for (const auto& f : files) {
    std::string p = ShellQuote(f.path), previous = ShellQuote(f.path + ".signet-previous"),
                back = ShellQuote(f.path + ".signet-back");
    script += "; if [ -e " + previous + " ]; then cp -p " + previous + " " + back + " && mv -f " +
              back + " " + p + "; else rm -f " + p + "; fi";
  }
  return script;
}

Status ScriptFailure(const char* reason, const char* what, const CommandResult& r) {
  return Status::Error(ErrorCode::kConnection, reason,
                       std::string(what) + " failed (exit " + std::to_string(r.exit_status) +
                           "): " + r.output.substr(0, 500));
}

}  // namespace signet::deploy

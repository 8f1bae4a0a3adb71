// LocalHost: the machine the process runs on as a deployment target: Signet's own (local
// targets, which the operator allows with deployment.allow_local_targets) or the agent's.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "deploy/place_scripts.h"
#include "signet/deploy/target_host.h"

extern char** environ;

namespace signet::deploy {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;

Status WriteFailed(const std::string& path, int error) {
  return Status::Error(ErrorCode::kConnection, "deploy_write_failed",
                       "writing " + path + " failed: " + std::strerror(error));
}

class LocalHost final : public TargetHost {
 public:
  Status Place(const std::vector<RemoteFile>& files, const std::string& run_id) override {
    SIGNET_RETURN_IF_ERROR(CheckRemotePaths(files));
    for (const auto& f : files) SIGNET_RETURN_IF_ERROR(Write(f));
    SIGNET_ASSIGN_OR_RETURN(CommandResult r,
                            Run(PlaceScript(files, run_id), std::chrono::seconds(60)));
    if (r.exit_status != 0) return ScriptFailure("deploy_write_failed", "placing the files", r);
    return Status::Ok();
  }

  Status Restore(const std::vector<RemoteFile>& files) override {
    SIGNET_RETURN_IF_ERROR(CheckRemotePaths(files));
    SIGNET_ASSIGN_OR_RETURN(CommandResult r, Run(RestoreScript(files), std::chrono::seconds(60)));
    if (r.exit_status != 0) {
      return ScriptFailure("deploy_restore_failed", "putting the previous files back", r);
    }
    return Status::Ok();
  }

  Result<CommandResult> Run(const std::string& command, std::chrono::seconds deadline) override {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return InternalError("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so a timeout kills what the command started too.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = 0;
    int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(out[1]);
    if (rc != 0) {
      close(out[0]);
      return InternalError(std::string("starting /bin/sh failed: ") + std::strerror(rc));
    }
    CommandResult result;
    auto until = std::chrono::steady_clock::now() + deadline;
    bool timed_out = false;
    char buf[4096];
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      until - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) {
        timed_out = true;
        break;
      }
      pollfd p{out[0], POLLIN, 0};
      int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;  // the command and everything it started closed the output
      if (result.output.size() < kMaxOutput) {
        result.output.append(buf, static_cast<size_t>(std::min<ssize_t>(
                                      n, static_cast<ssize_t>(kMaxOutput - result.output.size()))));
      }
    }
    close(out[0]);
    if (timed_out) kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
      return Status::Error(
          ErrorCode::kUnavailable, "ssh_timeout",
          "the command did not finish within " + std::to_string(deadline.count()) + " s");
    }
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
  }

 private:
  static Status Write(const RemoteFile& f) {
    std::string temp = f.path + ".signet-new";
    int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                  static_cast<mode_t>(f.mode));
    if (fd < 0) return WriteFailed(temp, errno);
    // The mode is set whatever the umask, before any content is written.
    bool ok = fchmod(fd, static_cast<mode_t>(f.mode)) == 0;
    size_t done = 0;
    while (ok && done < f.content.size()) {
      ssize_t n = write(fd, f.content.data() + done, f.content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) done += static_cast<size_t>(n);
    }
    ok = ok && fsync(fd) == 0;
    int error = errno;
    close(fd);
    if (!ok) return WriteFailed(temp, error);
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<TargetHost> NewLocalHost() { return std::make_unique<LocalHost>(); }

}  // namespace signet::deploy

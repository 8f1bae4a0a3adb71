#include "signet/common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace signet {

Status WriteFileAtomically(const std::string& path, const std::string& content, mode_t mode) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return Status::Error(ErrorCode::kMalformed, "folder_missing",
                         "the folder " + folder.string() + " does not exist; create it first");
  }
  std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  // O_EXCL with the mode given here: the file never exists with default permissions.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return UnavailableError("cannot create " + tmp + ": " + std::strerror(errno));
  }
  ::fchmod(fd, mode);  // the umask may have narrowed it; never widened beyond `mode`
  size_t written = 0;
  bool ok = true;
  while (ok && written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return UnavailableError("cannot write " + path + ": " + why);
  }
  return Status::Ok();
}

}  // namespace signet

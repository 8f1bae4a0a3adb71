#include "sa/sqlite_wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "signet/common/log.h"

namespace signet::sa {

std::unique_ptr<SqliteWalSync> SqliteWalSync::Open(const std::string& database_path) {
  int fd = ::open((database_path + "-wal").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::unique_ptr<SqliteWalSync>(new SqliteWalSync(fd));
}

SqliteWalSync::~SqliteWalSync() { ::close(fd_); }

uint64_t SqliteWalSync::Committed() {
  std::lock_guard lock(mu_);
  return ++committed_;
}

Status SqliteWalSync::WaitDurable(uint64_t ticket) {
  std::unique_lock lock(mu_);
  while (durable_ < ticket) {
    if (flushing_) {
      flushed_cv_.wait(lock);
      continue;
    }
    // Every commit with a ticket up to `covered` has written its frames: one flush covers them.
    flushing_ = true;
    uint64_t covered = committed_;
    lock.unlock();
    int rc = ::fdatasync(fd_);
    int error = errno;
    lock.lock();
    flushing_ = false;
    ++flushes_;
    flushed_cv_.notify_all();
    if (rc != 0) {
      log::Error("flushing the SQLite write-ahead log failed", {{"error", std::strerror(error)}});
      return UnavailableError(
          "the database could not flush its log to disk; the change may be lost, try again");
    }
    if (covered > durable_) durable_ = covered;
  }
  return Status::Ok();
}

uint64_t SqliteWalSync::commits() const {
  std::lock_guard lock(mu_);
  return committed_;
}

uint64_t SqliteWalSync::flushes() const {
  std::lock_guard lock(mu_);
  return flushes_;
}

}  // namespace signet::sa

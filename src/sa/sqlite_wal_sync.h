// SqliteWalSync: group commit for SQLite in WAL mode. Private to sa.
//
// With synchronous=FULL, SQLite fsyncs the write-ahead log inside every COMMIT, while the one
// write lock is held: every writer waits for every earlier writer's disk flush in turn. Signet
// instead commits with synchronous=NORMAL (the frames are written to the WAL, not flushed) and
// then, outside the write lock, waits here until a flush of the WAL covers its commit. One
// fdatasync covers every commit that returned before it started, so concurrent writers share
// flushes. No caller is told its transaction is stored before it is on stable storage: the same
// durability as FULL, as PostgreSQL's group commit gives.
//
// Why this is sound: fdatasync on any descriptor of a file flushes the file's dirty pages, however
// they were written; SQLite keeps the WAL file (same inode) while any connection is open, and
// this process keeps its connections open; frames that a checkpoint moves into the database
// file are flushed by the checkpoint itself (it syncs the WAL, then the database, even at
// NORMAL), before the WAL is reused.
//
// Thread-safety: thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "signet/common/status.h"

namespace signet::sa {

class SqliteWalSync {
 public:
  // Opens `database_path` + "-wal", which must exist (journal_mode=WAL set on an open connection).
  // nullptr when it cannot be opened: the caller keeps synchronous=FULL.
  static std::unique_ptr<SqliteWalSync> Open(const std::string& database_path);
  ~SqliteWalSync();
  SqliteWalSync(const SqliteWalSync&) = delete;
  SqliteWalSync& operator=(const SqliteWalSync&) = delete;

  // Called right after a COMMIT (or an autocommit write) returned, before the write lock is let
  // go: the commit's ticket, in commit order.
  uint64_t Committed();
  // Returns once the commit with `ticket`, and every one before it, is on stable storage.
  Status WaitDurable(uint64_t ticket);

  // Flushes made so far, and commits (a test sees commits sharing flushes; the log says how
  // many did at shutdown).
  uint64_t flushes() const;
  uint64_t commits() const;

 private:
  explicit SqliteWalSync(int fd) : fd_(fd) {}

  const int fd_;
  mutable std::mutex mu_;
  std::condition_variable flushed_cv_;
  uint64_t committed_ = 0;  // the last ticket handed out
  uint64_t durable_ = 0;    // every ticket up to this one is flushed
  bool flushing_ = false;   // one waiter flushes; the others wait for its result
  uint64_t flushes_ = 0;
};

}  // namespace signet::sa

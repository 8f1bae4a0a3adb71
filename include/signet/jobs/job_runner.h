// JobRunner: executes durable background jobs (validation retries, issuance, notifications, CRLs)
// from the storage job queue. A failed attempt is retried with exponential backoff until the job's
// max_attempts, then stays visible as `failed` with its last error (GET /api/v1/jobs).
// Several signetd nodes may run runners against one PostgreSQL database.
//
// Thread-safety: Register/AddPeriodic before Start; Wake, RunOnce and Stop from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet::jobs {

struct JobRunnerOptions {
  std::string worker_id;  // unique per process, e.g. host:pid
  int threads = 1;
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::seconds lease{300};  // a job held longer than this is presumed abandoned
  std::chrono::seconds base_delay{5};
  std::chrono::seconds max_delay{3600};
};

class JobRunner {
 public:
  // A handler's non-OK status is an attempt failure; its message is recorded as last_error.
  using Handler = std::function<Status(const sa::Job&)>;

  JobRunner(sa::JobStore& store, const Clock& clock, JobRunnerOptions options);
  ~JobRunner();

  void Register(const std::string& kind, Handler handler);
  // Runs `task` every `interval` on a runner thread (in-process housekeeping, not queued).
  void AddPeriodic(const std::string& name, std::chrono::seconds interval,
                   std::function<void()> task);

  void Start();
  // Finishes the jobs in progress, then returns. Idempotent.
  void Stop();
  // Polls now instead of at the next interval (after enqueueing, for latency).
  void Wake();
  // Claims and runs due jobs on the calling thread; returns how many ran. For tests and workers.
  int RunOnce();

  // Delay before the attempt after `attempts` failures: base * 2^(attempts-1), capped.
  std::chrono::seconds BackoffAfter(int attempts) const;

 private:
  void WorkerLoop();
  void RunPeriodicTasks();

  sa::JobStore& store_;
  const Clock& clock_;
  JobRunnerOptions options_;
  std::map<std::string, Handler> handlers_;
  struct Periodic {
    std::string name;
    std::chrono::seconds interval;
    std::function<void()> task;
    std::chrono::steady_clock::time_point next;
  };
  std::vector<Periodic> periodic_;
  std::mutex periodic_mu_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
};

}  // namespace signet::jobs

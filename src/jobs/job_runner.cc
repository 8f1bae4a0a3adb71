#include "signet/jobs/job_runner.h"

#include "signet/common/log.h"

namespace signet::jobs {

JobRunner::JobRunner(sa::JobStore& store, const Clock& clock, JobRunnerOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Register(const std::string& kind, Handler handler) {
  handlers_[kind] = std::move(handler);
}

void JobRunner::AddPeriodic(const std::string& name, std::chrono::seconds interval,
                            std::function<void()> task) {
  periodic_.push_back({name, interval, std::move(task), std::chrono::steady_clock::now()});
}

void JobRunner::Start() {
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] { WorkerLoop(); });
  }
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void JobRunner::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

std::chrono::seconds JobRunner::BackoffAfter(int attempts) const {
  auto delay = options_.base_delay;
  for (int i = 1; i < attempts && delay < options_.max_delay; ++i) delay *= 2;
  return std::min(delay, options_.max_delay);
}

int JobRunner::RunOnce() {
  // Claim only kinds this runner can handle? Every node registers the same kinds, so a claimed
  // unknown kind means a version skew: fail it visibly rather than hold it.
  auto claimed = store_.ClaimJobs(options_.worker_id, clock_.Now(), options_.lease, 8);
  if (!claimed.ok()) {
    log::Warn("could not claim jobs", {{"error", claimed.status().ToString()}});
    return 0;
  }
  int ran = 0;
  for (const sa::Job& job : *claimed) {
    ++ran;
    auto it = handlers_.find(job.kind);
    Status result = Status::Error(ErrorCode::kInternal, "unknown_job_kind",
                                  "no handler for job kind '" + job.kind + "'");
    if (it != handlers_.end()) {
      // A handler's bug (an exception) fails the attempt, visibly, instead of ending signetd.
      try {
        result = it->second(job);
      } catch (const std::exception& e) {
        result = InternalError(std::string("the job's handler failed: ") + e.what());
      }
    }
    Status recorded;
    if (result.ok()) {
      recorded = store_.CompleteJob(job.id, options_.worker_id);
    } else {
      std::optional<TimePoint> retry;
      if (job.attempts < job.max_attempts && result.reason() != "unknown_job_kind") {
        retry = clock_.Now() + BackoffAfter(job.attempts);
      }
      log::Warn(retry ? "job attempt failed; will retry" : "job failed for good",
                {{"job_id", job.id},
                 {"kind", job.kind},
                 {"attempt", job.attempts},
                 {"error", result.message()}});
      recorded = store_.FailJob(job.id, options_.worker_id, result.message(), retry);
    }
    if (!recorded.ok()) {
      log::Warn("could not record a job outcome",
                {{"job_id", job.id}, {"error", recorded.ToString()}});
    }
  }
  return ran;
}

void JobRunner::RunPeriodicTasks() {
  std::unique_lock lock(periodic_mu_, std::try_to_lock);
  if (!lock.owns_lock()) return;  // another runner thread is on it
  auto now = std::chrono::steady_clock::now();
  for (Periodic& p : periodic_) {
    if (now < p.next) continue;
    p.next = now + p.interval;
    try {
      p.task();
    } catch (const std::exception& e) {
      log::Error("periodic task failed", {{"task", p.name}, {"error", e.what()}});
    }
  }
}

void JobRunner::WorkerLoop() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    RunPeriodicTasks();
    int ran = RunOnce();
    if (ran > 0) continue;  // there may be more due right away
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

}  // namespace signet::jobs

// WorkQueue: a fixed set of threads running posted tasks in order of posting. For work that
// must not hold a request thread (e.g. an ACME challenge check) but whose durable fallback is
// elsewhere (a queued job): tasks still queued at Stop are dropped.
//
// Thread-safety: Post and Stop may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace signet {

class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // False after Stop.
  bool Post(std::function<void()> task);
  // Lets the running tasks finish, drops the queued ones, joins the threads. Idempotent.
  void Stop();

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace signet

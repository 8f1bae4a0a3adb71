#include "signet/jobs/job_runner.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "testing/test_database.h"

namespace signet::jobs {
namespace {

class JobRunnerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    storage_ = testing::OpenFreshStorage(GetParam(), clock_, random_);
    ASSERT_NE(storage_, nullptr);
  }
  ManualClock clock_{testing::TestEpoch()};
  SystemRandom random_;
  std::unique_ptr<sa::Storage> storage_;
};

TEST_P(JobRunnerTest, RetriesWithBackoffThenSucceeds) {
  JobRunner runner(*storage_, clock_,
                   {"w", 1, std::chrono::milliseconds(10), std::chrono::seconds(60),
                    std::chrono::seconds(5), std::chrono::seconds(60)});
  int calls = 0;
  runner.Register("flaky", [&](const sa::Job&) {
    ++calls;
    return calls < 3 ? UnavailableError("smtp down") : Status::Ok();
  });
  auto job = storage_->EnqueueJob("flaky", "{}", clock_.Now(), 5);
  EXPECT_EQ(runner.RunOnce(), 1);
  EXPECT_EQ(storage_->GetJob(job->id)->last_error, "smtp down");
  EXPECT_EQ(runner.RunOnce(), 0);  // not due for 5 s
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(runner.RunOnce(), 1);
  clock_.Advance(std::chrono::seconds(9));
  EXPECT_EQ(runner.RunOnce(), 0);  // second backoff is 10 s
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(runner.RunOnce(), 1);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(storage_->GetJob(job->id)->state, sa::JobState::kDone);
  EXPECT_EQ(runner.BackoffAfter(10), std::chrono::seconds(60));
}

TEST_P(JobRunnerTest, GivesUpAfterMaxAttemptsAndUnknownKindsFailVisibly) {
  JobRunner runner(*storage_, clock_,
                   {"w", 1, std::chrono::milliseconds(10), std::chrono::seconds(60),
                    std::chrono::seconds(1), std::chrono::seconds(1)});
  runner.Register("broken", [](const sa::Job&) { return InternalError("always"); });
  auto broken = storage_->EnqueueJob("broken", "{}", clock_.Now(), 2);
  auto unknown = storage_->EnqueueJob("mystery", "{}", clock_.Now(), 5);
  EXPECT_EQ(runner.RunOnce(), 2);
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(runner.RunOnce(), 1);
  EXPECT_EQ(storage_->GetJob(broken->id)->state, sa::JobState::kFailed);
  EXPECT_EQ(storage_->GetJob(unknown->id)->state, sa::JobState::kFailed);
  EXPECT_NE(storage_->GetJob(unknown->id)->last_error.find("mystery"), std::string::npos);
}

TEST_P(JobRunnerTest, AHandlerThatThrowsFailsItsAttemptAndTheRunnerGoesOn) {
  JobRunner runner(*storage_, clock_,
                   {"w", 1, std::chrono::milliseconds(10), std::chrono::seconds(60),
                    std::chrono::seconds(1), std::chrono::seconds(1)});
  runner.Register("buggy", [](const sa::Job&) -> Status { throw std::runtime_error("a bug"); });
  runner.Register("fine", [](const sa::Job&) { return Status::Ok(); });
  auto buggy = storage_->EnqueueJob("buggy", "{}", clock_.Now(), 1);
  auto fine = storage_->EnqueueJob("fine", "{}", clock_.Now(), 1);
  EXPECT_EQ(runner.RunOnce(), 2);
  EXPECT_EQ(storage_->GetJob(buggy->id)->state, sa::JobState::kFailed);
  EXPECT_NE(storage_->GetJob(buggy->id)->last_error.find("a bug"), std::string::npos);
  EXPECT_EQ(storage_->GetJob(fine->id)->state, sa::JobState::kDone);
}

TEST_P(JobRunnerTest, BackgroundThreadsRunJobsAndStopCleanly) {
  SystemClock real;
  JobRunner runner(*storage_, real,
                   {"w", 2, std::chrono::milliseconds(20), std::chrono::seconds(60),
                    std::chrono::seconds(1), std::chrono::seconds(1)});
  std::atomic<int> done{0};
  runner.Register("count", [&](const sa::Job&) {
    ++done;
    return Status::Ok();
  });
  runner.Start();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(storage_->EnqueueJob("count", "{}", real.Now(), 1).ok());
  runner.Wake();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (done.load() < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  runner.Stop();
  EXPECT_EQ(done.load(), 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, JobRunnerTest, ::testing::ValuesIn(testing::StorageBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace signet::jobs

#include "sa/sqlite_wal_sync.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <latch>
#include <thread>
#include <vector>

namespace signet::sa {
namespace {

class SqliteWalSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("signet-walsync-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "signet.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(SqliteWalSyncTest, WithoutALogFileTheCallerKeepsFullSync) {
  EXPECT_EQ(SqliteWalSync::Open(db_), nullptr);
}

TEST_F(SqliteWalSyncTest, ACoveredCommitWaitsForNoFurtherFlush) {
  std::ofstream(db_ + "-wal") << "frames";
  auto sync = SqliteWalSync::Open(db_);
  ASSERT_NE(sync, nullptr);
  uint64_t first = sync->Committed();
  uint64_t second = sync->Committed();
  EXPECT_LT(first, second);
  ASSERT_TRUE(sync->WaitDurable(second).ok());
  EXPECT_EQ(sync->flushes(), 1u);
  // The flush made for `second` covered `first`, committed before it.
  ASSERT_TRUE(sync->WaitDurable(first).ok());
  EXPECT_EQ(sync->flushes(), 1u);
}

TEST_F(SqliteWalSyncTest, CommitsWaitingTogetherShareOneFlush) {
  std::ofstream(db_ + "-wal") << "frames";
  auto sync = SqliteWalSync::Open(db_);
  ASSERT_NE(sync, nullptr);
  constexpr int kThreads = 8;
  // Every writer has committed before any waits: whichever flushes first covers them all.
  std::latch committed(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      uint64_t ticket = sync->Committed();
      committed.arrive_and_wait();
      if (!sync->WaitDurable(ticket).ok()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(sync->commits(), static_cast<uint64_t>(kThreads));
  EXPECT_EQ(sync->flushes(), 1u);
}

TEST_F(SqliteWalSyncTest, ConcurrentCommitsAllBecomeDurable) {
  std::ofstream(db_ + "-wal") << "frames";
  auto sync = SqliteWalSync::Open(db_);
  ASSERT_NE(sync, nullptr);
  constexpr int kThreads = 8;
  constexpr int kCommitsEach = 200;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCommitsEach; ++i) {
        if (!sync->WaitDurable(sync->Committed()).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(sync->commits(), static_cast<uint64_t>(kThreads * kCommitsEach));
  EXPECT_GE(sync->flushes(), 1u);
  EXPECT_LE(sync->flushes(), sync->commits());
}

}  // namespace
}  // namespace signet::sa

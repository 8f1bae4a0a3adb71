// NextDailyTime: when the next daily digest is due.
#include <gtest/gtest.h>

#include "signet/common/clock.h"
#include "signet/notify/notifier.h"

namespace signet::notify {
namespace {

TimePoint At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

TEST(NextDailyTimeTest, LaterTodayWhenTheHourIsStillAhead) {
  EXPECT_EQ(NextDailyTime(At("2026-12-07T05:59:59Z"), 6), At("2026-12-07T06:00:00Z"));
}

TEST(NextDailyTimeTest, TomorrowAtTheHourAndAfterIt) {
  // Exactly at the hour: that digest is the one being sent, the next is tomorrow's.
  EXPECT_EQ(NextDailyTime(At("2026-12-07T06:00:00Z"), 6), At("2026-12-08T06:00:00Z"));
  EXPECT_EQ(NextDailyTime(At("2026-12-07T23:30:00Z"), 6), At("2026-12-08T06:00:00Z"));
}

TEST(NextDailyTimeTest, AcrossTheYearAndAtMidnight) {
  EXPECT_EQ(NextDailyTime(At("2026-12-31T12:00:00Z"), 0), At("2027-01-01T00:00:00Z"));
  EXPECT_EQ(NextDailyTime(At("2026-12-31T22:00:00Z"), 23), At("2026-12-31T23:00:00Z"));
}

}  // namespace
}  // namespace signet::notify

#include "signet/common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace signet {
namespace {

TEST(IdsTest, IdsAreWellFormedUniqueAndSortByTime) {
  ManualClock clock(FromUnixMicros(1795000000LL * 1000000));
  SystemRandom random;
  IdGenerator ids(clock, random);
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 200; ++i) {
    clock.Advance(std::chrono::milliseconds(1));
    std::string id = ids.New("org");
    EXPECT_TRUE(IsWellFormedId(id, "org")) << id;
    EXPECT_GT(id, previous);
    EXPECT_TRUE(seen.insert(id).second);
    previous = id;
  }
  EXPECT_FALSE(IsWellFormedId(previous, "key"));
  EXPECT_FALSE(IsWellFormedId("org_short", "org"));
  EXPECT_FALSE(IsWellFormedId("org_" + std::string(26, 'U'), "org"));  // U is not Crockford
}

}  // namespace
}  // namespace signet

#include "signet/policy/br_rules.h"

#include <gtest/gtest.h>

namespace signet::policy {
namespace {

TEST(BrRulesTest, ValidityShrinksOnTheBrDates) {
  auto just_before = [](TimePoint t) { return t - std::chrono::seconds(1); };
  EXPECT_EQ(MaxValidityDays(just_before(UtcDate(2026, 3, 15))), 398);
  EXPECT_EQ(MaxValidityDays(UtcDate(2026, 3, 15)), 200);
  EXPECT_EQ(DefaultValidityDays(UtcDate(2026, 11, 22)), 199);
  EXPECT_EQ(MaxValidityDays(just_before(UtcDate(2027, 3, 15))), 200);
  EXPECT_EQ(DefaultValidityDays(UtcDate(2027, 3, 15)), 99);
  EXPECT_EQ(DefaultValidityDays(just_before(UtcDate(2029, 3, 15))), 99);
  EXPECT_EQ(DefaultValidityDays(UtcDate(2029, 3, 15)), 46);
}

TEST(BrRulesTest, DcvReuseAndEmailValidationFollowTheirDates) {
  EXPECT_EQ(DcvReuseDays(UtcDate(2026, 11, 22)), 200);
  EXPECT_EQ(DcvReuseDays(UtcDate(2027, 3, 15)), 100);
  EXPECT_EQ(DcvReuseDays(UtcDate(2029, 3, 15)), 10);
  EXPECT_TRUE(ConstructedEmailValidationAllowed(UtcDate(2028, 3, 14)));
  EXPECT_FALSE(ConstructedEmailValidationAllowed(UtcDate(2028, 3, 15)));
}

}  // namespace
}  // namespace signet::policy

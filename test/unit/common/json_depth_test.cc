// JsonNestsAtMost: outside JSON is measured before it is parsed.
#include "signet/common/json_depth.h"

#include <gtest/gtest.h>

#include <string>

namespace signet {
namespace {

TEST(JsonDepthTest, CountsArraysAndObjectsButNotBracketsInStrings) {
  EXPECT_TRUE(JsonNestsAtMost("{}", 1));
  EXPECT_FALSE(JsonNestsAtMost("{\"a\":[1]}", 1));
  EXPECT_TRUE(JsonNestsAtMost("{\"a\":[1]}", 2));
  EXPECT_TRUE(JsonNestsAtMost(R"({"a":"[[[[[[{{{{"})", 1));
  EXPECT_TRUE(JsonNestsAtMost(R"({"a":"\"[[[[["})", 1));
  EXPECT_TRUE(JsonNestsAtMost("[][][]", 1));
}

TEST(JsonDepthTest, RefusesTheDeepInputThatWouldOverflowTheStack) {
  std::string deep(200000, '[');
  deep += std::string(200000, ']');
  EXPECT_FALSE(JsonNestsAtMost(deep, kMaxRequestJsonDepth));
  std::string fine =
      std::string(kMaxRequestJsonDepth, '[') + std::string(kMaxRequestJsonDepth, ']');
  EXPECT_TRUE(JsonNestsAtMost(fine, kMaxRequestJsonDepth));
}

}  // namespace
}  // namespace signet

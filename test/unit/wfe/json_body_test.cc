#include "wfe/json_body.h"

#include <gtest/gtest.h>

namespace signet::wfe {
namespace {

HttpRequest Req(const std::string& type, const std::string& body) {
  HttpRequest r;
  r.method = "POST";
  r.headers["content-type"] = type;
  r.body = body;
  return r;
}

TEST(JsonBodyTest, RefusesWithReasonsThatNameTheProblem) {
  EXPECT_EQ(ParseJsonObject(Req("text/plain", "{}"), {}).status().reason(),
            "unsupported_media_type");
  EXPECT_EQ(ParseJsonObject(Req("application/json", "{"), {}).status().reason(), "malformed_json");
  EXPECT_EQ(ParseJsonObject(Req("application/json", "[1]"), {}).status().reason(),
            "malformed_json");
  auto unknown = ParseJsonObject(Req("application/json", R"({"nmae":"x"})"), {"name"});
  EXPECT_EQ(unknown.status().reason(), "unknown_field");
  EXPECT_NE(unknown.status().message().find("nmae"), std::string::npos);
  auto ok = ParseJsonObject(Req("Application/JSON; charset=utf-8", R"({"name":"x"})"), {"name"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*RequiredString(*ok, "name", 10), "x");
  EXPECT_EQ(RequiredString(*ok, "missing", 10).status().reason(), "missing_field");
  EXPECT_EQ(OptionalString(nlohmann::json{{"n", 1}}, "n", 10).status().reason(), "invalid_field");
  EXPECT_EQ(OptionalString(nlohmann::json{{"n", "toolong"}}, "n", 3).status().reason(),
            "invalid_field");
}

}  // namespace
}  // namespace signet::wfe

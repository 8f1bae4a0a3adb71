#include "wfe/router.h"

#include <gtest/gtest.h>

namespace signet::wfe {
namespace {

Route R(const std::string& method, const std::string& pattern) {
  return {.method = method,
          .pattern = pattern,
          .access = Access::kPublic,
          .handler = [](RouteContext&) { return HttpResponse{}; }};
}

TEST(RouterTest, MatchesParamsMethodsAndHead) {
  Router router;
  router.Add(R("GET", "/api/v1/organizations"));
  router.Add(R("GET", "/api/v1/organizations/{id}"));
  router.Add(R("DELETE", "/api/v1/organizations/{id}"));
  auto m = router.Find("GET", "/api/v1/organizations/org_1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params["id"], "org_1");
  EXPECT_NE(router.Find("HEAD", "/api/v1/organizations").route, nullptr);
  auto wrong = router.Find("POST", "/api/v1/organizations/org_1");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allowed_methods, (std::vector<std::string>{"GET", "DELETE"}));
  auto none = router.Find("GET", "/api/v1/organizations/org_1/x");
  EXPECT_EQ(none.route, nullptr);
  EXPECT_TRUE(none.allowed_methods.empty());
  EXPECT_EQ(router.Find("GET", "/api/v1/organizations/").route, nullptr);
  router.Add(R("GET", "/ocsp/{request*}"));
  auto ocsp = router.Find("GET", "/ocsp/MEIw/QDA+MDww");
  ASSERT_NE(ocsp.route, nullptr);
  EXPECT_EQ(ocsp.params["request"], "MEIw/QDA+MDww");
}

TEST(HttpMessageTest, ParsesTargets) {
  std::string path;
  std::multimap<std::string, std::string> query;
  ASSERT_TRUE(ParseTarget("/a%20b?x=1&y=a+b&y=%2F&flag", &path, &query));
  EXPECT_EQ(path, "/a b");
  EXPECT_EQ(query.find("x")->second, "1");
  EXPECT_EQ(query.count("y"), 2u);
  EXPECT_EQ(query.count("flag"), 1u);
  EXPECT_FALSE(ParseTarget("/a%2", &path, &query));
  EXPECT_FALSE(ParseTarget("/a%00", &path, &query));
  EXPECT_FALSE(ParseTarget("noslash", &path, &query));
}

}  // namespace
}  // namespace signet::wfe

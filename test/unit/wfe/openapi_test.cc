// The OpenAPI document is generated from the served routes; check it is complete and consistent.
#include "wfe/openapi.h"

#include <gtest/gtest.h>

#include "signet/wfe/web_front_end.h"
#include "testing/test_database.h"

namespace signet::wfe {
namespace {

TEST(OpenApiTest, DescribesEveryApiRouteWithKnownSchemas) {
  ManualClock clock(testing::TestEpoch());
  SystemRandom random;
  auto storage = testing::OpenFreshStorage("sqlite", clock, random);
  ASSERT_NE(storage, nullptr);
  accounts::AccountService accounts(*storage, clock, random);
  WebFrontEnd fe({"https://127.0.0.1:8443"}, accounts, *storage, clock, random);
  auto doc = nlohmann::json::parse(fe.OpenApiJson());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const char* path :
       {"/api/v1/organizations", "/api/v1/organizations/{id}", "/api/v1/api-keys",
        "/api/v1/api-keys/{id}", "/api/v1/session", "/api/v1/users", "/api/v1/audit-events",
        "/api/v1/jobs", "/api/v1/openapi.json"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  // Every $ref points at a defined schema.
  std::function<void(const nlohmann::json&)> check = [&](const nlohmann::json& node) {
    if (node.is_object()) {
      if (node.contains("$ref")) {
        std::string ref = node["$ref"];
        std::string name = ref.substr(ref.rfind('/') + 1);
        EXPECT_TRUE(doc["components"]["schemas"].contains(name)) << ref;
      }
      for (const auto& [k, v] : node.items()) check(v);
    } else if (node.is_array()) {
      for (const auto& v : node) check(v);
    }
  };
  check(doc);
}

}  // namespace
}  // namespace signet::wfe

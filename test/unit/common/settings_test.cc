#include "signet/common/settings.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace signet {
namespace {

std::map<std::string, std::string> g_env;
std::optional<std::string> FakeEnv(const std::string& name) {
  auto it = g_env.find(name);
  if (it == g_env.end()) return std::nullopt;
  return it->second;
}

const std::vector<SettingDefinition> kDefs = {{"data_dir", "./data", ""},
                                              {"database.url", "sqlite://${data_dir}/x.db", ""},
                                              {"listen", "a:1", ""},
                                              {"flag", "false", ""},
                                              {"list", "", ""}};

TEST(SettingsTest, PrecedenceIsFlagThenEnvironmentThenFileThenDefault) {
  std::string path = ::testing::TempDir() + "/settings.conf";
  std::ofstream(path) << "# comment\nlisten = file:1\ndata_dir = \"/from/file\"\nflag=true\n";
  g_env = {{"SIGNET_LISTEN", "env:2"}, {"SIGNET_DATABASE_URL", "postgresql://env"}};
  Settings::Sources sources{path, {"database.url=postgresql://flag"}, &FakeEnv};
  auto s = Settings::Load(kDefs, sources);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->Get("listen"), "env:2");
  EXPECT_EQ(s->SourceOf("listen"), "environment");
  EXPECT_EQ(s->Get("database.url"), "postgresql://flag");
  EXPECT_EQ(s->Get("data_dir"), "/from/file");
  EXPECT_EQ(*s->GetBool("flag"), true);
}

TEST(SettingsTest, DefaultsExpandOtherKeys) {
  g_env.clear();
  auto s = Settings::Load(kDefs, {std::nullopt, {"data_dir=/d"}, &FakeEnv});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->Get("database.url"), "sqlite:///d/x.db");
}

TEST(SettingsTest, UnknownKeysAreErrorsNamingTheKey) {
  g_env.clear();
  auto s = Settings::Load(kDefs, {std::nullopt, {"lisen=x"}, &FakeEnv});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("lisen"), std::string::npos);
  std::string path = ::testing::TempDir() + "/bad.conf";
  std::ofstream(path) << "no equals sign\n";
  auto bad = Settings::Load(kDefs, {path, {}, &FakeEnv});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(":1"), std::string::npos);
}

TEST(SettingsTest, TypedGettersExplainBadValues) {
  g_env.clear();
  auto s = Settings::Load(kDefs, {std::nullopt, {"flag=yes", "list= a, b ,,c"}, &FakeEnv});
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->GetBool("flag").ok());
  EXPECT_FALSE(s->GetInt("listen").ok());
  EXPECT_EQ(s->GetList("list"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(EnvironmentNameFor("validation.http_port"), "SIGNET_VALIDATION_HTTP_PORT");
}

}  // namespace
}  // namespace signet

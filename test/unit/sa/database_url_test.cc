#include "signet/sa/database_url.h"

#include <gtest/gtest.h>

namespace signet::sa {
namespace {

TEST(DatabaseUrlTest, ParsesBackendsAndRedactsPasswords) {
  auto s = ParseDatabaseUrl("sqlite:///var/lib/signet/signet.db");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->backend, DatabaseTarget::Backend::kSqlite);
  EXPECT_EQ(s->sqlite_path, "/var/lib/signet/signet.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite://./data/x.db")->sqlite_path, "./data/x.db");
  auto p = ParseDatabaseUrl("postgresql://signet:s3cret@db:5432/signet");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->backend, DatabaseTarget::Backend::kPostgresql);
  EXPECT_EQ(p->redacted.find("s3cret"), std::string::npos);
  EXPECT_EQ(p->postgres_conninfo, "postgresql://signet:s3cret@db:5432/signet");
  EXPECT_FALSE(ParseDatabaseUrl("mysql://x").ok());
  EXPECT_FALSE(ParseDatabaseUrl("sqlite://").ok());
}

}  // namespace
}  // namespace signet::sa

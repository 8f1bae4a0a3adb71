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
  // Keyword form, never the URL: SOCI's PostgreSQL backend mangles a URL (the README's form).
  EXPECT_EQ(p->postgres_conninfo,
            "user='signet' password='s3cret' dbname='signet' host='db' port='5432'");
  EXPECT_FALSE(ParseDatabaseUrl("mysql://x").ok());
  EXPECT_FALSE(ParseDatabaseUrl("sqlite://").ok());
}

TEST(DatabaseUrlTest, AcceptsEveryLibpqUrlForm) {
  // Percent-encoded password with characters that are special in URLs and in keyword syntax.
  auto p = ParseDatabaseUrl(
      "postgresql://app:p%40ss%2Fw%27o%20rd@127.0.0.1:6543/signet?sslmode=disable");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_NE(p->postgres_conninfo.find("password='p@ss/w\\'o rd'"), std::string::npos)
      << p->postgres_conninfo;
  EXPECT_NE(p->postgres_conninfo.find("sslmode='disable'"), std::string::npos);
  EXPECT_NE(p->postgres_conninfo.find("port='6543'"), std::string::npos);
  EXPECT_EQ(p->redacted.find("p@ss"), std::string::npos);
  EXPECT_NE(p->redacted.find("password=***"), std::string::npos);
  // Unix socket directory as a query parameter, the scheme alias, IPv6 literals.
  auto socket = ParseDatabaseUrl("postgres:///signet?host=/run/postgresql&user=postgres");
  ASSERT_TRUE(socket.ok());
  EXPECT_NE(socket->postgres_conninfo.find("host='/run/postgresql'"), std::string::npos);
  auto v6 = ParseDatabaseUrl("postgresql://u@[::1]:5432/d");
  ASSERT_TRUE(v6.ok());
  EXPECT_NE(v6->postgres_conninfo.find("host='::1'"), std::string::npos);
  // A password given as a parameter is redacted too.
  auto param = ParseDatabaseUrl("postgresql://h/d?password=hunter2hunter2");
  ASSERT_TRUE(param.ok());
  EXPECT_EQ(param->redacted.find("hunter2"), std::string::npos);
  // What libpq refuses is refused with the form to use.
  auto bad = ParseDatabaseUrl("postgresql://h/d?nosuchparameter=1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("postgresql://user:password@host:5432/database"),
            std::string::npos);
}

}  // namespace
}  // namespace signet::sa

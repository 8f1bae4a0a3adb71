#include "sa/sqlite_statement_cache.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "sa/soci_storage.h"

namespace signet::sa {
namespace {

class SqliteStatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("signet-stmtcache-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    std::string path = (dir_ / "db.sqlite").string();
    reader_ = std::make_unique<soci::session>(soci::sqlite3, "db=" + path);
    writer_ = std::make_unique<soci::session>(soci::sqlite3, "db=" + path);
    *writer_ << "PRAGMA journal_mode=WAL";
    *writer_ << "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, note TEXT)";
    cache_ = std::make_unique<SqliteStatementCache>(*reader_);
  }
  void TearDown() override {
    cache_.reset();
    reader_.reset();
    writer_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::optional<long long> N(const std::string& id) {
    std::optional<long long> n;
    cache_->Query("SELECT n FROM t WHERE id = :id", {id},
                  [&](const soci::row& r) { n = ColumnInt(r, 0); });
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<soci::session> reader_, writer_;
  std::unique_ptr<SqliteStatementCache> cache_;
};

TEST_F(SqliteStatementCacheTest, OneStatementServesEveryCallWithItsOwnParameters) {
  SqliteStatementCache writes(*writer_);
  const std::string insert = "INSERT INTO t (id, n, note) VALUES (:id, :n, :note)";
  EXPECT_EQ(writes.Exec(insert, {"a", "1", "first"}), 1);
  EXPECT_EQ(writes.Exec(insert, {"b", "2", std::nullopt}), 1);
  EXPECT_EQ(writes.size(), 1u);
  EXPECT_EQ(N("a"), 1);
  EXPECT_EQ(N("b"), 2);
  EXPECT_EQ(N("missing"), std::nullopt);
  EXPECT_EQ(cache_->size(), 1u);
  // Numeric text in an INTEGER column is stored as an integer; nullopt is NULL.
  std::string type;
  soci::indicator note_null = soci::i_ok;
  std::string note;
  *writer_ << "SELECT typeof(n), note FROM t WHERE id = 'b'", soci::into(type),
      soci::into(note, note_null);
  EXPECT_EQ(type, "integer");
  EXPECT_EQ(note_null, soci::i_null);
  EXPECT_EQ(writes.Exec("UPDATE t SET n = n + 1 WHERE id LIKE :p", {"%"}), 2);
}

TEST_F(SqliteStatementCacheTest, AReadAfterAnotherConnectionsCommitSeesIt) {
  *writer_ << "INSERT INTO t (id, n) VALUES ('a', 1)";
  EXPECT_EQ(N("a"), 1);
  // The cached statement was reset after its run, so it holds no old snapshot.
  *writer_ << "UPDATE t SET n = 2 WHERE id = 'a'";
  EXPECT_EQ(N("a"), 2);
  *writer_ << "DELETE FROM t WHERE id = 'a'";
  EXPECT_EQ(N("a"), std::nullopt);
}

TEST_F(SqliteStatementCacheTest, AReadStoppedHalfwayKeepsNoSnapshot) {
  *writer_ << "INSERT INTO t (id, n) VALUES ('a', 1), ('b', 1)";
  // The caller stops at the first of two rows (here by throwing): the statement is reset
  // anyway, else the connection would keep reading the database as it was.
  EXPECT_THROW(cache_->Query("SELECT n FROM t ORDER BY id", {},
                             [](const soci::row&) { throw std::runtime_error("enough"); }),
               std::runtime_error);
  *writer_ << "UPDATE t SET n = 2 WHERE id = 'a'";
  EXPECT_EQ(N("a"), 2);
}

TEST_F(SqliteStatementCacheTest, AStatementRunWithAnotherShapeIsRefused) {
  EXPECT_EQ(N("a"), std::nullopt);
  EXPECT_THROW(cache_->Query("SELECT n FROM t WHERE id = :id", {"a", "b"}, [](const soci::row&) {}),
               soci::soci_error);
  EXPECT_THROW(cache_->Exec("SELECT n FROM t WHERE id = :id", {"a"}), soci::soci_error);
}

TEST_F(SqliteStatementCacheTest, AFailedStatementLeavesTheCacheUsable) {
  SqliteStatementCache writes(*writer_);
  const std::string insert = "INSERT INTO t (id, n) VALUES (:id, :n)";
  writes.Exec(insert, {"a", "1"});
  EXPECT_THROW(writes.Exec(insert, {"a", "2"}), soci::soci_error);  // primary key
  EXPECT_EQ(writes.Exec(insert, {"b", "3"}), 1);
  EXPECT_EQ(N("b"), 3);
}

}  // namespace
}  // namespace signet::sa

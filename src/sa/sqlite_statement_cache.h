// SqliteStatementCache: one SQLite connection's prepared statements, kept by their SQL text and
// run again with new parameters. Private to sa.
//
// SOCI prepares a statement anew for every `sql << ...`; on SQLite the parsing and planning
// (sqlite3_prepare_v2) cost as much as running the short statements Signet mostly issues. The
// cache holds statements with text parameters only, so one entry serves every call of a query;
// SQLite's column affinity stores a numeric text in an INTEGER column as an integer.
//
// Thread-safety: none. Each cache belongs to one pooled connection and is used only by the
// thread holding that connection.
#pragma once

#include <soci/soci.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace signet::sa {

// Statement parameters as text, in order; std::nullopt is SQL NULL. PostgreSQL infers each
// parameter's type from the statement, SQLite stores numeric text in INTEGER columns as integers.
using SqlParams = std::vector<std::optional<std::string>>;

class SqliteStatementCache {
 public:
  // `connection` is the pooled session itself (it outlives the cache), not a lease of it.
  explicit SqliteStatementCache(soci::session& connection);
  ~SqliteStatementCache();
  SqliteStatementCache(const SqliteStatementCache&) = delete;
  SqliteStatementCache& operator=(const SqliteStatementCache&) = delete;

  // Runs `query` with `params`, calling `on_row` for each row. Throws soci::soci_error as SOCI
  // does.
  void Query(const std::string& query, const SqlParams& params,
             const std::function<void(const soci::row&)>& on_row);
  // Runs a statement that returns no rows; the rows it changed.
  long long Exec(const std::string& query, const SqlParams& params = {});

  size_t size() const { return entries_.size(); }

 private:
  struct Entry;
  Entry& Prepare(const std::string& query, size_t binds, bool returns_rows);
  static void Bind(Entry& e, const SqlParams& params);

  soci::session& connection_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace signet::sa

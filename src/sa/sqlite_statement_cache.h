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
#include <string>
#include <unordered_map>
#include <vector>

namespace signet::sa {

class SqliteStatementCache {
 public:
  // `connection` is the pooled session itself (it outlives the cache), not a lease of it.
  explicit SqliteStatementCache(soci::session& connection);
  ~SqliteStatementCache();
  SqliteStatementCache(const SqliteStatementCache&) = delete;
  SqliteStatementCache& operator=(const SqliteStatementCache&) = delete;

  // Runs `query` with `binds` for its parameters, in order, calling `on_row` for each row.
  // Throws soci::soci_error as SOCI does.
  void Query(const std::string& query, const std::vector<std::string>& binds,
             const std::function<void(const soci::row&)>& on_row);
  // Runs a statement that returns no rows.
  void Exec(const std::string& query, const std::vector<std::string>& binds = {});

  size_t size() const { return entries_.size(); }

 private:
  struct Entry;
  Entry& Prepare(const std::string& query, size_t binds, bool returns_rows);

  soci::session& connection_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace signet::sa

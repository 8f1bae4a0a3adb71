#include "sa/sqlite_statement_cache.h"

#include <soci/sqlite3/soci-sqlite3.h>

namespace signet::sa {

struct SqliteStatementCache::Entry {
  explicit Entry(soci::session& connection) : statement(connection) {}
  soci::statement statement;
  std::vector<std::string> binds;  // bound by reference: set before each run
  soci::row row;
  bool returns_rows = false;
};

namespace {

// A statement stepped to its last row, or not, keeps its read snapshot until it is reset: later
// reads on the connection would not see newer commits, and a checkpoint could not pass it.
struct ResetAfterUse {
  soci::statement& statement;
  ~ResetAfterUse() {
    auto* backend = static_cast<soci::sqlite3_statement_backend*>(statement.get_backend());
    if (backend != nullptr && backend->stmt_ != nullptr) sqlite_api::sqlite3_reset(backend->stmt_);
  }
};

}  // namespace

SqliteStatementCache::SqliteStatementCache(soci::session& connection) : connection_(connection) {}

SqliteStatementCache::~SqliteStatementCache() = default;

SqliteStatementCache::Entry& SqliteStatementCache::Prepare(const std::string& query,
                                                           size_t binds, bool returns_rows) {
  auto it = entries_.find(query);
  if (it != entries_.end()) {
    if (it->second->binds.size() != binds || it->second->returns_rows != returns_rows) {
      throw soci::soci_error("a cached statement was run with another shape: " + query);
    }
    return *it->second;
  }
  auto entry = std::make_unique<Entry>(connection_);
  entry->binds.resize(binds);
  entry->returns_rows = returns_rows;
  for (std::string& b : entry->binds) entry->statement.exchange(soci::use(b));
  if (returns_rows) entry->statement.exchange(soci::into(entry->row));
  entry->statement.alloc();
  entry->statement.prepare(query);
  entry->statement.define_and_bind();
  return *entries_.emplace(query, std::move(entry)).first->second;
}

void SqliteStatementCache::Query(const std::string& query, const std::vector<std::string>& binds,
                                 const std::function<void(const soci::row&)>& on_row) {
  Entry& e = Prepare(query, binds.size(), true);
  std::copy(binds.begin(), binds.end(), e.binds.begin());
  ResetAfterUse reset{e.statement};
  for (bool got = e.statement.execute(true); got; got = e.statement.fetch()) on_row(e.row);
}

void SqliteStatementCache::Exec(const std::string& query, const std::vector<std::string>& binds) {
  Entry& e = Prepare(query, binds.size(), false);
  std::copy(binds.begin(), binds.end(), e.binds.begin());
  ResetAfterUse reset{e.statement};
  e.statement.execute(true);
}

}  // namespace signet::sa

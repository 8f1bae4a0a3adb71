#include "sa/sqlite_statement_cache.h"

#include <soci/sqlite3/soci-sqlite3.h>

namespace signet::sa {

struct SqliteStatementCache::Entry {
  explicit Entry(soci::session& connection) : statement(connection) {}
  soci::statement statement;
  std::vector<std::string> binds;  // bound by reference: set before each run
  std::vector<soci::indicator> nulls;
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

SqliteStatementCache::Entry& SqliteStatementCache::Prepare(const std::string& query, size_t binds,
                                                           bool returns_rows) {
  auto it = entries_.find(query);
  if (it != entries_.end()) {
    if (it->second->binds.size() != binds || it->second->returns_rows != returns_rows) {
      throw soci::soci_error("a cached statement was run with another shape: " + query);
    }
    return *it->second;
  }
  auto entry = std::make_unique<Entry>(connection_);
  entry->binds.resize(binds);
  entry->nulls.resize(binds, soci::i_ok);
  entry->returns_rows = returns_rows;
  for (size_t i = 0; i < binds; ++i) {
    entry->statement.exchange(soci::use(entry->binds[i], entry->nulls[i]));
  }
  if (returns_rows) entry->statement.exchange(soci::into(entry->row));
  entry->statement.alloc();
  entry->statement.prepare(query);
  entry->statement.define_and_bind();
  return *entries_.emplace(query, std::move(entry)).first->second;
}

void SqliteStatementCache::Query(const std::string& query, const SqlParams& params,
                                 const std::function<void(const soci::row&)>& on_row) {
  Entry& e = Prepare(query, params.size(), true);
  Bind(e, params);
  ResetAfterUse reset{e.statement};
  for (bool got = e.statement.execute(true); got; got = e.statement.fetch()) on_row(e.row);
}

long long SqliteStatementCache::Exec(const std::string& query, const SqlParams& params) {
  Entry& e = Prepare(query, params.size(), false);
  Bind(e, params);
  ResetAfterUse reset{e.statement};
  e.statement.execute(true);
  return e.statement.get_affected_rows();
}

void SqliteStatementCache::Bind(Entry& e, const SqlParams& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    e.nulls[i] = params[i] ? soci::i_ok : soci::i_null;
    if (params[i]) e.binds[i] = *params[i];
  }
}

}  // namespace signet::sa

// Parsing of the `database.url` setting into a backend and a connection string.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "signet/common/status.h"

namespace signet::sa {

struct DatabaseTarget {
  enum class Backend { kSqlite, kPostgresql } backend;
  std::string sqlite_path;        // for SQLite
  std::string postgres_conninfo;  // for PostgreSQL: the URL as libpq accepts it
  std::string redacted;           // the URL without its password, for logs
};

// Accepts sqlite:///abs/path, sqlite://rel/path, postgresql://... and postgres://...
Result<DatabaseTarget> ParseDatabaseUrl(const std::string& url);

}  // namespace signet::sa

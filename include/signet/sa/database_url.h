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
  std::string postgres_conninfo;  // for PostgreSQL: keyword='value' pairs, as libpq parsed the URL
  std::string redacted;           // what the URL names without its password, for logs
};

// Accepts sqlite:///abs/path, sqlite://rel/path, and every libpq URL (postgresql://... and
// postgres://...: TCP or Unix-socket hosts, percent-encoded user and password, parameters such
// as sslmode or host=/socket/dir).
Result<DatabaseTarget> ParseDatabaseUrl(const std::string& url);

}  // namespace signet::sa

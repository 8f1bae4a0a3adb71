// The schema, as an ordered list of migrations. A migration is never edited once released; a
// change to the schema is a new migration appended at the end.
#pragma once

#include <string>
#include <vector>

namespace signet::sa {

struct Migration {
  int version;
  std::string name;
  // Statements run in one transaction. `{bigint}`-style placeholders do not exist: the SQL is the
  // common subset of SQLite and PostgreSQL (TEXT, BIGINT, INTEGER, no autoincrement).
  std::vector<std::string> statements;
};

const std::vector<Migration>& AllMigrations();

}  // namespace signet::sa

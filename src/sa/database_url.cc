#include "signet/sa/database_url.h"

#include <libpq-fe.h>

#include <memory>

namespace signet::sa {

namespace {

// A keyword value as libpq's keyword=value syntax takes it: single-quoted, with backslash and
// quote escaped, so spaces, quotes and '=' in a password survive.
std::string QuoteConninfoValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// libpq parses every URL form itself (percent-decoding, IPv6 hosts, several hosts, any query
// parameter such as sslmode), and the result is handed on as keyword=value pairs. SOCI is never
// given the URL: its PostgreSQL backend reads a string without '=' as a database name and
// mangles it ("database "db=" does not exist").
Result<DatabaseTarget> ParsePostgresUrl(const std::string& url) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(url.c_str(), &error), &PQconninfoFree);
  if (!options) {
    std::string why = error != nullptr ? error : "unreadable";
    PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return MalformedError("database.url is not a PostgreSQL URL libpq accepts (" + why +
                              "); the form is postgresql://user:password@host:5432/database"
                              "?sslmode=require, with special characters of the password "
                              "percent-encoded (@ as %40, / as %2F, : as %3A)",
                          "invalid_setting");
  }
  DatabaseTarget t{};
  t.backend = DatabaseTarget::Backend::kPostgresql;
  std::string redacted_params;
  for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    std::string keyword = o->keyword;
    if (!t.postgres_conninfo.empty()) t.postgres_conninfo += ' ';
    t.postgres_conninfo += keyword + "=" + QuoteConninfoValue(o->val);
    if (!redacted_params.empty()) redacted_params += ' ';
    redacted_params += keyword + "=" + (keyword == "password" ? "***" : std::string(o->val));
  }
  t.redacted = redacted_params.empty() ? "postgresql://" : "postgresql: " + redacted_params;
  return t;
}

}  // namespace

Result<DatabaseTarget> ParseDatabaseUrl(const std::string& url) {
  DatabaseTarget t{};
  const std::string sqlite = "sqlite://";
  if (url.rfind(sqlite, 0) == 0) {
    t.backend = DatabaseTarget::Backend::kSqlite;
    t.sqlite_path = url.substr(sqlite.size());
    if (t.sqlite_path.empty()) {
      return MalformedError(
          "database.url sqlite:// needs a file path, e.g. sqlite:///var/lib/signet/signet.db",
          "invalid_setting");
    }
    t.redacted = url;
    return t;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return ParsePostgresUrl(url);
  }
  return MalformedError("database.url must start with sqlite:// or postgresql://, got '" +
                            url.substr(0, url.find("://")) + "://...'",
                        "invalid_setting");
}

}  // namespace signet::sa

#include "signet/sa/database_url.h"

namespace signet::sa {

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
    t.backend = DatabaseTarget::Backend::kPostgresql;
    t.postgres_conninfo = url;
    // Hide a password between "user:" and "@" in the authority part.
    std::string r = url;
    size_t scheme_end = r.find("://") + 3;
    size_t at = r.find('@', scheme_end);
    size_t slash = r.find('/', scheme_end);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      size_t colon = r.find(':', scheme_end);
      if (colon != std::string::npos && colon < at) r.replace(colon + 1, at - colon - 1, "***");
    }
    t.redacted = r;
    return t;
  }
  return MalformedError("database.url must start with sqlite:// or postgresql://, got '" +
                            url.substr(0, url.find("://")) + "://...'",
                        "invalid_setting");
}

}  // namespace signet::sa

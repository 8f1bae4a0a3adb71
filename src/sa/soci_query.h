// Small query helpers shared by the SociStorage sources: times as microseconds, keyset
// pagination, and queries whose bind values are only known at run time. Private to sa.
//
// Thread-safety: stateless functions; each call uses only the caller's session.
#pragma once

#include <soci/soci.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "signet/sa/types.h"

namespace signet::sa {

inline long long Micros(TimePoint t) { return static_cast<long long>(ToUnixMicros(t)); }
// A time as a text statement parameter (SqlParams); an absent one is NULL.
inline std::optional<std::string> MicrosParam(TimePoint t) { return std::to_string(Micros(t)); }
inline std::optional<std::string> MicrosParam(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return MicrosParam(*t);
}

inline std::string PageClause(const PageRequest& page, const char* column, bool has_where) {
  if (page.after.empty()) return "";
  return std::string(has_where ? " AND " : " WHERE ") + column + " < :after";
}

// A LIKE pattern (for LIKE ... ESCAPE '\') matching text that contains `part`, lower-cased; the
// caller compares it with LOWER(column). %, _ and \\ in `part` match only themselves.
inline std::string ContainsPattern(const std::string& part) {
  std::string out = "%";
  for (char c : part) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out + "%";
}

inline int Limit(const PageRequest& page) { return std::clamp(page.limit, 1, 500); }

// Runs a query whose text parameters are only known at run time. `binds` must outlive the rowset.
inline soci::rowset<soci::row> Query(soci::session& sql, const std::string& q,
                                     const std::vector<std::string>& binds) {
  soci::details::prepare_temp_type pt = (sql.prepare << q);
  for (const std::string& b : binds) pt, soci::use(b);
  return soci::rowset<soci::row>(pt);
}

template <typename T>
Page<T> TrimPage(std::vector<T> items, int limit, const std::function<std::string(const T&)>& key) {
  Page<T> page;
  if (static_cast<int>(items.size()) > limit) {
    items.resize(static_cast<size_t>(limit));
    page.next_after = key(items.back());
  }
  page.items = std::move(items);
  return page;
}

// A nullable time bound as a SOCI parameter: use(m.value, m.ind).
struct NullableMicros {
  long long value = 0;
  soci::indicator ind = soci::i_null;
  explicit NullableMicros(const std::optional<TimePoint>& t) {
    if (t) {
      value = Micros(*t);
      ind = soci::i_ok;
    }
  }
};

}  // namespace signet::sa

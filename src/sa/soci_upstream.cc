// Upstream CAs: the UpstreamStore half of SociStorage (issue 18).
#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

Result<std::optional<UpstreamAccount>> SociStorage::GetUpstreamAccount(
    const std::string& directory_url, const std::string& eab_kid) {
  std::optional<UpstreamAccount> found;
  Status s = WithSession("get upstream account", [&](soci::session& sql) {
    QueryRows(sql,
              "SELECT directory_url, eab_kid, account_url, sealed_key, created_at FROM"
              " upstream_accounts WHERE directory_url = :d AND eab_kid = :k",
              {directory_url, eab_kid}, [&](const soci::row& r) {
                found = UpstreamAccount{ColumnString(r, 0), ColumnString(r, 1), ColumnString(r, 2),
                                        ColumnString(r, 3), FromUnixMicros(ColumnInt(r, 4))};
              });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

Result<UpstreamAccount> SociStorage::RecordUpstreamAccount(const UpstreamAccount& account) {
  UpstreamAccount a = account;
  a.created_at = clock_.Now();
  Status s = WriteSession("record upstream account", [&](soci::session& sql) {
    Execute(sql,
            "INSERT INTO upstream_accounts (directory_url, eab_kid, account_url, sealed_key,"
            " created_at) VALUES (:d, :k, :u, :s, :c) ON CONFLICT (directory_url, eab_kid)"
            " DO NOTHING",
            {a.directory_url, a.eab_kid, a.account_url, a.sealed_key, MicrosParam(a.created_at)});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  SIGNET_ASSIGN_OR_RETURN(auto stored, GetUpstreamAccount(a.directory_url, a.eab_kid));
  if (!stored) return InternalError("the upstream account was not stored");
  return *stored;
}

Result<std::string> SociStorage::SetOrderUpstreamUrl(const std::string& order_id,
                                                     const std::string& url) {
  std::string stored;
  Status s = WriteSession("set order upstream url", [&](soci::session& sql) {
    Execute(sql,
            "UPDATE orders SET upstream_order_url = :u WHERE id = :id AND upstream_order_url = ''",
            {url, order_id});
    QueryRows(sql, "SELECT upstream_order_url FROM orders WHERE id = :id", {order_id},
              [&](const soci::row& r) { stored = ColumnString(r, 0); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return stored;
}

}  // namespace signet::sa

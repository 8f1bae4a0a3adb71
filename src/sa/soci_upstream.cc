// Upstream CAs: the UpstreamStore half of SociStorage (issue 18).
#include <nlohmann/json.hpp>

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

Status SociStorage::PutUpstreamEabCredential(const UpstreamEabCredential& input,
                                             const Actor& actor) {
  UpstreamEabCredential c = input;
  c.created_at = clock_.Now();
  return InTransaction("put upstream eab credential", [&](soci::session& sql) {
    Execute(sql,
            "DELETE FROM upstream_eab_credentials WHERE account_id = :a AND directory_url = :d",
            {c.account_id, c.directory_url});
    Execute(sql,
            "INSERT INTO upstream_eab_credentials (account_id, directory_url, product_id, eab_kid,"
            " sealed_hmac_key, created_at) VALUES (:a, :d, :p, :k, :s, :c)",
            {c.account_id, c.directory_url, c.product_id, c.eab_kid, c.sealed_hmac_key,
             MicrosParam(c.created_at)});
    AppendAudit(
        sql,
        {.account_id = c.account_id,
         .action = "upstream_eab.put",
         .target_type = "product",
         .target_id = c.product_id,
         .details = nlohmann::json{{"directory", c.directory_url}, {"eab_kid", c.eab_kid}}.dump(
             -1, ' ', false, nlohmann::json::error_handler_t::replace)},
        actor);
    return Status::Ok();
  });
}

Result<std::vector<UpstreamEabCredential>> SociStorage::ListUpstreamEabCredentials(
    const std::string& account_id) {
  std::vector<UpstreamEabCredential> out;
  Status s = WithSession("list upstream eab credentials", [&](soci::session& sql) {
    QueryRows(
        sql,
        "SELECT account_id, directory_url, product_id, eab_kid, sealed_hmac_key, created_at"
        " FROM upstream_eab_credentials WHERE account_id = :a ORDER BY product_id",
        {account_id}, [&](const soci::row& r) {
          out.push_back({ColumnString(r, 0), ColumnString(r, 1), ColumnString(r, 2),
                         ColumnString(r, 3), ColumnString(r, 4), FromUnixMicros(ColumnInt(r, 5))});
        });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SociStorage::DeleteUpstreamEabCredential(const std::string& account_id,
                                                const std::string& directory_url,
                                                const Actor& actor) {
  return InTransaction("delete upstream eab credential", [&](soci::session& sql) -> Status {
    long long changed = Execute(
        sql, "DELETE FROM upstream_eab_credentials WHERE account_id = :a AND directory_url = :d",
        {account_id, directory_url});
    if (changed == 0) return NotFoundError("this account has no EAB credentials for that CA");
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "upstream_eab.delete",
                 .target_type = "upstream",
                 .target_id = directory_url,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

}  // namespace signet::sa

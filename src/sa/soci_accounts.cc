// SociStorage: accounts, API keys, login sessions and organizations (people and memberships
// are in soci_memberships.cc).
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

const char* kApiKeyColumns =
    "id, account_id, user_id, name, prefix, key_hash, created_at, last_used_at, revoked_at";
ApiKey ReadApiKey(const soci::row& r) {
  ApiKey k;
  k.id = ColumnString(r, 0);
  k.account_id = ColumnString(r, 1);
  k.user_id = ColumnString(r, 2);
  k.name = ColumnString(r, 3);
  k.prefix = ColumnString(r, 4);
  k.key_hash = ColumnString(r, 5);
  k.created_at = FromUnixMicros(ColumnInt(r, 6));
  k.last_used_at = ColumnOptionalTime(r, 7);
  k.revoked_at = ColumnOptionalTime(r, 8);
  return k;
}

const char* kOrganizationColumns =
    "id, account_id, name, department, country, province, city, address, phone, created_at,"
    " updated_at";
Organization ReadOrganization(const soci::row& r) {
  Organization o;
  o.id = ColumnString(r, 0);
  o.account_id = ColumnString(r, 1);
  o.name = ColumnString(r, 2);
  o.department = ColumnString(r, 3);
  o.country = ColumnString(r, 4);
  o.province = ColumnString(r, 5);
  o.city = ColumnString(r, 6);
  o.address = ColumnString(r, 7);
  o.phone = ColumnString(r, 8);
  o.created_at = FromUnixMicros(ColumnInt(r, 9));
  o.updated_at = FromUnixMicros(ColumnInt(r, 10));
  return o;
}

std::string OrganizationDetails(const Organization& o) {
  return nlohmann::json{{"name", o.name}, {"country", o.country}}.dump();
}

}  // namespace

// ---- accounts ----

Result<Account> SociStorage::CreateAccount(const std::string& name, const Actor& actor) {
  Account a{ids_.New("acct"), name, clock_.Now()};
  Status s = InTransaction("create account", [&](soci::session& sql) {
    long long at = Micros(a.created_at);
    sql << "INSERT INTO accounts (id, name, created_at) VALUES (:id, :name, :at)", soci::use(a.id),
        soci::use(a.name), soci::use(at);
    AppendAudit(sql,
                {.account_id = a.id,
                 .action = "account.create",
                 .target_type = "account",
                 .target_id = a.id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) {
    if (s.reason() == "already_exists")
      return ConflictError("an account named '" + name + "' already exists", "already_exists");
    return s;
  }
  return a;
}

namespace {
Result<Account> ReadAccount(soci::session& sql, const char* where, const std::string& value) {
  soci::rowset<soci::row> rs =
      (sql.prepare << std::string("SELECT id, name, created_at FROM accounts WHERE ") + where +
                          " = :v",
       soci::use(value));
  for (const soci::row& r : rs) {
    return Account{ColumnString(r, 0), ColumnString(r, 1), FromUnixMicros(ColumnInt(r, 2))};
  }
  return NotFoundError("no such account");
}
}  // namespace

Result<Account> SociStorage::GetAccount(const std::string& id) {
  Result<Account> out = NotFoundError("no such account");
  Status s = WithSession("get account", [&](soci::session& sql) {
    out = ReadAccount(sql, "id", id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Account> SociStorage::GetAccountByName(const std::string& name) {
  Result<Account> out = NotFoundError("no such account");
  Status s = WithSession("get account by name", [&](soci::session& sql) {
    out = ReadAccount(sql, "name", name);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

// ---- API keys ----

Result<ApiKey> SociStorage::CreateApiKey(const ApiKey& input, const Actor& actor) {
  ApiKey k = input;
  k.id = ids_.New("key");
  k.created_at = clock_.Now();
  Status s = InTransaction("create api key", [&](soci::session& sql) {
    long long at = Micros(k.created_at);
    sql << "INSERT INTO api_keys (id, account_id, user_id, name, prefix, key_hash, created_at)"
           " VALUES (:id, :acct, :user, :name, :prefix, :hash, :at)",
        soci::use(k.id), soci::use(k.account_id), soci::use(k.user_id), soci::use(k.name),
        soci::use(k.prefix), soci::use(k.key_hash), soci::use(at);
    AppendAudit(sql,
                {.account_id = k.account_id,
                 .action = "api_key.create",
                 .target_type = "api_key",
                 .target_id = k.id,
                 .details = nlohmann::json{{"user_id", k.user_id}}.dump()},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return k;
}

Result<ApiKey> SociStorage::FindApiKeyByHash(const std::string& key_hash) {
  return SelectOne<ApiKey>(
      "find api key",
      std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE key_hash = :h", {key_hash},
      &ReadApiKey, NotFoundError("no such API key"));
}

Status SociStorage::TouchApiKey(const std::string& id, TimePoint at) {
  return WriteSession("touch api key", [&](soci::session& sql) {
    long long t = Micros(at);
    sql << "UPDATE api_keys SET last_used_at = :t WHERE id = :id", soci::use(t), soci::use(id);
    return Status::Ok();
  });
}

Status SociStorage::RevokeApiKey(const std::string& account_id, const std::string& id,
                                 const Actor& actor) {
  return InTransaction("revoke api key", [&](soci::session& sql) -> Status {
    long long now = Micros(clock_.Now());
    soci::statement st = (sql.prepare << "UPDATE api_keys SET revoked_at = :t WHERE id = :id"
                                         " AND account_id = :acct AND revoked_at IS NULL",
                          soci::use(now), soci::use(id), soci::use(account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      int exists = 0;
      sql << "SELECT COUNT(*) FROM api_keys WHERE id = :id AND account_id = :acct", soci::use(id),
          soci::use(account_id), soci::into(exists);
      if (exists == 0) return NotFoundError("no API key " + id + " in this account");
      return Status::Ok();  // already revoked: revoking is idempotent
    }
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "api_key.revoke",
                 .target_type = "api_key",
                 .target_id = id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<Page<ApiKey>> SociStorage::ListApiKeys(const std::string& account_id,
                                              const std::string& user_id, const PageRequest& page) {
  std::vector<ApiKey> items;
  int limit = Limit(page);
  Status s = WithSession("list api keys", [&](soci::session& sql) {
    std::string q =
        std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE account_id = :acct";
    std::vector<std::string> binds{account_id};
    if (!user_id.empty()) {
      q += " AND user_id = :user";
      binds.push_back(user_id);
    }
    q += PageClause(page, "id", true);
    if (!page.after.empty()) binds.push_back(page.after);
    q += " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadApiKey(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<ApiKey>(std::move(items), limit, [](const ApiKey& k) { return k.id; });
}

// ---- sessions ----

namespace {
const char* kSessionColumns =
    "id_hash, user_id, account_id, csrf_token, created_at, expires_at, remote_address,"
    " user_agent";
Session ReadSession(const soci::row& r) {
  return Session{ColumnString(r, 0),
                 ColumnString(r, 1),
                 ColumnString(r, 2),
                 ColumnString(r, 3),
                 FromUnixMicros(ColumnInt(r, 4)),
                 FromUnixMicros(ColumnInt(r, 5)),
                 ColumnString(r, 6),
                 ColumnString(r, 7)};
}
}  // namespace

Result<std::vector<Session>> SociStorage::ListSessions(const std::string& user_id, TimePoint now) {
  std::vector<Session> out;
  Status s = WithSession("list sessions", [&](soci::session& sql) {
    long long t = Micros(now);
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT " << kSessionColumns
                     << " FROM sessions WHERE user_id = :u AND expires_at > :t"
                        " ORDER BY created_at DESC",
         soci::use(user_id), soci::use(t));
    for (const soci::row& r : rs) out.push_back(ReadSession(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SociStorage::CreateSession(const Session& session, const Actor& actor) {
  return InTransaction("create session", [&](soci::session& sql) {
    long long created = Micros(session.created_at), expires = Micros(session.expires_at);
    sql << "INSERT INTO sessions (id_hash, user_id, account_id, csrf_token, created_at,"
           " expires_at, remote_address, user_agent) VALUES (:id, :user, :acct, :csrf, :c, :e,"
           " :addr, :ua)",
        soci::use(session.id_hash), soci::use(session.user_id), soci::use(session.account_id),
        soci::use(session.csrf_token), soci::use(created), soci::use(expires),
        soci::use(session.remote_address), soci::use(session.user_agent);
    AppendAudit(sql,
                {.account_id = session.account_id,
                 .action = "session.create",
                 .target_type = "user",
                 .target_id = session.user_id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<Session> SociStorage::GetSession(const std::string& id_hash) {
  Result<Session> out = NotFoundError("no such session");
  Status s = WithSession("get session", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT " << kSessionColumns << " FROM sessions WHERE id_hash = :id",
         soci::use(id_hash));
    for (const soci::row& r : rs) out = ReadSession(r);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SociStorage::DeleteSession(const std::string& id_hash, const Actor& actor) {
  return InTransaction("delete session", [&](soci::session& sql) {
    soci::statement st =
        (sql.prepare << "DELETE FROM sessions WHERE id_hash = :id", soci::use(id_hash));
    st.execute(true);
    if (st.get_affected_rows() > 0) {
      AppendAudit(sql,
                  {.account_id = actor.account_id,
                   .action = "session.delete",
                   .target_type = "user",
                   .target_id = actor.user_id,
                   .details = "{}"},
                  actor);
    }
    return Status::Ok();
  });
}

Status SociStorage::SetSessionAccount(const std::string& id_hash, const std::string& account_id,
                                      const Actor& actor) {
  return InTransaction("switch session account", [&](soci::session& sql) -> Status {
    soci::statement st =
        (sql.prepare << "UPDATE sessions SET account_id = :acct WHERE id_hash = :id",
         soci::use(account_id), soci::use(id_hash));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NotFoundError("the session has ended; sign in again");
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "session.switch_account",
                 .target_type = "user",
                 .target_id = actor.user_id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<int64_t> SociStorage::PurgeExpiredSessions(TimePoint now) {
  int64_t purged = 0;
  Status s = WriteSession("purge sessions", [&](soci::session& sql) {
    long long t = Micros(now);
    soci::statement st =
        (sql.prepare << "DELETE FROM sessions WHERE expires_at < :t", soci::use(t));
    st.execute(true);
    purged = st.get_affected_rows();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return purged;
}

// ---- organizations ----

Result<Organization> SociStorage::CreateOrganization(const Organization& input,
                                                     const Actor& actor) {
  Organization o = input;
  o.id = ids_.New("org");
  o.created_at = o.updated_at = clock_.Now();
  Status s = InTransaction("create organization", [&](soci::session& sql) {
    long long at = Micros(o.created_at);
    sql << "INSERT INTO organizations (id, account_id, name, department, country, province, city,"
           " address, phone, created_at, updated_at) VALUES (:id, :acct, :name, :dept, :country,"
           " :province, :city, :address, :phone, :c, :u)",
        soci::use(o.id), soci::use(o.account_id), soci::use(o.name), soci::use(o.department),
        soci::use(o.country), soci::use(o.province), soci::use(o.city), soci::use(o.address),
        soci::use(o.phone), soci::use(at), soci::use(at);
    AppendAudit(sql,
                {.account_id = o.account_id,
                 .action = "organization.create",
                 .target_type = "organization",
                 .target_id = o.id,
                 .details = OrganizationDetails(o)},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return o;
}

Result<Organization> SociStorage::GetOrganization(const std::string& account_id,
                                                  const std::string& id) {
  return SelectOne<Organization>("get organization",
                                 std::string("SELECT ") + kOrganizationColumns +
                                     " FROM organizations WHERE id = :id AND account_id = :acct",
                                 {id, account_id}, &ReadOrganization,
                                 NotFoundError("no organization " + id + " in this account"));
}

Result<Page<Organization>> SociStorage::ListOrganizations(const std::string& account_id,
                                                          const PageRequest& page) {
  std::vector<Organization> items;
  int limit = Limit(page);
  Status s = WithSession("list organizations", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kOrganizationColumns +
                    " FROM organizations WHERE account_id = :acct" + PageClause(page, "id", true) +
                    " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    std::vector<std::string> binds{account_id};
    if (!page.after.empty()) binds.push_back(page.after);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadOrganization(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<Organization>(std::move(items), limit,
                                [](const Organization& o) { return o.id; });
}

Result<Organization> SociStorage::UpdateOrganization(const Organization& input,
                                                     const Actor& actor) {
  Organization o = input;
  o.updated_at = clock_.Now();
  Status s = InTransaction("update organization", [&](soci::session& sql) -> Status {
    long long at = Micros(o.updated_at);
    soci::statement st =
        (sql.prepare << "UPDATE organizations SET name = :name, department = :dept,"
                        " country = :country, province = :province, city = :city,"
                        " address = :address, phone = :phone, updated_at = :u"
                        " WHERE id = :id AND account_id = :acct",
         soci::use(o.name), soci::use(o.department), soci::use(o.country), soci::use(o.province),
         soci::use(o.city), soci::use(o.address), soci::use(o.phone), soci::use(at),
         soci::use(o.id), soci::use(o.account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return NotFoundError("no organization " + o.id + " in this account");
    }
    AppendAudit(sql,
                {.account_id = o.account_id,
                 .action = "organization.update",
                 .target_type = "organization",
                 .target_id = o.id,
                 .details = OrganizationDetails(o)},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return GetOrganization(o.account_id, o.id);
}

Status SociStorage::DeleteOrganization(const std::string& account_id, const std::string& id,
                                       const Actor& actor) {
  return InTransaction("delete organization", [&](soci::session& sql) -> Status {
    soci::statement st =
        (sql.prepare << "DELETE FROM organizations WHERE id = :id AND account_id = :acct",
         soci::use(id), soci::use(account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return NotFoundError("no organization " + id + " in this account");
    }
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "organization.delete",
                 .target_type = "organization",
                 .target_id = id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

}  // namespace signet::sa

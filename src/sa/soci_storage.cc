#include "sa/soci_storage.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "sa/migrations.h"
#include "sa/soci_query.h"
#include "signet/common/log.h"

namespace signet::sa {

namespace {

bool IsConstraintViolation(const soci::soci_error& e) {
  if (e.get_error_category() == soci::soci_error::constraint_violation) return true;
  std::string what = e.what();
  return what.find("UNIQUE constraint") != std::string::npos ||
         what.find("duplicate key") != std::string::npos;
}

const char* kUserColumns = "id, account_id, email, role, password_hash, created_at";
User ReadUser(const soci::row& r) {
  User u;
  u.id = ColumnString(r, 0);
  u.account_id = ColumnString(r, 1);
  u.email = ColumnString(r, 2);
  u.role = ParseRole(ColumnString(r, 3)).value_or(Role::kMember);
  u.password_hash = ColumnString(r, 4);
  u.created_at = FromUnixMicros(ColumnInt(r, 5));
  return u;
}

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

int64_t ColumnInt(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return 0;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<int64_t>(r.get<double>(i));
    case soci::dt_string:
      return std::stoll(r.get<std::string>(i));
    default:
      throw soci::soci_error("unexpected column type for an integer");
  }
}

std::string ColumnString(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return "";
  if (r.get_properties(i).get_data_type() == soci::dt_string) return r.get<std::string>(i);
  return std::to_string(ColumnInt(r, i));
}

std::optional<TimePoint> ColumnOptionalTime(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return FromUnixMicros(ColumnInt(r, i));
}

SociStorage::SociStorage(DatabaseTarget target, int pool_size, const Clock& clock, Random& random)
    : target_(std::move(target)), pool_size_(pool_size), clock_(clock), ids_(clock, random) {}

SociStorage::~SociStorage() {
  if (wal_sync_) {
    log::Info("SQLite group commit", {{"commits", static_cast<int64_t>(wal_sync_->commits())},
                                      {"flushes", static_cast<int64_t>(wal_sync_->flushes())}});
  }
}

std::string SociStorage::Backend() const { return is_sqlite() ? "sqlite" : "postgresql"; }

void SociStorage::ConfigureSession(soci::session& sql) {
  if (is_sqlite()) {
    // WAL lets readers proceed during a write; FULL sync makes each commit durable, which is
    // what "stored" means for a certificate. Open() moves to NORMAL plus SqliteWalSync's group
    // flushes when it can, which keeps the durability and shares the flushes.
    sql << "PRAGMA journal_mode=WAL";
    sql << (wal_sync_ ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
    sql << "PRAGMA foreign_keys=ON";
    sql << "PRAGMA busy_timeout=30000";
  }
}

Status SociStorage::Open() {
  try {
    pool_ = std::make_unique<soci::connection_pool>(static_cast<size_t>(pool_size_));
    for (int i = 0; i < pool_size_; ++i) {
      soci::session& s = pool_->at(static_cast<size_t>(i));
      if (is_sqlite()) {
        std::filesystem::path p(target_.sqlite_path);
        if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
        s.open(soci::sqlite3, "db=" + target_.sqlite_path + " timeout=30");
      } else {
        s.open(soci::postgresql, target_.postgres_conninfo);
      }
      ConfigureSession(s);
    }
    if (is_sqlite()) {
      // A read creates the write-ahead log file if this is a new database.
      soci::session& first = pool_->at(0);
      int tables = 0;
      first << "SELECT COUNT(*) FROM sqlite_master", soci::into(tables);
      sqlite_writer_ = std::make_unique<soci::session>(soci::sqlite3,
                                                       "db=" + target_.sqlite_path + " timeout=30");
      ConfigureSession(*sqlite_writer_);
      for (int i = 0; i < pool_size_; ++i) {
        soci::session& connection = pool_->at(static_cast<size_t>(i));
        statement_caches_.emplace(connection.get_backend(),
                                  std::make_unique<SqliteStatementCache>(connection));
      }
      statement_caches_.emplace(sqlite_writer_->get_backend(),
                                std::make_unique<SqliteStatementCache>(*sqlite_writer_));
      wal_sync_ = SqliteWalSync::Open(target_.sqlite_path);
      if (wal_sync_) {
        for (int i = 0; i < pool_size_; ++i) {
          pool_->at(static_cast<size_t>(i)) << "PRAGMA synchronous=NORMAL";
        }
        *sqlite_writer_ << "PRAGMA synchronous=NORMAL";
      } else {
        log::Warn("the SQLite write-ahead log cannot be opened; every commit flushes on its own",
                  {{"database", target_.redacted}});
      }
    }
  } catch (const std::exception& e) {
    log::Error("database open failed", {{"database", target_.redacted}, {"error", e.what()}});
    return UnavailableError("cannot open the database " + target_.redacted + ": " + e.what());
  }
  return Status::Ok();
}

Status SociStorage::WithSession(const char* operation,
                                const std::function<Status(soci::session&)>& body) {
  return Guarded(operation, [&] {
    soci::session sql(*pool_);
    return body(sql);
  });
}

Status SociStorage::WithWriter(const char* operation,
                               const std::function<Status(soci::session&)>& body) {
  if (!sqlite_writer_) return WithSession(operation, body);
  // SQLite has one writer at a time. This process's writers queue on a mutex, which wakes the
  // next one the moment the lock is free; SQLite's busy handler (still there for other
  // processes, e.g. `signetd admin`) would poll with sleeps of 1 to 100 ms instead. They all
  // write through one connection: a connection drops its page cache whenever another one has
  // written, so the writer's stays warm only if no other connection of this process writes.
  return Guarded(operation, [&] {
    std::lock_guard<std::mutex> writer(sqlite_writer_mu_);
    return body(*sqlite_writer_);
  });
}

Status SociStorage::Guarded(const char* operation, const std::function<Status()>& body) {
  try {
    return body();
  } catch (const soci::soci_error& e) {
    if (IsConstraintViolation(e)) {
      return ConflictError("that already exists", "already_exists");
    }
    // SOCI appends the bound values to its message; they may hold hashes or personal data.
    std::string what = e.what();
    what = what.substr(0, what.find(" with :"));
    log::Error("database error", {{"operation", operation}, {"error", what}});
    return UnavailableError("the database could not complete the request; try again");
  } catch (const std::exception& e) {
    log::Error("storage error", {{"operation", operation}, {"error", e.what()}});
    return InternalError("internal storage error");
  }
}

Status SociStorage::InTransaction(const char* operation,
                                  const std::function<Status(soci::session&)>& body) {
  uint64_t ticket = 0;
  Status result = WithWriter(operation, [&](soci::session& sql) -> Status {
    // BEGIN IMMEDIATE takes SQLite's write lock up front rather than failing to upgrade a read
    // lock (another process may be writing).
    Run(sql, is_sqlite() ? "BEGIN IMMEDIATE" : "BEGIN");
    try {
      Status s = body(sql);
      if (!s.ok()) {
        Run(sql, "ROLLBACK");
        return s;
      }
      Run(sql, "COMMIT");
      if (wal_sync_) ticket = wal_sync_->Committed();
      return s;
    } catch (...) {
      try {
        Run(sql, "ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  });
  // Outside the write lock: the next writer commits while this one's flush is under way.
  if (ticket != 0) SIGNET_RETURN_IF_ERROR(wal_sync_->WaitDurable(ticket));
  return result;
}

Status SociStorage::WriteSession(const char* operation,
                                 const std::function<Status(soci::session&)>& body) {
  uint64_t ticket = 0;
  Status result = WithWriter(operation, [&](soci::session& sql) -> Status {
    // Even a failed body may have committed some of its autocommit statements.
    struct Ticket {
      SqliteWalSync* sync;
      uint64_t& ticket;
      ~Ticket() {
        if (sync) ticket = sync->Committed();
      }
    } take{wal_sync_.get(), ticket};
    return body(sql);
  });
  if (ticket != 0) SIGNET_RETURN_IF_ERROR(wal_sync_->WaitDurable(ticket));
  return result;
}

namespace {

// SOCI's once-off form of a statement with text parameters (PostgreSQL).
struct OnceOff {
  std::vector<std::string> values;
  std::vector<soci::indicator> nulls;
  explicit OnceOff(const SqlParams& params) : values(params.size()), nulls(params.size()) {
    for (size_t i = 0; i < params.size(); ++i) {
      nulls[i] = params[i] ? soci::i_ok : soci::i_null;
      if (params[i]) values[i] = *params[i];
    }
  }
  soci::details::prepare_temp_type Prepare(soci::session& sql, const std::string& query) {
    soci::details::prepare_temp_type pt = (sql.prepare << query);
    for (size_t i = 0; i < values.size(); ++i) pt, soci::use(values[i], nulls[i]);
    return pt;
  }
};

}  // namespace

long long SociStorage::Execute(soci::session& sql, const std::string& query,
                               const SqlParams& params) {
  if (SqliteStatementCache* cache = CacheFor(sql)) return cache->Exec(query, params);
  OnceOff once(params);
  soci::statement st = once.Prepare(sql, query);
  st.execute(true);
  return st.get_affected_rows();
}

void SociStorage::QueryRows(soci::session& sql, const std::string& query, const SqlParams& params,
                            const std::function<void(const soci::row&)>& on_row) {
  if (SqliteStatementCache* cache = CacheFor(sql)) return cache->Query(query, params, on_row);
  OnceOff once(params);
  soci::rowset<soci::row> rows(once.Prepare(sql, query));
  for (const soci::row& r : rows) on_row(r);
}

Status SociStorage::Ping() {
  return WithSession("ping", [](soci::session& sql) {
    int one = 0;
    sql << "SELECT 1", soci::into(one);
    return one == 1 ? Status::Ok() : InternalError("ping returned an unexpected value");
  });
}

Status SociStorage::Migrate() {
  return WithSession("migrate", [&](soci::session& sql) -> Status {
    if (!is_sqlite()) {
      // Serialise migrations across nodes starting at once.
      sql << "SELECT pg_advisory_lock(7726351)";
    }
    struct Unlock {
      soci::session& sql;
      bool pg;
      ~Unlock() {
        if (pg) try {
            sql << "SELECT pg_advisory_unlock(7726351)";
          } catch (...) {
          }
      }
    } unlock{sql, !is_sqlite()};
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
           " name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
    int current = 0;
    soci::indicator ind;
    sql << "SELECT MAX(version) FROM schema_migrations", soci::into(current, ind);
    if (ind == soci::i_null) current = 0;
    int latest = AllMigrations().empty() ? 0 : AllMigrations().back().version;
    if (current > latest) {
      return ConflictError("the database schema (version " + std::to_string(current) +
                               ") is newer than this signetd understands (" +
                               std::to_string(latest) + "); upgrade signetd",
                           "schema_too_new");
    }
    for (const Migration& m : AllMigrations()) {
      if (m.version <= current) continue;
      sql << (is_sqlite() ? "BEGIN IMMEDIATE" : "BEGIN");
      try {
        for (const std::string& stmt : m.statements) sql << stmt;
        long long now = Micros(clock_.Now());
        sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
            soci::use(m.version), soci::use(m.name), soci::use(now);
        sql << "COMMIT";
      } catch (...) {
        try {
          sql << "ROLLBACK";
        } catch (...) {
        }
        throw;
      }
      log::Info("applied migration", {{"version", m.version}, {"name", m.name}});
    }
    if (wal_sync_) return wal_sync_->WaitDurable(wal_sync_->Committed());
    return Status::Ok();
  });
}

Result<int> SociStorage::SchemaVersion() {
  int version = 0;
  Status s = WithSession("schema version", [&](soci::session& sql) {
    soci::indicator ind;
    sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    if (ind == soci::i_null) version = 0;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return version;
}

Status SociStorage::Backup(const std::string& destination_path) {
  if (!is_sqlite()) {
    return ConflictError("online backup of PostgreSQL is pg_dump's job; see docs/OPERATIONS.md",
                         "unsupported");
  }
  if (std::filesystem::exists(destination_path)) {
    return ConflictError(
        "the backup destination " + destination_path + " already exists; choose a new file",
        "already_exists");
  }
  return WithSession("backup", [&](soci::session& sql) {
    // VACUUM INTO writes a consistent, compacted copy while the service keeps running.
    sql << "VACUUM INTO :path", soci::use(destination_path);
    return Status::Ok();
  });
}

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

Result<User> SociStorage::CreateUser(const User& input, const Actor& actor) {
  User u = input;
  u.id = ids_.New("user");
  u.created_at = clock_.Now();
  Status s = InTransaction("create user", [&](soci::session& sql) {
    long long at = Micros(u.created_at);
    std::string role = RoleName(u.role);
    sql << "INSERT INTO users (id, account_id, email, role, password_hash, created_at)"
           " VALUES (:id, :acct, :email, :role, :pw, :at)",
        soci::use(u.id), soci::use(u.account_id), soci::use(u.email), soci::use(role),
        soci::use(u.password_hash), soci::use(at);
    AppendAudit(sql,
                {.account_id = u.account_id,
                 .action = "user.create",
                 .target_type = "user",
                 .target_id = u.id,
                 .details = nlohmann::json{{"role", role}}.dump()},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) {
    if (s.reason() == "already_exists") {
      return ConflictError("a user with email " + u.email + " already exists", "already_exists");
    }
    return s;
  }
  return u;
}

Result<User> SociStorage::GetUser(const std::string& id) {
  return SelectOne<User>("get user",
                         std::string("SELECT ") + kUserColumns + " FROM users WHERE id = :id", {id},
                         &ReadUser, NotFoundError("no such user"));
}

Result<User> SociStorage::GetUserByEmail(const std::string& email) {
  return SelectOne<User>("get user by email",
                         std::string("SELECT ") + kUserColumns + " FROM users WHERE email = :e",
                         {email}, &ReadUser, NotFoundError("no such user"));
}

Result<Page<User>> SociStorage::ListUsers(const std::string& account_id, const PageRequest& page) {
  std::vector<User> items;
  int limit = Limit(page);
  Status s = WithSession("list users", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kUserColumns + " FROM users";
    std::vector<std::string> binds;
    bool scoped = !account_id.empty();
    if (scoped) {
      q += " WHERE account_id = :acct";
      binds.push_back(account_id);
    }
    q += PageClause(page, "id", scoped);
    if (!page.after.empty()) binds.push_back(page.after);
    q += " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadUser(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<User>(std::move(items), limit, [](const User& u) { return u.id; });
}

Status SociStorage::SetUserPassword(const std::string& user_id, const std::string& password_hash,
                                    const Actor& actor) {
  return InTransaction("set password", [&](soci::session& sql) -> Status {
    std::string account_id;
    soci::indicator ind;
    sql << "SELECT account_id FROM users WHERE id = :id", soci::use(user_id),
        soci::into(account_id, ind);
    if (!sql.got_data()) return NotFoundError("no such user");
    sql << "UPDATE users SET password_hash = :pw WHERE id = :id", soci::use(password_hash),
        soci::use(user_id);
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "user.set_password",
                 .target_type = "user",
                 .target_id = user_id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
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

Status SociStorage::CreateSession(const Session& session, const Actor& actor) {
  return InTransaction("create session", [&](soci::session& sql) {
    long long created = Micros(session.created_at), expires = Micros(session.expires_at);
    sql << "INSERT INTO sessions (id_hash, user_id, account_id, csrf_token, created_at, expires_at)"
           " VALUES (:id, :user, :acct, :csrf, :c, :e)",
        soci::use(session.id_hash), soci::use(session.user_id), soci::use(session.account_id),
        soci::use(session.csrf_token), soci::use(created), soci::use(expires);
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
        (sql.prepare << "SELECT id_hash, user_id, account_id, csrf_token, created_at, expires_at"
                        " FROM sessions WHERE id_hash = :id",
         soci::use(id_hash));
    for (const soci::row& r : rs) {
      out = Session{ColumnString(r, 0),
                    ColumnString(r, 1),
                    ColumnString(r, 2),
                    ColumnString(r, 3),
                    FromUnixMicros(ColumnInt(r, 4)),
                    FromUnixMicros(ColumnInt(r, 5))};
    }
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

// ---- factory ----

Result<std::unique_ptr<Storage>> OpenStorage(const StorageOptions& options, const Clock& clock,
                                             Random& random) {
  SIGNET_ASSIGN_OR_RETURN(DatabaseTarget target, ParseDatabaseUrl(options.url));
  auto storage = std::make_unique<SociStorage>(std::move(target), std::max(1, options.pool_size),
                                               clock, random);
  SIGNET_RETURN_IF_ERROR(storage->Open());
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace signet::sa

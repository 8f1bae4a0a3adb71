#include "sa/soci_storage.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <mutex>

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
  std::filesystem::path destination(destination_path);
  std::filesystem::path folder =
      destination.has_parent_path() ? destination.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    return MalformedError("the backup folder " + folder.string() +
                              " does not exist; create it first, or choose another --output",
                          "folder_missing");
  }
  return WithSession("backup", [&](soci::session& sql) {
    // VACUUM INTO writes a consistent, compacted copy while the service keeps running.
    sql << "VACUUM INTO :path", soci::use(destination_path);
    return Status::Ok();
  });
}

Result<std::string> SociStorage::GetServiceFact(const std::string& name) {
  std::string value;
  Status s = WithSession("get service fact", [&](soci::session& sql) {
    QueryRows(sql, "SELECT value FROM service_facts WHERE name = :n", {name},
              [&](const soci::row& r) { value = r.get<std::string>(0); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return value;
}

Result<std::string> SociStorage::RecordServiceFact(const std::string& name,
                                                   const std::string& value) {
  std::string stored;
  Status s = InTransaction("record service fact", [&](soci::session& sql) {
    QueryRows(sql, "SELECT value FROM service_facts WHERE name = :n", {name},
              [&](const soci::row& r) { stored = r.get<std::string>(0); });
    if (!stored.empty()) return Status::Ok();
    Execute(sql, "INSERT INTO service_facts (name, value, created_at) VALUES (:n, :v, :c)",
            {name, value, MicrosParam(clock_.Now())});
    stored = value;
    return Status::Ok();
  });
  if (s.ok()) return stored;
  // Another node inserted it between our read and our insert: theirs is the stored value.
  if (s.reason() == "already_exists") return GetServiceFact(name);
  return s;
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

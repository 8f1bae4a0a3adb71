// Monitors and the history of their checks: the MonitorStore half of SociStorage.
#include <nlohmann/json.hpp>

#include "sa/monitor_check_codec.h"
#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

constexpr char kMonitorColumns[] =
    "id, account_id, host, port, server_name, protocol, interval_minutes, enabled,"
    " next_check_at, last_status, last_checked_at, created_at, updated_at, agent_target_id";

Monitor ReadMonitor(const soci::row& r) {
  Monitor m;
  m.id = ColumnString(r, 0);
  m.account_id = ColumnString(r, 1);
  m.host = ColumnString(r, 2);
  m.port = static_cast<int>(ColumnInt(r, 3));
  m.server_name = ColumnString(r, 4);
  m.protocol = ColumnString(r, 5);
  m.interval_minutes = static_cast<int>(ColumnInt(r, 6));
  m.enabled = ColumnInt(r, 7) != 0;
  m.next_check_at = FromUnixMicros(ColumnInt(r, 8));
  m.last_status = core::ParseMonitorStatus(ColumnString(r, 9));
  m.last_checked_at = ColumnOptionalTime(r, 10);
  m.created_at = FromUnixMicros(ColumnInt(r, 11));
  m.updated_at = FromUnixMicros(ColumnInt(r, 12));
  m.agent_target_id = ColumnString(r, 13);
  return m;
}

constexpr char kCheckColumns[] = "id, monitor_id, account_id, checked_at, status, addresses";

MonitorCheck ReadCheck(const soci::row& r) {
  MonitorCheck c;
  c.id = ColumnString(r, 0);
  c.monitor_id = ColumnString(r, 1);
  c.account_id = ColumnString(r, 2);
  c.checked_at = FromUnixMicros(ColumnInt(r, 3));
  c.status =
      core::ParseMonitorStatus(ColumnString(r, 4)).value_or(core::MonitorStatus::kUnreachable);
  c.addresses = DecodeAddressChecks(ColumnString(r, 5));
  return c;
}

AuditEvent MonitorAudit(const Monitor& m, const char* action) {
  return {.account_id = m.account_id,
          .action = action,
          .target_type = "monitor",
          .target_id = m.id,
          .details = nlohmann::json{{"host", m.host},
                                    {"port", m.port},
                                    {"protocol", m.protocol},
                                    {"enabled", m.enabled},
                                    {"interval_minutes", m.interval_minutes}}
                         .dump()};
}

}  // namespace

Result<Monitor> SociStorage::CreateMonitor(const Monitor& input, const Actor& actor) {
  Monitor m = input;
  m.id = ids_.New("mon");
  m.created_at = m.updated_at = clock_.Now();
  Status s = InTransaction("create monitor", [&](soci::session& sql) {
    Execute(sql,
            "INSERT INTO monitors (id, account_id, host, port, server_name, protocol,"
            " interval_minutes, enabled, next_check_at, last_status, last_checked_at,"
            " created_at, updated_at, agent_target_id) VALUES (:id, :a, :h, :p, :sn, :pr, :i,"
            " :e, :n, '', NULL, :c, :u, :ag)",
            {m.id, m.account_id, m.host, std::to_string(m.port), m.server_name, m.protocol,
             std::to_string(m.interval_minutes), std::string(m.enabled ? "1" : "0"),
             MicrosParam(m.next_check_at), MicrosParam(m.created_at), MicrosParam(m.updated_at),
             m.agent_target_id});
    AppendAudit(sql, MonitorAudit(m, "monitor.create"), actor);
    return Status::Ok();
  });
  if (s.reason() == "already_exists") {
    return ConflictError("this account monitors " + m.host + ":" + std::to_string(m.port) + " (" +
                             m.protocol + ") already",
                         "already_exists");
  }
  if (!s.ok()) return s;
  return m;
}

Result<Monitor> SociStorage::GetMonitor(const std::string& account_id, const std::string& id) {
  std::string q = std::string("SELECT ") + kMonitorColumns + " FROM monitors WHERE id = :id";
  std::vector<std::string> binds{id};
  if (!account_id.empty()) {
    q += " AND account_id = :a";
    binds.push_back(account_id);
  }
  return SelectOne<Monitor>("get monitor", q, binds, &ReadMonitor,
                            NotFoundError("no monitor " + id + " in this account"));
}

Result<Page<Monitor>> SociStorage::ListMonitors(const std::string& account_id,
                                                const PageRequest& page) {
  std::vector<Monitor> items;
  int limit = Limit(page);
  Status s = WithSession("list monitors", [&](soci::session& sql) {
    std::string q =
        std::string("SELECT ") + kMonitorColumns + " FROM monitors WHERE account_id = :a";
    std::vector<std::string> binds{account_id};
    // Oldest first, so a monitor keeps its place in the list (PageClause pages newest first).
    if (!page.after.empty()) {
      q += " AND id > :after";
      binds.push_back(page.after);
    }
    q += " ORDER BY id LIMIT " + std::to_string(limit + 1);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadMonitor(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<Monitor>(std::move(items), limit, [](const Monitor& m) { return m.id; });
}

Result<Monitor> SociStorage::UpdateMonitor(const Monitor& input, const Actor& actor) {
  Monitor m = input;
  m.updated_at = clock_.Now();
  Status s = InTransaction("update monitor", [&](soci::session& sql) -> Status {
    long long changed =
        Execute(sql,
                "UPDATE monitors SET interval_minutes = :i, enabled = :e, next_check_at = :n,"
                " updated_at = :u WHERE id = :id AND account_id = :a",
                {std::to_string(m.interval_minutes), std::string(m.enabled ? "1" : "0"),
                 MicrosParam(m.next_check_at), MicrosParam(m.updated_at), m.id, m.account_id});
    if (changed == 0) return NotFoundError("no monitor " + m.id + " in this account");
    AppendAudit(sql, MonitorAudit(m, "monitor.update"), actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return m;
}

Status SociStorage::DeleteMonitor(const std::string& account_id, const std::string& id,
                                  const Actor& actor) {
  return InTransaction("delete monitor", [&](soci::session& sql) -> Status {
    long long changed =
        Execute(sql, "DELETE FROM monitors WHERE id = :id AND account_id = :a", {id, account_id});
    if (changed == 0) return NotFoundError("no monitor " + id + " in this account");
    Execute(sql, "DELETE FROM monitor_checks WHERE monitor_id = :id", {id});
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "monitor.delete",
                 .target_type = "monitor",
                 .target_id = id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<std::vector<Monitor>> SociStorage::ClaimDueMonitors(TimePoint now, TimePoint claim_until,
                                                           int limit,
                                                           const std::string& agent_target_id) {
  std::vector<Monitor> due, claimed;
  Status s = WithSession("list due monitors", [&](soci::session& sql) {
    QueryRows(sql,
              std::string("SELECT ") + kMonitorColumns +
                  " FROM monitors WHERE agent_target_id = :agent AND enabled = 1 AND"
                  " next_check_at <= :now ORDER BY next_check_at LIMIT " +
                  std::to_string(std::clamp(limit, 1, 100)),
              {agent_target_id, MicrosParam(now)},
              [&](const soci::row& r) { due.push_back(ReadMonitor(r)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (Monitor& m : due) {
    long long changed = 0;
    Status w = WriteSession("claim monitor", [&](soci::session& sql) {
      changed = Execute(sql,
                        "UPDATE monitors SET next_check_at = :until WHERE id = :id AND"
                        " next_check_at = :seen",
                        {MicrosParam(claim_until), m.id, MicrosParam(m.next_check_at)});
      return Status::Ok();
    });
    if (!w.ok()) return w;
    if (changed == 1) claimed.push_back(std::move(m));  // else another node took it
  }
  return claimed;
}

Result<MonitorCheck> SociStorage::RecordMonitorCheck(const MonitorCheck& input,
                                                     TimePoint next_check_at,
                                                     const std::vector<NewJob>& jobs) {
  MonitorCheck c = input;
  c.id = ids_.New("chk");
  Status s = InTransaction("record monitor check", [&](soci::session& sql) -> Status {
    long long changed =
        Execute(sql,
                "UPDATE monitors SET last_status = :s, last_checked_at = :t, next_check_at = :n"
                " WHERE id = :id",
                {std::string(core::Name(c.status)), MicrosParam(c.checked_at),
                 MicrosParam(next_check_at), c.monitor_id});
    if (changed == 0) return NotFoundError("the monitor was removed");
    Execute(sql,
            "INSERT INTO monitor_checks (id, monitor_id, account_id, checked_at, status,"
            " addresses) VALUES (:id, :m, :a, :t, :s, :ad)",
            {c.id, c.monitor_id, c.account_id, MicrosParam(c.checked_at),
             std::string(core::Name(c.status)), EncodeAddressChecks(c.addresses)});
    for (const NewJob& job : jobs) InsertJobIn(sql, job);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return c;
}

Result<Page<MonitorCheck>> SociStorage::ListMonitorChecks(const std::string& account_id,
                                                          const std::string& monitor_id,
                                                          const PageRequest& page) {
  std::vector<MonitorCheck> items;
  int limit = Limit(page);
  Status s = WithSession("list monitor checks", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kCheckColumns +
                    " FROM monitor_checks WHERE account_id = :a AND monitor_id = :m";
    std::vector<std::string> binds{account_id, monitor_id};
    q += PageClause(page, "id", true) + " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    if (!page.after.empty()) binds.push_back(page.after);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadCheck(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<MonitorCheck>(std::move(items), limit,
                                [](const MonitorCheck& c) { return c.id; });
}

}  // namespace signet::sa

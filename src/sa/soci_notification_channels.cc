// Notification channels: the NotificationChannelStore half of SociStorage.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

Result<NotificationChannel> SociStorage::CreateNotificationChannel(const NotificationChannel& input,
                                                                   const Actor& actor) {
  NotificationChannel c = input;
  c.id = ids_.New("chan");
  c.created_at = clock_.Now();
  Status s = InTransaction("create notification channel", [&](soci::session& sql) {
    long long at = Micros(c.created_at);
    long long due = c.digest_due_at ? Micros(*c.digest_due_at) : 0;
    sql << "INSERT INTO notification_channels (id, account_id, kind, target, secret, created_at,"
           " monitor_alerts, digest_due_at) VALUES (:id, :a, :k, :t, :s, :c, :m, :d)",
        soci::use(c.id), soci::use(c.account_id), soci::use(c.kind), soci::use(c.target),
        soci::use(c.secret), soci::use(at), soci::use(c.monitor_alerts), soci::use(due);
    AppendAudit(sql,
                {.account_id = c.account_id,
                 .action = "notification_channel.create",
                 .target_type = "notification_channel",
                 .target_id = c.id,
                 .details = nlohmann::json{{"kind", c.kind},
                                           {"target", c.target},
                                           {"monitor_alerts", c.monitor_alerts}}
                                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return c;
}

namespace {

constexpr char kSelectChannels[] =
    "SELECT id, account_id, kind, target, secret, created_at, monitor_alerts, digest_due_at"
    " FROM notification_channels";

// digest_due_at is 0 when the channel takes alerts one by one.
NotificationChannel ReadChannel(const soci::row& r) {
  NotificationChannel c{ColumnString(r, 0), ColumnString(r, 1), ColumnString(r, 2),
                        ColumnString(r, 3), ColumnString(r, 4), FromUnixMicros(ColumnInt(r, 5))};
  c.monitor_alerts = ColumnString(r, 6);
  if (long long due = ColumnInt(r, 7); due != 0) c.digest_due_at = FromUnixMicros(due);
  return c;
}

}  // namespace

Result<std::vector<NotificationChannel>> SociStorage::ListNotificationChannels(
    const std::string& account_id) {
  std::vector<NotificationChannel> out;
  Status s = WithSession("list notification channels", [&](soci::session& sql) {
    QueryRows(sql, std::string(kSelectChannels) + " WHERE account_id = :a ORDER BY created_at, id",
              {account_id}, [&](const soci::row& r) { out.push_back(ReadChannel(r)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<NotificationChannel>> SociStorage::ListPlaintextChannelSecrets() {
  std::vector<NotificationChannel> out;
  Status s = WithSession("list plaintext channel secrets", [&](soci::session& sql) {
    QueryRows(sql, std::string(kSelectChannels) + " WHERE secret <> '' AND secret NOT LIKE 'v1.%'",
              {}, [&](const soci::row& r) { out.push_back(ReadChannel(r)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SociStorage::SetNotificationChannelSecret(const std::string& id, const std::string& expected,
                                                 const std::string& secret) {
  return WriteSession("seal notification channel secret", [&](soci::session& sql) {
    Execute(sql, "UPDATE notification_channels SET secret = :s WHERE id = :id AND secret = :e",
            {secret, id, expected});
    return Status::Ok();
  });
}

Status SociStorage::DeleteNotificationChannel(const std::string& account_id, const std::string& id,
                                              const Actor& actor) {
  return InTransaction("delete notification channel", [&](soci::session& sql) -> Status {
    soci::statement st =
        (sql.prepare << "DELETE FROM notification_channels WHERE id = :id AND account_id = :a",
         soci::use(id), soci::use(account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NotFoundError("no notification channel " + id);
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "notification_channel.delete",
                 .target_type = "notification_channel",
                 .target_id = id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<NotificationChannel> SociStorage::SetChannelMonitorAlerts(
    const std::string& account_id, const std::string& id, const std::string& monitor_alerts,
    std::optional<TimePoint> digest_due_at, const Actor& actor) {
  NotificationChannel out;
  Status s = InTransaction("set channel monitor alerts", [&](soci::session& sql) -> Status {
    long long changed =
        Execute(sql,
                "UPDATE notification_channels SET monitor_alerts = :m, digest_due_at = :d"
                " WHERE id = :id AND account_id = :a",
                {monitor_alerts, digest_due_at ? MicrosParam(*digest_due_at) : std::string("0"), id,
                 account_id});
    if (changed == 0) return NotFoundError("no notification channel " + id);
    bool found = false;
    QueryRows(sql, std::string(kSelectChannels) + " WHERE id = :id", {id}, [&](const soci::row& r) {
      out = ReadChannel(r);
      found = true;
    });
    if (!found) return NotFoundError("no notification channel " + id);
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "notification_channel.update",
                 .target_type = "notification_channel",
                 .target_id = id,
                 .details = nlohmann::json{{"monitor_alerts", monitor_alerts}}.dump()},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<NotificationChannel>> SociStorage::ListDueDigestChannels(TimePoint now) {
  std::vector<NotificationChannel> out;
  Status s = WithSession("list due digest channels", [&](soci::session& sql) {
    QueryRows(sql,
              std::string(kSelectChannels) +
                  " WHERE monitor_alerts = 'daily_digest' AND digest_due_at <= :now"
                  " ORDER BY digest_due_at, id",
              {MicrosParam(now)}, [&](const soci::row& r) { out.push_back(ReadChannel(r)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<bool> SociStorage::RecordDigestSent(const std::string& id, TimePoint expected,
                                           TimePoint next, const std::vector<NewJob>& jobs) {
  bool moved = false;
  Status s = InTransaction("record digest sent", [&](soci::session& sql) -> Status {
    moved = Execute(sql,
                    "UPDATE notification_channels SET digest_due_at = :n"
                    " WHERE id = :id AND monitor_alerts = 'daily_digest' AND digest_due_at = :e",
                    {MicrosParam(next), id, MicrosParam(expected)}) > 0;
    if (!moved) return Status::Ok();
    for (const NewJob& job : jobs) InsertJobIn(sql, job);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return moved;
}

}  // namespace signet::sa

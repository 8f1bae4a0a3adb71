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
    sql << "INSERT INTO notification_channels (id, account_id, kind, target, secret, created_at)"
           " VALUES (:id, :a, :k, :t, :s, :c)",
        soci::use(c.id), soci::use(c.account_id), soci::use(c.kind), soci::use(c.target),
        soci::use(c.secret), soci::use(at);
    AppendAudit(sql,
                {.account_id = c.account_id,
                 .action = "notification_channel.create",
                 .target_type = "notification_channel",
                 .target_id = c.id,
                 .details = nlohmann::json{{"kind", c.kind}, {"target", c.target}}.dump()},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return c;
}

namespace {

constexpr char kSelectChannels[] =
    "SELECT id, account_id, kind, target, secret, created_at FROM notification_channels";

NotificationChannel ReadChannel(const soci::row& r) {
  return {ColumnString(r, 0), ColumnString(r, 1), ColumnString(r, 2),
          ColumnString(r, 3), ColumnString(r, 4), FromUnixMicros(ColumnInt(r, 5))};
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

}  // namespace signet::sa

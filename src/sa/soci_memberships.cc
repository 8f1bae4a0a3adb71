// SociStorage: people (users, one per email) and their memberships of accounts, with the
// invitations that create them.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

const char* kUserColumns = "id, email, password_hash, created_at, reset_hash, reset_expires_at";
User ReadUser(const soci::row& r) {
  User u;
  u.id = ColumnString(r, 0);
  u.email = ColumnString(r, 1);
  u.password_hash = ColumnString(r, 2);
  u.created_at = FromUnixMicros(ColumnInt(r, 3));
  u.reset_hash = ColumnString(r, 4);
  u.reset_expires_at = ColumnOptionalTime(r, 5);
  return u;
}

const char* kMembershipSelect =
    "SELECT m.user_id, m.account_id, u.email, m.role, m.status, m.invitation_hash,"
    " m.invitation_expires_at, m.invited_by, m.created_at, m.updated_at, m.id, m.accepted_at"
    " FROM memberships m JOIN users u ON u.id = m.user_id";
const char* kMembershipPageKey = "m.id";

Membership ReadMembership(const soci::row& r) {
  Membership m;
  m.user_id = ColumnString(r, 0);
  m.account_id = ColumnString(r, 1);
  m.email = ColumnString(r, 2);
  m.role = ParseRole(ColumnString(r, 3)).value_or(Role::kMember);
  // An unknown status reads as disabled: a row this build cannot interpret grants nothing.
  m.status = ParseMembershipStatus(ColumnString(r, 4)).value_or(MembershipStatus::kDisabled);
  m.invitation_hash = ColumnString(r, 5);
  m.invitation_expires_at = ColumnOptionalTime(r, 6);
  m.invited_by = ColumnString(r, 7);
  m.created_at = FromUnixMicros(ColumnInt(r, 8));
  m.updated_at = FromUnixMicros(ColumnInt(r, 9));
  m.id = ColumnString(r, 10);
  m.accepted_at = ColumnOptionalTime(r, 11);
  return m;
}

std::string MembershipDetails(const Membership& m) {
  return nlohmann::json{{"role", RoleName(m.role)}, {"status", MembershipStatusName(m.status)}}
      .dump();
}

}  // namespace

Result<Membership> SociStorage::AddMember(const Membership& input,
                                          const std::string& new_password_hash,
                                          const Actor& actor) {
  Membership m = input;
  m.id = ids_.New("member");
  m.created_at = m.updated_at = clock_.Now();
  m.accepted_at.reset();
  if (m.status == MembershipStatus::kActive) m.accepted_at = m.created_at;
  Status s = InTransaction("add member", [&](soci::session& sql) -> Status {
    long long at = Micros(m.created_at);
    std::string user_id;
    soci::indicator ind = soci::i_ok;
    sql << "SELECT id FROM users WHERE email = :e", soci::use(m.email), soci::into(user_id, ind);
    if (!sql.got_data()) {
      user_id = ids_.New("user");
      // account_id and role of a users row record where the person was first added (unread).
      std::string role = RoleName(m.role);
      sql << "INSERT INTO users (id, account_id, email, role, password_hash, created_at)"
             " VALUES (:id, :acct, :email, :role, :pw, :at)",
          soci::use(user_id), soci::use(m.account_id), soci::use(m.email), soci::use(role),
          soci::use(new_password_hash), soci::use(at);
      // Audited outside any account: an account's log must not show whether an invitation
      // made a new person or found an existing one.
      AppendAudit(sql,
                  {.account_id = "",
                   .action = "user.create",
                   .target_type = "person",
                   .target_id = user_id,
                   .details = "{}"},
                  actor);
    } else {
      // A person without a password (invited elsewhere, or API keys only) gets the given one, in
      // this transaction; one who has a password keeps it.
      if (!new_password_hash.empty()) {
        sql << "UPDATE users SET password_hash = :pw WHERE id = :id AND password_hash = ''",
            soci::use(new_password_hash), soci::use(user_id);
      }
      int already = 0;
      sql << "SELECT COUNT(*) FROM memberships WHERE user_id = :u AND account_id = :a",
          soci::use(user_id), soci::use(m.account_id), soci::into(already);
      if (already > 0) {
        return ConflictError(m.email + " is already a user of this account", "already_member");
      }
    }
    m.user_id = user_id;
    std::string role = RoleName(m.role);
    std::string status = MembershipStatusName(m.status);
    NullableMicros expires(m.invitation_expires_at);
    NullableMicros accepted(m.accepted_at);
    sql << "INSERT INTO memberships (id, user_id, account_id, role, status, invitation_hash,"
           " invitation_expires_at, invited_by, accepted_at, created_at, updated_at)"
           " VALUES (:id, :u, :a, :role, :status, :inv, :exp, :by, :acc, :c, :up)",
        soci::use(m.id), soci::use(m.user_id), soci::use(m.account_id), soci::use(role),
        soci::use(status), soci::use(m.invitation_hash), soci::use(expires.value, expires.ind),
        soci::use(m.invited_by), soci::use(accepted.value, accepted.ind), soci::use(at),
        soci::use(at);
    AppendAudit(sql,
                {.account_id = m.account_id,
                 .action = m.status == MembershipStatus::kInvited ? "user.invite" : "user.add",
                 .target_type = "user",
                 .target_id = m.id,
                 .details = MembershipDetails(m)},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) {
    // A person created by a concurrent call between our read and insert: the caller may retry.
    if (s.reason() == "already_exists") {
      return UnavailableError("another change to " + m.email + " happened at the same time; " +
                              "try again");
    }
    return s;
  }
  return m;
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

Result<Membership> SociStorage::GetMembership(const std::string& user_id,
                                              const std::string& account_id) {
  return SelectOne<Membership>(
      "get membership",
      std::string(kMembershipSelect) + " WHERE m.user_id = :u AND m.account_id = :a",
      {user_id, account_id}, &ReadMembership, NotFoundError("no such user in this account"));
}

Result<Membership> SociStorage::GetMembershipById(const std::string& account_id,
                                                  const std::string& id) {
  return SelectOne<Membership>(
      "get membership by id",
      std::string(kMembershipSelect) + " WHERE m.id = :id AND m.account_id = :a", {id, account_id},
      &ReadMembership, NotFoundError("no user " + id + " in this account"));
}

Result<std::vector<Membership>> SociStorage::ListMembershipsOfUser(const std::string& user_id) {
  std::vector<Membership> out;
  Status s = WithSession("list memberships", [&](soci::session& sql) {
    std::vector<std::string> binds{user_id};
    soci::rowset<soci::row> rs =
        Query(sql,
              std::string(kMembershipSelect) +
                  " WHERE m.user_id = :u ORDER BY m.created_at, m.account_id",
              binds);
    for (const soci::row& r : rs) out.push_back(ReadMembership(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Page<Membership>> SociStorage::ListMembers(const std::string& account_id,
                                                  const PageRequest& page) {
  std::vector<Membership> items;
  int limit = Limit(page);
  Status s = WithSession("list members", [&](soci::session& sql) {
    std::string q = kMembershipSelect;
    std::vector<std::string> binds;
    bool scoped = !account_id.empty();
    if (scoped) {
      q += " WHERE m.account_id = :acct";
      binds.push_back(account_id);
    }
    q += PageClause(page, kMembershipPageKey, scoped);
    if (!page.after.empty()) binds.push_back(page.after);
    q +=
        std::string(" ORDER BY ") + kMembershipPageKey + " DESC LIMIT " + std::to_string(limit + 1);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadMembership(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<Membership>(std::move(items), limit, [](const Membership& m) { return m.id; });
}

Result<Membership> SociStorage::FindMembershipByInvitation(const std::string& invitation_hash) {
  if (invitation_hash.empty()) return NotFoundError("no such invitation");
  return SelectOne<Membership>(
      "find invitation", std::string(kMembershipSelect) + " WHERE m.invitation_hash = :h",
      {invitation_hash}, &ReadMembership, NotFoundError("no such invitation"));
}

Status SociStorage::UpdateMembership(const Membership& m, const std::string& action,
                                     const Actor& actor) {
  return InTransaction("update membership", [&](soci::session& sql) -> Status {
    long long now = Micros(clock_.Now());
    std::string role = RoleName(m.role);
    std::string status = MembershipStatusName(m.status);
    NullableMicros expires(m.invitation_expires_at);
    soci::statement st =
        (sql.prepare << "UPDATE memberships SET role = :role, status = :status,"
                        " invitation_hash = :inv, invitation_expires_at = :exp, updated_at = :now"
                        " WHERE user_id = :u AND account_id = :a",
         soci::use(role), soci::use(status), soci::use(m.invitation_hash),
         soci::use(expires.value, expires.ind), soci::use(now), soci::use(m.user_id),
         soci::use(m.account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NotFoundError("no such user in this account");
    AppendAudit(sql,
                {.account_id = m.account_id,
                 .action = action,
                 .target_type = "user",
                 .target_id = m.id,
                 .details = MembershipDetails(m)},
                actor);
    return Status::Ok();
  });
}

Status SociStorage::AcceptInvitation(const std::string& user_id, const std::string& account_id,
                                     const std::string& new_password_hash, const Actor& actor) {
  return InTransaction("accept invitation", [&](soci::session& sql) -> Status {
    long long now = Micros(clock_.Now());
    if (!new_password_hash.empty()) {
      soci::statement pw = (sql.prepare << "UPDATE users SET password_hash = :pw"
                                           " WHERE id = :id AND password_hash = ''",
                            soci::use(new_password_hash), soci::use(user_id));
      pw.execute(true);
      if (pw.get_affected_rows() == 0) {
        return ConflictError("this person has a password already; sign in with it to accept",
                             "password_already_set");
      }
    }
    soci::statement st =
        (sql.prepare << "UPDATE memberships SET status = 'active', invitation_hash = '',"
                        " invitation_expires_at = NULL, accepted_at = :acc, updated_at = :now"
                        " WHERE user_id = :u AND account_id = :a AND status = 'invited'",
         soci::use(now), soci::use(now), soci::use(user_id), soci::use(account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return ConflictError("this invitation was used or withdrawn already", "invitation_used");
    }
    std::string member_id;
    sql << "SELECT id FROM memberships WHERE user_id = :u AND account_id = :a", soci::use(user_id),
        soci::use(account_id), soci::into(member_id);
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "user.accept_invitation",
                 .target_type = "user",
                 .target_id = member_id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Status SociStorage::SetUserPassword(const std::string& user_id, const std::string& password_hash,
                                    const Actor& actor) {
  return InTransaction("set password", [&](soci::session& sql) -> Status {
    soci::statement st = (sql.prepare << "UPDATE users SET password_hash = :pw WHERE id = :id",
                          soci::use(password_hash), soci::use(user_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NotFoundError("no such user");
    AppendAudit(sql,
                {.account_id = "",
                 .action = "user.set_password",
                 .target_type = "person",
                 .target_id = user_id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<bool> SociStorage::StartPasswordReset(const std::string& user_id,
                                             const std::string& reset_hash, TimePoint expires_at,
                                             TimePoint now, std::chrono::seconds min_interval,
                                             const Actor& actor) {
  bool started = false;
  Status s = InTransaction("start password reset", [&](soci::session& sql) -> Status {
    long long expires = Micros(expires_at), at = Micros(now);
    long long earliest = Micros(now - min_interval);
    soci::statement st =
        (sql.prepare << "UPDATE users SET reset_hash = :h, reset_expires_at = :e,"
                        " reset_sent_at = :now WHERE id = :id AND (reset_sent_at IS NULL OR"
                        " reset_sent_at <= :earliest)",
         soci::use(reset_hash), soci::use(expires), soci::use(at), soci::use(user_id),
         soci::use(earliest));
    st.execute(true);
    started = st.get_affected_rows() > 0;
    if (started) {
      AppendAudit(sql,
                  {.account_id = "",
                   .action = "user.password_reset_requested",
                   .target_type = "person",
                   .target_id = user_id,
                   .details = "{}"},
                  actor);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return started;
}

Result<User> SociStorage::GetUserByResetHash(const std::string& reset_hash) {
  if (reset_hash.empty()) return NotFoundError("no such reset");
  return SelectOne<User>(
      "get user by reset",
      std::string("SELECT ") + kUserColumns + " FROM users WHERE reset_hash = :h", {reset_hash},
      &ReadUser, NotFoundError("no such reset"));
}

Status SociStorage::CompletePasswordReset(const std::string& user_id, const std::string& reset_hash,
                                          const std::string& password_hash, const Actor& actor) {
  return InTransaction("complete password reset", [&](soci::session& sql) -> Status {
    soci::statement st =
        (sql.prepare << "UPDATE users SET password_hash = :pw, reset_hash = '',"
                        " reset_expires_at = NULL WHERE id = :id AND reset_hash = :h AND"
                        " reset_hash <> ''",
         soci::use(password_hash), soci::use(user_id), soci::use(reset_hash));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return Status::Error(ErrorCode::kNotFound, "reset_invalid",
                           "this reset link was used already; ask for a new one");
    }
    sql << "DELETE FROM sessions WHERE user_id = :id", soci::use(user_id);
    AppendAudit(sql,
                {.account_id = "",
                 .action = "user.password_reset",
                 .target_type = "person",
                 .target_id = user_id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

}  // namespace signet::sa

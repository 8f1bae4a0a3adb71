// Saved administrators: the AdministratorStore half of SociStorage.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

const char* kColumns = "id, account_id, name, position, phone, email, created_at, updated_at";

Administrator ReadAdministrator(const soci::row& r) {
  Administrator a;
  a.id = ColumnString(r, 0);
  a.account_id = ColumnString(r, 1);
  a.name = ColumnString(r, 2);
  a.position = ColumnString(r, 3);
  a.phone = ColumnString(r, 4);
  a.email = ColumnString(r, 5);
  a.created_at = FromUnixMicros(ColumnInt(r, 6));
  a.updated_at = FromUnixMicros(ColumnInt(r, 7));
  return a;
}

AuditEvent Event(const Administrator& a, const char* action) {
  return {.account_id = a.account_id,
          .action = action,
          .target_type = "administrator",
          .target_id = a.id,
          .details = nlohmann::json{{"name", a.name}, {"email", a.email}}.dump()};
}

}  // namespace

Result<Administrator> SociStorage::CreateAdministrator(const Administrator& input,
                                                       const Actor& actor) {
  Administrator a = input;
  a.id = ids_.New("adm");
  a.created_at = a.updated_at = clock_.Now();
  Status s = InTransaction("create administrator", [&](soci::session& sql) {
    long long at = Micros(a.created_at);
    sql << "INSERT INTO administrators (id, account_id, name, position, phone, email, created_at,"
           " updated_at) VALUES (:id, :acct, :name, :position, :phone, :email, :c, :u)",
        soci::use(a.id), soci::use(a.account_id), soci::use(a.name), soci::use(a.position),
        soci::use(a.phone), soci::use(a.email), soci::use(at), soci::use(at);
    AppendAudit(sql, Event(a, "administrator.create"), actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return a;
}

Result<Administrator> SociStorage::GetAdministrator(const std::string& account_id,
                                                    const std::string& id) {
  return SelectOne<Administrator>(
      "get administrator",
      std::string("SELECT ") + kColumns + " FROM administrators WHERE id = :id AND account_id = :a",
      {id, account_id}, &ReadAdministrator,
      NotFoundError("no administrator " + id + " in this account"));
}

Result<Page<Administrator>> SociStorage::ListAdministrators(const std::string& account_id,
                                                            const PageRequest& page) {
  std::vector<Administrator> items;
  int limit = Limit(page);
  Status s = WithSession("list administrators", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kColumns +
                    " FROM administrators WHERE account_id = :acct" + PageClause(page, "id", true) +
                    " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    std::vector<std::string> binds{account_id};
    if (!page.after.empty()) binds.push_back(page.after);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadAdministrator(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<Administrator>(std::move(items), limit,
                                 [](const Administrator& a) { return a.id; });
}

Result<Administrator> SociStorage::UpdateAdministrator(const Administrator& input,
                                                       const Actor& actor) {
  Administrator a = input;
  a.updated_at = clock_.Now();
  Status s = InTransaction("update administrator", [&](soci::session& sql) -> Status {
    long long at = Micros(a.updated_at);
    soci::statement st =
        (sql.prepare << "UPDATE administrators SET name = :name, position = :position,"
                        " phone = :phone, email = :email, updated_at = :u"
                        " WHERE id = :id AND account_id = :acct",
         soci::use(a.name), soci::use(a.position), soci::use(a.phone), soci::use(a.email),
         soci::use(at), soci::use(a.id), soci::use(a.account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return NotFoundError("no administrator " + a.id + " in this account");
    }
    AppendAudit(sql, Event(a, "administrator.update"), actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return GetAdministrator(a.account_id, a.id);
}

Status SociStorage::DeleteAdministrator(const std::string& account_id, const std::string& id,
                                        const Actor& actor) {
  return InTransaction("delete administrator", [&](soci::session& sql) -> Status {
    soci::statement st =
        (sql.prepare << "DELETE FROM administrators WHERE id = :id AND account_id = :acct",
         soci::use(id), soci::use(account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return NotFoundError("no administrator " + id + " in this account");
    }
    Administrator gone;
    gone.id = id;
    gone.account_id = account_id;
    AppendAudit(sql, Event(gone, "administrator.delete"), actor);
    return Status::Ok();
  });
}

}  // namespace signet::sa

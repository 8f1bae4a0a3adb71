// Managed certificates (issued here or uploaded), reminders sent, and account reminder
// schedules: the CertificateStore half of SociStorage.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

const char* kColumns =
    "id, account_id, source, order_id, serial_hex, der, chain_pem, sealed_private_key, names,"
    " issuer_name, not_before, not_after, alias, project, reminders_enabled, reminder_days,"
    " hidden, created_at, lineage_id, upstream_revoked_at, upstream_revocation_reason";

ManagedCertificate ReadManaged(const soci::row& r) {
  ManagedCertificate c;
  c.id = ColumnString(r, 0);
  c.account_id = ColumnString(r, 1);
  // A source this build does not know reads as uploaded: nothing Signet would revoke or renew.
  c.source =
      core::ParseCertificateSource(ColumnString(r, 2)).value_or(core::CertificateSource::kUploaded);
  c.order_id = ColumnString(r, 3);
  c.serial_hex = ColumnString(r, 4);
  c.der_base64 = ColumnString(r, 5);
  c.chain_pem = ColumnString(r, 6);
  c.sealed_private_key = ColumnString(r, 7);
  c.names = ColumnString(r, 8);
  c.issuer_name = ColumnString(r, 9);
  c.not_before = FromUnixMicros(ColumnInt(r, 10));
  c.not_after = FromUnixMicros(ColumnInt(r, 11));
  c.alias = ColumnString(r, 12);
  c.project = ColumnString(r, 13);
  c.reminders_enabled = ColumnInt(r, 14) != 0;
  c.reminder_days = ColumnString(r, 15);
  c.hidden = ColumnInt(r, 16) != 0;
  c.created_at = FromUnixMicros(ColumnInt(r, 17));
  c.lineage_id = ColumnString(r, 18);
  c.upstream_revoked_at = ColumnOptionalTime(r, 19);
  c.upstream_revocation_reason = static_cast<int>(ColumnInt(r, 20));
  return c;
}

}  // namespace

Result<ManagedCertificate> SociStorage::AddManagedCertificate(const ManagedCertificate& input,
                                                              const Actor& actor) {
  ManagedCertificate c = input;
  c.created_at = clock_.Now();
  if (c.lineage_id.empty()) c.lineage_id = c.id;
  bool existed = false;
  Status s = InTransaction("add managed certificate", [&](soci::session& sql) {
    existed = !InsertManagedCertificateIn(sql, c, actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (existed) return GetManagedCertificate(c.account_id, c.id);
  return c;
}

bool SociStorage::InsertManagedCertificateIn(soci::session& sql, const ManagedCertificate& c,
                                             const Actor& actor) {
  bool existed = false;
  QueryRows(sql, "SELECT 1 FROM managed_certificates WHERE id = :id", {c.id},
            [&](const soci::row&) { existed = true; });
  if (existed) return false;
  Execute(sql,
          "INSERT INTO managed_certificates (id, account_id, source, order_id, serial_hex, der,"
          " chain_pem, sealed_private_key, names, issuer_name, not_before, not_after, alias,"
          " project, reminders_enabled, reminder_days, hidden, created_at, lineage_id) VALUES"
          " (:id, :acct, :source, :o, :serial, :der, :chain, :key, :names, :issuer, :nb, :na,"
          " :alias, :project, :rem, :days, :hidden, :c, :lineage)",
          {c.id, c.account_id, std::string(core::Name(c.source)), c.order_id, c.serial_hex,
           c.der_base64, c.chain_pem, c.sealed_private_key, c.names, c.issuer_name,
           MicrosParam(c.not_before), MicrosParam(c.not_after), c.alias, c.project,
           std::string(c.reminders_enabled ? "1" : "0"), c.reminder_days,
           std::string(c.hidden ? "1" : "0"), MicrosParam(c.created_at),
           c.lineage_id.empty() ? c.id : c.lineage_id});
  if (c.source == core::CertificateSource::kUploaded ||
      c.source == core::CertificateSource::kDiscovered) {
    AppendAudit(sql,
                {.account_id = c.account_id,
                 .action = c.source == core::CertificateSource::kUploaded ? "certificate.upload"
                                                                          : "certificate.discover",
                 .target_type = "certificate",
                 .target_id = c.id,
                 .details = nlohmann::json{{"names", c.names}}.dump()},
                actor);
  }
  return true;
}

Result<ManagedCertificate> SociStorage::GetManagedCertificate(const std::string& account_id,
                                                              const std::string& id) {
  std::string q = std::string("SELECT ") + kColumns + " FROM managed_certificates WHERE id = :id";
  std::vector<std::string> binds{id};
  if (!account_id.empty()) {
    q += " AND account_id = :acct";
    binds.push_back(account_id);
  }
  return SelectOne<ManagedCertificate>("get managed certificate", q, binds, &ReadManaged,
                                       NotFoundError("no certificate " + id + " in this account"));
}

Result<Page<ManagedCertificate>> SociStorage::ListManagedCertificates(
    const std::string& account_id, const CertificateFilter& filter, const PageRequest& page) {
  std::vector<ManagedCertificate> items;
  int limit = Limit(page);
  Status s = WithSession("list managed certificates", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kColumns + " FROM managed_certificates WHERE 1 = 1";
    std::vector<std::string> binds;
    if (!account_id.empty()) {
      q += " AND account_id = :acct";
      binds.push_back(account_id);
    }
    if (!filter.include_hidden) q += " AND hidden = 0";
    if (!filter.lineage_id.empty()) {
      q += " AND lineage_id = :lineage";
      binds.push_back(filter.lineage_id);
    }
    if (!filter.project.empty()) {
      q += " AND project = :project";
      binds.push_back(filter.project);
    }
    if (!filter.domain.empty()) {
      // names is "a,b,c": match one whole entry.
      q += " AND (',' || names || ',') LIKE :domain";
      binds.push_back("%," + filter.domain + ",%");
    }
    if (filter.expiring_before) {
      // PostgreSQL will not compare a BIGINT with a text parameter.
      q += " AND not_after < CAST(:before AS BIGINT)";
      binds.push_back(std::to_string(Micros(*filter.expiring_before)));
    }
    if (filter.status) {
      // Filtered in SQL, so pages stay full and a large inventory is not read row by row.
      const char* revoked =
          "(source = 'issued' AND EXISTS (SELECT 1 FROM certificates c WHERE c.serial_hex ="
          " managed_certificates.serial_hex AND c.status = 'revoked'))";
      if (*filter.status == core::CertificateStatus::kRevoked) {
        q += std::string(" AND ") + revoked;
      } else {
        q += std::string(" AND NOT ") + revoked +
             (*filter.status == core::CertificateStatus::kExpired
                  ? " AND not_after <= CAST(:at AS BIGINT)"
                  : " AND not_after > CAST(:at AS BIGINT)");
        binds.push_back(std::to_string(Micros(filter.status_at)));
      }
    }
    if (!filter.query.empty()) {
      q += " AND (LOWER(names) LIKE :q1 ESCAPE '\\' OR LOWER(serial_hex) LIKE :q2 ESCAPE '\\'"
           " OR LOWER(alias) LIKE :q3 ESCAPE '\\' OR LOWER(id) LIKE :q4 ESCAPE '\\')";
      for (int i = 0; i < 4; ++i) binds.push_back(ContainsPattern(filter.query));
    }
    if (filter.sort == CertificateSort::kNewest) {
      q += PageClause(page, "id", true) + " ORDER BY id DESC";
      if (!page.after.empty()) binds.push_back(page.after);
    } else {
      // Keyset pagination on (not_after, id): the page token is "<not_after micros>:<id>".
      bool ascending = filter.sort == CertificateSort::kExpiringFirst;
      if (!page.after.empty()) {
        size_t colon = page.after.find(':');
        std::string micros = page.after.substr(0, colon);
        std::string digits = !micros.empty() && micros[0] == '-' ? micros.substr(1) : micros;
        if (colon == std::string::npos || digits.empty() || digits.size() > 18 ||
            digits.find_first_not_of("0123456789") != std::string::npos) {
          return MalformedError(
              "page_token is not one this server issued for this sort; start from the first page",
              "invalid_page_token");
        }
        const char* op = ascending ? ">" : "<";
        q += std::string(" AND (not_after ") + op +
             " CAST(:a1 AS BIGINT) OR (not_after = " + "CAST(:a2 AS BIGINT) AND id " + op +
             " :a3))";
        binds.push_back(micros);
        binds.push_back(micros);
        binds.push_back(page.after.substr(colon + 1));
      }
      q += ascending ? " ORDER BY not_after ASC, id ASC" : " ORDER BY not_after DESC, id DESC";
    }
    q += " LIMIT " + std::to_string(limit + 1);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadManaged(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<ManagedCertificate>(std::move(items), limit,
                                      [&filter](const ManagedCertificate& c) {
                                        if (filter.sort == CertificateSort::kNewest) return c.id;
                                        return std::to_string(Micros(c.not_after)) + ":" + c.id;
                                      });
}

Result<ManagedCertificate> SociStorage::UpdateManagedCertificate(const ManagedCertificate& c,
                                                                 const Actor& actor) {
  Status s = InTransaction("update managed certificate", [&](soci::session& sql) -> Status {
    int reminders = c.reminders_enabled ? 1 : 0, hidden = c.hidden ? 1 : 0;
    soci::statement st =
        (sql.prepare << "UPDATE managed_certificates SET alias = :alias, project = :project,"
                        " reminders_enabled = :rem, reminder_days = :days, hidden = :hidden"
                        " WHERE id = :id AND account_id = :acct",
         soci::use(c.alias), soci::use(c.project), soci::use(reminders), soci::use(c.reminder_days),
         soci::use(hidden), soci::use(c.id), soci::use(c.account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NotFoundError("no certificate " + c.id);
    AppendAudit(sql,
                {.account_id = c.account_id,
                 .action = c.hidden ? "certificate.hide" : "certificate.update",
                 .target_type = "certificate",
                 .target_id = c.id,
                 .details = nlohmann::json{{"alias", c.alias},
                                           {"project", c.project},
                                           {"reminders", c.reminders_enabled},
                                           {"reminder_days", c.reminder_days}}
                                .dump()},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return GetManagedCertificate(c.account_id, c.id);
}

Result<bool> SociStorage::MarkReminderSent(const std::string& certificate_id, TimePoint not_after,
                                           int days, const std::vector<NewJob>& jobs) {
  bool inserted = false;
  Status s = InTransaction("mark reminder sent", [&](soci::session& sql) {
    long long na = Micros(not_after);
    soci::statement st =
        (sql.prepare << "INSERT INTO reminders_sent (certificate_id, not_after, days) VALUES"
                        " (:c, :na, :d) ON CONFLICT DO NOTHING",
         soci::use(certificate_id), soci::use(na), soci::use(days));
    st.execute(true);
    inserted = st.get_affected_rows() > 0;
    if (inserted) {
      for (const NewJob& job : jobs) InsertJobIn(sql, job);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return inserted;
}

Result<bool> SociStorage::ReminderSent(const std::string& certificate_id, TimePoint not_after,
                                       int days) {
  long long count = 0;
  Status s = WithSession("read reminder sent", [&](soci::session& sql) {
    long long na = Micros(not_after);
    sql << "SELECT COUNT(*) FROM reminders_sent WHERE certificate_id = :c AND not_after = :na"
           " AND days = :d",
        soci::use(certificate_id), soci::use(na), soci::use(days), soci::into(count);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return count > 0;
}

Result<std::string> SociStorage::GetAccountReminderDays(const std::string& account_id) {
  std::string days;
  Status s = WithSession("get reminder days", [&](soci::session& sql) {
    soci::indicator ind = soci::i_null;
    sql << "SELECT reminder_days FROM account_preferences WHERE account_id = :a",
        soci::use(account_id), soci::into(days, ind);
    if (ind == soci::i_null) days.clear();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return days;
}

Status SociStorage::SetAccountReminderDays(const std::string& account_id, const std::string& days,
                                           const Actor& actor) {
  return InTransaction("set reminder days", [&](soci::session& sql) {
    sql << "DELETE FROM account_preferences WHERE account_id = :a", soci::use(account_id);
    sql << "INSERT INTO account_preferences (account_id, reminder_days) VALUES (:a, :d)",
        soci::use(account_id), soci::use(days);
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "account.reminders",
                 .target_type = "account",
                 .target_id = account_id,
                 .details = nlohmann::json{{"reminder_days", days}}.dump()},
                actor);
    return Status::Ok();
  });
}

Status SociStorage::MarkUpstreamRevoked(const std::string& account_id, const std::string& id,
                                        int reason, const Actor& actor) {
  return InTransaction("mark upstream revoked", [&](soci::session& sql) -> Status {
    long long changed =
        Execute(sql,
                "UPDATE managed_certificates SET upstream_revoked_at = :t,"
                " upstream_revocation_reason = :r WHERE id = :id AND"
                " account_id = :a AND upstream_revoked_at IS NULL",
                {MicrosParam(clock_.Now()), std::to_string(reason), id, account_id});
    if (changed == 0) return Status::Ok();  // revoked already (by another worker)
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "certificate.revoke",
                 .target_type = "certificate",
                 .target_id = id,
                 .details = nlohmann::json{{"reason", reason}, {"at", "upstream"}}.dump()},
                actor);
    return Status::Ok();
  });
}

Result<std::vector<ManagedCertificate>> SociStorage::ListRenewableUpstreamCertificates(
    TimePoint now, int limit) {
  std::vector<ManagedCertificate> out;
  Status s = WithSession("list renewable upstream certificates", [&](soci::session& sql) {
    QueryRows(sql,
              std::string("SELECT ") + kColumns +
                  " FROM managed_certificates WHERE source = 'upstream' AND hidden = 0 AND"
                  " upstream_revoked_at IS NULL AND not_after > :now ORDER BY not_after LIMIT " +
                  std::to_string(std::clamp(limit, 1, 10000)),
              {MicrosParam(now)}, [&](const soci::row& r) { out.push_back(ReadManaged(r)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace signet::sa

// Issuances and certificates half of SociStorage.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

const char* kIssuanceColumns =
    "id, account_id, state, serial_hex, issuer, request_json, linted_der, failure, created_at,"
    " updated_at";

Issuance ReadIssuance(const soci::row& r) {
  Issuance i;
  i.id = ColumnString(r, 0);
  i.account_id = ColumnString(r, 1);
  i.state = ParseIssuanceState(ColumnString(r, 2)).value_or(IssuanceState::kFailed);
  i.serial_hex = ColumnString(r, 3);
  i.issuer = ColumnString(r, 4);
  i.request_json = ColumnString(r, 5);
  i.linted_der_base64 = ColumnString(r, 6);
  i.failure = ColumnString(r, 7);
  i.created_at = FromUnixMicros(ColumnInt(r, 8));
  i.updated_at = FromUnixMicros(ColumnInt(r, 9));
  return i;
}

const char* kCertificateColumns =
    "serial_hex, issuance_id, account_id, issuer, der, names, not_before, not_after, status,"
    " revoked_at, revocation_reason, crl_shard, created_at";

CertificateRecord ReadCertificate(const soci::row& r) {
  CertificateRecord c;
  c.serial_hex = ColumnString(r, 0);
  c.issuance_id = ColumnString(r, 1);
  c.account_id = ColumnString(r, 2);
  c.issuer = ColumnString(r, 3);
  c.der_base64 = ColumnString(r, 4);
  c.names = ColumnString(r, 5);
  c.not_before = FromUnixMicros(ColumnInt(r, 6));
  c.not_after = FromUnixMicros(ColumnInt(r, 7));
  c.status = ColumnString(r, 8) == "revoked" ? core::CertificateStatus::kRevoked
                                             : core::CertificateStatus::kActive;
  c.revoked_at = ColumnOptionalTime(r, 9);
  c.revocation_reason = static_cast<int>(ColumnInt(r, 10));
  c.crl_shard = static_cast<int>(ColumnInt(r, 11));
  c.created_at = FromUnixMicros(ColumnInt(r, 12));
  return c;
}

}  // namespace

std::optional<Issuance> SociStorage::FindIssuance(soci::session& sql, const std::string& id) {
  std::optional<Issuance> out;
  QueryRows(sql, std::string("SELECT ") + kIssuanceColumns + " FROM issuances WHERE id = :id", {id},
            [&](const soci::row& r) { out = ReadIssuance(r); });
  return out;
}

Result<Issuance> SociStorage::ReserveIssuance(const Issuance& input, const Actor& actor) {
  Issuance out = input;
  // Reserved with its linted certificate when the caller linted before reserving.
  out.state = input.linted_der_base64.empty() ? IssuanceState::kReserved : IssuanceState::kLinted;
  out.created_at = out.updated_at = clock_.Now();
  Status s = InTransaction("reserve issuance", [&](soci::session& sql) -> Status {
    if (auto existing = FindIssuance(sql, input.id)) {
      out = *existing;
      return Status::Ok();
    }
    bool taken = false;
    QueryRows(sql, "SELECT 1 FROM issuances WHERE serial_hex = :s", {input.serial_hex},
              [&](const soci::row&) { taken = true; });
    if (taken) return ConflictError("serial already used", "serial_taken");
    Execute(sql,
            "INSERT INTO issuances (id, account_id, state, serial_hex, issuer, request_json,"
            " linted_der, failure, created_at, updated_at) VALUES (:id, :acct, :state, :serial,"
            " :issuer, :req, :linted, :failure, :c, :u)",
            {out.id, out.account_id, IssuanceStateName(out.state), out.serial_hex, out.issuer,
             out.request_json, out.linted_der_base64, std::string(), MicrosParam(out.created_at),
             MicrosParam(out.created_at)});
    AppendAudit(
        sql,
        {.account_id = out.account_id,
         .action = "issuance.reserve",
         .target_type = "issuance",
         .target_id = out.id,
         .details = nlohmann::json{{"serial", out.serial_hex}, {"issuer", out.issuer}}.dump()},
        actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SociStorage::MarkIssuanceLinted(const std::string& id, const std::string& linted_der) {
  return WriteSession("mark issuance linted", [&](soci::session& sql) -> Status {
    long long now = ToUnixMicros(clock_.Now());
    soci::statement st = (sql.prepare << "UPDATE issuances SET state = 'linted', linted_der = :d,"
                                         " updated_at = :u WHERE id = :id AND state = 'reserved'",
                          soci::use(linted_der), soci::use(now), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return ConflictError("issuance " + id + " is not reserved");
    return Status::Ok();
  });
}

Status SociStorage::MarkIssuanceFailed(const std::string& id, const std::string& failure,
                                       const Actor& actor) {
  return InTransaction("mark issuance failed", [&](soci::session& sql) -> Status {
    auto existing = FindIssuance(sql, id);
    if (!existing) return NotFoundError("no issuance " + id);
    if (existing->state == IssuanceState::kIssued) {
      return ConflictError("issuance " + id + " was issued already", "already_issued");
    }
    long long now = ToUnixMicros(clock_.Now());
    sql << "UPDATE issuances SET state = 'failed', failure = :f, updated_at = :u WHERE id = :id",
        soci::use(failure), soci::use(now), soci::use(id);
    AppendAudit(sql,
                {.account_id = existing->account_id,
                 .action = "issuance.fail",
                 .target_type = "issuance",
                 .target_id = id,
                 .details = nlohmann::json{{"failure", failure}}.dump()},
                actor);
    return Status::Ok();
  });
}

Status SociStorage::StoreIssuedCertificate(const CertificateRecord& c, const Actor& actor) {
  return InTransaction("store certificate", [&](soci::session& sql) -> Status {
    auto issuance = FindIssuance(sql, c.issuance_id);
    if (!issuance) return NotFoundError("no issuance " + c.issuance_id);
    if (issuance->state == IssuanceState::kIssued) {
      return ConflictError("issuance " + c.issuance_id + " already has its certificate",
                           "already_issued");
    }
    if (issuance->serial_hex != c.serial_hex) {
      return InternalError("certificate serial differs from the reserved serial");
    }
    auto now = MicrosParam(clock_.Now());
    Execute(
        sql,
        "INSERT INTO certificates (serial_hex, issuance_id, account_id, issuer, der, names,"
        " not_before, not_after, status, revoked_at, revocation_reason, crl_shard, created_at)"
        " VALUES (:serial, :iss_id, :acct, :issuer, :der, :names, :nb, :na, 'active', NULL,"
        " 0, :shard, :c)",
        {c.serial_hex, c.issuance_id, c.account_id, c.issuer, c.der_base64, c.names,
         MicrosParam(c.not_before), MicrosParam(c.not_after), std::to_string(c.crl_shard), now});
    Execute(sql, "UPDATE issuances SET state = 'issued', updated_at = :u WHERE id = :id",
            {now, c.issuance_id});
    AppendAudit(sql,
                {.account_id = c.account_id,
                 .action = "certificate.issue",
                 .target_type = "certificate",
                 .target_id = c.serial_hex,
                 .details = nlohmann::json{{"issuer", c.issuer}, {"names", c.names}}.dump()},
                actor);
    return Status::Ok();
  });
}

Result<Issuance> SociStorage::GetIssuance(const std::string& id) {
  std::optional<Issuance> out;
  Status s = WithSession("get issuance", [&](soci::session& sql) {
    out = FindIssuance(sql, id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!out) return NotFoundError("no issuance " + id);
  return *out;
}

Result<std::vector<Issuance>> SociStorage::ListUnfinishedIssuances() {
  std::vector<Issuance> out;
  Status s = WithSession("list unfinished issuances", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << std::string("SELECT ") + kIssuanceColumns +
                            " FROM issuances WHERE state IN ('reserved', 'linted') ORDER BY id");
    for (const soci::row& r : rs) out.push_back(ReadIssuance(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<CertificateRecord> SociStorage::GetCertificateBySerial(const std::string& serial_hex) {
  return SelectOne<CertificateRecord>(
      "get certificate",
      std::string("SELECT ") + kCertificateColumns + " FROM certificates WHERE serial_hex = :s",
      {serial_hex}, &ReadCertificate, NotFoundError("no certificate with serial " + serial_hex));
}

Result<CertificateRecord> SociStorage::GetCertificateByIssuance(const std::string& issuance_id) {
  return SelectOne<CertificateRecord>(
      "get certificate by issuance",
      std::string("SELECT ") + kCertificateColumns + " FROM certificates WHERE issuance_id = :i",
      {issuance_id}, &ReadCertificate,
      NotFoundError("issuance " + issuance_id + " has no certificate"));
}

Result<int64_t> SociStorage::CountCertificates() {
  long long n = 0;
  Status s = WithSession("count certificates", [&](soci::session& sql) {
    sql << "SELECT COUNT(*) FROM certificates", soci::into(n);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return static_cast<int64_t>(n);
}

Result<CertificateRecord> SociStorage::RevokeCertificate(const std::string& account_id,
                                                         const std::string& serial_hex, int reason,
                                                         const Actor& actor) {
  std::optional<CertificateRecord> out;
  Status s = InTransaction("revoke certificate", [&](soci::session& sql) -> Status {
    soci::rowset<soci::row> rs = (sql.prepare << std::string("SELECT ") + kCertificateColumns +
                                                     " FROM certificates WHERE serial_hex = :s",
                                  soci::use(serial_hex));
    for (const soci::row& r : rs) out = ReadCertificate(r);
    if (!out || (!account_id.empty() && out->account_id != account_id)) {
      out.reset();
      return NotFoundError("no certificate with serial " + serial_hex + " in this account");
    }
    if (out->status == core::CertificateStatus::kRevoked) {
      return ConflictError("certificate " + serial_hex + " is already revoked", "already_revoked");
    }
    TimePoint now = clock_.Now();
    long long at = ToUnixMicros(now);
    sql << "UPDATE certificates SET status = 'revoked', revoked_at = :t, revocation_reason = :r"
           " WHERE serial_hex = :s",
        soci::use(at), soci::use(reason), soci::use(serial_hex);
    out->status = core::CertificateStatus::kRevoked;
    out->revoked_at = now;
    out->revocation_reason = reason;
    AppendAudit(sql,
                {.account_id = out->account_id,
                 .action = "certificate.revoke",
                 .target_type = "certificate",
                 .target_id = serial_hex,
                 .details = nlohmann::json{{"reason", reason}}.dump()},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return *out;
}

Result<std::vector<RevokedEntry>> SociStorage::ListRevokedCertificates(const std::string& issuer,
                                                                       int shard) {
  std::vector<RevokedEntry> out;
  Status s = WithSession("list revoked", [&](soci::session& sql) {
    // Plain typed into() vectors: a million rows must not go through soci::row one by one.
    std::vector<std::string> serials(10000);
    std::vector<long long> times(10000);
    std::vector<int> reasons(10000);
    soci::statement st =
        (sql.prepare << "SELECT serial_hex, revoked_at, revocation_reason FROM certificates"
                        " WHERE issuer = :i AND crl_shard = :s AND status = 'revoked'",
         soci::use(issuer), soci::use(shard), soci::into(serials), soci::into(times),
         soci::into(reasons));
    st.execute();
    while (st.fetch()) {
      for (size_t i = 0; i < serials.size(); ++i) {
        out.push_back({serials[i], FromUnixMicros(times[i]), reasons[i]});
      }
      serials.resize(10000);
      times.resize(10000);
      reasons.resize(10000);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> SociStorage::NextCrlNumber(const std::string& issuer, int shard) {
  long long number = 0;
  Status s = InTransaction("next crl number", [&](soci::session& sql) {
    soci::indicator ind = soci::i_null;
    sql << std::string("SELECT number FROM crls WHERE issuer = :i AND shard = :s") +
               (is_sqlite() ? "" : " FOR UPDATE"),
        soci::use(issuer), soci::use(shard), soci::into(number, ind);
    if (!sql.got_data()) {
      number = 1;
      long long zero = 0;
      std::string empty;
      sql << "INSERT INTO crls (issuer, shard, number, der, this_update, next_update)"
             " VALUES (:i, :s, :n, :d, :t, :u)",
          soci::use(issuer), soci::use(shard), soci::use(number), soci::use(empty), soci::use(zero),
          soci::use(zero);
    } else {
      ++number;
      sql << "UPDATE crls SET number = :n WHERE issuer = :i AND shard = :s", soci::use(number),
          soci::use(issuer), soci::use(shard);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return static_cast<int64_t>(number);
}

Status SociStorage::StoreCrl(const CrlRecord& crl) {
  return WriteSession("store crl", [&](soci::session& sql) {
    long long number = crl.number, tu = ToUnixMicros(crl.this_update),
              nu = ToUnixMicros(crl.next_update);
    // The number was reserved by NextCrlNumber; only a CRL at least that new replaces the stored
    // one (two writers racing keep the newer).
    sql << "UPDATE crls SET der = :d, this_update = :t, next_update = :u, number = :n"
           " WHERE issuer = :i AND shard = :s AND (der = '' OR number <= :n2)",
        soci::use(crl.der_base64), soci::use(tu), soci::use(nu), soci::use(number),
        soci::use(crl.issuer), soci::use(crl.shard), soci::use(number);
    return Status::Ok();
  });
}

Result<CrlRecord> SociStorage::GetCrl(const std::string& issuer, int shard) {
  std::optional<CrlRecord> out;
  Status s = WithSession("get crl", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT issuer, shard, number, der, this_update, next_update FROM crls"
                        " WHERE issuer = :i AND shard = :s AND der <> ''",
         soci::use(issuer), soci::use(shard));
    for (const soci::row& r : rs) {
      out = CrlRecord{
          ColumnString(r, 0), static_cast<int>(ColumnInt(r, 1)), ColumnInt(r, 2),
          ColumnString(r, 3), FromUnixMicros(ColumnInt(r, 4)),   FromUnixMicros(ColumnInt(r, 5))};
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (!out) return NotFoundError("no CRL for " + issuer + " shard " + std::to_string(shard));
  return *out;
}

}  // namespace signet::sa

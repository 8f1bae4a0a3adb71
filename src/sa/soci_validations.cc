// Domain validations and their attempts: the DomainValidationStore half of SociStorage.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"
#include "sa/validation_codec.h"

namespace signet::sa {

namespace {

const char* kValidationColumns =
    "id, account_id, domain, method, token, status, br_method, details, sealed_secret,"
    " email_token_hash, last_error, last_reason, checks, created_at, token_expires_at,"
    " validated_at, last_checked_at, updated_at";

DomainValidation ReadValidation(const soci::row& r) {
  DomainValidation v;
  v.id = ColumnString(r, 0);
  v.account_id = ColumnString(r, 1);
  v.domain = ColumnString(r, 2);
  v.method = ColumnString(r, 3);
  v.token = ColumnString(r, 4);
  // A state this build cannot name reads as a failed one, never as one work may go on from.
  v.status =
      core::ParseValidationStatus(ColumnString(r, 5)).value_or(core::ValidationStatus::kInvalid);
  v.br_method = ColumnString(r, 6);
  v.details = DecodeValidationDetails(ColumnString(r, 7));
  v.sealed_secret = ColumnString(r, 8);
  v.email_token_hash = ColumnString(r, 9);
  v.last_error = ColumnString(r, 10);
  v.last_reason = ColumnString(r, 11);
  v.checks = static_cast<int>(ColumnInt(r, 12));
  v.created_at = FromUnixMicros(ColumnInt(r, 13));
  v.token_expires_at = FromUnixMicros(ColumnInt(r, 14));
  v.validated_at = ColumnOptionalTime(r, 15);
  v.last_checked_at = ColumnOptionalTime(r, 16);
  v.updated_at = FromUnixMicros(ColumnInt(r, 17));
  return v;
}

const char* kAttemptColumns =
    "id, validation_id, account_id, at, method, br_method, valid, seen, reason, error,"
    " perspectives";

ValidationAttempt ReadAttempt(const soci::row& r) {
  ValidationAttempt a;
  a.id = ColumnString(r, 0);
  a.validation_id = ColumnString(r, 1);
  a.account_id = ColumnString(r, 2);
  a.at = FromUnixMicros(ColumnInt(r, 3));
  a.method = ColumnString(r, 4);
  a.br_method = ColumnString(r, 5);
  a.valid = ColumnInt(r, 6) != 0;
  a.seen = ColumnString(r, 7);
  a.reason = ColumnString(r, 8);
  a.error = ColumnString(r, 9);
  a.perspectives = DecodeAttemptEvidence(ColumnString(r, 10));
  return a;
}

std::string AuditDetails(const DomainValidation& v) {
  return nlohmann::json{{"domain", v.domain},
                        {"method", v.method},
                        {"status", core::Name(v.status)},
                        {"br_method", v.br_method}}
      .dump();
}

}  // namespace

Result<DomainValidation> SociStorage::CreateDomainValidation(
    const DomainValidation& input, const Actor& actor, const AcmeChallengeLink* link,
    const std::function<NewJob(const DomainValidation&)>& first_job) {
  DomainValidation v = input;
  v.id = ids_.New("dcv");
  v.created_at = v.updated_at = clock_.Now();
  v.status = core::ValidationStatus::kPending;
  v.checks = 0;
  Status s = InTransaction("create domain validation", [&](soci::session& sql) -> Status {
    if (link) {
      long long answered = Execute(sql,
                                   "UPDATE acme_authorizations SET validation_id = :v,"
                                   " challenge_type = :t WHERE id = :id AND validation_id = ''"
                                   " AND deactivated = 0",
                                   {v.id, link->challenge_type, link->authorization_id});
      if (answered == 0) {
        return ConflictError("the authorization's challenge was answered already",
                             "challenge_started");
      }
    }
    Execute(sql,
            "INSERT INTO domain_validations (id, account_id, domain, method, token, status,"
            " br_method, details, sealed_secret, email_token_hash, last_error, last_reason,"
            " checks, created_at, token_expires_at, validated_at, last_checked_at, updated_at)"
            " VALUES (:id, :acct, :domain, :method, :token, :status, :br, :details, :secret,"
            " :eth, :err, :reason, :checks, :c, :exp, NULL, NULL, :u)",
            {v.id, v.account_id, v.domain, v.method, v.token, std::string(core::Name(v.status)),
             v.br_method, EncodeValidationDetails(v.details), v.sealed_secret, v.email_token_hash,
             v.last_error, v.last_reason, std::to_string(v.checks), MicrosParam(v.created_at),
             MicrosParam(v.token_expires_at), MicrosParam(v.created_at)});
    AppendAudit(sql,
                {.account_id = v.account_id,
                 .action = "domain_validation.create",
                 .target_type = "domain_validation",
                 .target_id = v.id,
                 .details = AuditDetails(v)},
                actor);
    if (first_job) InsertJobIn(sql, first_job(v));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return v;
}

Result<std::vector<std::pair<std::string, std::string>>> SociStorage::ListPendingDomainValidations(
    const std::string& method_prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  Status s = WithSession("list pending validations", [&](soci::session& sql) {
    std::string pattern = method_prefix + "%";
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT account_id, id FROM domain_validations WHERE status = 'pending'"
                        " AND method LIKE :p ORDER BY created_at",
         soci::use(pattern));
    for (const soci::row& r : rs) out.emplace_back(ColumnString(r, 0), ColumnString(r, 1));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<DomainValidation> SociStorage::GetDomainValidation(const std::string& account_id,
                                                          const std::string& id) {
  std::string q =
      std::string("SELECT ") + kValidationColumns + " FROM domain_validations WHERE id = :id";
  std::vector<std::string> binds{id};
  if (!account_id.empty()) {
    q += " AND account_id = :acct";
    binds.push_back(account_id);
  }
  return SelectOne<DomainValidation>(
      "get domain validation", q, binds, &ReadValidation,
      NotFoundError("no domain validation " + id + " in this account"));
}

Result<DomainValidation> SociStorage::FindDomainValidationByEmailToken(
    const std::string& token_hash) {
  if (token_hash.empty()) return NotFoundError("no such approval link");
  return SelectOne<DomainValidation>(
      "find domain validation by email token",
      std::string("SELECT ") + kValidationColumns +
          " FROM domain_validations WHERE email_token_hash = :h",
      {token_hash}, &ReadValidation,
      NotFoundError("this approval link is unknown; use the link from the latest email"));
}

Result<Page<DomainValidation>> SociStorage::ListDomainValidations(const std::string& account_id,
                                                                  const std::string& domain,
                                                                  const PageRequest& page) {
  std::vector<DomainValidation> items;
  int limit = Limit(page);
  Status s = WithSession("list domain validations", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kValidationColumns +
                    " FROM domain_validations WHERE account_id = :acct";
    std::vector<std::string> binds{account_id};
    if (!domain.empty()) {
      q += " AND domain = :domain";
      binds.push_back(domain);
    }
    q += PageClause(page, "id", true) + " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    if (!page.after.empty()) binds.push_back(page.after);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadValidation(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<DomainValidation>(std::move(items), limit,
                                    [](const DomainValidation& v) { return v.id; });
}

Result<DomainValidation> SociStorage::RecordValidationAttempt(const DomainValidation& updated,
                                                              const ValidationAttempt& input,
                                                              const Actor& actor) {
  DomainValidation v = updated;
  ValidationAttempt a = input;
  a.id = ids_.New("dca");
  a.validation_id = v.id;
  a.account_id = v.account_id;
  v.updated_at = clock_.Now();
  Status s = InTransaction("record validation attempt", [&](soci::session& sql) -> Status {
    std::optional<std::string> current;
    QueryRows(sql,
              "SELECT status FROM domain_validations WHERE id = :id AND account_id = :acct" +
                  std::string(is_sqlite() ? "" : " FOR UPDATE"),
              {v.id, v.account_id}, [&](const soci::row& r) { current = ColumnString(r, 0); });
    if (!current) return NotFoundError("no domain validation " + v.id);
    const std::string& status = *current;
    if (core::ParseValidationStatus(status) != core::ValidationStatus::kPending) {
      return ConflictError("the validation of " + v.domain + " is already " + status,
                           "not_pending");
    }
    Execute(sql,
            "INSERT INTO validation_attempts (id, validation_id, account_id, at, method,"
            " br_method, valid, seen, reason, error, perspectives) VALUES (:id, :vid, :acct,"
            " :at, :method, :br, :valid, :seen, :reason, :error, :p)",
            {a.id, a.validation_id, a.account_id, MicrosParam(a.at), a.method, a.br_method,
             std::string(a.valid ? "1" : "0"), a.seen, a.reason, a.error,
             EncodeAttemptEvidence(a.perspectives)});
    Execute(sql,
            "UPDATE domain_validations SET status = :status, last_error = :err,"
            " last_reason = :reason, checks = :checks, validated_at = :va, last_checked_at = :lc,"
            " details = :details, updated_at = :u WHERE id = :id",
            {std::string(core::Name(v.status)), v.last_error, v.last_reason,
             std::to_string(v.checks), MicrosParam(v.validated_at), MicrosParam(v.last_checked_at),
             EncodeValidationDetails(v.details), MicrosParam(v.updated_at), v.id});
    if (core::Name(v.status) != status) {
      AppendAudit(sql,
                  {.account_id = v.account_id,
                   .action = "domain_validation." + std::string(core::Name(v.status)),
                   .target_type = "domain_validation",
                   .target_id = v.id,
                   .details = AuditDetails(v)},
                  actor);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return v;
}

Result<Page<ValidationAttempt>> SociStorage::ListValidationAttempts(
    const std::string& account_id, const std::string& validation_id, const PageRequest& page) {
  std::vector<ValidationAttempt> items;
  int limit = Limit(page);
  Status s = WithSession("list validation attempts", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kAttemptColumns +
                    " FROM validation_attempts WHERE validation_id = :v AND account_id = :acct" +
                    PageClause(page, "id", true) + " ORDER BY id DESC LIMIT " +
                    std::to_string(limit + 1);
    std::vector<std::string> binds{validation_id, account_id};
    if (!page.after.empty()) binds.push_back(page.after);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadAttempt(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<ValidationAttempt>(std::move(items), limit,
                                     [](const ValidationAttempt& a) { return a.id; });
}

Result<std::vector<DomainValidation>> SociStorage::ListValidDomainValidations(
    const std::string& account_id, TimePoint since, const std::vector<std::string>& domains) {
  std::vector<DomainValidation> items;
  Status s = WithSession("list valid domain validations", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kValidationColumns +
                    " FROM domain_validations WHERE account_id = :acct AND status = 'valid'"
                    " AND validated_at >= :since";
    SqlParams binds{account_id, MicrosParam(since)};
    if (!domains.empty()) {
      q += " AND domain IN (";
      for (size_t i = 0; i < domains.size(); ++i) {
        q += (i ? ", :d" : ":d") + std::to_string(i);
        binds.push_back(domains[i]);
      }
      q += ")";
    }
    q += " ORDER BY validated_at DESC LIMIT 10000";
    QueryRows(sql, q, binds, [&](const soci::row& r) { items.push_back(ReadValidation(r)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return items;
}

}  // namespace signet::sa

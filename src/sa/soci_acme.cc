// ACME accounts and nonces: the AcmeStore half of SociStorage.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

const char* kColumns =
    "id, account_id, key_thumbprint, key_spki, contact, status, created_at, eab_key_id";

// acme_accounts.contact is stored as the JSON array of URLs the client sent.
std::vector<std::string> DecodeContact(const std::string& text) {
  std::vector<std::string> out;
  auto list = nlohmann::json::parse(text, nullptr, false);
  if (!list.is_array()) return out;
  for (const auto& c : list) {
    if (c.is_string()) out.push_back(c.get<std::string>());
  }
  return out;
}

AcmeAccount ReadAcme(const soci::row& r) {
  AcmeAccount a;
  a.id = ColumnString(r, 0);
  a.account_id = ColumnString(r, 1);
  a.key_thumbprint = ColumnString(r, 2);
  a.key_spki_base64 = ColumnString(r, 3);
  a.contact = DecodeContact(ColumnString(r, 4));
  // A state this build cannot name reads as revoked: an unknown account may do nothing.
  a.status =
      core::ParseAcmeAccountStatus(ColumnString(r, 5)).value_or(core::AcmeAccountStatus::kRevoked);
  a.created_at = FromUnixMicros(ColumnInt(r, 6));
  a.eab_key_id = ColumnString(r, 7);
  return a;
}

}  // namespace

void SociStorage::InsertAcmeAccount(soci::session& sql, const AcmeAccount& a,
                                    const std::string& audit_details, const Actor& actor) {
  long long at = Micros(a.created_at);
  std::string status(core::Name(a.status));
  std::string contact = nlohmann::json(a.contact).dump();
  sql << "INSERT INTO acme_accounts (id, account_id, key_thumbprint, key_spki, contact,"
         " status, created_at, eab_key_id) VALUES (:id, :acct, :t, :k, :c, :s, :at, :eab)",
      soci::use(a.id), soci::use(a.account_id), soci::use(a.key_thumbprint),
      soci::use(a.key_spki_base64), soci::use(contact), soci::use(status), soci::use(at),
      soci::use(a.eab_key_id);
  AppendAudit(sql,
              {.account_id = a.account_id,
               .action = "acme_account.create",
               .target_type = "acme_account",
               .target_id = a.id,
               .details = audit_details},
              actor);
}

Result<AcmeAccount> SociStorage::CreateAcmeAccount(const AcmeAccount& input, bool* created,
                                                   const Actor& actor) {
  AcmeAccount a = input;
  a.id = ids_.New("acme");
  a.created_at = clock_.Now();
  std::optional<AcmeAccount> existing;
  Status s = InTransaction("create acme account", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << std::string("SELECT ") + kColumns +
                            " FROM acme_accounts WHERE key_thumbprint = :t",
         soci::use(a.key_thumbprint));
    for (const soci::row& r : rs) existing = ReadAcme(r);
    if (existing) return Status::Ok();
    long long at = Micros(a.created_at);
    if (a.account_id.empty()) {
      // Each key without a binding gets an applicant account of its own, as a public ACME CA
      // gives each key its own registration.
      a.account_id = ids_.New("acct");
      std::string name = "acme-" + a.key_thumbprint.substr(0, 16);
      sql << "INSERT INTO accounts (id, name, created_at) VALUES (:id, :name, :at)",
          soci::use(a.account_id), soci::use(name), soci::use(at);
      AppendAudit(sql,
                  {.account_id = a.account_id,
                   .action = "account.create",
                   .target_type = "account",
                   .target_id = a.account_id,
                   .details = nlohmann::json{{"via", "acme"}}.dump()},
                  actor);
    }
    InsertAcmeAccount(sql, a, nlohmann::json{{"thumbprint", a.key_thumbprint}}.dump(), actor);
    return Status::Ok();
  });
  if (!s.ok()) {
    // Two requests with one new key at once: the loser finds the winner's account.
    if (s.reason() == "already_exists") {
      *created = false;
      return GetAcmeAccountByThumbprint(a.key_thumbprint);
    }
    return s;
  }
  *created = !existing;
  return existing ? *existing : a;
}

Result<AcmeAccount> SociStorage::GetAcmeAccount(const std::string& id) {
  return SelectOne<AcmeAccount>(
      "get acme account", std::string("SELECT ") + kColumns + " FROM acme_accounts WHERE id = :id",
      {id}, &ReadAcme, NotFoundError("no ACME account " + id));
}

Result<AcmeAccount> SociStorage::GetAcmeAccountByThumbprint(const std::string& thumbprint) {
  return SelectOne<AcmeAccount>(
      "get acme account by key",
      std::string("SELECT ") + kColumns + " FROM acme_accounts WHERE key_thumbprint = :t",
      {thumbprint}, &ReadAcme, NotFoundError("no ACME account for this key"));
}

Result<AcmeAccount> SociStorage::UpdateAcmeAccount(const AcmeAccount& a, const Actor& actor) {
  std::string status(core::Name(a.status));
  std::string contact = nlohmann::json(a.contact).dump();
  Status s = InTransaction("update acme account", [&](soci::session& sql) -> Status {
    soci::statement st = (sql.prepare << "UPDATE acme_accounts SET contact = :c, status = :s"
                                         " WHERE id = :id",
                          soci::use(contact), soci::use(status), soci::use(a.id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NotFoundError("no ACME account " + a.id);
    AppendAudit(sql,
                {.account_id = a.account_id,
                 .action = "acme_account.update",
                 .target_type = "acme_account",
                 .target_id = a.id,
                 .details = nlohmann::json{{"status", status}}.dump()},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return GetAcmeAccount(a.id);
}

Status SociStorage::StoreNonce(const std::string& nonce, TimePoint expires_at) {
  return WriteSession("store nonce", [&](soci::session& sql) {
    long long at = Micros(expires_at);
    sql << "INSERT INTO acme_nonces (nonce, expires_at) VALUES (:n, :e)", soci::use(nonce),
        soci::use(at);
    return Status::Ok();
  });
}

Result<bool> SociStorage::RedeemNonce(const std::string& nonce, TimePoint now) {
  bool redeemed = false;
  Status s = WriteSession("redeem nonce", [&](soci::session& sql) {
    long long at = Micros(now);
    // One DELETE decides: of two requests with the same nonce, only one removes the row.
    soci::statement st = (sql.prepare << "DELETE FROM acme_nonces WHERE nonce = :n"
                                         " AND expires_at > :now",
                          soci::use(nonce), soci::use(at));
    st.execute(true);
    redeemed = st.get_affected_rows() == 1;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return redeemed;
}

Result<int64_t> SociStorage::PurgeExpiredNonces(TimePoint now) {
  int64_t purged = 0;
  Status s = WriteSession("purge nonces", [&](soci::session& sql) {
    long long at = Micros(now);
    soci::statement st =
        (sql.prepare << "DELETE FROM acme_nonces WHERE expires_at <= :now", soci::use(at));
    st.execute(true);
    purged = st.get_affected_rows();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return purged;
}

}  // namespace signet::sa

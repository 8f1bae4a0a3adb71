// ACME orders, authorizations, EAB keys and renewal windows: the rest of SociStorage's AcmeStore.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

// acme_orders.identifiers is stored as RFC 8555's identifier objects, authorizations as ids.
std::string EncodeIdentifiers(const std::vector<std::string>& names) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& n : names) list.push_back({{"type", "dns"}, {"value", n}});
  return list.dump();
}
std::vector<std::string> DecodeIdentifiers(const std::string& text) {
  std::vector<std::string> out;
  auto list = nlohmann::json::parse(text, nullptr, false);
  if (!list.is_array()) return out;
  for (const auto& id : list) {
    if (id.is_object() && id.contains("value") && id["value"].is_string()) {
      out.push_back(id["value"].get<std::string>());
    }
  }
  return out;
}
std::vector<std::string> DecodeStrings(const std::string& text) {
  std::vector<std::string> out;
  auto list = nlohmann::json::parse(text, nullptr, false);
  if (!list.is_array()) return out;
  for (const auto& s : list) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

const char* kAuthzColumns =
    "id, acme_account_id, account_id, identifier, wildcard, token, validation_id,"
    " challenge_type, deactivated, expires_at, created_at";

AcmeAuthorization ReadAuthz(const soci::row& r) {
  AcmeAuthorization a;
  a.id = ColumnString(r, 0);
  a.acme_account_id = ColumnString(r, 1);
  a.account_id = ColumnString(r, 2);
  a.identifier = ColumnString(r, 3);
  a.wildcard = ColumnInt(r, 4) != 0;
  a.token = ColumnString(r, 5);
  a.validation_id = ColumnString(r, 6);
  a.challenge_type = ColumnString(r, 7);
  a.deactivated = ColumnInt(r, 8) != 0;
  a.expires_at = FromUnixMicros(ColumnInt(r, 9));
  a.created_at = FromUnixMicros(ColumnInt(r, 10));
  return a;
}

const char* kOrderColumns =
    "order_id, acme_account_id, account_id, identifiers, authorizations, profile, replaces,"
    " replaces_serial, expires_at, created_at";

AcmeOrder ReadOrder(const soci::row& r) {
  AcmeOrder o;
  o.order_id = ColumnString(r, 0);
  o.acme_account_id = ColumnString(r, 1);
  o.account_id = ColumnString(r, 2);
  o.identifiers = DecodeIdentifiers(ColumnString(r, 3));
  o.authorizations = DecodeStrings(ColumnString(r, 4));
  o.profile = ColumnString(r, 5);
  o.replaces = ColumnString(r, 6);
  o.replaces_serial = ColumnString(r, 7);
  o.expires_at = FromUnixMicros(ColumnInt(r, 8));
  o.created_at = FromUnixMicros(ColumnInt(r, 9));
  return o;
}

const char* kEabColumns =
    "id, account_id, key_id, name, sealed_hmac_key, acme_account_id, created_at, revoked_at,"
    " organization_id, administrator_id";

EabKey ReadEab(const soci::row& r) {
  EabKey k;
  k.id = ColumnString(r, 0);
  k.account_id = ColumnString(r, 1);
  k.key_id = ColumnString(r, 2);
  k.name = ColumnString(r, 3);
  k.sealed_hmac_key = ColumnString(r, 4);
  k.acme_account_id = ColumnString(r, 5);
  k.created_at = FromUnixMicros(ColumnInt(r, 6));
  k.revoked_at = ColumnOptionalTime(r, 7);
  k.organization_id = ColumnString(r, 8);
  k.administrator_id = ColumnString(r, 9);
  return k;
}

Result<int64_t> CountOf(soci::session& sql, const std::string& q,
                        const std::vector<std::string>& binds) {
  int64_t n = 0;
  soci::rowset<soci::row> rs = Query(sql, q, binds);
  for (const soci::row& r : rs) n = ColumnInt(r, 0);
  return n;
}

}  // namespace

Status SociStorage::ChangeAcmeAccountKey(const std::string& id, const std::string& old_thumbprint,
                                         const std::string& thumbprint,
                                         const std::string& spki_base64, const Actor& actor) {
  Status s = InTransaction("change acme key", [&](soci::session& sql) -> Status {
    // Compare-and-set on the old key: two rollovers at once cannot both win.
    soci::statement st =
        (sql.prepare << "UPDATE acme_accounts SET key_thumbprint = :t,"
                        " key_spki = :k WHERE id = :id AND key_thumbprint = :old",
         soci::use(thumbprint), soci::use(spki_base64), soci::use(id), soci::use(old_thumbprint));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return ConflictError("the account's key changed meanwhile", "key_changed");
    }
    AppendAudit(sql,
                {.account_id = actor.account_id,
                 .action = "acme_account.key_change",
                 .target_type = "acme_account",
                 .target_id = id,
                 .details = nlohmann::json{{"thumbprint", thumbprint}}.dump()},
                actor);
    return Status::Ok();
  });
  if (s.reason() == "already_exists") {
    return ConflictError("another account already uses the new key", "key_in_use");
  }
  return s;
}

void SociStorage::InsertAcmeOrderRows(soci::session& sql, const AcmeOrderRows& rows,
                                      const std::string& order_id) {
  for (const AcmeAuthorization& a : rows.new_authorizations) {
    Execute(
        sql,
        "INSERT INTO acme_authorizations (id, acme_account_id, account_id, identifier,"
        " wildcard, token, validation_id, challenge_type, deactivated, expires_at,"
        " created_at) VALUES (:id, :aa, :acct, :ident, :w, :t, '', '', 0, :e, :c)",
        {a.id, a.acme_account_id, a.account_id, a.identifier, std::string(a.wildcard ? "1" : "0"),
         a.token, MicrosParam(a.expires_at), MicrosParam(a.created_at)});
  }
  const AcmeOrder& o = rows.order;
  auto created = MicrosParam(o.created_at);
  Execute(sql,
          "INSERT INTO acme_orders (order_id, acme_account_id, account_id, identifiers,"
          " authorizations, profile, replaces, replaces_serial, expires_at, created_at)"
          " VALUES (:o, :aa, :acct, :i, :az, :p, :r, :rs, :e, :c)",
          {order_id, o.acme_account_id, o.account_id, EncodeIdentifiers(o.identifiers),
           nlohmann::json(o.authorizations).dump(), o.profile, o.replaces, o.replaces_serial,
           MicrosParam(o.expires_at), created});
  for (const std::string& d : rows.registered_domains) {
    Execute(sql,
            "INSERT INTO acme_order_domains (registered_domain, order_id, created_at)"
            " VALUES (:d, :o, :c)",
            {d, order_id, created});
  }
}

Result<AcmeOrder> SociStorage::GetAcmeOrder(const std::string& order_id) {
  return SelectOne<AcmeOrder>(
      "get acme order",
      std::string("SELECT ") + kOrderColumns + " FROM acme_orders WHERE order_id = :id", {order_id},
      &ReadOrder, NotFoundError("no ACME order " + order_id));
}

Result<std::vector<std::string>> SociStorage::ListAcmeOrderIds(const std::string& acme_account_id,
                                                               int limit) {
  std::vector<std::string> ids;
  Status s = WithSession("list acme orders", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT order_id FROM acme_orders WHERE acme_account_id = :a"
                        " ORDER BY created_at DESC, order_id DESC LIMIT :n",
         soci::use(acme_account_id), soci::use(limit));
    for (const soci::row& r : rs) ids.push_back(ColumnString(r, 0));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ids;
}

Result<AcmeAuthorization> SociStorage::GetAcmeAuthorization(const std::string& id) {
  return SelectOne<AcmeAuthorization>(
      "get acme authorization",
      std::string("SELECT ") + kAuthzColumns + " FROM acme_authorizations WHERE id = :id", {id},
      &ReadAuthz, NotFoundError("no ACME authorization " + id));
}

Result<std::optional<AcmeAuthorization>> SociStorage::FindReusableAcmeAuthorization(
    const std::string& acme_account_id, const std::string& identifier, bool wildcard,
    TimePoint now) {
  std::optional<AcmeAuthorization> found;
  Status s = WithSession("find acme authorization", [&](soci::session& sql) {
    QueryRows(sql,
              "SELECT a.id, a.acme_account_id, a.account_id, a.identifier,"
              " a.wildcard, a.token, a.validation_id, a.challenge_type,"
              " a.deactivated, a.expires_at, a.created_at"
              " FROM acme_authorizations a LEFT JOIN domain_validations v"
              " ON v.id = a.validation_id"
              " WHERE a.acme_account_id = :aa AND a.identifier = :i AND a.wildcard = :w"
              " AND a.deactivated = 0 AND a.expires_at > :now"
              " AND (a.validation_id = '' OR v.status IN ('pending', 'valid'))"
              " ORDER BY a.created_at DESC LIMIT 1",
              {acme_account_id, identifier, std::string(wildcard ? "1" : "0"), MicrosParam(now)},
              [&](const soci::row& r) { found = ReadAuthz(r); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

Status SociStorage::DeactivateAcmeAuthorization(const std::string& id, const Actor& actor) {
  return InTransaction("deactivate acme authorization", [&](soci::session& sql) {
    sql << "UPDATE acme_authorizations SET deactivated = 1 WHERE id = :id", soci::use(id);
    AppendAudit(sql,
                {.account_id = actor.account_id,
                 .action = "acme_authorization.deactivate",
                 .target_type = "acme_authorization",
                 .target_id = id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<int64_t> SociStorage::CountAcmeOrdersSince(const std::string& acme_account_id,
                                                  TimePoint since) {
  Result<int64_t> out = int64_t{0};
  Status s = WithSession("count acme orders", [&](soci::session& sql) {
    out = CountOf(sql,
                  "SELECT COUNT(*) FROM acme_orders WHERE acme_account_id = :a AND"
                  " created_at >= " +
                      std::to_string(Micros(since)),
                  {acme_account_id});
    return out.status();
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> SociStorage::CountIssuedForRegisteredDomainSince(
    const std::string& registered_domain, TimePoint since) {
  Result<int64_t> out = int64_t{0};
  Status s = WithSession("count issued for domain", [&](soci::session& sql) {
    out = CountOf(sql,
                  "SELECT COUNT(*) FROM acme_order_domains d JOIN orders o ON o.id = d.order_id"
                  " WHERE d.registered_domain = :d AND o.status = 'issued' AND d.created_at >= " +
                      std::to_string(Micros(since)),
                  {registered_domain});
    return out.status();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<std::string>> SociStorage::FindOrderReplacing(const std::string& serial_hex) {
  std::optional<std::string> found;
  Status s = WithSession("find replacing order", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT a.order_id FROM acme_orders a JOIN orders o ON o.id = a.order_id"
                        " WHERE a.replaces_serial = :s AND o.status NOT IN ('cancelled')"
                        " LIMIT 1",
         soci::use(serial_hex));
    for (const soci::row& r : rs) found = ColumnString(r, 0);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

Result<EabKey> SociStorage::CreateEabKey(const EabKey& input, const Actor& actor) {
  EabKey k = input;
  k.id = ids_.New("eab");
  k.created_at = clock_.Now();
  Status s = InTransaction("create eab key", [&](soci::session& sql) {
    long long at = Micros(k.created_at);
    sql << "INSERT INTO eab_keys (id, account_id, key_id, name, sealed_hmac_key,"
           " acme_account_id, created_at, revoked_at, organization_id, administrator_id)"
           " VALUES (:id, :a, :k, :n, :s, '', :c, NULL, :o, :ad)",
        soci::use(k.id), soci::use(k.account_id), soci::use(k.key_id), soci::use(k.name),
        soci::use(k.sealed_hmac_key), soci::use(at), soci::use(k.organization_id),
        soci::use(k.administrator_id);
    AppendAudit(sql,
                {.account_id = k.account_id,
                 .action = "eab_key.create",
                 .target_type = "eab_key",
                 .target_id = k.id,
                 .details = nlohmann::json{{"key_id", k.key_id}, {"name", k.name}}.dump()},
                actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return k;
}

Result<std::vector<EabKey>> SociStorage::ListEabKeys(const std::string& account_id) {
  std::vector<EabKey> keys;
  Status s = WithSession("list eab keys", [&](soci::session& sql) {
    soci::rowset<soci::row> rs = (sql.prepare << std::string("SELECT ") + kEabColumns +
                                                     " FROM eab_keys WHERE account_id = :a"
                                                     " ORDER BY created_at DESC, id DESC",
                                  soci::use(account_id));
    for (const soci::row& r : rs) keys.push_back(ReadEab(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return keys;
}

Result<EabKey> SociStorage::GetEabKeyByKeyId(const std::string& key_id) {
  return SelectOne<EabKey>(
      "get eab key", std::string("SELECT ") + kEabColumns + " FROM eab_keys WHERE key_id = :k",
      {key_id}, &ReadEab, NotFoundError("no EAB key " + key_id));
}

Status SociStorage::RevokeEabKey(const std::string& account_id, const std::string& id,
                                 const Actor& actor) {
  return InTransaction("revoke eab key", [&](soci::session& sql) -> Status {
    long long at = Micros(clock_.Now());
    soci::statement st = (sql.prepare << "UPDATE eab_keys SET revoked_at = :at WHERE id = :id"
                                         " AND account_id = :a AND revoked_at IS NULL",
                          soci::use(at), soci::use(id), soci::use(account_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return NotFoundError("no active EAB key " + id);
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "eab_key.revoke",
                 .target_type = "eab_key",
                 .target_id = id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<AcmeAccount> SociStorage::CreateBoundAcmeAccount(const AcmeAccount& input,
                                                        const std::string& eab_key_id,
                                                        const Actor& actor) {
  AcmeAccount a = input;
  a.id = ids_.New("acme");
  a.created_at = clock_.Now();
  a.eab_key_id = eab_key_id;
  Status s = InTransaction("create bound acme account", [&](soci::session& sql) -> Status {
    // The key binds exactly once: the update is the compare-and-set.
    soci::statement st = (sql.prepare << "UPDATE eab_keys SET acme_account_id = :aa"
                                         " WHERE id = :id AND acme_account_id = ''"
                                         " AND revoked_at IS NULL",
                          soci::use(a.id), soci::use(eab_key_id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return ConflictError("the external account binding key is revoked or already used",
                           "eab_key_used");
    }
    InsertAcmeAccount(
        sql, a, nlohmann::json{{"thumbprint", a.key_thumbprint}, {"eab_key", eab_key_id}}.dump(),
        actor);
    return Status::Ok();
  });
  if (s.reason() == "already_exists") {
    return ConflictError("this ACME key already has an account", "key_in_use");
  }
  if (!s.ok()) return s;
  return a;
}

Status SociStorage::SetRenewalWindow(const RenewalWindow& w, const Actor& actor) {
  return InTransaction("set renewal window", [&](soci::session& sql) {
    long long start = Micros(w.start), end = Micros(w.end);
    sql << "DELETE FROM acme_renewal_windows WHERE serial_hex = :s", soci::use(w.serial_hex);
    sql << "INSERT INTO acme_renewal_windows (serial_hex, window_start, window_end,"
           " explanation_url) VALUES (:s, :a, :b, :u)",
        soci::use(w.serial_hex), soci::use(start), soci::use(end), soci::use(w.explanation_url);
    AppendAudit(sql,
                {.account_id = "",
                 .action = "certificate.renewal_window",
                 .target_type = "certificate",
                 .target_id = w.serial_hex,
                 .details = nlohmann::json{{"start", start}, {"end", end}}.dump()},
                actor);
    return Status::Ok();
  });
}

Result<std::optional<RenewalWindow>> SociStorage::GetRenewalWindow(const std::string& serial_hex) {
  std::optional<RenewalWindow> found;
  Status s = WithSession("get renewal window", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT serial_hex, window_start, window_end, explanation_url"
                        " FROM acme_renewal_windows WHERE serial_hex = :s",
         soci::use(serial_hex));
    for (const soci::row& r : rs) {
      found = RenewalWindow{ColumnString(r, 0), FromUnixMicros(ColumnInt(r, 1)),
                            FromUnixMicros(ColumnInt(r, 2)), ColumnString(r, 3)};
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return found;
}

}  // namespace signet::sa

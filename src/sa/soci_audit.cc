// The audit log half of SociStorage: appends chained events and verifies the chain.
#include "sa/soci_storage.h"
#include "signet/sa/audit_chain.h"

namespace signet::sa {

namespace {

const char* kAuditColumns =
    "seq, at, actor, account_id, action, target_type, target_id, source, request_id, details,"
    " prev_hash, hash";

AuditEvent ReadAuditEvent(const soci::row& r) {
  AuditEvent e;
  e.seq = ColumnInt(r, 0);
  e.at = FromUnixMicros(ColumnInt(r, 1));
  e.actor = ColumnString(r, 2);
  e.account_id = ColumnString(r, 3);
  e.action = ColumnString(r, 4);
  e.target_type = ColumnString(r, 5);
  e.target_id = ColumnString(r, 6);
  e.source = ColumnString(r, 7);
  e.request_id = ColumnString(r, 8);
  e.details = ColumnString(r, 9);
  e.prev_hash = ColumnString(r, 10);
  e.hash = ColumnString(r, 11);
  return e;
}

}  // namespace

void SociStorage::AppendAudit(soci::session& sql, AuditEvent event, const Actor& actor) {
  event.actor = actor.user_id.empty() ? "system" : actor.user_id;
  event.source = actor.source;
  event.request_id = actor.request_id;
  event.at = clock_.Now();
  if (event.details.empty()) event.details = "{}";
  long long head_seq = 0;
  std::string head_hash;
  SqliteStatementCache* cache = CacheFor(sql);
  // Locking the single head row serialises appends on PostgreSQL; SQLite writers are already
  // serialised by BEGIN IMMEDIATE.
  if (cache) {
    cache->Query("SELECT seq, hash FROM audit_head WHERE id = 1", {}, [&](const soci::row& r) {
      head_seq = ColumnInt(r, 0);
      head_hash = ColumnString(r, 1);
    });
  } else {
    sql << "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE", soci::into(head_seq),
        soci::into(head_hash);
  }
  event.seq = head_seq + 1;
  event.prev_hash = head_hash;
  event.hash = ComputeAuditHash(event);
  long long seq = event.seq, at = ToUnixMicros(event.at);
  static const std::string kInsert =
      "INSERT INTO audit_events (seq, at, actor, account_id, action, target_type, target_id,"
      " source, request_id, details, prev_hash, hash) VALUES (:seq, :at, :actor, :acct,"
      " :action, :tt, :tid, :source, :rid, :details, :prev, :hash)";
  static const std::string kAdvanceHead =
      "UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1";
  if (cache) {
    // Text parameters; the INTEGER columns store the numbers as integers (SQLite's affinity).
    cache->Exec(kInsert, {std::to_string(seq), std::to_string(at), event.actor, event.account_id,
                          event.action, event.target_type, event.target_id, event.source,
                          event.request_id, event.details, event.prev_hash, event.hash});
    cache->Exec(kAdvanceHead, {std::to_string(seq), event.hash});
    return;
  }
  sql << kInsert, soci::use(seq), soci::use(at), soci::use(event.actor),
      soci::use(event.account_id), soci::use(event.action), soci::use(event.target_type),
      soci::use(event.target_id), soci::use(event.source), soci::use(event.request_id),
      soci::use(event.details), soci::use(event.prev_hash), soci::use(event.hash);
  sql << kAdvanceHead, soci::use(seq), soci::use(event.hash);
}

Status SociStorage::AppendAuditEvent(const AuditEvent& event, const Actor& actor) {
  return InTransaction("append audit event", [&](soci::session& sql) {
    AppendAudit(sql, event, actor);
    return Status::Ok();
  });
}

Result<Page<AuditEvent>> SociStorage::ListAuditEvents(const std::string& account_id,
                                                      const PageRequest& page) {
  std::vector<AuditEvent> items;
  int limit = std::clamp(page.limit, 1, 500);
  long long after = 0;
  if (!page.after.empty()) {
    try {
      after = std::stoll(page.after);
    } catch (const std::exception&) {
      return MalformedError("page_token is not one this server issued", "invalid_page_token");
    }
  }
  Status s = WithSession("list audit events", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kAuditColumns + " FROM audit_events WHERE seq > 0";
    if (!account_id.empty()) q += " AND account_id = :acct";
    if (after > 0) q += " AND seq < :after";
    q += " ORDER BY seq DESC LIMIT " + std::to_string(limit + 1);
    soci::details::prepare_temp_type pt = (sql.prepare << q);
    if (!account_id.empty()) pt, soci::use(account_id);
    if (after > 0) pt, soci::use(after);
    soci::rowset<soci::row> rs(pt);
    for (const soci::row& r : rs) items.push_back(ReadAuditEvent(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  Page<AuditEvent> out;
  if (static_cast<int>(items.size()) > limit) {
    items.resize(static_cast<size_t>(limit));
    out.next_after = std::to_string(items.back().seq);
  }
  out.items = std::move(items);
  return out;
}

Result<AuditVerification> SociStorage::VerifyAuditChain() {
  AuditVerification v;
  Status s = WithSession("verify audit chain", [&](soci::session& sql) {
    std::string running = kAuditGenesisHash;
    int64_t expected_seq = 1;
    soci::rowset<soci::row> rs =
        (sql.prepare << std::string("SELECT ") + kAuditColumns + " FROM audit_events ORDER BY seq");
    for (const soci::row& r : rs) {
      AuditEvent e = ReadAuditEvent(r);
      if (v.intact) {
        if (e.seq != expected_seq) {
          v.intact = false;
          v.problem = "event " + std::to_string(expected_seq) + " is missing (next stored is " +
                      std::to_string(e.seq) + "): events were deleted";
        } else if (e.prev_hash != running) {
          v.intact = false;
          v.problem = "event " + std::to_string(e.seq) +
                      " does not link to the event before it: the chain was rewritten";
        } else if (ComputeAuditHash(e) != e.hash) {
          v.intact = false;
          v.problem = "event " + std::to_string(e.seq) + " (" + e.action +
                      ") was edited after it was written: its hash does not match its content";
        }
      }
      running = e.hash;
      ++expected_seq;
      ++v.events;
    }
    long long head_seq = 0;
    std::string head_hash;
    sql << "SELECT seq, hash FROM audit_head WHERE id = 1", soci::into(head_seq),
        soci::into(head_hash);
    v.head_hash = head_hash;
    if (v.intact && (head_seq != v.events || head_hash != running)) {
      v.intact = false;
      v.problem = "the chain head records " + std::to_string(head_seq) + " events but " +
                  std::to_string(v.events) +
                  " remain with a different last hash: the latest events were deleted or replaced";
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return v;
}

}  // namespace signet::sa

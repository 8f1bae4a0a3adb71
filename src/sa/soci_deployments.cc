// Deployment targets, certificate bindings and deployment runs: the DeploymentStore half of
// SociStorage.
#include <nlohmann/json.hpp>

#include "sa/deployment_target_codec.h"
#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

constexpr char kTargetColumns[] = "id, account_id, name, type, settings, created_at, updated_at";

DeploymentTarget ReadTarget(const soci::row& r) {
  DeploymentTarget t;
  t.id = ColumnString(r, 0);
  t.account_id = ColumnString(r, 1);
  t.name = ColumnString(r, 2);
  // A type this build does not know reads as an agent target: one Signet never connects to.
  t.type = core::ParseTargetType(ColumnString(r, 3)).value_or(core::TargetType::kAgent);
  DecodeTargetSettings(ColumnString(r, 4), t);
  t.created_at = FromUnixMicros(ColumnInt(r, 5));
  t.updated_at = FromUnixMicros(ColumnInt(r, 6));
  return t;
}

// What the audit chain keeps of a target: where it points, never its secrets.
AuditEvent TargetAudit(const DeploymentTarget& t, const char* action) {
  return {.account_id = t.account_id,
          .action = action,
          .target_type = "deployment_target",
          .target_id = t.id,
          .details = nlohmann::json{
              {"name", t.name},
              {"type", std::string(core::Name(t.type))},
              {"host", t.host},
              {"url",
               t.url}}.dump()};
}

// The (account, name) unique index refused the write.
Status NameTaken(const DeploymentTarget& t) {
  return ConflictError(
      "this account has a deployment target named '" + t.name + "' already; choose another name",
      "already_exists");
}

constexpr char kBindingColumns[] =
    "id, account_id, target_id, lineage_id, certificate_id, verify_host, verify_port,"
    " verify_server_name, verify_protocol, created_at";

CertificateBinding ReadBinding(const soci::row& r) {
  CertificateBinding b;
  b.id = ColumnString(r, 0);
  b.account_id = ColumnString(r, 1);
  b.target_id = ColumnString(r, 2);
  b.lineage_id = ColumnString(r, 3);
  b.certificate_id = ColumnString(r, 4);
  b.verify.host = ColumnString(r, 5);
  b.verify.port = static_cast<int>(ColumnInt(r, 6));
  b.verify.server_name = ColumnString(r, 7);
  b.verify.protocol = ColumnString(r, 8);
  b.created_at = FromUnixMicros(ColumnInt(r, 9));
  return b;
}

constexpr char kDeploymentColumns[] =
    "id, account_id, binding_id, target_id, certificate_id, serial_hex, trigger_kind, status,"
    " served_serial, error, attempts, created_at, updated_at, started_at, finished_at";

Deployment ReadDeployment(const soci::row& r) {
  Deployment d;
  d.id = ColumnString(r, 0);
  d.account_id = ColumnString(r, 1);
  d.binding_id = ColumnString(r, 2);
  d.target_id = ColumnString(r, 3);
  d.certificate_id = ColumnString(r, 4);
  d.serial_hex = ColumnString(r, 5);
  d.trigger = ColumnString(r, 6);
  // A status this build cannot name reads as failed: final, so nothing runs it again.
  d.status =
      core::ParseDeploymentStatus(ColumnString(r, 7)).value_or(core::DeploymentStatus::kFailed);
  d.served_serial = ColumnString(r, 8);
  d.error = ColumnString(r, 9);
  d.attempts = static_cast<int>(ColumnInt(r, 10));
  d.created_at = FromUnixMicros(ColumnInt(r, 11));
  d.updated_at = FromUnixMicros(ColumnInt(r, 12));
  d.started_at = ColumnOptionalTime(r, 13);
  d.finished_at = ColumnOptionalTime(r, 14);
  return d;
}

}  // namespace

Result<DeploymentTarget> SociStorage::CreateDeploymentTarget(const DeploymentTarget& input,
                                                             const Actor& actor) {
  DeploymentTarget t = input;
  if (t.id.empty()) t.id = ids_.New("tgt");
  t.created_at = t.updated_at = clock_.Now();
  Status s = InTransaction("create deployment target", [&](soci::session& sql) {
    Execute(sql,
            "INSERT INTO deployment_targets (id, account_id, name, type, settings, created_at,"
            " updated_at) VALUES (:id, :a, :n, :t, :s, :c, :u)",
            {t.id, t.account_id, t.name, std::string(core::Name(t.type)), EncodeTargetSettings(t),
             MicrosParam(t.created_at), MicrosParam(t.updated_at)});
    AppendAudit(sql, TargetAudit(t, "deployment_target.create"), actor);
    return Status::Ok();
  });
  if (s.reason() == "already_exists") return NameTaken(t);
  if (!s.ok()) return s;
  return t;
}

Result<DeploymentTarget> SociStorage::GetDeploymentTarget(const std::string& account_id,
                                                          const std::string& id) {
  std::string q =
      std::string("SELECT ") + kTargetColumns + " FROM deployment_targets WHERE id = :id";
  std::vector<std::string> binds{id};
  if (!account_id.empty()) {
    q += " AND account_id = :a";
    binds.push_back(account_id);
  }
  return SelectOne<DeploymentTarget>(
      "get deployment target", q, binds, &ReadTarget,
      NotFoundError("no deployment target " + id + " in this account"));
}

Result<std::vector<DeploymentTarget>> SociStorage::ListDeploymentTargets(
    const std::string& account_id) {
  std::vector<DeploymentTarget> out;
  Status s = WithSession("list deployment targets", [&](soci::session& sql) {
    QueryRows(sql,
              std::string("SELECT ") + kTargetColumns +
                  " FROM deployment_targets WHERE account_id = :a ORDER BY name, id",
              {account_id}, [&](const soci::row& r) { out.push_back(ReadTarget(r)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<DeploymentTarget> SociStorage::UpdateDeploymentTarget(const DeploymentTarget& input,
                                                             const Actor& actor) {
  DeploymentTarget t = input;
  t.updated_at = clock_.Now();
  Status s = InTransaction("update deployment target", [&](soci::session& sql) -> Status {
    long long changed =
        Execute(sql,
                "UPDATE deployment_targets SET name = :n, settings = :s, updated_at = :u"
                " WHERE id = :id AND account_id = :a",
                {t.name, EncodeTargetSettings(t), MicrosParam(t.updated_at), t.id, t.account_id});
    if (changed == 0) return NotFoundError("no deployment target " + t.id + " in this account");
    AppendAudit(sql, TargetAudit(t, "deployment_target.update"), actor);
    return Status::Ok();
  });
  if (s.reason() == "already_exists") return NameTaken(t);
  if (!s.ok()) return s;
  return t;
}

Status SociStorage::DeleteDeploymentTarget(const std::string& account_id, const std::string& id,
                                           const Actor& actor) {
  return InTransaction("delete deployment target", [&](soci::session& sql) -> Status {
    int64_t bindings = 0;
    QueryRows(sql, "SELECT COUNT(*) FROM certificate_bindings WHERE target_id = :t", {id},
              [&](const soci::row& r) { bindings = ColumnInt(r, 0); });
    if (bindings > 0) {
      return ConflictError(std::to_string(bindings) +
                               " certificate binding(s) deploy to this target; remove them first",
                           "target_in_use");
    }
    Execute(sql, "DELETE FROM deployment_agents WHERE target_id = :id AND account_id = :a",
            {id, account_id});
    long long changed = Execute(
        sql, "DELETE FROM deployment_targets WHERE id = :id AND account_id = :a", {id, account_id});
    if (changed == 0) return NotFoundError("no deployment target " + id + " in this account");
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "deployment_target.delete",
                 .target_type = "deployment_target",
                 .target_id = id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

void SociStorage::InsertDeploymentIn(soci::session& sql, const Deployment& d) {
  Execute(sql,
          "INSERT INTO deployments (id, account_id, binding_id, target_id, certificate_id,"
          " serial_hex, trigger_kind, status, served_serial, error, attempts, created_at,"
          " updated_at, started_at, finished_at) VALUES (:id, :a, :b, :t, :c, :s, :tr, :st,"
          " :served, :e, :n, :cr, :u, NULL, NULL)",
          {d.id, d.account_id, d.binding_id, d.target_id, d.certificate_id, d.serial_hex, d.trigger,
           std::string(core::Name(d.status)), d.served_serial, d.error, std::to_string(d.attempts),
           MicrosParam(d.created_at), MicrosParam(d.updated_at)});
}

Result<std::pair<CertificateBinding, Deployment>> SociStorage::CreateBinding(
    const CertificateBinding& input, const Deployment& first_input, const NewJob& job,
    const Actor& actor) {
  CertificateBinding b = input;
  if (b.id.empty()) b.id = ids_.New("bind");
  b.created_at = clock_.Now();
  Deployment first = first_input;
  first.binding_id = b.id;
  first.created_at = first.updated_at = b.created_at;
  Status s = InTransaction("create certificate binding", [&](soci::session& sql) {
    Execute(sql,
            "INSERT INTO certificate_bindings (id, account_id, target_id, lineage_id,"
            " certificate_id, verify_host, verify_port, verify_server_name, verify_protocol,"
            " created_at) VALUES (:id, :a, :t, :l, :c, :vh, :vp, :vs, :vpr, :cr)",
            {b.id, b.account_id, b.target_id, b.lineage_id, b.certificate_id, b.verify.host,
             std::to_string(b.verify.port), b.verify.server_name, b.verify.protocol,
             MicrosParam(b.created_at)});
    InsertDeploymentIn(sql, first);
    InsertJobIn(sql, job);
    AppendAudit(sql,
                {.account_id = b.account_id,
                 .action = "certificate.bind",
                 .target_type = "certificate",
                 .target_id = b.certificate_id,
                 .details = nlohmann::json{{"binding", b.id},
                                           {"target", b.target_id},
                                           {"lineage", b.lineage_id},
                                           {"verify_host", b.verify.host}}
                                .dump()},
                actor);
    return Status::Ok();
  });
  if (s.reason() == "already_exists") {
    return ConflictError("this certificate (or one it succeeds) is bound to that target already",
                         "already_exists");
  }
  if (!s.ok()) return s;
  return std::make_pair(b, first);
}

Result<CertificateBinding> SociStorage::GetBinding(const std::string& account_id,
                                                   const std::string& id) {
  std::string q =
      std::string("SELECT ") + kBindingColumns + " FROM certificate_bindings WHERE id = :id";
  std::vector<std::string> binds{id};
  if (!account_id.empty()) {
    q += " AND account_id = :a";
    binds.push_back(account_id);
  }
  return SelectOne<CertificateBinding>("get certificate binding", q, binds, &ReadBinding,
                                       NotFoundError("no binding " + id + " in this account"));
}

Result<std::vector<CertificateBinding>> SociStorage::ListBindings(const std::string& account_id,
                                                                  const std::string& lineage_id,
                                                                  const std::string& target_id) {
  std::vector<CertificateBinding> out;
  Status s = WithSession("list certificate bindings", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kBindingColumns +
                    " FROM certificate_bindings WHERE account_id = :a";
    std::vector<std::string> binds{account_id};
    if (!lineage_id.empty()) {
      q += " AND lineage_id = :l";
      binds.push_back(lineage_id);
    }
    if (!target_id.empty()) {
      q += " AND target_id = :t";
      binds.push_back(target_id);
    }
    QueryRows(sql, q + " ORDER BY created_at, id", SqlParams(binds.begin(), binds.end()),
              [&](const soci::row& r) { out.push_back(ReadBinding(r)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SociStorage::DeleteBinding(const std::string& account_id, const std::string& id,
                                  const Actor& actor) {
  return InTransaction("delete certificate binding", [&](soci::session& sql) -> Status {
    std::string certificate_id;
    QueryRows(sql,
              "SELECT certificate_id FROM certificate_bindings WHERE id = :id AND"
              " account_id = :a",
              {id, account_id}, [&](const soci::row& r) { certificate_id = ColumnString(r, 0); });
    long long changed =
        Execute(sql, "DELETE FROM certificate_bindings WHERE id = :id AND account_id = :a",
                {id, account_id});
    if (changed == 0) return NotFoundError("no binding " + id + " in this account");
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "certificate.unbind",
                 .target_type = "certificate",
                 .target_id = certificate_id,
                 .details = nlohmann::json{{"binding", id}}.dump()},
                actor);
    return Status::Ok();
  });
}

Result<std::optional<Deployment>> SociStorage::CreateDeployment(const Deployment& input,
                                                                const NewJob& job,
                                                                bool once_per_serial,
                                                                const Actor& actor) {
  Deployment d = input;
  d.created_at = d.updated_at = clock_.Now();
  bool exists = false;
  Status s = InTransaction("create deployment", [&](soci::session& sql) {
    if (once_per_serial) {
      QueryRows(sql,
                "SELECT 1 FROM deployments WHERE binding_id = :b AND serial_hex = :s AND"
                " trigger_kind <> 'manual'",
                {d.binding_id, d.serial_hex}, [&](const soci::row&) { exists = true; });
      if (exists) return Status::Ok();
    }
    InsertDeploymentIn(sql, d);
    InsertJobIn(sql, job);
    AppendAudit(sql,
                {.account_id = d.account_id,
                 .action = "deployment.start",
                 .target_type = "deployment",
                 .target_id = d.id,
                 .details = nlohmann::json{{"binding", d.binding_id},
                                           {"target", d.target_id},
                                           {"serial", d.serial_hex},
                                           {"trigger", d.trigger}}
                                .dump()},
                actor);
    return Status::Ok();
  });
  // The unique index: another node started the same one between the check and the insert.
  if (s.reason() == "already_exists" && once_per_serial) return std::optional<Deployment>();
  if (!s.ok()) return s;
  if (exists) return std::optional<Deployment>();
  return std::optional<Deployment>(d);
}

Result<Deployment> SociStorage::GetDeployment(const std::string& account_id,
                                              const std::string& id) {
  std::string q = std::string("SELECT ") + kDeploymentColumns + " FROM deployments WHERE id = :id";
  std::vector<std::string> binds{id};
  if (!account_id.empty()) {
    q += " AND account_id = :a";
    binds.push_back(account_id);
  }
  return SelectOne<Deployment>("get deployment", q, binds, &ReadDeployment,
                               NotFoundError("no deployment " + id + " in this account"));
}

Result<Page<Deployment>> SociStorage::ListDeployments(const std::string& account_id,
                                                      const DeploymentFilter& filter,
                                                      const PageRequest& page) {
  std::vector<Deployment> items;
  int limit = Limit(page);
  Status s = WithSession("list deployments", [&](soci::session& sql) {
    std::string q =
        std::string("SELECT ") + kDeploymentColumns + " FROM deployments WHERE account_id = :a";
    std::vector<std::string> binds{account_id};
    if (!filter.certificate_id.empty()) {
      q += " AND certificate_id = :c";
      binds.push_back(filter.certificate_id);
    }
    if (!filter.target_id.empty()) {
      q += " AND target_id = :t";
      binds.push_back(filter.target_id);
    }
    if (!filter.binding_id.empty()) {
      q += " AND binding_id = :b";
      binds.push_back(filter.binding_id);
    }
    if (filter.status) {
      q += " AND status = :st";
      binds.emplace_back(core::Name(*filter.status));
    }
    q += PageClause(page, "id", true) + " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    if (!page.after.empty()) binds.push_back(page.after);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadDeployment(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<Deployment>(std::move(items), limit, [](const Deployment& d) { return d.id; });
}

Result<Deployment> SociStorage::UpdateDeployment(const Deployment& input,
                                                 core::DeploymentStatus expected,
                                                 const std::vector<NewJob>& jobs) {
  Deployment d = input;
  d.updated_at = clock_.Now();
  Status s = InTransaction("update deployment", [&](soci::session& sql) -> Status {
    long long changed =
        Execute(sql,
                "UPDATE deployments SET status = :st, served_serial = :served, error = :e,"
                " attempts = :n, updated_at = :u, started_at = :sa, finished_at = :f"
                " WHERE id = :id AND status = :expected",
                {std::string(core::Name(d.status)), d.served_serial, d.error,
                 std::to_string(d.attempts), MicrosParam(d.updated_at), MicrosParam(d.started_at),
                 MicrosParam(d.finished_at), d.id, std::string(core::Name(expected))});
    if (changed == 0) {
      return ConflictError("the deployment changed meanwhile", "status_changed");
    }
    if (core::IsFinal(d.status)) {
      // A success is the deployment receipt: which certificate, where, and what was served.
      AppendAudit(sql,
                  {.account_id = d.account_id,
                   .action = "deployment." + std::string(core::Name(d.status)),
                   .target_type = "deployment",
                   .target_id = d.id,
                   .details = nlohmann::json{{"binding", d.binding_id},
                                             {"target", d.target_id},
                                             {"certificate", d.certificate_id},
                                             {"serial", d.serial_hex},
                                             {"served_serial", d.served_serial},
                                             {"error", d.error}}
                                  .dump()},
                  {"system", d.account_id, "system", ""});
    }
    for (const NewJob& job : jobs) InsertJobIn(sql, job);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return d;
}

Result<std::vector<PendingSuccessor>> SociStorage::ListPendingSuccessors(TimePoint now, int limit) {
  std::vector<PendingSuccessor> out;
  Status s = WithSession("list pending successors", [&](soci::session& sql) {
    // Each binding's lineage's newest certificate (by creation), if unexpired and not deployed
    // there by the binding or the reconciler yet.
    std::string q = std::string("SELECT ") +
                    "b.id, b.account_id, b.target_id, b.lineage_id, b.certificate_id,"
                    " b.verify_host, b.verify_port, b.verify_server_name, b.verify_protocol,"
                    " b.created_at, m.id, m.serial_hex"
                    " FROM certificate_bindings b JOIN managed_certificates m"
                    " ON m.lineage_id = b.lineage_id AND m.account_id = b.account_id"
                    " WHERE m.not_after > :now AND m.created_at = (SELECT MAX(m2.created_at)"
                    " FROM managed_certificates m2 WHERE m2.lineage_id = b.lineage_id AND"
                    " m2.account_id = b.account_id) AND NOT EXISTS (SELECT 1 FROM deployments d"
                    " WHERE d.binding_id = b.id AND d.serial_hex = m.serial_hex AND"
                    " d.trigger_kind <> 'manual') ORDER BY b.id LIMIT " +
                    std::to_string(limit);
    QueryRows(sql, q, {MicrosParam(now)}, [&](const soci::row& r) {
      PendingSuccessor p;
      p.binding = ReadBinding(r);
      p.certificate_id = ColumnString(r, 10);
      p.serial_hex = ColumnString(r, 11);
      out.push_back(std::move(p));
    });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace signet::sa

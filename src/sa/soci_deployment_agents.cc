// Deployment agents: registration tokens and credentials, by their hashes. Part of the
// DeploymentStore half of SociStorage.
#include <nlohmann/json.hpp>

#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

constexpr char kAgentColumns[] =
    "target_id, account_id, token_hash, token_expires_at, credential_hash, hostname,"
    " registered_at, last_seen_at";

DeploymentAgent ReadAgent(const soci::row& r) {
  DeploymentAgent a;
  a.target_id = ColumnString(r, 0);
  a.account_id = ColumnString(r, 1);
  a.token_hash = ColumnString(r, 2);
  a.token_expires_at = ColumnOptionalTime(r, 3);
  a.credential_hash = ColumnString(r, 4);
  a.hostname = ColumnString(r, 5);
  a.registered_at = ColumnOptionalTime(r, 6);
  a.last_seen_at = ColumnOptionalTime(r, 7);
  return a;
}

}  // namespace

Status SociStorage::SetAgentToken(const std::string& account_id, const std::string& target_id,
                                  const std::string& token_hash, TimePoint expires_at,
                                  const Actor& actor) {
  return InTransaction("set agent token", [&](soci::session& sql) -> Status {
    bool target = false, agent = false;
    QueryRows(sql, "SELECT 1 FROM deployment_targets WHERE id = :id AND account_id = :a",
              {target_id, account_id}, [&](const soci::row&) { target = true; });
    if (!target) return NotFoundError("no deployment target " + target_id + " in this account");
    QueryRows(sql, "SELECT 1 FROM deployment_agents WHERE target_id = :id", {target_id},
              [&](const soci::row&) { agent = true; });
    if (agent) {
      Execute(sql,
              "UPDATE deployment_agents SET token_hash = :h, token_expires_at = :e"
              " WHERE target_id = :id",
              {token_hash, MicrosParam(expires_at), target_id});
    } else {
      Execute(sql,
              "INSERT INTO deployment_agents (target_id, account_id, token_hash, token_expires_at,"
              " credential_hash, hostname, registered_at, last_seen_at) VALUES (:id, :a, :h, :e,"
              " '', '', NULL, NULL)",
              {target_id, account_id, token_hash, MicrosParam(expires_at)});
    }
    AppendAudit(sql,
                {.account_id = account_id,
                 .action = "deployment_target.agent_token",
                 .target_type = "deployment_target",
                 .target_id = target_id,
                 .details = "{}"},
                actor);
    return Status::Ok();
  });
}

Result<DeploymentAgent> SociStorage::RegisterAgent(const std::string& token_hash,
                                                   const std::string& credential_hash,
                                                   const std::string& hostname, TimePoint now) {
  std::optional<DeploymentAgent> agent;
  Status s = InTransaction("register agent", [&](soci::session& sql) -> Status {
    QueryRows(sql,
              std::string("SELECT ") + kAgentColumns +
                  " FROM deployment_agents WHERE token_hash = :h AND token_hash <> ''",
              {token_hash}, [&](const soci::row& r) { agent = ReadAgent(r); });
    if (!agent || !agent->token_expires_at || *agent->token_expires_at <= now) {
      return Status::Error(ErrorCode::kNotFound, "invalid_token",
                           "this registration token is unknown, used or expired; make a new one "
                           "for the target (POST /api/v1/deployment-targets/{id}/agent-token)");
    }
    // Compare-and-set on the token: of two agents registering with it at once, one wins.
    long long changed =
        Execute(sql,
                "UPDATE deployment_agents SET token_hash = '', token_expires_at = NULL,"
                " credential_hash = :c, hostname = :n, registered_at = :t, last_seen_at = :t2"
                " WHERE target_id = :id AND token_hash = :h",
                {credential_hash, hostname, MicrosParam(now), MicrosParam(now), agent->target_id,
                 token_hash});
    if (changed == 0) {
      return Status::Error(ErrorCode::kNotFound, "invalid_token",
                           "this registration token was used meanwhile");
    }
    AppendAudit(sql,
                {.account_id = agent->account_id,
                 .action = "deployment_target.agent_registered",
                 .target_type = "deployment_target",
                 .target_id = agent->target_id,
                 .details = nlohmann::json{{"hostname", hostname}}.dump()},
                {"agent", agent->account_id, "agent", ""});
    agent->token_hash.clear();
    agent->token_expires_at.reset();
    agent->credential_hash = credential_hash;
    agent->hostname = hostname;
    agent->registered_at = now;
    agent->last_seen_at = now;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return *agent;
}

Result<DeploymentAgent> SociStorage::FindAgentByCredential(const std::string& credential_hash,
                                                           TimePoint now) {
  SIGNET_ASSIGN_OR_RETURN(
      DeploymentAgent agent,
      SelectOne<DeploymentAgent>(
          "find agent",
          std::string("SELECT ") + kAgentColumns +
              " FROM deployment_agents WHERE credential_hash = :c AND"
              " credential_hash <> ''",
          {credential_hash}, &ReadAgent,
          Status::Error(ErrorCode::kUnauthorized, "unknown_agent",
                        "this agent credential is not known; register the agent again with a "
                        "new token")));
  // When it was last seen, for the console; at most once a minute, so polls do not write.
  if (!agent.last_seen_at || now - *agent.last_seen_at > std::chrono::minutes(1)) {
    (void)WriteSession("touch agent", [&](soci::session& sql) {
      Execute(sql, "UPDATE deployment_agents SET last_seen_at = :t WHERE target_id = :id",
              {MicrosParam(now), agent.target_id});
      return Status::Ok();
    });
    agent.last_seen_at = now;
  }
  return agent;
}

Result<std::optional<DeploymentAgent>> SociStorage::GetAgent(const std::string& target_id) {
  auto agent = SelectOne<DeploymentAgent>(
      "get agent",
      std::string("SELECT ") + kAgentColumns + " FROM deployment_agents WHERE target_id = :id",
      {target_id}, &ReadAgent, NotFoundError("no agent"));
  if (agent.status().code() == ErrorCode::kNotFound) return std::optional<DeploymentAgent>();
  if (!agent.ok()) return agent.status();
  return std::optional<DeploymentAgent>(*agent);
}

}  // namespace signet::sa

// Deployment targets, bindings and runs of the caller's account. A target's secrets are read
// from requests and never written into a response (the webhook secret once, at creation).
#include "wfe/deployment_handlers.h"

#include "signet/deploy/deployment_service.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

nlohmann::json FilesJson(const sa::TargetFiles& f) {
  nlohmann::json out = nlohmann::json::object();
  auto put = [&](const char* field, const std::string& path) {
    if (!path.empty()) out[field] = path;
  };
  put("fullchain", f.fullchain);
  put("private_key", f.private_key);
  put("certificate", f.certificate);
  put("chain", f.chain);
  put("pfx", f.pfx);
  put("jks", f.jks);
  return out;
}

nlohmann::json TargetJson(const sa::DeploymentTarget& t) {
  nlohmann::json j = {{"id", t.id},
                      {"name", t.name},
                      {"type", std::string(core::Name(t.type))},
                      {"created_at", TimeJson(t.created_at)},
                      {"updated_at", TimeJson(t.updated_at)}};
  switch (t.type) {
    case core::TargetType::kSsh:
      j["host"] = t.host;
      j["port"] = t.port;
      j["username"] = t.username;
      j["host_key"] = t.host_key;
      j["auth"] = t.sealed_private_key.empty() ? "password" : "private_key";
      [[fallthrough]];
    case core::TargetType::kLocal:
      j["files"] = FilesJson(t.files);
      j["reload_command"] = t.reload_command;
      j["has_keystore_password"] = !t.sealed_keystore_password.empty();
      break;
    case core::TargetType::kWebhook:
      j["url"] = t.url;
      break;
    case core::TargetType::kAgent:
      break;
  }
  return j;
}

// Whether the agent registered, from where, and when it last asked for work.
nlohmann::json AgentJson(const std::optional<sa::DeploymentAgent>& agent) {
  if (!agent || !agent->registered_at) return {{"registered", false}};
  return {{"registered", true},
          {"hostname", agent->hostname},
          {"registered_at", OptionalTimeJson(agent->registered_at)},
          {"last_seen_at", OptionalTimeJson(agent->last_seen_at)}};
}

nlohmann::json DeploymentJson(const sa::Deployment& d) {
  return {{"id", d.id},
          {"binding_id", d.binding_id},
          {"target_id", d.target_id},
          {"certificate_id", d.certificate_id},
          {"serial", d.serial_hex},
          {"trigger", d.trigger},
          {"status", std::string(core::Name(d.status))},
          {"served_serial", d.served_serial},
          {"error", d.error},
          {"attempts", d.attempts},
          {"created_at", TimeJson(d.created_at)},
          {"started_at", OptionalTimeJson(d.started_at)},
          {"finished_at", OptionalTimeJson(d.finished_at)}};
}

nlohmann::json VerifyJson(const sa::VerifyEndpoint& v) {
  if (v.host.empty()) return nullptr;
  return {
      {"host", v.host}, {"port", v.port}, {"server_name", v.server_name}, {"protocol", v.protocol}};
}

nlohmann::json BindingJson(const deploy::BindingView& v, const std::string& target_name) {
  const sa::CertificateBinding& b = v.binding;
  return {{"id", b.id},
          {"target_id", b.target_id},
          {"target_name", target_name},
          {"certificate_id", b.certificate_id},
          {"lineage_id", b.lineage_id},
          {"verify", VerifyJson(b.verify)},
          {"created_at", TimeJson(b.created_at)},
          {"last_deployment", v.last ? DeploymentJson(*v.last) : nlohmann::json(nullptr)}};
}

Result<std::optional<int>> OptionalInt(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<int>();
  if (!it->is_number_integer()) {
    return MalformedError(std::string("'") + field + "' must be an integer", "invalid_field");
  }
  return std::optional<int>(it->get<int>());
}

Result<sa::TargetFiles> ReadFiles(const nlohmann::json& j) {
  if (!j.is_object()) {
    return MalformedError("'files' must be an object such as {\"fullchain\": \"/etc/...\"}",
                          "invalid_field");
  }
  static const std::set<std::string> kKnown = {"fullchain", "private_key", "certificate",
                                               "chain",     "pfx",         "jks"};
  for (const auto& [key, value] : j.items()) {
    if (!kKnown.count(key)) {
      return MalformedError("unknown file '" + key +
                                "'; files may be fullchain, private_key, certificate, chain, "
                                "pfx and jks",
                            "unknown_field");
    }
  }
  sa::TargetFiles f;
  SIGNET_ASSIGN_OR_RETURN(f.fullchain, OptionalString(j, "fullchain", 1024));
  SIGNET_ASSIGN_OR_RETURN(f.private_key, OptionalString(j, "private_key", 1024));
  SIGNET_ASSIGN_OR_RETURN(f.certificate, OptionalString(j, "certificate", 1024));
  SIGNET_ASSIGN_OR_RETURN(f.chain, OptionalString(j, "chain", 1024));
  SIGNET_ASSIGN_OR_RETURN(f.pfx, OptionalString(j, "pfx", 1024));
  SIGNET_ASSIGN_OR_RETURN(f.jks, OptionalString(j, "jks", 1024));
  return f;
}

Result<deploy::TargetInput> ReadTargetInput(const HttpRequest& request) {
  SIGNET_ASSIGN_OR_RETURN(
      nlohmann::json body,
      ParseJsonObject(request, {"name", "type", "host", "port", "username", "private_key",
                                "private_key_passphrase", "password", "host_key", "files",
                                "reload_command", "keystore_password", "url"}));
  deploy::TargetInput in;
  SIGNET_ASSIGN_OR_RETURN(in.name, OptionalString(body, "name", 100));
  SIGNET_ASSIGN_OR_RETURN(std::string type, OptionalString(body, "type", 20));
  if (!type.empty()) {
    in.type = core::ParseTargetType(type);
    if (!in.type) {
      return MalformedError("'type' must be ssh, local or webhook", "invalid_field");
    }
  }
  SIGNET_ASSIGN_OR_RETURN(in.host, OptionalString(body, "host", 253));
  SIGNET_ASSIGN_OR_RETURN(in.port, OptionalInt(body, "port"));
  SIGNET_ASSIGN_OR_RETURN(in.username, OptionalString(body, "username", 64));
  SIGNET_ASSIGN_OR_RETURN(in.private_key, OptionalString(body, "private_key", 16384));
  SIGNET_ASSIGN_OR_RETURN(in.private_key_passphrase,
                          OptionalString(body, "private_key_passphrase", 1024));
  SIGNET_ASSIGN_OR_RETURN(in.password, OptionalString(body, "password", 1024));
  SIGNET_ASSIGN_OR_RETURN(in.host_key, OptionalString(body, "host_key", 100));
  if (body.contains("files")) {
    SIGNET_ASSIGN_OR_RETURN(in.files, ReadFiles(body["files"]));
  }
  if (body.contains("reload_command")) {
    SIGNET_ASSIGN_OR_RETURN(in.reload_command, OptionalString(body, "reload_command", 2000));
  }
  SIGNET_ASSIGN_OR_RETURN(in.keystore_password, OptionalString(body, "keystore_password", 200));
  SIGNET_ASSIGN_OR_RETURN(in.url, OptionalString(body, "url", 500));
  return in;
}

Result<sa::VerifyEndpoint> ReadVerify(const nlohmann::json& body) {
  sa::VerifyEndpoint v;
  auto it = body.find("verify");
  if (it == body.end() || it->is_null()) return v;
  if (!it->is_object()) {
    return MalformedError(
        "'verify' must be an object such as {\"host\": \"www.example.com\", \"port\": 443}",
        "invalid_field");
  }
  for (const auto& [key, value] : it->items()) {
    if (key != "host" && key != "port" && key != "server_name" && key != "protocol") {
      return MalformedError(
          "unknown field 'verify." + key + "'; verify takes host, port, server_name and protocol",
          "unknown_field");
    }
  }
  SIGNET_ASSIGN_OR_RETURN(v.host, RequiredString(*it, "host", 253));
  SIGNET_ASSIGN_OR_RETURN(std::optional<int> port, OptionalInt(*it, "port"));
  SIGNET_ASSIGN_OR_RETURN(v.server_name, OptionalString(*it, "server_name", 253));
  SIGNET_ASSIGN_OR_RETURN(std::string protocol, OptionalString(*it, "protocol", 10));
  if (!protocol.empty()) v.protocol = protocol;
  // Mail protocols' usual STARTTLS ports when none is given.
  v.port = port.value_or(v.protocol == "smtp"   ? 25
                         : v.protocol == "imap" ? 143
                         : v.protocol == "pop3" ? 110
                                                : 443);
  return v;
}

HttpResponse Created(const nlohmann::json& body, const std::string& location) {
  HttpResponse r = JsonResponse(201, body);
  r.headers.emplace_back("Location", location);
  return r;
}

HttpResponse NoContentResponse() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace

HttpResponse DeploymentHandlers::ListTargets(RouteContext& ctx) {
  auto targets = deployments_.ListTargets(ctx.principal->account_id);
  if (!targets.ok()) return ErrorResponse(targets.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& t : *targets) {
    items.push_back(TargetJson(t));
    if (t.type == core::TargetType::kAgent) {
      auto agent = deployments_.Agent(t.id);
      if (!agent.ok()) return ErrorResponse(agent.status(), ctx);
      items.back()["agent"] = AgentJson(*agent);
    }
  }
  return JsonResponse(200, PageJson(items, ""));
}

HttpResponse DeploymentHandlers::CreateTarget(RouteContext& ctx) {
  auto input = ReadTargetInput(ctx.request);
  if (!input.ok()) return ErrorResponse(input.status(), ctx);
  auto created = deployments_.CreateTarget(ctx.principal->account_id, *input, ActorFor(ctx));
  if (!created.ok()) return ErrorResponse(created.status(), ctx);
  nlohmann::json j = TargetJson(*created);
  if (created->type == core::TargetType::kWebhook) {
    // The receiver checks X-Signet-Signature with it; it is not shown again.
    auto secret = deployments_.WebhookSecret(*created);
    if (!secret.ok()) return ErrorResponse(secret.status(), ctx);
    j["webhook_secret"] = *secret;
  }
  if (created->type == core::TargetType::kAgent) {
    // For `signet agent register`; shown once, valid a day.
    auto token = deployments_.NewAgentToken(ctx.principal->account_id, created->id, ActorFor(ctx));
    if (!token.ok()) return ErrorResponse(token.status(), ctx);
    j["registration_token"] = *token;
    j["agent"] = AgentJson(std::nullopt);
  }
  return Created(j, "/api/v1/deployment-targets/" + created->id);
}

HttpResponse DeploymentHandlers::GetTarget(RouteContext& ctx) {
  auto target = deployments_.GetTarget(ctx.principal->account_id, ctx.params["id"]);
  if (!target.ok()) return ErrorResponse(target.status(), ctx);
  nlohmann::json j = TargetJson(*target);
  if (target->type == core::TargetType::kAgent) {
    auto agent = deployments_.Agent(target->id);
    if (!agent.ok()) return ErrorResponse(agent.status(), ctx);
    j["agent"] = AgentJson(*agent);
  }
  return JsonResponse(200, j);
}

HttpResponse DeploymentHandlers::UpdateTarget(RouteContext& ctx) {
  auto input = ReadTargetInput(ctx.request);
  if (!input.ok()) return ErrorResponse(input.status(), ctx);
  auto updated =
      deployments_.UpdateTarget(ctx.principal->account_id, ctx.params["id"], *input, ActorFor(ctx));
  if (!updated.ok()) return ErrorResponse(updated.status(), ctx);
  return JsonResponse(200, TargetJson(*updated));
}

HttpResponse DeploymentHandlers::DeleteTarget(RouteContext& ctx) {
  Status s = deployments_.DeleteTarget(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  return NoContentResponse();
}

HttpResponse DeploymentHandlers::TestTarget(RouteContext& ctx) {
  auto test = deployments_.TestTarget(ctx.principal->account_id, ctx.params["id"]);
  if (!test.ok()) return ErrorResponse(test.status(), ctx);
  return JsonResponse(200,
                      {{"ok", test->ok}, {"detail", test->detail}, {"host_key", test->host_key}});
}

HttpResponse DeploymentHandlers::ListBindings(RouteContext& ctx) {
  const std::string& account = ctx.principal->account_id;
  auto bindings = deployments_.ListBindings(account, ctx.params["id"]);
  if (!bindings.ok()) return ErrorResponse(bindings.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& b : *bindings) {
    auto target = deployments_.GetTarget(account, b.binding.target_id);
    items.push_back(BindingJson(b, target.ok() ? target->name : ""));
  }
  return JsonResponse(200, PageJson(items, ""));
}

HttpResponse DeploymentHandlers::Bind(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"target_id", "verify"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto target_id = RequiredString(*body, "target_id", 100);
  if (!target_id.ok()) return ErrorResponse(target_id.status(), ctx);
  auto verify = ReadVerify(*body);
  if (!verify.ok()) return ErrorResponse(verify.status(), ctx);
  const std::string& account = ctx.principal->account_id;
  auto bound = deployments_.Bind(account, ctx.params["id"], *target_id, *verify, ActorFor(ctx));
  if (!bound.ok()) return ErrorResponse(bound.status(), ctx);
  auto target = deployments_.GetTarget(account, *target_id);
  return Created(BindingJson(*bound, target.ok() ? target->name : ""),
                 "/api/v1/certificates/" + ctx.params["id"] + "/bindings/" + bound->binding.id);
}

HttpResponse DeploymentHandlers::Unbind(RouteContext& ctx) {
  Status s = deployments_.Unbind(ctx.principal->account_id, ctx.params["id"],
                                 ctx.params["binding_id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  return NoContentResponse();
}

HttpResponse DeploymentHandlers::Redeploy(RouteContext& ctx) {
  const std::string& account = ctx.principal->account_id;
  auto bindings = deployments_.ListBindings(account, ctx.params["id"]);
  if (!bindings.ok()) return ErrorResponse(bindings.status(), ctx);
  bool found = false;
  for (const auto& b : *bindings) found = found || b.binding.id == ctx.params["binding_id"];
  if (!found) {
    return ErrorResponse(NotFoundError("certificate " + ctx.params["id"] + " has no binding " +
                                       ctx.params["binding_id"]),
                         ctx);
  }
  auto started = deployments_.Redeploy(account, ctx.params["binding_id"], ActorFor(ctx));
  if (!started.ok()) return ErrorResponse(started.status(), ctx);
  return Created(DeploymentJson(*started), "/api/v1/deployments/" + started->id);
}

HttpResponse DeploymentHandlers::ListDeployments(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  sa::DeploymentFilter filter;
  filter.certificate_id = ctx.request.Query("certificate_id");
  filter.target_id = ctx.request.Query("target_id");
  filter.binding_id = ctx.request.Query("binding_id");
  auto runs = deployments_.ListDeployments(ctx.principal->account_id, filter, *page);
  if (!runs.ok()) return ErrorResponse(runs.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& d : runs->items) items.push_back(DeploymentJson(d));
  return JsonResponse(200, PageJson(items, runs->next_after));
}

HttpResponse DeploymentHandlers::GetDeployment(RouteContext& ctx) {
  auto d = deployments_.GetDeployment(ctx.principal->account_id, ctx.params["id"]);
  if (!d.ok()) return ErrorResponse(d.status(), ctx);
  return JsonResponse(200, DeploymentJson(*d));
}

HttpResponse DeploymentHandlers::NewAgentToken(RouteContext& ctx) {
  auto token =
      deployments_.NewAgentToken(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!token.ok()) return ErrorResponse(token.status(), ctx);
  return JsonResponse(201, {{"registration_token", *token}, {"valid_hours", 24}});
}

HttpResponse DeploymentHandlers::RegisterAgent(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"token", "hostname"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto token = RequiredString(*body, "token", 200);
  if (!token.ok()) return ErrorResponse(token.status(), ctx);
  auto hostname = OptionalString(*body, "hostname", 253);
  if (!hostname.ok()) return ErrorResponse(hostname.status(), ctx);
  auto registered = deployments_.RegisterAgent(*token, *hostname);
  if (!registered.ok()) return ErrorResponse(registered.status(), ctx);
  return JsonResponse(201, {{"target_id", registered->target_id},
                            {"target_name", registered->target_name},
                            {"credential", registered->credential}});
}

HttpResponse DeploymentHandlers::AgentWork(RouteContext& ctx) {
  auto credential = AgentCredential(ctx.request);
  if (!credential.ok()) return ErrorResponse(credential.status(), ctx);
  int wait = 0;
  std::string asked = ctx.request.Query("wait");
  if (!asked.empty()) {
    if (asked.size() > 2 || asked.find_first_not_of("0123456789") != std::string::npos) {
      return ErrorResponse(MalformedError("wait must be 0-25 (seconds)", "invalid_field"), ctx);
    }
    wait = std::min(25, std::stoi(asked));
  }
  bool waits = wait > 0 && waiting_agents_.fetch_add(1) < kMaxWaitingAgents;
  auto work = deployments_.NextAgentWork(*credential, std::chrono::seconds(waits ? wait : 0));
  if (wait > 0) waiting_agents_.fetch_sub(1);
  if (!work.ok()) return ErrorResponse(work.status(), ctx);
  if (!*work) {
    HttpResponse r;
    r.status = 204;
    r.content_type.clear();
    // Come back at once after a wait; later when this server had no room to wait.
    r.headers.emplace_back("Retry-After", waits || wait == 0 ? "0" : "10");
    return r;
  }
  const deploy::AgentWork& w = **work;
  nlohmann::json j = {{"deployment", DeploymentJson(w.deployment)},
                      {"serial", w.bundle.serial_hex},
                      {"names", w.bundle.names},
                      {"certificate_pem", w.bundle.certificate_pem},
                      {"chain_pem", w.bundle.intermediates_pem},
                      {"fullchain_pem", w.bundle.certificate_pem + w.bundle.intermediates_pem}};
  if (!w.bundle.private_key_pem.empty()) j["private_key_pem"] = w.bundle.private_key_pem;
  return JsonResponse(200, j);
}

HttpResponse DeploymentHandlers::AgentReport(RouteContext& ctx) {
  auto credential = AgentCredential(ctx.request);
  if (!credential.ok()) return ErrorResponse(credential.status(), ctx);
  auto body = ParseJsonObject(ctx.request, {"status", "served_serial", "error"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto status = RequiredString(*body, "status", 20);
  if (!status.ok()) return ErrorResponse(status.status(), ctx);
  deploy::AgentReport report;
  auto parsed = core::ParseDeploymentStatus(*status);
  if (!parsed || *parsed == core::DeploymentStatus::kPending) {
    return ErrorResponse(MalformedError("'status' must be running, succeeded, failed or "
                                        "rolled_back",
                                        "invalid_field"),
                         ctx);
  }
  report.status = *parsed;
  auto served = OptionalString(*body, "served_serial", 100);
  if (!served.ok()) return ErrorResponse(served.status(), ctx);
  report.served_serial = *served;
  auto error = OptionalString(*body, "error", 2000);
  if (!error.ok()) return ErrorResponse(error.status(), ctx);
  report.error = *error;
  auto finished = deployments_.ReportAgentRun(*credential, ctx.params["id"], report);
  if (!finished.ok()) return ErrorResponse(finished.status(), ctx);
  return JsonResponse(200, DeploymentJson(*finished));
}

}  // namespace signet::wfe

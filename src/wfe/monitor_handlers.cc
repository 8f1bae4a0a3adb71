// Monitors of the caller's account and their checks, as the REST API shows them.
#include "wfe/monitor_handlers.h"

#include "signet/common/encoding.h"
#include "signet/monitor/monitor_service.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

nlohmann::json CertificateJson(const sa::ServedCertificate& c) {
  return {{"serial", c.serial_hex},
          {"names", c.names},
          {"subject", c.subject},
          {"issuer", c.issuer},
          {"not_before", TimeJson(c.not_before)},
          {"not_after", TimeJson(c.not_after)},
          {"sha256", c.sha256_hex},
          {"key", c.key}};
}

nlohmann::json ProblemsJson(const std::vector<sa::MonitorProblem>& problems) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : problems) out.push_back({{"code", p.code}, {"detail", p.detail}});
  return out;
}

nlohmann::json AddressJson(const sa::AddressCheck& a) {
  return {
      {"address", a.address},
      {"status", std::string(core::Name(a.status))},
      {"tls_version", a.tls_version},
      {"certificate", a.certificate ? CertificateJson(*a.certificate) : nlohmann::json(nullptr)},
      {"certificate_id",
       a.certificate_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.certificate_id)},
      {"problems", ProblemsJson(a.problems)}};
}

// The check as a whole (the first address that served a certificate speaks for "certificate";
// every address's problems, each once) and per address.
nlohmann::json CheckJson(const sa::MonitorCheck& c) {
  nlohmann::json j = {{"id", c.id},
                      {"status", std::string(core::Name(c.status))},
                      {"checked_at", TimeJson(c.checked_at)},
                      {"certificate", nullptr},
                      {"certificate_id", nullptr}};
  std::vector<sa::MonitorProblem> problems;
  nlohmann::json addresses = nlohmann::json::array();
  for (const sa::AddressCheck& a : c.addresses) {
    if (a.certificate && j["certificate"].is_null()) {
      j["certificate"] = CertificateJson(*a.certificate);
      if (!a.certificate_id.empty()) j["certificate_id"] = a.certificate_id;
    }
    for (const auto& p : a.problems) {
      bool seen = false;
      for (const auto& q : problems) seen = seen || (q.code == p.code && q.detail == p.detail);
      if (!seen) problems.push_back(p);
    }
    addresses.push_back(AddressJson(a));
  }
  j["problems"] = ProblemsJson(problems);
  j["addresses"] = addresses;
  return j;
}

nlohmann::json MonitorJson(const sa::Monitor& m) {
  return {{"id", m.id},
          {"host", m.host},
          {"port", m.port},
          {"server_name", m.server_name},
          {"protocol", m.protocol},
          {"interval_minutes", m.interval_minutes},
          {"enabled", m.enabled},
          {"status", m.last_status ? nlohmann::json(std::string(core::Name(*m.last_status)))
                                   : nlohmann::json(nullptr)},
          {"checked_at", OptionalTimeJson(m.last_checked_at)},
          {"next_check_at", TimeJson(m.next_check_at)},
          {"agent_target_id",
           m.agent_target_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.agent_target_id)},
          {"created_at", TimeJson(m.created_at)}};
}

Result<monitor::MonitorInput> ReadInput(const HttpRequest& request) {
  SIGNET_ASSIGN_OR_RETURN(
      nlohmann::json body,
      ParseJsonObject(request, {"host", "port", "server_name", "protocol", "interval_minutes",
                                "enabled", "agent_target_id"}));
  monitor::MonitorInput in;
  SIGNET_ASSIGN_OR_RETURN(in.host, OptionalString(body, "host", 253));
  SIGNET_ASSIGN_OR_RETURN(in.agent_target_id, OptionalString(body, "agent_target_id", 100));
  SIGNET_ASSIGN_OR_RETURN(in.server_name, OptionalString(body, "server_name", 253));
  SIGNET_ASSIGN_OR_RETURN(in.protocol, OptionalString(body, "protocol", 10));
  for (const char* field : {"port", "interval_minutes"}) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_number_integer()) {
      return MalformedError(std::string("'") + field + "' must be an integer", "invalid_field");
    }
    (std::string(field) == "port" ? in.port : in.interval_minutes) = it->get<int>();
  }
  auto enabled = body.find("enabled");
  if (enabled != body.end() && !enabled->is_null()) {
    if (!enabled->is_boolean())
      return MalformedError("'enabled' must be true or false", "invalid_field");
    in.enabled = enabled->get<bool>();
  }
  return in;
}

}  // namespace

HttpResponse MonitorHandlers::List(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  auto monitors = monitors_.List(ctx.principal->account_id, *page);
  if (!monitors.ok()) return ErrorResponse(monitors.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& m : monitors->items) {
    items.push_back(MonitorJson(m));
    auto last = monitors_.Checks(ctx.principal->account_id, m.id, {1, ""});
    items.back()["last_check"] = last.ok() && !last->items.empty() ? CheckJson(last->items.front())
                                                                   : nlohmann::json(nullptr);
  }
  return JsonResponse(200, PageJson(items, monitors->next_after));
}

HttpResponse MonitorHandlers::Create(RouteContext& ctx) {
  auto input = ReadInput(ctx.request);
  if (!input.ok()) return ErrorResponse(input.status(), ctx);
  if (input->host.empty()) {
    return ErrorResponse(MalformedError("'host' is required", "missing_field"), ctx);
  }
  auto created = monitors_.Create(ctx.principal->account_id, *input, ActorFor(ctx));
  if (!created.ok()) return ErrorResponse(created.status(), ctx);
  HttpResponse r = JsonResponse(201, MonitorJson(*created));
  r.headers.emplace_back("Location", "/api/v1/monitors/" + created->id);
  return r;
}

HttpResponse MonitorHandlers::Get(RouteContext& ctx) {
  auto m = monitors_.Get(ctx.principal->account_id, ctx.params["id"]);
  if (!m.ok()) return ErrorResponse(m.status(), ctx);
  nlohmann::json j = MonitorJson(*m);
  auto last = monitors_.Checks(ctx.principal->account_id, m->id, {1, ""});
  j["last_check"] =
      last.ok() && !last->items.empty() ? CheckJson(last->items.front()) : nlohmann::json(nullptr);
  return JsonResponse(200, j);
}

HttpResponse MonitorHandlers::Update(RouteContext& ctx) {
  auto input = ReadInput(ctx.request);
  if (!input.ok()) return ErrorResponse(input.status(), ctx);
  auto updated =
      monitors_.Update(ctx.principal->account_id, ctx.params["id"], *input, ActorFor(ctx));
  if (!updated.ok()) return ErrorResponse(updated.status(), ctx);
  return JsonResponse(200, MonitorJson(*updated));
}

HttpResponse MonitorHandlers::Delete(RouteContext& ctx) {
  Status s = monitors_.Delete(ctx.principal->account_id, ctx.params["id"], ActorFor(ctx));
  if (!s.ok()) return ErrorResponse(s, ctx);
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse MonitorHandlers::Check(RouteContext& ctx) {
  bool queued = false;
  auto checked = monitors_.CheckNow(ctx.principal->account_id, ctx.params["id"], &queued);
  if (!checked.ok()) return ErrorResponse(checked.status(), ctx);
  if (queued) {
    // Accepted: the agent checks it from its own network at its next poll (within a minute
    // while it runs); the result joins the history.
    return JsonResponse(202, {{"queued", true},
                              {"detail",
                               "the agent checks this monitor at its next poll; the "
                               "result appears in its history"}});
  }
  return JsonResponse(200, CheckJson(*checked));
}

HttpResponse MonitorHandlers::AgentMonitors(RouteContext& ctx) {
  auto credential = AgentCredential(ctx.request);
  if (!credential.ok()) return ErrorResponse(credential.status(), ctx);
  auto due = monitors_.AgentMonitors(*credential);
  if (!due.ok()) return ErrorResponse(due.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const sa::Monitor& m : *due) {
    items.push_back({{"id", m.id},
                     {"host", m.host},
                     {"port", m.port},
                     {"server_name", m.server_name.empty() ? m.host : m.server_name},
                     {"protocol", m.protocol}});
  }
  return JsonResponse(200, {{"items", items}});
}

HttpResponse MonitorHandlers::AgentCheck(RouteContext& ctx) {
  auto credential = AgentCredential(ctx.request);
  if (!credential.ok()) return ErrorResponse(credential.status(), ctx);
  auto body = ParseJsonObject(ctx.request, {"addresses", "error"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  auto resolve_error = OptionalString(*body, "error", 2000);
  if (!resolve_error.ok()) return ErrorResponse(resolve_error.status(), ctx);
  auto invalid = [&](const std::string& what) {
    return ErrorResponse(MalformedError(what, "invalid_field"), ctx);
  };
  std::vector<monitor::AgentObservation> seen;
  auto addresses = body->find("addresses");
  if (addresses != body->end() && !addresses->is_null()) {
    if (!addresses->is_array() || addresses->size() > 16) {
      return invalid("'addresses' must be a list of at most 16 addresses");
    }
    for (const auto& a : *addresses) {
      if (!a.is_object()) return invalid("each address must be an object");
      monitor::AgentObservation o;
      for (const auto& [field, value] : a.items()) {
        if (field == "address" || field == "tls_version" || field == "error") {
          if (!value.is_string() || value.get<std::string>().size() > 2000) {
            return invalid("'" + field + "' must be a string");
          }
          (field == "address"       ? o.address
           : field == "tls_version" ? o.tls_version
                                    : o.error) = DisplayableUtf8(value.get<std::string>());
        } else if (field == "certificates") {
          if (!value.is_array() || value.size() > 10) {
            return invalid("'certificates' must be a list of at most 10 base64 DER certificates");
          }
          for (const auto& c : value) {
            auto der = c.is_string() && c.get<std::string>().size() <= 65536
                           ? Base64Decode(c.get<std::string>())
                           : std::nullopt;
            if (!der) return invalid("'certificates' must hold base64 DER certificates");
            o.certificates_der.emplace_back(der->begin(), der->end());
          }
        } else {
          return invalid("unknown field '" + field + "' in an address");
        }
      }
      seen.push_back(std::move(o));
    }
  }
  auto checked = monitors_.RecordAgentCheck(*credential, ctx.params["id"], seen, *resolve_error);
  if (!checked.ok()) return ErrorResponse(checked.status(), ctx);
  return JsonResponse(200, CheckJson(*checked));
}

HttpResponse MonitorHandlers::Checks(RouteContext& ctx) {
  auto page = PageFromQuery(ctx.request);
  if (!page.ok()) return ErrorResponse(page.status(), ctx);
  auto checks = monitors_.Checks(ctx.principal->account_id, ctx.params["id"], *page);
  if (!checks.ok()) return ErrorResponse(checks.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : checks->items) items.push_back(CheckJson(c));
  return JsonResponse(200, PageJson(items, checks->next_after));
}

HttpResponse MonitorHandlers::Discover(RouteContext& ctx) {
  auto body = ParseJsonObject(ctx.request, {"hosts", "ports"});
  if (!body.ok()) return ErrorResponse(body.status(), ctx);
  std::vector<std::string> hosts;
  std::vector<int> ports;
  const nlohmann::json& h = (*body)["hosts"];
  if (!h.is_array() || h.size() > 20) {
    return ErrorResponse(MalformedError("'hosts' must be a list of at most 20 host names, such "
                                        "as [\"www.example.com\"]",
                                        "invalid_field"),
                         ctx);
  }
  for (const auto& v : h) {
    if (!v.is_string() || v.get<std::string>().size() > 253) {
      return ErrorResponse(MalformedError("'hosts' must hold host names", "invalid_field"), ctx);
    }
    hosts.push_back(v.get<std::string>());
  }
  if (body->contains("ports")) {
    const nlohmann::json& p = (*body)["ports"];
    if (!p.is_array() || p.size() > 10) {
      return ErrorResponse(
          MalformedError("'ports' must be a list of at most 10 ports", "invalid_field"), ctx);
    }
    for (const auto& v : p) {
      if (!v.is_number_integer()) {
        return ErrorResponse(MalformedError("'ports' must hold integers", "invalid_field"), ctx);
      }
      ports.push_back(v.get<int>());
    }
  }
  auto found = monitors_.Discover(ctx.principal->account_id, hosts, ports, ActorFor(ctx));
  if (!found.ok()) return ErrorResponse(found.status(), ctx);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : *found) {
    nlohmann::json j = AddressJson(e.check);
    j["host"] = e.host;
    j["port"] = e.port;
    j["added"] = e.added;
    items.push_back(std::move(j));
  }
  return JsonResponse(200, {{"items", items}});
}

}  // namespace signet::wfe

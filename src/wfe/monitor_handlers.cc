// Monitors of the caller's account and their checks, as the REST API shows them.
#include "wfe/monitor_handlers.h"

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
          {"created_at", TimeJson(m.created_at)}};
}

Result<monitor::MonitorInput> ReadInput(const HttpRequest& request) {
  SIGNET_ASSIGN_OR_RETURN(nlohmann::json body,
                          ParseJsonObject(request, {"host", "port", "server_name", "protocol",
                                                    "interval_minutes", "enabled"}));
  monitor::MonitorInput in;
  SIGNET_ASSIGN_OR_RETURN(in.host, OptionalString(body, "host", 253));
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
  auto checked = monitors_.CheckNow(ctx.principal->account_id, ctx.params["id"]);
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

// The agent's monitor checks (agent_monitors.h).
#include "cli/agent_monitors.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/api_client.h"
#include "cli/output.h"
#include "signet/common/encoding.h"
#include "signet/probe/tls_probe.h"

namespace signet::cli {

namespace {

constexpr std::chrono::seconds kProbeTimeout{10};

std::string Field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// What each address of the monitor's host served, as the agent's report says it.
nlohmann::json Observe(const nlohmann::json& m) {
  std::string host = Field(m, "host");
  auto addresses = probe::ResolveAddresses(host, kProbeTimeout);
  if (!addresses.ok()) return {{"error", addresses.status().message()}};
  nlohmann::json seen = nlohmann::json::array();
  for (const std::string& address : *addresses) {
    if (seen.size() == 16) break;
    probe::Endpoint e;
    e.host = host;
    e.port = m.value("port", 443);
    e.server_name = Field(m, "server_name");
    e.protocol = probe::ParseProtocol(Field(m, "protocol")).value_or(probe::Protocol::kHttps);
    e.address = address;
    e.timeout = kProbeTimeout;
    auto served = probe::Probe(e);
    if (!served.ok()) {
      seen.push_back({{"address", address}, {"error", served.status().message()}});
      continue;
    }
    nlohmann::json chain = nlohmann::json::array();
    for (const std::string& der : served->certificates_der) {
      chain.push_back(Base64Encode({reinterpret_cast<const uint8_t*>(der.data()), der.size()}));
    }
    seen.push_back(
        {{"address", address}, {"certificates", chain}, {"tls_version", served->tls_version}});
  }
  return {{"addresses", seen}};
}

}  // namespace

int CheckDueMonitors(Session& session) {
  auto due = session.Call("GET", "/api/v1/agent/monitors");
  if (!due || !due->contains("items") || !(*due)["items"].is_array()) return -1;
  int reported = 0;
  for (const nlohmann::json& m : (*due)["items"]) {
    if (!m.is_object()) continue;
    std::string id = Field(m, "id");
    nlohmann::json report = Observe(m);
    auto result =
        session.Call("POST", "/api/v1/agent/monitors/" + UrlEscape(id) + "/check", report);
    if (!result) continue;  // reported on stderr; the monitor is due again in ten minutes
    ++reported;
    std::cerr << "signet agent: checked " << Printable(Field(m, "host")) << ":"
              << m.value("port", 443) << ": " << Printable(Field(*result, "status")) << std::endl;
  }
  return reported;
}

}  // namespace signet::cli

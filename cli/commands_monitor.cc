// monitor ...: the TLS endpoints signetd checks on a schedule, and their history (issue 17).
// `monitor check` asks the server to check now and exits 1 unless the status is ok, so that a
// script (or a deployment pipeline after a reload) can stop on a broken endpoint. The endpoint
// of a monitor never changes (the API allows only the interval and pausing): another endpoint is
// another monitor. `monitor discover` looks at endpoints once (the server adds the certificates
// it did not know to the inventory) and, when asked, keeps watching them with monitors.
#include <algorithm>
#include <iostream>
#include <memory>
#include <vector>

#include "cli/program.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

std::string MonitorPath(const std::string& id) { return "/api/v1/monitors/" + UrlEscape(id); }

// The interval signetd accepts: five minutes to a week.
constexpr int kMinInterval = 5;
constexpr int kMaxInterval = 7 * 24 * 60;

int Check(Session& s, const std::string& id) {
  auto check = s.Call("POST", MonitorPath(id) + "/check");
  if (!check) return kExitFailure;
  s.Print(*check, PrintMonitorCheck);
  std::string status = Field(*check, "status");
  if (status == "ok") return kExitOk;
  std::string codes;
  for (const auto& p : check->value("problems", nlohmann::json::array())) {
    codes += (codes.empty() ? "" : ", ") + Field(p, "code");
  }
  PrintError("monitor " + Printable(id) + " is " + Printable(status) +
             (codes.empty() ? "" : ": " + Printable(codes)));
  return kExitFailure;
}

struct DiscoverOptions {
  std::vector<std::string> hosts;
  std::vector<int> ports;
  bool add_monitors = false;
};

// Discovery checks what the endpoint serves with its host as the server name and the https
// protocol, which is what a monitor made of only the host and port does: the monitor watching
// that endpoint is the one with the same host and port, https, and no other server name.
bool WatchesEndpoint(const nlohmann::json& monitor, const nlohmann::json& endpoint) {
  std::string server_name = Field(monitor, "server_name");
  return Field(monitor, "host") == Field(endpoint, "host") &&
         Field(monitor, "port") == Field(endpoint, "port") &&
         Field(monitor, "protocol") == "https" &&
         (server_name.empty() || server_name == Field(endpoint, "host"));
}

// Every monitor of the account, page after page; std::nullopt once the failure is printed.
std::optional<nlohmann::json> AllMonitors(Session& s) {
  nlohmann::json all = nlohmann::json::array();
  std::string token;
  do {
    auto page = s.Call(
        "GET", "/api/v1/monitors" + QueryString({{"page_size", "200"}, {"page_token", token}}));
    if (!page) return std::nullopt;
    for (const auto& m : Items(*page)) all.push_back(m);
    token = Field(*page, "next_page_token");
  } while (!token.empty());
  return all;
}

// A monitor for each endpoint that answered, unless one watches it already: re-running the
// same discovery with --add-monitors adds nothing twice. Each endpoint's monitor document (made
// now, or the one that was there) goes into monitors, and whether it was made now into added.
// False when a monitor could not be made (the server's refusal is printed); the others are
// still tried.
bool AddMonitors(Session& s, const nlohmann::json& endpoints, nlohmann::json* monitors,
                 std::vector<bool>* added) {
  auto existing = AllMonitors(s);
  if (!existing) return false;
  bool all_made = true;
  for (const auto& e : endpoints) {
    if (Field(e, "status") == "unreachable") continue;
    auto known = std::find_if(existing->begin(), existing->end(),
                              [&e](const nlohmann::json& m) { return WatchesEndpoint(m, e); });
    if (known != existing->end()) {
      monitors->push_back(*known);
      added->push_back(false);
      continue;
    }
    auto made = s.Call("POST", "/api/v1/monitors",
                       nlohmann::json{{"host", e.value("host", "")}, {"port", e.value("port", 0)}});
    if (!made) {
      all_made = false;
      continue;
    }
    monitors->push_back(*made);
    added->push_back(true);
  }
  return all_made;
}

int Discover(Session& s, const DiscoverOptions& o) {
  nlohmann::json body = {{"hosts", o.hosts}};
  if (!o.ports.empty()) body["ports"] = o.ports;
  auto found = s.Call("POST", "/api/v1/monitors/discover", body);
  if (!found) return kExitFailure;
  bool monitors_made = true;
  std::vector<bool> added;  // per monitor: made now, or there already
  if (o.add_monitors) {
    nlohmann::json monitors = nlohmann::json::array();
    monitors_made = AddMonitors(s, Items(*found), &monitors, &added);
    (*found)["monitors"] = monitors;
  }
  s.Print(*found, [&added](std::ostream& out, const nlohmann::json& doc) {
    PrintDiscovery(out, doc, added);
  });
  // Endpoints that did not answer fail the command, as `monitor check` does: a script that
  // discovers its servers learns that one of them could not be looked at.
  std::string silent;
  size_t count = 0;
  for (const auto& e : Items(*found)) {
    if (Field(e, "status") != "unreachable") continue;
    ++count;
    silent += (silent.empty() ? "" : ", ") + MonitorEndpointText(e);
  }
  if (count > 0) {
    PrintError(std::to_string(count) + " of " + std::to_string(Items(*found).size()) +
               " endpoints did not answer: " + Printable(silent));
  }
  return count == 0 && monitors_made ? kExitOk : kExitFailure;
}

// pause and resume: PATCH {enabled}, then one line saying what happened.
void AddEnableCommand(Program& program, CLI::App* monitor, const std::string& name, bool enabled,
                      const std::string& description) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = monitor->add_subcommand(name, description);
  cmd->add_option("id", *id, "the monitor's id")->required();
  OnRun(program, cmd, [id, enabled](Session& s) {
    return s.CallAndPrint("PATCH", MonitorPath(*id), nlohmann::json{{"enabled", enabled}},
                          [enabled](std::ostream& out, const nlohmann::json& m) {
                            out << (enabled ? "Resumed" : "Paused") << " monitor "
                                << Printable(Field(m, "id")) << " ("
                                << Printable(MonitorEndpointText(m)) << ")"
                                << (enabled ? ": checked again from now on.\n"
                                            : ": not checked until `signet monitor resume`.\n");
                          });
  });
}

}  // namespace

void AddMonitorCommands(Program& program) {
  CLI::App* monitor = AddGroup(program.app, "monitor",
                               "monitors: TLS endpoints signetd checks on a schedule (the served "
                               "certificate, its chain, name and expiry)");

  auto list = std::make_shared<PageOptions>();
  CLI::App* cmd = monitor->add_subcommand("list", "the account's monitors with their last check");
  AddPageOptions(cmd, *list);
  OnRun(program, cmd, [list](Session& s) {
    return s.CallAndPrint("GET", "/api/v1/monitors" + QueryString(list->Query()), std::nullopt,
                          PrintMonitorList);
  });

  struct AddOptions {
    std::string host;
    int port = 0;
    std::string server_name;
    std::string protocol;
    int interval = 0;
  };
  auto add = std::make_shared<AddOptions>();
  cmd = monitor->add_subcommand("add",
                                "watch a TLS endpoint; the first check follows within a minute");
  cmd->add_option("host", add->host, "host name or IP address; each address it resolves to")
      ->required();
  cmd->add_option("--port", add->port, "its port (default: 443; smtp 25, imap 143, pop3 110)")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--server-name", add->server_name,
                  "the name clients ask for (SNI), which the certificate must cover (default: "
                  "the host)");
  cmd->add_option("--protocol", add->protocol,
                  "https (default) or tls, or smtp, imap and pop3 with STARTTLS")
      ->check(CLI::IsMember({"https", "tls", "smtp", "imap", "pop3"}));
  cmd->add_option("--interval", add->interval, "minutes between checks (5-10080; default 60)")
      ->check(CLI::Range(kMinInterval, kMaxInterval));
  OnRun(program, cmd, [add](Session& s) {
    nlohmann::json body = {{"host", add->host}};
    if (add->port > 0) body["port"] = add->port;
    if (!add->server_name.empty()) body["server_name"] = add->server_name;
    if (!add->protocol.empty()) body["protocol"] = add->protocol;
    if (add->interval > 0) body["interval_minutes"] = add->interval;
    return s.CallAndPrint("POST", "/api/v1/monitors", body, PrintMonitor);
  });

  auto show = std::make_shared<std::string>();
  cmd = monitor->add_subcommand("show", "one monitor and its last check");
  cmd->add_option("id", *show, "the monitor's id")->required();
  OnRun(program, cmd, [show](Session& s) {
    return s.CallAndPrint("GET", MonitorPath(*show), std::nullopt, PrintMonitor);
  });

  auto check = std::make_shared<std::string>();
  cmd = monitor->add_subcommand(
      "check", "check now: the status, the certificate served and the problems found");
  cmd->add_option("id", *check, "the monitor's id")->required();
  cmd->footer(cmd->get_footer() + "\n" +
              "Exit status: 0 when the status is ok; 1 when it is warning, critical or\n"
              "unreachable (the problems are printed), or the check could not be made.");
  OnRun(program, cmd, [check](Session& s) { return Check(s, *check); });

  struct HistoryOptions {
    std::string id;
    PageOptions page;
  };
  auto history = std::make_shared<HistoryOptions>();
  cmd = monitor->add_subcommand("history",
                                "the monitor's checks, newest first, with each change of status");
  cmd->add_option("id", history->id, "the monitor's id")->required();
  AddPageOptions(cmd, history->page);
  OnRun(program, cmd, [history](Session& s) {
    return s.CallAndPrint("GET",
                          MonitorPath(history->id) + "/checks" + QueryString(history->page.Query()),
                          std::nullopt, PrintMonitorHistory);
  });

  struct SetOptions {
    std::string id;
    int interval = 0;
  };
  auto set = std::make_shared<SetOptions>();
  cmd = monitor->add_subcommand("set", "change how often a monitor is checked");
  cmd->add_option("id", set->id, "the monitor's id")->required();
  cmd->add_option("--interval", set->interval, "minutes between checks (5-10080)")
      ->required()
      ->check(CLI::Range(kMinInterval, kMaxInterval));
  OnRun(program, cmd, [set](Session& s) {
    return s.CallAndPrint("PATCH", MonitorPath(set->id),
                          nlohmann::json{{"interval_minutes", set->interval}}, PrintMonitor);
  });

  auto discover = std::make_shared<DiscoverOptions>();
  cmd = monitor->add_subcommand(
      "discover",
      "look once at what TLS endpoints serve; certificates the inventory does not know are added "
      "to it as discovered");
  cmd->add_option("host", discover->hosts, "host names or IP addresses (the first address of each)")
      ->required();
  // One port per --port, so that hosts may follow it: `discover a.example --port 8443 b.example`.
  cmd->add_option("--port", discover->ports,
                  "a port to look at on every host; repeat or separate with commas (default 443; "
                  "at most 20 hosts times ports)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::Range(1, 65535));
  cmd->add_flag("--add-monitors", discover->add_monitors,
                "also watch each endpoint that answered with a monitor (unless one does already)");
  cmd->footer(cmd->get_footer() + "\n" +
              "Exit status: 0 when every endpoint answered; 1 when one did not (unreachable,\n"
              "or a private address signetd may not connect to; the table shows why), when\n"
              "the server refused the request, or when a monitor could not be added.");
  OnRun(program, cmd, [discover](Session& s) { return Discover(s, *discover); });

  AddEnableCommand(program, monitor, "pause", false, "stop checking a monitor (its history stays)");
  AddEnableCommand(program, monitor, "resume", true, "check a paused monitor again");

  auto remove = std::make_shared<std::string>();
  cmd = monitor->add_subcommand("remove", "stop watching an endpoint; its history goes too");
  cmd->add_option("id", *remove, "the monitor's id")->required();
  OnRun(program, cmd, [remove](Session& s) {
    return s.CallAndPrint("DELETE", MonitorPath(*remove), std::nullopt,
                          [remove](std::ostream& out, const nlohmann::json&) {
                            out << "Removed monitor " << Printable(*remove) << ".\n";
                          });
  });
}

}  // namespace signet::cli

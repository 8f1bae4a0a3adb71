// Monitors, their checks and their history as tables (issue 17), and what a discovery found. A
// problem is printed with its code, the server's detail and what to do about it: the code alone
// does not say which file or setting to change.
#include <sstream>
#include <string>
#include <vector>

#include "cli/views.h"

namespace signet::cli {

namespace {

// The remedy for each problem code; a code this CLI does not know yet gets none.
std::string WhatToDo(const std::string& code) {
  if (code == "expired") return "renew or reissue the certificate and deploy the new one now";
  if (code == "not_yet_valid") {
    return "check the server's clock, or install a certificate that is valid now";
  }
  if (code == "expires_soon") return "renew it and deploy the new certificate before it expires";
  if (code == "name_mismatch") {
    return "install a certificate that covers the server name, or correct --server-name";
  }
  if (code == "self_signed") {
    return "install a certificate issued by a certificate authority, with its full chain";
  }
  if (code == "chain_incomplete") {
    return "configure the full chain (fullchain: the certificate followed by its intermediates, as "
           "in the nginx download)";
  }
  if (code == "untrusted") {
    return "install a certificate from a trusted authority, with its full chain";
  }
  if (code == "revoked") return "deploy a valid (reissued or renewed) certificate now";
  if (code == "not_latest") {
    return "deploy the newer certificate to this server (signet certificate bindings ID shows "
           "where its lineage is deployed)";
  }
  if (code == "weak_key") {
    return "reissue with a stronger key (ecdsa-p256, or rsa-2048 and up) and deploy it";
  }
  if (code == "weak_protocol") return "allow only TLS 1.2 and 1.3 in the server's configuration";
  if (code == "unreachable") {
    return "check that the host resolves, the server runs, the port is open to signetd and "
           "--protocol is right";
  }
  if (code == "private_address") {
    return "use a public name or address, or ask the operator to set "
           "monitoring.allow_private_addresses = true";
  }
  return "";
}

// "critical", "not checked yet", with ", paused" when it is.
std::string StatusText(const nlohmann::json& m) {
  std::string status = Field(m, "status");
  if (status.empty()) status = "not checked yet";
  if (m.is_object() && m.contains("enabled") && !m.value("enabled", true)) status += ", paused";
  return status;
}

std::string CodesText(const nlohmann::json& problems) {
  std::string codes;
  for (const auto& p : problems) {
    codes += (codes.empty() ? "" : ", ") + Field(p, "code");
  }
  return codes;
}

// "every 60 minutes", as the console says it less briefly.
std::string IntervalText(const nlohmann::json& m) {
  std::string minutes = Field(m, "interval_minutes");
  return minutes.empty() ? "" : "every " + minutes + " minutes";
}

void PrintProblems(std::ostream& out, const nlohmann::json& problems, const std::string& indent) {
  for (const auto& p : problems) {
    std::string code = Field(p, "code");
    out << indent << "- " << Printable(code) << ": " << Printable(Field(p, "detail")) << "\n";
    // signetd reports an address it may not connect to as "unreachable" (checks and discovery
    // alike), naming the setting in the detail: checking the host and port would not help.
    bool forbidden =
        code == "unreachable" &&
        Field(p, "detail").find("monitoring.allow_private_addresses") != std::string::npos;
    std::string advice = WhatToDo(forbidden ? "private_address" : code);
    if (!advice.empty()) out << indent << "  what to do: " << advice << "\n";
  }
}

Fields CertificateFields(const nlohmann::json& c, const nlohmann::json& certificate_id) {
  Fields f;
  f.Add("Serial", Field(c, "serial"))
      .Add("Names", Field(c, "names"))
      .Add("Issuer", Field(c, "issuer"))
      .Add("Not after", Field(c, "not_after"))
      .Add("Key", Field(c, "key"))
      .Add("SHA-256", Field(c, "sha256"))
      .Add("In Signet", certificate_id.is_string()
                            ? "certificate " + certificate_id.get<std::string>()
                            : "no (not a certificate of this account)");
  return f;
}

}  // namespace

std::string MonitorEndpointText(const nlohmann::json& m) {
  std::string host = Field(m, "host");
  // An IPv6 literal needs brackets before the port to stay readable.
  std::string text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  text += ":" + Field(m, "port");
  std::string protocol = Field(m, "protocol");
  if (!protocol.empty()) text += " " + protocol;
  return text;
}

void PrintMonitorList(std::ostream& out, const nlohmann::json& list) {
  Table t({"ID", "ENDPOINT", "SERVER NAME", "STATUS", "LAST CHECKED", "NEXT CHECK", "EXPIRES",
           "PROBLEMS"});
  for (const auto& m : Items(list)) {
    const auto& last = Object(m, "last_check");
    bool enabled = m.value("enabled", true);
    t.AddRow({Field(m, "id"), MonitorEndpointText(m), Field(m, "server_name"), StatusText(m),
              Field(m, "checked_at"), enabled ? Field(m, "next_check_at") : "(paused)",
              Field(Object(last, "certificate"), "not_after"), CodesText(Array(last, "problems"))});
  }
  t.Print(out);
  NoteNextPage(list);
}

void PrintMonitorCheck(std::ostream& out, const nlohmann::json& check) {
  Fields()
      .Add("Status", Field(check, "status"))
      .Add("Checked", Field(check, "checked_at"))
      .Print(out);
  const auto& c = Object(check, "certificate");
  if (!c.empty()) {
    out << "\nCertificate served:\n";
    CertificateFields(c, check.value("certificate_id", nlohmann::json())).Print(out, "  ");
  }
  const auto& problems = Array(check, "problems");
  out << "\nProblems:" << (problems.empty() ? " none\n" : "\n");
  PrintProblems(out, problems, "  ");
  // Each address only when there are several: with one, the above says it all.
  const auto& addresses = Array(check, "addresses");
  if (addresses.size() > 1) {
    out << "\nAddresses:\n";
    Table t({"ADDRESS", "STATUS", "TLS", "SERIAL", "PROBLEMS"});
    for (const auto& a : addresses) {
      t.AddRow({Field(a, "address"), Field(a, "status"), Field(a, "tls_version"),
                Field(Object(a, "certificate"), "serial"), CodesText(Array(a, "problems"))});
    }
    t.Print(out, "  ");
  }
}

void PrintMonitor(std::ostream& out, const nlohmann::json& m) {
  std::string id = Field(m, "id");
  bool enabled = m.value("enabled", true);
  Fields()
      .Add("Monitor", id)
      .Add("Endpoint", MonitorEndpointText(m))
      .Add("Server name", Field(m, "server_name"))
      .Add("Status", StatusText(m))
      .Add("Interval", IntervalText(m))
      .Add("Last checked", Field(m, "checked_at"))
      .Add("Next check", enabled ? Field(m, "next_check_at") : "(paused)")
      .Add("Created", Field(m, "created_at"))
      .Print(out);
  const auto& last = Object(m, "last_check");
  if (!last.empty()) {
    out << "\nLast check:\n";
    std::ostringstream inner;
    PrintMonitorCheck(inner, last);
    // Indented under its heading, line by line.
    std::string text = inner.str();
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      std::string line = text.substr(start, end == std::string::npos ? end : end - start);
      out << (line.empty() ? "" : "  ") << line << "\n";
      if (end == std::string::npos) break;
      start = end + 1;
    }
  } else if (!id.empty() && Field(m, "status").empty()) {
    out << "\nNot checked yet: signet monitor check " << Printable(id) << "\n";
  }
}

void PrintDiscovery(std::ostream& out, const nlohmann::json& discovery,
                    const std::vector<bool>& monitor_added) {
  const auto& items = Items(discovery);
  Table t({"ENDPOINT", "ADDRESS", "STATUS", "NAMES", "EXPIRES", "INVENTORY", "CERTIFICATE",
           "PROBLEMS"});
  bool any_answered = false;
  for (const auto& e : items) {
    const auto& c = Object(e, "certificate");
    std::string id = Field(e, "certificate_id");
    // "added": new to the inventory now; "already known": one of the account's certificates
    // (issued by Signet, uploaded, or discovered before).
    std::string inventory = id.empty()                ? (c.empty() ? "" : "not added")
                            : e.value("added", false) ? "added"
                                                      : "already known";
    any_answered = any_answered || Field(e, "status") != "unreachable";
    t.AddRow({MonitorEndpointText(e), Field(e, "address"), Field(e, "status"), Field(c, "names"),
              Field(c, "not_after"), inventory, id, CodesText(Array(e, "problems"))});
  }
  t.Print(out);
  bool problems = false;
  for (const auto& e : items) {
    if (Array(e, "problems").empty()) continue;
    out << (problems ? "" : "\nProblems:\n") << "  " << Printable(MonitorEndpointText(e)) << ":\n";
    PrintProblems(out, Array(e, "problems"), "    ");
    problems = true;
  }
  if (discovery.contains("monitors")) {
    const auto& monitors = Array(discovery, "monitors");
    out << "\nMonitors:" << (monitors.empty() ? " none (no endpoint answered)\n" : "\n");
    if (!monitors.empty()) {
      Table m({"ENDPOINT", "MONITOR", ""});
      for (size_t i = 0; i < monitors.size(); ++i) {
        bool added = i < monitor_added.size() && monitor_added[i];
        m.AddRow({MonitorEndpointText(monitors[i]), Field(monitors[i], "id"),
                  added ? "added" : "watched already"});
      }
      m.Print(out, "  ");
    }
  } else if (any_answered) {
    out << "\nTo keep watching an endpoint: signet monitor add HOST --port PORT (or discover again "
           "with --add-monitors)\n";
  }
}

void PrintMonitorHistory(std::ostream& out, const nlohmann::json& list) {
  Table t({"CHECKED", "STATUS", "CHANGE", "SERIAL", "EXPIRES", "PROBLEMS"});
  const auto& items = Items(list);
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& check = items[i];
    std::string status = Field(check, "status");
    // Newest first: the check before this one is the next item (when it is on this page).
    std::string change;
    if (i + 1 < items.size()) {
      std::string before = Field(items[i + 1], "status");
      if (before != status) change = "was " + before;
    }
    const auto& c = Object(check, "certificate");
    t.AddRow({Field(check, "checked_at"), status, change, Field(c, "serial"), Field(c, "not_after"),
              CodesText(Array(check, "problems"))});
  }
  t.Print(out);
  NoteNextPage(list);
}

}  // namespace signet::cli

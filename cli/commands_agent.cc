// signet agent: the deployment agent, for servers Signet cannot reach. It only makes outbound
// HTTPS requests: `register` trades a target's one-time token for the agent's credential;
// `run` asks for work (the server holds the request up to 25 s), installs each certificate it
// is given into the files its own configuration names, runs its own reload command, checks its
// own endpoint, rolls back on failure and reports. See agent_config.h and docs/DEPLOYMENT.md.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/agent_config.h"
#include "cli/agent_monitors.h"
#include "cli/files.h"
#include "cli/program.h"
#include "signet/deploy/install.h"
#include "signet/exports/certificate_exports.h"

namespace signet::cli {

namespace {

struct AgentOptions {
  std::string config;
  std::string token;
  bool once = false;
};

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Hostname() {
  char name[256] = {0};
  gethostname(name, sizeof name - 1);
  return name;
}

void Say(const std::string& line) { std::cerr << "signet agent: " << line << std::endl; }

int Register(const AgentOptions& o) {
  std::string error;
  auto config = LoadAgentConfig(o.config, &error);
  if (!config) {
    PrintError(error);
    return kExitFailure;
  }
  Session session({config->url, "", config->ca_file}, OutputFormat::kTable);
  auto registered = session.Call("POST", "/api/v1/agent/register",
                                 nlohmann::json{{"token", o.token}, {"hostname", Hostname()}});
  if (!registered) return kExitFailure;
  std::string directory = config->credential_file.substr(0, config->credential_file.rfind('/'));
  if ((!directory.empty() && !MakePrivateDirectories(directory, &error)) ||
      !WritePrivateFile(config->credential_file, Field(*registered, "credential") + "\n", &error)) {
    PrintError(error);
    return kExitFailure;
  }
  std::cout << "Registered as the agent of target " << Printable(Field(*registered, "target_name"))
            << " (" << Printable(Field(*registered, "target_id")) << "); the credential is in "
            << config->credential_file << ".\n";
  return kExitOk;
}

// The files of one run, from the certificate Signet sent and the paths of the configuration.
bool FilesFor(const AgentConfig& c, const nlohmann::json& work,
              std::vector<deploy::RemoteFile>* files, std::string* error) {
  std::string certificate = Field(work, "certificate_pem"), chain = Field(work, "chain_pem");
  std::string key = Field(work, "private_key_pem");
  if ((!c.private_key.empty() || !c.pfx.empty()) && key.empty()) {
    *error =
        "Signet did not send a private key (it does not hold this certificate's key), but "
        "this agent's configuration writes one; remove files.private_key and files.pfx, or "
        "deploy a certificate whose key Signet generated";
    return false;
  }
  auto add = [&](const std::string& path, const std::string& content, int mode) {
    if (!path.empty()) files->push_back({path, content, mode});
  };
  add(c.fullchain, certificate + chain, 0644);
  add(c.certificate, certificate, 0644);
  add(c.chain, chain, 0644);
  add(c.private_key, key, 0600);
  if (!c.pfx.empty()) {
    auto password = ReadWholeFile(c.keystore_password_file, error);
    if (!password) return false;
    exports::ExportInput input;
    input.certificate_pem = certificate;
    input.intermediates_pem = chain;
    input.private_key_pem = key;
    input.base_name = Field(work, "names").substr(0, Field(work, "names").find(','));
    auto pfx = exports::BuildPkcs12(input, Trimmed(*password), false);
    if (!pfx.ok()) {
      *error = "building the PFX failed: " + pfx.status().message();
      return false;
    }
    add(c.pfx, *pfx, 0600);
  }
  return true;
}

deploy::InstallOutcome InstallWork(const AgentConfig& c, const nlohmann::json& work) {
  deploy::InstallOutcome failed;
  std::vector<deploy::RemoteFile> files;
  if (!FilesFor(c, work, &files, &failed.error)) return failed;
  deploy::InstallSteps steps;
  steps.files = std::move(files);
  steps.run_id = Field(work["deployment"], "id");
  steps.reload_command = c.reload_command;
  steps.serial_hex = Field(work, "serial");
  if (!c.verify_host.empty()) {
    steps.verify.endpoint.host = c.verify_host;
    steps.verify.endpoint.port = c.verify_port;
    steps.verify.endpoint.server_name = c.verify_server_name;
    steps.verify.endpoint.protocol =
        probe::ParseProtocol(c.verify_protocol).value_or(probe::Protocol::kHttps);
  }
  auto host = deploy::NewLocalHost();
  return deploy::Install(*host, steps);
}

int Run(const AgentOptions& o) {
  std::string error;
  auto config = LoadAgentConfig(o.config, &error);
  if (!config) {
    PrintError(error);
    return kExitFailure;
  }
  auto credential = ReadWholeFile(config->credential_file, &error);
  if (!credential) {
    PrintError(error + " (register first: signet agent register --config " + o.config +
               " --token ...)");
    return kExitFailure;
  }
  Session session({config->url, Trimmed(*credential), config->ca_file}, OutputFormat::kTable);
  auto backoff = std::chrono::seconds(5);
  // Monitors are asked for between waits for work: within a minute of being due.
  auto monitors_asked = std::chrono::steady_clock::time_point();
  while (true) {
    if (std::chrono::steady_clock::now() - monitors_asked >= std::chrono::seconds(30)) {
      monitors_asked = std::chrono::steady_clock::now();
      if (CheckDueMonitors(session) < 0 && o.once) return kExitFailure;
    }
    auto answer = session.Send(
        {"GET", std::string("/api/v1/agent/work?wait=") + (o.once ? "5" : "25"), "", ""});
    if (!answer) {
      // Reported on stderr already; the server may be restarting.
      if (o.once) return kExitFailure;
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::seconds(300));
      continue;
    }
    backoff = std::chrono::seconds(5);
    if (answer->status == 204) {
      if (o.once) return kExitOk;
      int retry = std::atoi(answer->Header("retry-after").c_str());
      std::this_thread::sleep_for(std::chrono::seconds(std::clamp(retry, 0, 300)));
      continue;
    }
    auto work = nlohmann::json::parse(answer->body, nullptr, false);
    if (!work.is_object() || !work.contains("deployment")) {
      PrintError("the server's answer is not work this agent understands");
      if (o.once) return kExitFailure;
      std::this_thread::sleep_for(std::chrono::seconds(30));
      continue;
    }
    std::string id = Field(work["deployment"], "id");
    std::string report_path = "/api/v1/agent/deployments/" + UrlEscape(id) + "/report";
    // Claimed first: a run another request of this agent took already is left to it.
    auto started =
        session.Send({"POST", report_path, R"({"status":"running"})", "application/json"});
    if (!started) {
      if (o.once) return kExitFailure;
      continue;
    }
    Say("installing serial " + Printable(Field(work, "serial")) + " (deployment " + Printable(id) +
        ")");
    deploy::InstallOutcome outcome = InstallWork(*config, work);
    nlohmann::json report = {{"status", std::string(core::Name(outcome.status))},
                             {"served_serial", outcome.served_serial},
                             {"error", outcome.error.substr(0, 2000)}};
    Say("deployment " + Printable(id) + ": " + std::string(core::Name(outcome.status)) +
        (outcome.error.empty() ? "" : ": " + Printable(outcome.error)));
    // Reported until the server has it (a restarting server: for up to five minutes); a run
    // left unreported is handed out again later.
    for (int attempt = 1; !session.Call("POST", report_path, report); ++attempt) {
      if (o.once || attempt == 30) return kExitFailure;
      std::this_thread::sleep_for(std::chrono::seconds(10));
    }
    if (o.once) {
      return outcome.status == core::DeploymentStatus::kSucceeded ? kExitOk : kExitFailure;
    }
  }
}

}  // namespace

void AddAgentCommands(Program& program) {
  CLI::App* agent = AddGroup(
      program.app, "agent",
      "The deployment agent, run on a server Signet cannot reach (outbound HTTPS only). Its "
      "configuration file, on its own host, names the files it writes and the command it runs; "
      "Signet only sends certificates. It also checks the TLS endpoints of monitors assigned to "
      "its target, from inside its network. Example configuration:\n"
      "  {\"url\": \"https://signet.example.com:8443\", \"ca_file\": "
      "\"/etc/signet-agent/ca.pem\",\n"
      "   \"credential_file\": \"/var/lib/signet-agent/credential\",\n"
      "   \"files\": {\"fullchain\": \"/etc/nginx/tls/site.pem\", \"private_key\": "
      "\"/etc/nginx/tls/site.key\"},\n"
      "   \"reload_command\": \"nginx -t && systemctl reload nginx\",\n"
      "   \"verify\": {\"host\": \"127.0.0.1\", \"port\": 443, \"server_name\": "
      "\"www.example.com\"}}");
  static AgentOptions options;

  CLI::App* reg = agent->add_subcommand(
      "register", "Trade the target's one-time registration token for this agent's credential");
  reg->add_option("--config", options.config, "the agent's configuration file")->required();
  reg->add_option("--token", options.token,
                  "the registration token shown when the agent target was created")
      ->required();
  OnRunLocal(program, reg, [] { return Register(options); });

  CLI::App* run = agent->add_subcommand(
      "run", "Install what Signet sends, until stopped (systemd: dist/signet-agent.service)");
  run->add_option("--config", options.config, "the agent's configuration file")->required();
  run->add_flag("--once", options.once,
                "check the monitors that are due, ask once for work (waiting a few seconds), "
                "install what came, report, and exit: 0 when there was nothing or it succeeded");
  OnRunLocal(program, run, [] { return Run(options); });
}

}  // namespace signet::cli

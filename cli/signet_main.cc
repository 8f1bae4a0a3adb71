// signet: the command-line client of Signet. It speaks only the REST API, so it needs nothing
// but a URL, an API key and the server's CA certificate (docs/CLI.md).
#include <curl/curl.h>

#include <exception>
#include <iostream>

#include "cli/program.h"

int main(int argc, char** argv) {
  using namespace signet::cli;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Program program;
  CLI::App& app = program.app;
  app.require_subcommand(1);
  // Global options may also follow the command: `signet order show ID -o json`.
  app.fallthrough();
  app.set_version_flag("--version", SIGNET_CLI_VERSION);
  app.add_option("--url", program.globals.url,
                 "signetd's address, e.g. https://127.0.0.1:8443 (env SIGNET_URL)");
  app.add_option("--api-key", program.globals.api_key,
                 "API key (env SIGNET_API_KEY; visible to other local users as a flag)");
  app.add_option("--ca-file", program.globals.ca_file,
                 "CA certificate that signed signetd's, its data_dir/ca.pem (env SIGNET_CA_FILE)");
  app.add_option("-o,--output", program.globals.output, "json (the API's documents) or table")
      ->capture_default_str()
      ->check(CLI::IsMember({"json", "table"}));
  // Subcommands inherit the footer current when they are added: theirs points back here.
  app.footer(
      "Global options, before or after the command: --url, --api-key, --ca-file and\n"
      "-o/--output json|table (see `signet --help`).");
  AddAccountCommands(program);
  AddOrderCommands(program);
  AddValidationCommands(program);
  AddCertificateCommands(program);
  AddDeploymentCommands(program);  // after AddCertificateCommands: adds to its group
  AddAgentCommands(program);
  AddMonitorCommands(program);
  AddChannelCommands(program);
  AddUpstreamCommands(program);
  app.footer(
      "Credentials: `signet login` saves them; SIGNET_URL, SIGNET_API_KEY and SIGNET_CA_FILE\n"
      "override the file, and the flags above override both.\n"
      "Exit status: 0 done, 1 failed (the server's problem is printed), 2 wrong usage.\n"
      "Run `signet COMMAND --help` for a command's options.");

  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "signet: " + std::string(e.what()) + "\nRun with --help for more information.\n";
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version are "errors" with exit code 0 to CLI11; real ones are usage errors.
    if (e.get_exit_code() == 0) return app.exit(e);
    // A mistyped command falls through to the root as an extra argument, and CLI11 then only
    // complains that a subcommand is missing; name the word it did not understand instead.
    std::vector<std::string> extra = app.remaining();
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && !extra.empty()) {
      PrintError("unknown command '" + extra.front() + "'; run with --help for the commands");
      return kExitUsage;
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
      // "A subcommand is required" does not say which are possible: list them.
      CLI::App* deepest = &app;
      std::string path = "signet";
      for (;;) {
        auto parsed = deepest->get_subcommands();
        if (parsed.empty()) break;
        deepest = parsed.front();
        path += " " + deepest->get_name();
      }
      auto choices = deepest->get_subcommands([](CLI::App*) { return true; });
      if (!choices.empty() && deepest->get_subcommands().empty()) {
        std::string names;
        for (CLI::App* c : choices) names += (names.empty() ? "" : ", ") + c->get_name();
        PrintError("`" + path + "` needs a command: " + names + " (see " + path + " --help)");
        return kExitUsage;
      }
    }
    app.exit(e);
    return kExitUsage;
  }
  if (!program.action) return kExitUsage;
  // CLI11 and nlohmann::json report with exceptions; anything reaching here is a bug or a
  // server answer of a shape the CLI does not know, and deserves a message, not an abort.
  try {
    return program.action();
  } catch (const std::exception& e) {
    PrintError(std::string("unexpected failure: ") + e.what());
    return kExitFailure;
  }
}

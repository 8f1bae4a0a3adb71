// Program: the `signet` command tree being parsed and what the parsed command will do.
// signet_main.cc adds the global options, each commands_*.cc adds one group of commands. CLI11
// only parses: a leaf command's callback records an action, and main runs it after parsing,
// when every global option (which may come after the command's name) is known.
//
// Thread-safety: single-threaded, like the rest of the CLI.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "cli/config.h"
#include "cli/session.h"

namespace signet::cli {

struct GlobalOptions {
  std::string url;
  std::string api_key;
  std::string ca_file;
  std::string output = "table";
};

struct Program {
  CLI::App app{"signet: the command-line client of the Signet certificate authority", "signet"};
  GlobalOptions globals;
  std::function<int()> action;  // set by the parsed leaf command
};

OutputFormat FormatOf(const GlobalOptions& globals);

// The credentials file, overridden by the environment, overridden by the global flags; an
// error says what is missing and how to provide it.
std::optional<Credentials> ResolveCredentials(const GlobalOptions& globals, std::string* error);

// Normalizes the URL and rejects a malformed API key (shared by login and the other commands).
bool CheckCredentials(Credentials* credentials, std::string* error);

// A leaf command that talks to signetd: run receives a Session on the resolved credentials.
void OnRun(Program& program, CLI::App* command, std::function<int(Session&)> run);

// A leaf command that deals with the credentials itself (login, logout).
void OnRunLocal(Program& program, CLI::App* command, std::function<int()> run);

// A group such as `order`: needs one of its subcommands.
CLI::App* AddGroup(CLI::App& parent, const std::string& name, const std::string& description);

// --page-size and --page-token for list commands, as query pairs once parsed.
struct PageOptions {
  int page_size = 0;
  std::string page_token;
  std::vector<std::pair<std::string, std::string>> Query() const;
};
void AddPageOptions(CLI::App* command, PageOptions& page);

// The groups of commands, one file each.
void AddAccountCommands(Program& program);                    // login, logout, whoami
void AddOrderCommands(Program& program);                      // products, order ...
void AddOrderWaitCommand(Program& program, CLI::App* order);  // order wait
void AddValidationCommands(Program& program);                 // validation ..., domains
void AddCertificateCommands(Program& program);                // certificate ...
void AddDeploymentCommands(Program& program);  // target ..., deployment ..., certificate bind ...
void AddAgentCommands(Program& program);       // agent register, agent run
void AddMonitorCommands(Program& program);     // monitor ...
void AddChannelCommands(Program& program);     // channel ...
void AddUpstreamCommands(Program& program);    // upstream ...

}  // namespace signet::cli

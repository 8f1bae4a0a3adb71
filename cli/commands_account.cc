// login, logout and whoami: the credentials file and who the API key belongs to.
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/files.h"
#include "cli/program.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

struct LoginOptions {
  std::string url;
  std::string api_key;
  std::string ca_file;
  bool api_key_stdin = false;
};

std::string TrimLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// One line from stdin; typed at a terminal, it is prompted for and not echoed, like a password.
std::string ReadKeyLine() {
  std::string line;
  termios saved{};
  bool terminal = ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) {
    std::cerr << "API key: " << std::flush;
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::getline(std::cin, line);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  return TrimLine(line);
}

int Login(const Program& program, const LoginOptions& options) {
  // Only what is given now counts: taking a key from an old file and sending it to a new URL
  // would hand one server another's key.
  Credentials given =
      Overlay(Overlay(CredentialsFromEnvironment(),
                      {program.globals.url, program.globals.api_key, program.globals.ca_file}),
              {options.url, options.api_key, options.ca_file});
  if (options.api_key_stdin) given.api_key = ReadKeyLine();
  if (given.url.empty() || given.api_key.empty()) {
    PrintError(std::string("login needs ") + (given.url.empty() ? "--url" : "--api-key") +
               " (or SIGNET_URL / SIGNET_API_KEY); see `signet login --help`");
    return kExitUsage;
  }
  std::string error;
  auto path = CredentialsPath(&error);
  if (!path) {
    PrintError(error);
    return kExitFailure;
  }
  if (!given.ca_file.empty()) {
    // Stored absolute so that later commands work from any directory.
    std::error_code ec;
    auto absolute = std::filesystem::absolute(given.ca_file, ec);
    if (!ec) given.ca_file = absolute.lexically_normal().string();
    if (!ReadWholeFile(given.ca_file, &error)) {
      PrintError("the CA file: " + error);
      return kExitFailure;
    }
  }
  if (!CheckCredentials(&given, &error)) {
    PrintError(error);
    return kExitUsage;
  }
  Session session(given, FormatOf(program.globals));
  auto who = session.Call("GET", "/api/v1/session");
  if (!who) {
    PrintError("not logged in; nothing was saved");
    return kExitFailure;
  }
  if (!SaveCredentialsFile(*path, given, &error)) {
    PrintError(error);
    return kExitFailure;
  }
  session.Print(*who, [&](std::ostream& out, const nlohmann::json& doc) {
    const auto& user = doc.value("user", nlohmann::json::object());
    const auto& account = doc.value("account", nlohmann::json::object());
    out << "Logged in to " << given.url << " as " << Printable(Field(user, "email")) << " ("
        << Printable(Field(user, "role")) << ", account " << Printable(Field(account, "name"))
        << ").\nCredentials saved in " << *path << " (mode 0600).\n";
  });
  return kExitOk;
}

int Logout(const Program& program) {
  std::string error;
  auto path = CredentialsPath(&error);
  bool removed = false;
  if (!path || !RemoveCredentialsFile(*path, &removed, &error)) {
    PrintError(error);
    return kExitFailure;
  }
  if (FormatOf(program.globals) == OutputFormat::kJson) {
    PrintJson(std::cout, {{"credentials_file", *path}, {"removed", removed}});
  } else if (removed) {
    std::cout << "Removed " << *path << ".\n";
  } else {
    std::cout << "Not logged in: there is no " << *path << ".\n";
  }
  return kExitOk;
}

}  // namespace

void AddAccountCommands(Program& program) {
  auto login = std::make_shared<LoginOptions>();
  CLI::App* cmd = program.app.add_subcommand(
      "login", "check an API key against signetd and save it for later commands (mode 0600)");
  cmd->add_option("--url", login->url, "signetd's address, e.g. https://127.0.0.1:8443");
  cmd->add_option("--api-key", login->api_key,
                  "the API key (visible to other local users while this runs; prefer "
                  "--api-key-stdin or SIGNET_API_KEY)");
  cmd->add_flag("--api-key-stdin", login->api_key_stdin, "read the API key from standard input");
  cmd->add_option("--ca-file", login->ca_file,
                  "the CA certificate that signed signetd's (its data_dir/ca.pem); default: the "
                  "system's trust store");
  cmd->footer(cmd->get_footer() + "\n" +
              "The credentials file is $SIGNET_CONFIG, else $XDG_CONFIG_HOME/signet/credentials,\n"
              "else ~/.config/signet/credentials.");
  OnRunLocal(program, cmd, [&program, login] { return Login(program, *login); });

  cmd = program.app.add_subcommand("logout", "remove the saved credentials file");
  OnRunLocal(program, cmd, [&program] { return Logout(program); });

  cmd = program.app.add_subcommand("whoami", "show the user and account of the API key in use");
  OnRun(program, cmd, [](Session& s) {
    return s.CallAndPrint("GET", "/api/v1/session", std::nullopt,
                          [&s](std::ostream& out, const nlohmann::json& doc) {
                            PrintSessionView(out, doc, s.base_url());
                          });
  });
}

}  // namespace signet::cli

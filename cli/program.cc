#include "cli/program.h"

#include <algorithm>

namespace signet::cli {

namespace {

// Header injection or a pasted newline: an API key is one line of visible ASCII.
bool LooksLikeKey(const std::string& key) {
  return std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 0x7F; });
}

}  // namespace

OutputFormat FormatOf(const GlobalOptions& globals) {
  return globals.output == "json" ? OutputFormat::kJson : OutputFormat::kTable;
}

std::optional<Credentials> ResolveCredentials(const GlobalOptions& globals, std::string* error) {
  Credentials flags{globals.url, globals.api_key, globals.ca_file};
  Credentials resolved = Overlay(CredentialsFromEnvironment(), flags);
  std::string path_error;
  auto path = CredentialsPath(&path_error);
  if (path) {
    auto file = LoadCredentialsFile(*path, error);
    if (!file) return std::nullopt;
    resolved = Overlay(*file, resolved);
  }
  if (resolved.url.empty() || resolved.api_key.empty()) {
    std::string missing = resolved.url.empty() && resolved.api_key.empty()
                              ? "server URL and API key"
                          : resolved.url.empty() ? "server URL"
                                                 : "API key";
    *error = "no " + missing +
             ": run `signet login --url https://HOST:PORT --api-key KEY --ca-file ca.pem`, or set "
             "SIGNET_URL and SIGNET_API_KEY, or pass --url and --api-key";
    if (!path) *error += " (" + path_error + ")";
    return std::nullopt;
  }
  if (!CheckCredentials(&resolved, error)) return std::nullopt;
  return resolved;
}

bool CheckCredentials(Credentials* credentials, std::string* error) {
  auto url = NormalizeServerUrl(credentials->url, error);
  if (!url) return false;
  credentials->url = *url;
  if (!LooksLikeKey(credentials->api_key)) {
    *error = "the API key contains spaces or control characters; copy it again";
    return false;
  }
  return true;
}

void OnRun(Program& program, CLI::App* command, std::function<int(Session&)> run) {
  command->callback([&program, run = std::move(run)] {
    program.action = [&program, run] {
      std::string error;
      auto credentials = ResolveCredentials(program.globals, &error);
      if (!credentials) {
        PrintError(error);
        return kExitFailure;
      }
      Session session(std::move(*credentials), FormatOf(program.globals));
      return run(session);
    };
  });
}

void OnRunLocal(Program& program, CLI::App* command, std::function<int()> run) {
  command->callback([&program, run = std::move(run)] { program.action = run; });
}

CLI::App* AddGroup(CLI::App& parent, const std::string& name, const std::string& description) {
  CLI::App* group = parent.add_subcommand(name, description);
  group->require_subcommand(1);
  return group;
}

std::vector<std::pair<std::string, std::string>> PageOptions::Query() const {
  return {{"page_size", page_size > 0 ? std::to_string(page_size) : ""},
          {"page_token", page_token}};
}

void AddPageOptions(CLI::App* command, PageOptions& page) {
  command->add_option("--page-size", page.page_size, "items per page (1-200; the server's default)")
      ->check(CLI::Range(1, 200));
  command->add_option("--page-token", page.page_token,
                      "continue from this token (printed when more items remain)");
}

}  // namespace signet::cli

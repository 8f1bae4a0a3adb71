// upstream ...: the brands' upstream ACME CAs (docs/BRANDS.md), for Signet's administrators.
// `upstream list` asks signetd to fetch each CA's directory now, and exits 1 when one did not
// answer, so that a cron job or a monitoring system can run it as a health check.
#include <memory>

#include "cli/program.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

int List(Session& s) {
  auto list = s.Call("GET", "/api/v1/upstreams");
  if (!list) return kExitFailure;
  s.Print(*list, PrintUpstreamList);
  int status = kExitOk;
  for (const auto& u : Items(*list)) {
    if (Field(u, "reachable") == "yes") continue;
    // The server's reason names the CA as a rule; when it does not, the line does.
    std::string directory = Field(u, "acme_directory");
    std::string error = Field(u, "error");
    if (error.empty()) {
      PrintError("upstream " + Printable(directory) + " is not reachable");
    } else if (error.find(directory) == std::string::npos) {
      PrintError("upstream " + Printable(directory) + ": " + Printable(error));
    } else {
      PrintError(Printable(error));
    }
    status = kExitFailure;
  }
  return status;
}

}  // namespace

void AddUpstreamCommands(Program& program) {
  CLI::App* upstream = AddGroup(program.app, "upstream",
                                "the brands' upstream ACME CAs (administrators; docs/BRANDS.md)");
  CLI::App* cmd = upstream->add_subcommand(
      "list", "each upstream CA as checked now: reachable, products, Signet's account, EAB, ARI");
  cmd->footer(cmd->get_footer() + "\n" +
              "Exit status: 0 when every upstream CA answered; 1 when one did not (each is\n"
              "named on stderr with the reason) or the list could not be had, e.g. a key that\n"
              "is not an administrator's.");
  OnRun(program, cmd, [](Session& s) { return List(s); });
}

}  // namespace signet::cli

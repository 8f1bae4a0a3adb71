// validation ... and domains: domain-control validations on their own (before ordering, or to
// look at one of an order's), and the account's pre-validated domains.
#include <memory>

#include "cli/program.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

std::string ValidationPath(const std::string& id) {
  return "/api/v1/domain-validations/" + UrlEscape(id);
}

}  // namespace

void AddValidationCommands(Program& program) {
  CLI::App* validation =
      AddGroup(program.app, "validation", "prove control of a domain (docs/VALIDATION.md)");

  struct CreateOptions {
    std::string domain;
    std::string method;
    std::string email;
  };
  auto create = std::make_shared<CreateOptions>();
  CLI::App* cmd =
      validation->add_subcommand("create", "start validating a domain; prints what to publish");
  cmd->add_option("--domain", create->domain, "the domain, e.g. example.com")->required();
  cmd->add_option("--method", create->method, "how control is proven")
      ->required()
      ->check(CLI::IsMember({"dns_txt", "dns_cname", "file", "email"}));
  cmd->add_option("--email", create->email,
                  "email method: the address to send the link to (admin@, administrator@, "
                  "webmaster@, hostmaster@ or postmaster@ the domain)");
  cmd->footer(cmd->get_footer() +
              "\ndns_auto needs the TSIG key as JSON: use the API, or an order's application\n"
              "file.");
  OnRun(program, cmd, [create](Session& s) {
    nlohmann::json body = {{"domain", create->domain}, {"method", create->method}};
    if (!create->email.empty()) body["email"] = create->email;
    return s.CallAndPrint("POST", "/api/v1/domain-validations", body, PrintValidation);
  });

  auto show = std::make_shared<std::string>();
  cmd = validation->add_subcommand("show", "one validation: what to publish, status, last error");
  cmd->add_option("id", *show, "the validation's id")->required();
  OnRun(program, cmd, [show](Session& s) {
    return s.CallAndPrint("GET", ValidationPath(*show), std::nullopt, PrintValidation);
  });

  auto check = std::make_shared<std::string>();
  cmd = validation->add_subcommand("check", "check now, from every perspective");
  cmd->add_option("id", *check, "the validation's id")->required();
  OnRun(program, cmd, [check](Session& s) {
    return s.CallAndPrint("POST", ValidationPath(*check) + "/check", std::nullopt, PrintValidation);
  });

  struct ListOptions {
    std::string domain;
    PageOptions page;
  };
  auto list = std::make_shared<ListOptions>();
  cmd = validation->add_subcommand("list", "the account's validations");
  cmd->add_option("--domain", list->domain, "only validations of this domain");
  AddPageOptions(cmd, list->page);
  OnRun(program, cmd, [list](Session& s) {
    auto query = list->page.Query();
    query.insert(query.begin(), {"domain", list->domain});
    return s.CallAndPrint("GET", "/api/v1/domain-validations" + QueryString(query), std::nullopt,
                          PrintValidationList);
  });

  cmd = program.app.add_subcommand(
      "domains", "the account's pre-validated domains and until when they may be reused");
  OnRun(program, cmd, [](Session& s) {
    return s.CallAndPrint("GET", "/api/v1/domains", std::nullopt, PrintDomainList);
  });
}

}  // namespace signet::cli

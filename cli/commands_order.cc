// products and order ...: the applicant's journey from purchase to a submitted order, and the
// actions on an order afterwards (order wait is in commands_order_wait.cc).
#include <iostream>
#include <memory>

#include "cli/application_body.h"
#include "cli/files.h"
#include "cli/program.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

const std::vector<std::string> kOrderStatuses = {"pending_information", "processing",
                                                 "review_failed", "issued", "cancelled"};
const std::vector<std::string> kMethods = {"dns_txt", "dns_cname", "dns_auto", "file", "email"};
const std::vector<std::string> kKeyAlgorithms = {"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072",
                                                 "rsa-4096"};

std::string OrderPath(const std::string& id) { return "/api/v1/orders/" + UrlEscape(id); }

// The catalog, for the issuer of orders' products; when it cannot be had (the failure is on
// stderr) the orders print without it.
nlohmann::json Catalog(Session& s) {
  auto products = s.Call("GET", "/api/v1/products");
  return products ? *products : nlohmann::json();
}

// `order submit`, `check`, `cancel` and `resubmit`: a POST without a body, answered by the order.
void AddOrderAction(Program& program, CLI::App* order, const std::string& name,
                    const std::string& suffix, const std::string& description) {
  auto id = std::make_shared<std::string>();
  CLI::App* cmd = order->add_subcommand(name, description);
  cmd->add_option("id", *id, "the order's id")->required();
  OnRun(program, cmd, [id, suffix](Session& s) {
    return s.CallAndPrint("POST", OrderPath(*id) + suffix, std::nullopt, OrderView(s));
  });
}

void AddApplicationCommand(Program& program, CLI::App* order) {
  struct Options {
    std::string id;
    ApplicationFlags flags;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = order->add_subcommand(
      "application", "fill in (or save a draft of) the order's application; flags override --file");
  cmd->add_option("id", o->id, "the order's id")->required();
  cmd->add_option("--file", o->flags.file,
                  "the application as a JSON object (docs/ORDERS.md); - reads standard input");
  cmd->add_option("--domain", o->flags.domains,
                  "a name for the certificate; repeat or separate with commas (first: the CN)")
      ->delimiter(',');
  auto* generate = cmd->add_option("--generate-key", o->flags.generate_key,
                                   "have Signet generate the key at submission")
                       ->check(CLI::IsMember(kKeyAlgorithms));
  cmd->add_option("--key-password", o->flags.key_password,
                  "encrypt the generated key in downloads with this password (8+ characters)")
      ->needs(generate);
  cmd->add_option("--csr", o->flags.csr_file, "use this CSR (PEM) instead; Signet holds no key")
      ->excludes(generate);
  cmd->add_option("--organization-id", o->flags.organization_id, "a saved organization");
  cmd->add_option("--administrator-id", o->flags.administrator_id, "a saved administrator");
  cmd->add_option("--admin-name", o->flags.admin_name, "the administrator's name");
  cmd->add_option("--admin-email", o->flags.admin_email, "the administrator's email");
  cmd->add_option("--admin-phone", o->flags.admin_phone, "the administrator's phone");
  cmd->add_option("--admin-position", o->flags.admin_position, "the administrator's position");
  cmd->add_flag("--individual", o->flags.individual, "the applicant is a person (DV only)");
  cmd->add_option("--method", o->flags.method, "how domain control is proven")
      ->check(CLI::IsMember(kMethods));
  OnRun(program, cmd, [o](Session& s) {
    if (NothingGiven(o->flags)) {
      PrintError("nothing to send: give --file or at least one field flag (see --help)");
      return kExitUsage;
    }
    std::string error;
    auto body = BuildApplication(o->flags, &error);
    if (!body) {
      PrintError(error);
      return kExitFailure;
    }
    return s.CallAndPrint("PUT", OrderPath(o->id) + "/application", *body, OrderView(s));
  });
}

void AddAttachCommand(Program& program, CLI::App* order) {
  struct Options {
    std::string id;
    std::string kind;
    std::string file;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      order->add_subcommand("attach", "upload an OV/EV document (JPG, PNG or PDF) to the order");
  cmd->add_option("id", o->id, "the order's id")->required();
  cmd->add_option("file", o->file, "the document; - reads standard input")->required();
  cmd->add_option("--kind", o->kind,
                  "confirmation_letter, application_form, service_agreement, business_license, "
                  "id_card_front, id_card_back or revocation_letter")
      ->required();
  OnRun(program, cmd, [o](Session& s) {
    std::string error;
    auto bytes = ReadWholeFile(o->file, &error);
    if (!bytes) {
      PrintError(error);
      return kExitFailure;
    }
    ApiRequest request{"POST", OrderPath(o->id) + "/attachments" + QueryString({{"kind", o->kind}}),
                       std::move(*bytes), "application/octet-stream"};
    auto response = s.Send(request);
    if (!response) return kExitFailure;
    auto doc = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) doc = nlohmann::json::object();
    s.Print(doc, PrintAttachment);
    return kExitOk;
  });
}

}  // namespace

std::function<void(std::ostream&, const nlohmann::json&)> OrderView(Session& session) {
  return [&session](std::ostream& out, const nlohmann::json& order) {
    PrintOrder(out, order, Catalog(session));
  };
}

void AddOrderCommands(Program& program) {
  CLI::App* cmd = program.app.add_subcommand(
      "products", "list the products that can be ordered and who issues each");
  OnRun(program, cmd, [](Session& s) {
    return s.CallAndPrint("GET", "/api/v1/products", std::nullopt, PrintProductList);
  });

  CLI::App* order = AddGroup(program.app, "order", "buy, complete, submit and follow orders");

  auto product = std::make_shared<std::string>();
  cmd = order->add_subcommand("create", "buy a product: a new order awaiting its application");
  cmd->add_option("--product", *product, "the product's id (see `signet products`)")->required();
  OnRun(program, cmd, [product](Session& s) {
    return s.CallAndPrint("POST", "/api/v1/orders", nlohmann::json{{"product", *product}},
                          OrderView(s));
  });

  struct ListOptions {
    std::string status;
    std::string domain;
    PageOptions page;
  };
  auto list = std::make_shared<ListOptions>();
  cmd = order->add_subcommand("list", "the account's orders, newest first");
  cmd->add_option("--status", list->status, "only orders in this status")
      ->check(CLI::IsMember(kOrderStatuses));
  cmd->add_option("--domain", list->domain, "only orders for this name");
  AddPageOptions(cmd, list->page);
  OnRun(program, cmd, [list](Session& s) {
    auto query = list->page.Query();
    query.insert(query.begin(), {{"status", list->status}, {"domain", list->domain}});
    return s.CallAndPrint("GET", "/api/v1/orders" + QueryString(query), std::nullopt,
                          [&s](std::ostream& out, const nlohmann::json& orders) {
                            PrintOrderList(out, orders, Catalog(s));
                          });
  });

  auto show = std::make_shared<std::string>();
  cmd = order->add_subcommand(
      "show",
      "one order: its issuer, status, what to publish for each validation, review, timeline");
  cmd->add_option("id", *show, "the order's id")->required();
  OnRun(program, cmd, [show](Session& s) {
    return s.CallAndPrint("GET", OrderPath(*show), std::nullopt, OrderView(s));
  });

  AddApplicationCommand(program, order);
  AddOrderAction(program, order, "submit", "/submit",
                 "submit the application: validation (and OV/EV review) start");
  AddOrderAction(program, order, "check", "/validations/check",
                 "check every pending domain validation of the order now");
  AddOrderWaitCommand(program, order);
  AddOrderAction(program, order, "cancel", "/cancel", "cancel the order before issuance");
  AddOrderAction(program, order, "resubmit", "/resubmit",
                 "resubmit after a failed review (fix the application and documents first)");
  AddAttachCommand(program, order);

  auto merge = std::make_shared<std::vector<std::string>>();
  cmd = order->add_subcommand("merge",
                              "merge untouched orders of one brand and term into the first one");
  cmd->add_option("ids", *merge, "two or more order ids")->required()->expected(2, -1);
  OnRun(program, cmd, [merge](Session& s) {
    return s.CallAndPrint("POST", "/api/v1/orders/merge", nlohmann::json{{"order_ids", *merge}},
                          OrderView(s));
  });
}

}  // namespace signet::cli

// channel ...: the account's notification channels (docs/NOTIFICATIONS.md): email addresses,
// the account's own webhooks and chat robots (DingTalk, WeCom, Feishu, Slack). A robot's signing
// secret is read from a file or standard input, never from the command line, where every local
// user could read it in the process list. A webhook's secret is made by signetd and shown once,
// in the answer to its creation, so `channel add` prints it then and says it will not be shown
// again. `channel test` exits 1 when the channel did not take the test message, so that a script
// setting up a robot stops on a wrong URL or secret.
#include <sys/stat.h>

#include <iostream>
#include <memory>

#include "cli/files.h"
#include "cli/program.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

const std::vector<std::string> kKinds = {"email", "webhook", "dingtalk",
                                         "wecom", "feishu",  "slack"};
const std::vector<std::string> kMonitorAlerts = {"immediate", "daily_digest"};

std::string ChannelPath(const std::string& id) {
  return "/api/v1/notification-channels/" + UrlEscape(id);
}

struct AddOptions {
  std::string kind;
  std::string target;
  std::string secret_file;
  std::string monitor_alerts;
};

int Add(Session& s, const AddOptions& o) {
  nlohmann::json body = {{"kind", o.kind}, {"target", o.target}};
  if (!o.secret_file.empty()) {
    std::string error;
    auto secret = ReadSecretFile(o.secret_file, /*first_line=*/true, &error);
    if (!secret) {
      PrintError(error);
      return kExitFailure;
    }
    body["secret"] = *secret;
  }
  if (!o.monitor_alerts.empty()) body["monitor_alerts"] = o.monitor_alerts;
  auto channel = s.Call("POST", "/api/v1/notification-channels", body);
  if (!channel) return kExitFailure;
  s.Print(*channel, PrintChannel);
  if (!Field(*channel, "secret").empty()) {
    // On stderr, so that it is seen even when the output goes to a file or a pipe.
    PrintError(
        "warning: this is the only time the webhook's secret is shown; keep it where your "
        "receiver checks X-Signet-Signature (docs/NOTIFICATIONS.md)");
  }
  return kExitOk;
}

int Test(Session& s, const std::string& id) {
  auto test = s.Call("POST", ChannelPath(id) + "/test");
  if (!test) return kExitFailure;
  s.Print(*test, PrintChannelTest);
  if (test->value("ok", false)) return kExitOk;
  PrintError("channel " + Printable(id) +
             " did not deliver the test message: " + Printable(Field(*test, "detail")));
  return kExitFailure;
}

}  // namespace

void AddChannelCommands(Program& program) {
  CLI::App* channel = AddGroup(program.app, "channel",
                               "notification channels: email addresses, webhooks and chat robots "
                               "that hear about the account's orders, certificates and monitors");

  CLI::App* cmd = channel->add_subcommand("list", "the account's channels (never their secrets)");
  OnRun(program, cmd, [](Session& s) {
    return s.CallAndPrint("GET", "/api/v1/notification-channels", std::nullopt, PrintChannelList);
  });

  auto add = std::make_shared<AddOptions>();
  cmd = channel->add_subcommand(
      "add", "add a channel (owners); a webhook's signing secret is printed once, now");
  cmd->add_option("--kind", add->kind, "email, webhook, dingtalk, wecom, feishu or slack")
      ->required()
      ->check(CLI::IsMember(kKinds));
  cmd->add_option("--target", add->target,
                  "an email address, or the https:// URL of your webhook or of the robot's webhook")
      ->required();
  cmd->add_option("--secret-file", add->secret_file,
                  "dingtalk and feishu: a file whose first line is the robot's signing secret "
                  "(DingTalk's starts with SEC); - reads standard input");
  cmd->add_option("--monitor-alerts", add->monitor_alerts,
                  "immediate (each monitor alert; the server's default) or daily_digest (one "
                  "summary a day)")
      ->check(CLI::IsMember(kMonitorAlerts));
  OnRun(program, cmd, [add](Session& s) { return Add(s, *add); });

  auto remove = std::make_shared<std::string>();
  cmd = channel->add_subcommand("remove", "remove a channel (owners); it receives nothing more");
  cmd->add_option("id", *remove, "the channel's id")->required();
  OnRun(program, cmd, [remove](Session& s) {
    return s.CallAndPrint("DELETE", ChannelPath(*remove), std::nullopt,
                          [remove](std::ostream& out, const nlohmann::json&) {
                            out << "Removed channel " << Printable(*remove) << ".\n";
                          });
  });

  auto test = std::make_shared<std::string>();
  cmd = channel->add_subcommand(
      "test", "send a test message through the channel now (owners) and say who took it");
  cmd->add_option("id", *test, "the channel's id")->required();
  cmd->footer(cmd->get_footer() + "\n" +
              "Exit status: 0 when the channel took the message; 1 when it did not (the\n"
              "receiver's or vendor's answer is printed) or the test could not be asked for.");
  OnRun(program, cmd, [test](Session& s) { return Test(s, *test); });

  struct SetOptions {
    std::string id;
    std::string monitor_alerts;
  };
  auto set = std::make_shared<SetOptions>();
  cmd = channel->add_subcommand("set", "change how a channel hears about monitors (owners)");
  cmd->add_option("id", set->id, "the channel's id")->required();
  cmd->add_option("--monitor-alerts", set->monitor_alerts,
                  "immediate (each change for the worse, and the recovery) or daily_digest (one "
                  "summary a day)")
      ->required()
      ->check(CLI::IsMember(kMonitorAlerts));
  OnRun(program, cmd, [set](Session& s) {
    return s.CallAndPrint("PATCH", ChannelPath(set->id),
                          nlohmann::json{{"monitor_alerts", set->monitor_alerts}}, PrintChannel);
  });
}

}  // namespace signet::cli

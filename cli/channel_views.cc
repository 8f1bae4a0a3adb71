// Notification channels as tables. A channel's secret is never in these views but for the one
// answer that carries it (a webhook's creation); "Signed" says whether one is stored.
#include "cli/views.h"

namespace signet::cli {

namespace {

// has_secret as yes/no; "" when the server did not say.
std::string SignedText(const nlohmann::json& channel) { return Field(channel, "has_secret"); }

}  // namespace

void PrintChannelList(std::ostream& out, const nlohmann::json& list) {
  Table t({"ID", "KIND", "TARGET", "SIGNED", "MONITOR ALERTS", "CREATED"});
  for (const auto& c : Items(list)) {
    t.AddRow({Field(c, "id"), Field(c, "kind"), Field(c, "target"), SignedText(c),
              Field(c, "monitor_alerts"), Field(c, "created_at")});
  }
  t.Print(out);
  NoteNextPage(list);
}

void PrintChannel(std::ostream& out, const nlohmann::json& channel) {
  Fields()
      .Add("Channel", Field(channel, "id"))
      .Add("Kind", Field(channel, "kind"))
      .Add("Target", Field(channel, "target"))
      .Add("Signed", SignedText(channel))
      .Add("Monitor alerts", Field(channel, "monitor_alerts"))
      .Add("Created", Field(channel, "created_at"))
      .Add("Secret", Field(channel, "secret"))
      .Print(out);
}

void PrintChannelTest(std::ostream& out, const nlohmann::json& test) {
  Fields().Add("Delivered", Field(test, "ok")).Add("Detail", Field(test, "detail")).Print(out);
}

}  // namespace signet::cli

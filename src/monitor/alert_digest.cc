// The daily digest of monitor alerts (alert_digest.h).
#include "signet/monitor/alert_digest.h"

#include <map>

#include "signet/common/log.h"
#include "signet/notify/notifier.h"

namespace signet::monitor {

namespace {

// A digest lists at most this many monitors in trouble; the rest are counted.
constexpr int kMaxListed = 50;

}  // namespace

Result<std::string> AlertDigest::Summary(const std::string& account_id, int& in_trouble) {
  in_trouble = 0;
  int ok = 0;
  int paused = 0;
  std::string listed;
  sa::PageRequest page{.limit = 200};
  do {
    SIGNET_ASSIGN_OR_RETURN(auto monitors, storage_.ListMonitors(account_id, page));
    for (const sa::Monitor& m : monitors.items) {
      if (!m.enabled) {
        ++paused;
        continue;
      }
      if (!m.last_status || *m.last_status == core::MonitorStatus::kOk) {
        ++ok;
        continue;
      }
      if (++in_trouble > kMaxListed) continue;
      listed += "\n" + m.host + ":" + std::to_string(m.port) + " (" + m.protocol + ") is " +
                std::string(core::Name(*m.last_status)) + ":\n";
      auto last = storage_.ListMonitorChecks(account_id, m.id, {.limit = 1});
      if (!last.ok() || last->items.empty()) continue;
      for (const sa::AddressCheck& a : last->items.front().addresses) {
        for (const sa::MonitorProblem& p : a.problems) {
          listed +=
              "- " + (a.address.empty() ? "" : a.address + ": ") + p.code + ": " + p.detail + "\n";
        }
      }
    }
    page.after = monitors.next_after;
  } while (!page.after.empty());
  if (in_trouble == 0) return std::string();
  std::string text = std::to_string(in_trouble) + " monitor" + (in_trouble == 1 ? "" : "s") +
                     " in trouble, " + std::to_string(ok) + " ok" +
                     (paused ? ", " + std::to_string(paused) + " paused" : "") + ".\n" + listed;
  if (in_trouble > kMaxListed) {
    text +=
        "\n... and " + std::to_string(in_trouble - kMaxListed) + " more: see the Monitors page.\n";
  }
  return text;
}

Result<int> AlertDigest::RunDue() {
  TimePoint now = clock_.Now();
  SIGNET_ASSIGN_OR_RETURN(auto channels, storage_.ListDueDigestChannels(now));
  // One summary per account, however many of its channels are due.
  std::map<std::string, std::pair<std::string, int>> summaries;
  int sent = 0;
  for (const sa::NotificationChannel& c : channels) {
    if (!c.digest_due_at) continue;
    auto found = summaries.find(c.account_id);
    if (found == summaries.end()) {
      int in_trouble = 0;
      auto text = Summary(c.account_id, in_trouble);
      if (!text.ok()) {
        log::Error("a monitor digest could not be made",
                   {{"account", c.account_id}, {"error", text.status().message()}});
        continue;
      }
      found = summaries.emplace(c.account_id, std::make_pair(*text, in_trouble)).first;
    }
    const auto& [text, in_trouble] = found->second;
    std::vector<sa::NewJob> jobs;
    // Nothing in trouble: no message, the day is marked done all the same. An email channel
    // without an SMTP server cannot be told.
    if (in_trouble > 0 && (c.kind != "email" || notifier_.CanEmail())) {
      notify::Notification n;
      n.event = "monitor.digest";
      n.account_id = c.account_id;
      n.subject = "Signet monitors: " + std::to_string(in_trouble) + " in trouble";
      n.text = text;
      jobs.push_back(notifier_.ChannelJob(n, c));
    }
    auto moved =
        storage_.RecordDigestSent(c.id, *c.digest_due_at, notifier_.NextDigestTime(), jobs);
    if (!moved.ok()) {
      log::Error("a monitor digest could not be recorded",
                 {{"channel", c.id}, {"error", moved.status().message()}});
      continue;
    }
    if (*moved && !jobs.empty()) ++sent;
  }
  return sent;
}

}  // namespace signet::monitor

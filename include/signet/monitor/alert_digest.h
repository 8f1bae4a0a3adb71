// AlertDigest: the daily summary of an account's monitors for the notification channels that
// take monitor alerts as a digest (monitor_alerts = "daily_digest") instead of one message per
// change. At the digest hour each such channel receives one `monitor.digest` message listing the
// monitors not ok, each with its problems; a day with nothing in trouble sends nothing. The
// message is queued in the transaction that moves the channel's next digest time on (a
// compare-and-set), so one node sends it, once, and a crash neither loses nor repeats it. A
// server that was down at the digest hour sends one digest when it is back, not one per day missed.
//
// Thread-safety: RunDue may be called from several threads and nodes at once.
#pragma once

#include "signet/common/clock.h"
#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet::notify {
class Notifier;
}  // namespace signet::notify

namespace signet::monitor {

class AlertDigest {
 public:
  AlertDigest(sa::Storage& storage, notify::Notifier& notifier, const Clock& clock)
      : storage_(storage), notifier_(notifier), clock_(clock) {}

  // Sends the digests that are due; how many were queued.
  Result<int> RunDue();

 private:
  // The digest's text for the account: its monitors not ok with their problems, and how many
  // are ok; empty when none is in trouble.
  Result<std::string> Summary(const std::string& account_id, int& in_trouble);

  sa::Storage& storage_;
  notify::Notifier& notifier_;
  const Clock& clock_;
};

}  // namespace signet::monitor

// MonitorService: an account's watch over the TLS endpoints its users depend on (issue 17).
// Each check connects to every address of the host, reads the served chain, judges it
// (ChainJudge) and relates it to the inventory (the certificate's id; revoked; not_latest when a
// newer certificate of its lineage exists), and keeps the result as history. The account's
// notification channels hear of a change for the worse once, and of the recovery, not of every
// check. Monitors are checked every interval by whichever node claims them first.
//
// Loopback and private addresses are not connected to unless the operator allows them
// (monitoring.allow_private_addresses): monitoring must not become a way to probe Signet's own
// network.
//
// Thread-safety: all methods may be called from many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "signet/common/clock.h"
#include "signet/common/status.h"
#include "signet/monitor/chain_judge.h"
#include "signet/sa/storage.h"

namespace signet::notify {
class Notifier;
}

namespace signet::monitor {

struct MonitorInput {
  std::string host;
  std::optional<int> port;
  std::string server_name;
  std::string protocol;  // empty: https
  std::optional<int> interval_minutes;
  std::optional<bool> enabled;
  // An agent target (docs/DEPLOYMENT.md) whose agent checks the endpoint from inside its own
  // network, where Signet cannot connect; private addresses are that network's business then.
  std::string agent_target_id;
};

// What an agent read at one address of a monitor's host: the chain, or why it could not.
struct AgentObservation {
  std::string address;
  std::vector<std::string> certificates_der;  // leaf first; empty when `error` says why
  std::string tls_version;
  std::string error;
};

struct MonitorOptions {
  bool allow_private_addresses = false;
  std::chrono::milliseconds probe_timeout{10000};
  int default_warn_days = 30;  // when the account has no reminder schedule of its own
};

// One endpoint discovery looked at.
struct DiscoveredEndpoint {
  std::string host;
  int port = 443;
  sa::AddressCheck check;  // its certificate_id is set when the inventory has it (now)
  bool added = false;      // the certificate was new: added to the inventory as discovered
};

class MonitorService {
 public:
  MonitorService(sa::Storage& storage, const ChainJudge& judge, notify::Notifier& notifier,
                 const Clock& clock, MonitorOptions options);
  ~MonitorService();

  Result<sa::Monitor> Create(const std::string& account_id, const MonitorInput& input,
                             const sa::Actor& actor);
  Result<sa::Monitor> Get(const std::string& account_id, const std::string& id);
  Result<sa::Page<sa::Monitor>> List(const std::string& account_id, const sa::PageRequest& page);
  // Interval and enabled; the endpoint itself does not change (make another monitor).
  Result<sa::Monitor> Update(const std::string& account_id, const std::string& id,
                             const MonitorInput& input, const sa::Actor& actor);
  Status Delete(const std::string& account_id, const std::string& id, const sa::Actor& actor);
  // Checks now, stores the result and alerts as a scheduled check would. A monitor an agent
  // checks cannot be checked from here: it is made due at once instead,
  // `queued_for_agent` is set and no check is returned (its result comes from the agent).
  Result<sa::MonitorCheck> CheckNow(const std::string& account_id, const std::string& id,
                                    bool* queued_for_agent = nullptr);
  Result<sa::Page<sa::MonitorCheck>> Checks(const std::string& account_id, const std::string& id,
                                            const sa::PageRequest& page);
  // Connects to each host and port (at most 20 endpoints, all at once, 5 s each), judges what
  // each serves, and adds the certificates the inventory did not know as discovered. Nothing
  // is watched: monitors are added for the endpoints one wants to keep an eye on.
  Result<std::vector<DiscoveredEndpoint>> Discover(const std::string& account_id,
                                                   const std::vector<std::string>& hosts,
                                                   const std::vector<int>& ports,
                                                   const sa::Actor& actor);
  // The scheduled work: checks the monitors that are due; how many were checked.
  Result<int> RunDue();

  // Agents (authenticated by their credential): the due monitors of the agent's target, each
  // claimed for ten minutes; and what the agent read for one of them, judged here like a check
  // of Signet's own (the same problems, history and alerts). `resolve_error` is set when the
  // host's addresses could not be found.
  Result<std::vector<sa::Monitor>> AgentMonitors(const std::string& credential);
  Result<sa::MonitorCheck> RecordAgentCheck(const std::string& credential,
                                            const std::string& monitor_id,
                                            const std::vector<AgentObservation>& observations,
                                            const std::string& resolve_error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::monitor

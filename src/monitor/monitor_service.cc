#include "signet/monitor/monitor_service.h"

#include <algorithm>
#include <cctype>
#include <future>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/ip_address.h"
#include "signet/common/log.h"
#include "signet/monitor/revocation_lookup.h"
#include "signet/notify/notifier.h"
#include "signet/probe/tls_probe.h"

namespace signet::monitor {

namespace {

Status Invalid(const std::string& message) { return MalformedError(message, "invalid_monitor"); }

bool ValidHost(const std::string& host) {
  if (host.empty() || host.size() > 253 || host.front() == '-') return false;
  for (unsigned char c : host) {
    if (!std::isalnum(c) && c != '-' && c != '.' && c != ':' && c != '_') return false;
  }
  return true;
}

int WarnDays(const std::string& schedule, int fallback) {
  // "30,15,7,3,1": the earliest reminder is when a served certificate starts to be a warning.
  int most = 0, value = 0;
  for (char c : schedule + ",") {
    if (c >= '0' && c <= '9') {
      value = std::min(value * 10 + (c - '0'), 10000);
    } else {
      most = std::max(most, value);
      value = 0;
    }
  }
  return most > 0 ? most : fallback;
}

}  // namespace

struct MonitorService::Impl {
  sa::Storage& storage;
  const ChainJudge& judge;
  notify::Notifier& notifier;
  const Clock& clock;
  MonitorOptions options;

  RevocationLookup revocations{clock, {.allow_private_addresses = options.allow_private_addresses}};

  // What the inventory says of the certificate an address served; true when Signet issued it
  // (and so knows whether it is revoked).
  bool RelateToInventory(const std::string& account_id, sa::AddressCheck& a) {
    if (!a.certificate) return false;
    const std::string& serial = a.certificate->serial_hex;
    sa::CertificateFilter filter;
    filter.include_hidden = true;
    filter.query = serial;
    auto found = storage.ListManagedCertificates(account_id, filter, {20, ""});
    if (!found.ok()) return false;
    for (const sa::ManagedCertificate& m : found->items) {
      if (m.serial_hex != serial) continue;
      a.certificate_id = m.id;
      if (m.source == core::CertificateSource::kIssued) {
        auto record = storage.GetCertificateBySerial(serial);
        if (record.ok() && record->status == core::CertificateStatus::kRevoked) {
          AddProblem(a, core::MonitorStatus::kCritical, "revoked",
                     "the served certificate (" + m.id + ") is revoked");
        }
      }
      sa::CertificateFilter lineage;
      lineage.include_hidden = true;
      lineage.lineage_id = m.lineage_id;
      bool issued_here = m.source == core::CertificateSource::kIssued;
      auto family = storage.ListManagedCertificates(account_id, lineage, {100, ""});
      if (!family.ok()) return issued_here;
      for (const sa::ManagedCertificate& other : family->items) {
        if (other.created_at > m.created_at && other.not_after > clock.Now()) {
          AddProblem(a, core::MonitorStatus::kWarning, "not_latest",
                     "a newer certificate of this lineage (" + other.id +
                         ") is not served yet: deploy it");
          break;
        }
      }
      return issued_here;
    }
    return false;
  }

  // A certificate Signet did not issue: its CA's OCSP responder or CRL, where reachable.
  void CheckRevocation(const probe::ServedChain& served, sa::AddressCheck& a) {
    if (served.certificates_der.size() < 2) return;
    RevocationAnswer answer =
        revocations.Lookup(served.certificates_der[0], served.certificates_der[1]);
    if (answer.state == RevocationAnswer::State::kRevoked) {
      AddProblem(a, core::MonitorStatus::kCritical, "revoked",
                 "the served certificate is revoked: " + answer.source + " says it was " +
                     answer.detail + "; install a new certificate");
    }
  }

  // What an address served, judged and related to the inventory (and, for another CA's
  // certificate, to that CA's revocation answer).
  sa::AddressCheck JudgeServed(const std::string& account_id, const probe::ServedChain& served,
                               const std::string& name, TimePoint now, int warn_days) {
    sa::AddressCheck a = judge.Judge(served, name, now, warn_days);
    if (!RelateToInventory(account_id, a)) CheckRevocation(served, a);
    return a;
  }

  // One address: refused when private (unless allowed), probed, judged, related to the
  // inventory. `served` receives what was served, for discovery.
  sa::AddressCheck CheckAddress(const std::string& account_id, const std::string& host, int port,
                                const std::string& name, const std::string& protocol,
                                const std::string& address, TimePoint now, int warn_days,
                                probe::ServedChain* served_out) {
    sa::AddressCheck a;
    a.address = address;
    auto ip = ParseIpAddress(address);
    if (!options.allow_private_addresses && (!ip || IsReservedAddress(*ip))) {
      AddProblem(a, core::MonitorStatus::kUnreachable, "unreachable",
                 address +
                     " is a loopback or private address, which this Signet does not "
                     "connect to (the operator can allow it: "
                     "monitoring.allow_private_addresses)");
      return a;
    }
    probe::Endpoint e;
    e.host = host;
    e.port = port;
    e.server_name = name;
    e.protocol = probe::ParseProtocol(protocol).value_or(probe::Protocol::kHttps);
    e.address = address;
    e.timeout = options.probe_timeout;
    auto served = probe::Probe(e);
    if (!served.ok()) {
      AddProblem(a, core::MonitorStatus::kUnreachable, "unreachable", served.status().message());
      return a;
    }
    a = JudgeServed(account_id, *served, name, now, warn_days);
    if (served_out != nullptr) *served_out = std::move(*served);
    return a;
  }

  int WarnDaysOf(const std::string& account_id) {
    auto schedule = storage.GetAccountReminderDays(account_id);
    return WarnDays(schedule.ok() ? *schedule : "", options.default_warn_days);
  }

  // A check of `m` starting now, before any address is looked at.
  sa::MonitorCheck NewCheck(const sa::Monitor& m) {
    sa::MonitorCheck check;
    check.monitor_id = m.id;
    check.account_id = m.account_id;
    check.checked_at = clock.Now();
    return check;
  }

  // The check's status: the worst of its addresses'.
  static void SetWorstStatus(sa::MonitorCheck& check) {
    check.status = core::MonitorStatus::kOk;
    for (const sa::AddressCheck& a : check.addresses) {
      if (core::Severity(a.status) > core::Severity(check.status)) check.status = a.status;
    }
  }

  sa::MonitorCheck Check(const sa::Monitor& m) {
    sa::MonitorCheck check = NewCheck(m);
    std::string name = m.server_name.empty() ? m.host : m.server_name;
    int warn_days = WarnDaysOf(m.account_id);
    auto addresses = probe::ResolveAddresses(m.host, options.probe_timeout);
    if (!addresses.ok()) {
      sa::AddressCheck a;
      AddProblem(a, core::MonitorStatus::kUnreachable, "unreachable", addresses.status().message());
      check.addresses.push_back(std::move(a));
    }
    for (const std::string& address : addresses.ok() ? *addresses : std::vector<std::string>{}) {
      check.addresses.push_back(CheckAddress(m.account_id, m.host, m.port, name, m.protocol,
                                             address, check.checked_at, warn_days, nullptr));
    }
    SetWorstStatus(check);
    return check;
  }

  // Alerts on a change for the worse (and the recovery), never on every check.
  Result<std::vector<sa::NewJob>> Alerts(const sa::Monitor& m, const sa::MonitorCheck& check) {
    int before = m.last_status ? core::Severity(*m.last_status) : 0;
    int now = core::Severity(check.status);
    if (now == before || (now < before && check.status != core::MonitorStatus::kOk)) {
      return std::vector<sa::NewJob>();
    }
    std::string where = m.host + ":" + std::to_string(m.port);
    notify::Notification n;
    n.account_id = m.account_id;
    n.subject_id = m.id;
    n.monitor_alert = true;
    if (check.status == core::MonitorStatus::kOk) {
      n.event = "monitor.recovered";
      n.subject = where + " is ok again";
      n.text = "The monitor of " + where + " finds no problem any more.\n";
    } else {
      n.event = "monitor.alert";
      n.subject = where + " is " + std::string(core::Name(check.status));
      n.text = "The monitor of " + where + " (" + m.protocol + ") found:\n";
      for (const sa::AddressCheck& a : check.addresses) {
        for (const sa::MonitorProblem& p : a.problems) {
          n.text +=
              "- " + (a.address.empty() ? "" : a.address + ": ") + p.code + ": " + p.detail + "\n";
        }
      }
    }
    return notifier.Jobs(n);
  }

  // What the agent read, judged as Check would have.
  sa::MonitorCheck AgentCheck(const sa::Monitor& m, const std::vector<AgentObservation>& seen,
                              const std::string& resolve_error) {
    sa::MonitorCheck check = NewCheck(m);
    std::string name = m.server_name.empty() ? m.host : m.server_name;
    int warn_days = WarnDaysOf(m.account_id);
    if (!resolve_error.empty() || seen.empty()) {
      sa::AddressCheck a;
      AddProblem(a, core::MonitorStatus::kUnreachable, "unreachable",
                 "the agent could not find the host's addresses: " +
                     (resolve_error.empty() ? std::string("it reported none") : resolve_error));
      check.addresses.push_back(std::move(a));
    }
    for (const AgentObservation& o : seen) {
      sa::AddressCheck a;
      a.address = o.address;
      auto served = o.error.empty()
                        ? probe::ServedChainFromDer(o.address, o.certificates_der, o.tls_version)
                        : Result<probe::ServedChain>(
                              Status::Error(ErrorCode::kUnavailable, "tls_unreachable", o.error));
      if (!served.ok()) {
        AddProblem(a, core::MonitorStatus::kUnreachable, "unreachable",
                   "the agent: " + served.status().message());
      } else {
        a = JudgeServed(m.account_id, *served, name, check.checked_at, warn_days);
      }
      check.addresses.push_back(std::move(a));
    }
    SetWorstStatus(check);
    return check;
  }

  Result<sa::MonitorCheck> CheckAndRecord(const sa::Monitor& m) { return Record(m, Check(m)); }

  // The check into the history, with its alerts in the same transaction.
  Result<sa::MonitorCheck> Record(const sa::Monitor& m, const sa::MonitorCheck& check) {
    SIGNET_ASSIGN_OR_RETURN(std::vector<sa::NewJob> alerts, Alerts(m, check));
    TimePoint next = check.checked_at + std::chrono::minutes(m.interval_minutes);
    return storage.RecordMonitorCheck(check, next, alerts);
  }
};

MonitorService::MonitorService(sa::Storage& storage, const ChainJudge& judge,
                               notify::Notifier& notifier, const Clock& clock,
                               MonitorOptions options)
    : impl_(new Impl{storage, judge, notifier, clock, std::move(options)}) {}

MonitorService::~MonitorService() = default;

Result<sa::Monitor> MonitorService::Create(const std::string& account_id, const MonitorInput& in,
                                           const sa::Actor& actor) {
  sa::Monitor m;
  m.account_id = account_id;
  m.host = in.host;
  for (char& c : m.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!ValidHost(m.host)) {
    return Invalid("'host' must be a host name or an IP address, such as www.example.com");
  }
  m.port = in.port.value_or(0);
  m.protocol = in.protocol.empty() ? "https" : in.protocol;
  auto protocol = probe::ParseProtocol(m.protocol);
  if (!protocol) return Invalid("'protocol' must be https, tls, smtp, imap or pop3");
  if (m.port == 0) {
    m.port = *protocol == probe::Protocol::kSmtp   ? 25
             : *protocol == probe::Protocol::kImap ? 143
             : *protocol == probe::Protocol::kPop3 ? 110
                                                   : 443;
  }
  if (m.port < 1 || m.port > 65535) return Invalid("'port' must be 1-65535");
  m.server_name = in.server_name;
  if (!m.server_name.empty() && !ValidHost(m.server_name)) {
    return Invalid("'server_name' must be a host name (the name clients ask for)");
  }
  m.interval_minutes = in.interval_minutes.value_or(60);
  if (m.interval_minutes < 5 || m.interval_minutes > 7 * 24 * 60) {
    return Invalid("'interval_minutes' must be 5-10080");
  }
  if (!in.agent_target_id.empty()) {
    auto target = impl_->storage.GetDeploymentTarget(account_id, in.agent_target_id);
    if (!target.ok() || target->type != core::TargetType::kAgent) {
      return Invalid(
          "'agent_target_id' must name one of this account's agent targets (type "
          "agent; docs/DEPLOYMENT.md)");
    }
    m.agent_target_id = in.agent_target_id;
  }
  auto ip = ParseIpAddress(m.host);
  // An agent's network is its own: the rule protects Signet's.
  if (m.agent_target_id.empty() && ip && IsReservedAddress(*ip) &&
      !impl_->options.allow_private_addresses) {
    return Status::Error(ErrorCode::kForbidden, "private_address",
                         m.host +
                             " is a loopback or private address, which this Signet does not "
                             "monitor; the operator can allow it with "
                             "monitoring.allow_private_addresses = true");
  }
  m.enabled = in.enabled.value_or(true);
  m.next_check_at = impl_->clock.Now();
  return impl_->storage.CreateMonitor(m, actor);
}

Result<sa::Monitor> MonitorService::Get(const std::string& account_id, const std::string& id) {
  return impl_->storage.GetMonitor(account_id, id);
}

Result<sa::Page<sa::Monitor>> MonitorService::List(const std::string& account_id,
                                                   const sa::PageRequest& page) {
  return impl_->storage.ListMonitors(account_id, page);
}

Result<sa::Monitor> MonitorService::Update(const std::string& account_id, const std::string& id,
                                           const MonitorInput& in, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Monitor m, impl_->storage.GetMonitor(account_id, id));
  if (!in.host.empty() || in.port || !in.server_name.empty() || !in.protocol.empty()) {
    return Invalid("a monitor's endpoint does not change; add a monitor for the new one");
  }
  if (in.interval_minutes) {
    if (*in.interval_minutes < 5 || *in.interval_minutes > 7 * 24 * 60) {
      return Invalid("'interval_minutes' must be 5-10080");
    }
    m.interval_minutes = *in.interval_minutes;
    m.next_check_at =
        std::min(m.next_check_at, impl_->clock.Now() + std::chrono::minutes(m.interval_minutes));
  }
  if (in.enabled) {
    if (*in.enabled && !m.enabled) m.next_check_at = impl_->clock.Now();
    m.enabled = *in.enabled;
  }
  return impl_->storage.UpdateMonitor(m, actor);
}

Status MonitorService::Delete(const std::string& account_id, const std::string& id,
                              const sa::Actor& actor) {
  return impl_->storage.DeleteMonitor(account_id, id, actor);
}

Result<sa::MonitorCheck> MonitorService::CheckNow(const std::string& account_id,
                                                  const std::string& id, bool* queued_for_agent) {
  SIGNET_ASSIGN_OR_RETURN(sa::Monitor m, impl_->storage.GetMonitor(account_id, id));
  if (queued_for_agent != nullptr) *queued_for_agent = false;
  if (!m.agent_target_id.empty()) {
    m.next_check_at = impl_->clock.Now();
    SIGNET_RETURN_IF_ERROR(
        impl_->storage
            .UpdateMonitor(m, {.user_id = "system", .account_id = account_id, .source = "system"})
            .status());
    if (queued_for_agent != nullptr) *queued_for_agent = true;
    return sa::MonitorCheck{};
  }
  return impl_->CheckAndRecord(m);
}

Result<std::vector<sa::Monitor>> MonitorService::AgentMonitors(const std::string& credential) {
  TimePoint now = impl_->clock.Now();
  SIGNET_ASSIGN_OR_RETURN(sa::DeploymentAgent agent,
                          impl_->storage.FindAgentByCredential(Sha256Hex(credential), now));
  return impl_->storage.ClaimDueMonitors(now, now + std::chrono::minutes(10), 20, agent.target_id);
}

Result<sa::MonitorCheck> MonitorService::RecordAgentCheck(
    const std::string& credential, const std::string& monitor_id,
    const std::vector<AgentObservation>& observations, const std::string& resolve_error) {
  SIGNET_ASSIGN_OR_RETURN(
      sa::DeploymentAgent agent,
      impl_->storage.FindAgentByCredential(Sha256Hex(credential), impl_->clock.Now()));
  auto m = impl_->storage.GetMonitor(agent.account_id, monitor_id);
  // Another agent's monitor is as absent as one that does not exist.
  if (!m.ok() || m->agent_target_id != agent.target_id) {
    return NotFoundError("this agent checks no monitor " + monitor_id);
  }
  if (observations.size() > 16) return Invalid("at most 16 addresses per check");
  return impl_->Record(*m, impl_->AgentCheck(*m, observations, resolve_error));
}

Result<sa::Page<sa::MonitorCheck>> MonitorService::Checks(const std::string& account_id,
                                                          const std::string& id,
                                                          const sa::PageRequest& page) {
  SIGNET_RETURN_IF_ERROR(impl_->storage.GetMonitor(account_id, id).status());
  return impl_->storage.ListMonitorChecks(account_id, id, page);
}

Result<std::vector<DiscoveredEndpoint>> MonitorService::Discover(
    const std::string& account_id, const std::vector<std::string>& hosts,
    const std::vector<int>& ports, const sa::Actor& actor) {
  if (hosts.empty()) return Invalid("'hosts' must name at least one host");
  std::vector<int> wanted = ports.empty() ? std::vector<int>{443} : ports;
  if (hosts.size() * wanted.size() > 20) {
    return Invalid("discovery looks at most 20 endpoints (hosts times ports) at a time");
  }
  for (const std::string& h : hosts) {
    if (!ValidHost(h)) return Invalid("'hosts' holds '" + h + "', which is not a host name");
  }
  for (int p : wanted) {
    if (p < 1 || p > 65535) return Invalid("'ports' must be 1-65535");
  }
  int warn_days = impl_->WarnDaysOf(account_id);
  TimePoint now = impl_->clock.Now();
  struct Found {
    DiscoveredEndpoint endpoint;
    probe::ServedChain served;
  };
  std::vector<std::future<Found>> running;
  for (const std::string& host : hosts) {
    for (int port : wanted) {
      running.push_back(
          std::async(std::launch::async, [this, account_id, host, port, now, warn_days] {
            Found f;
            f.endpoint.host = host;
            f.endpoint.port = port;
            auto addresses = probe::ResolveAddresses(host, std::chrono::seconds(5));
            if (!addresses.ok() || addresses->empty()) {
              AddProblem(f.endpoint.check, core::MonitorStatus::kUnreachable, "unreachable",
                         addresses.ok() ? host + " has no address" : addresses.status().message());
              return f;
            }
            // The first address speaks for the endpoint here; a monitor checks every address.
            f.endpoint.check = impl_->CheckAddress(account_id, host, port, host, "https",
                                                   addresses->front(), now, warn_days, &f.served);
            return f;
          }));
    }
  }
  std::vector<DiscoveredEndpoint> out;
  for (auto& r : running) {
    Found f = r.get();
    sa::AddressCheck& c = f.endpoint.check;
    if (c.certificate && c.certificate_id.empty() && !f.served.certificates_der.empty()) {
      sa::ManagedCertificate m;
      // The same certificate found again (or by two discoveries at once) is the same entry.
      m.id = "dc_" + c.certificate->sha256_hex.substr(0, 32);
      m.account_id = account_id;
      m.source = core::CertificateSource::kDiscovered;
      m.serial_hex = c.certificate->serial_hex;
      const std::string& leaf = f.served.certificates_der.front();
      m.der_base64 = Base64Encode(AsBytes(leaf));
      for (size_t i = 1; i < f.served.certificates_der.size(); ++i) {
        m.chain_pem += PemEncode("CERTIFICATE", AsBytes(f.served.certificates_der[i]));
      }
      for (const std::string& n : c.certificate->names) {
        m.names += (m.names.empty() ? "" : ",") + n;
      }
      m.issuer_name = c.certificate->issuer;
      m.not_before = c.certificate->not_before;
      m.not_after = c.certificate->not_after;
      m.alias = "discovered on " + f.endpoint.host + ":" + std::to_string(f.endpoint.port);
      auto added = impl_->storage.AddManagedCertificate(m, actor);
      if (added.ok()) {
        c.certificate_id = added->id;
        f.endpoint.added = added->created_at >= now;
      }
    }
    out.push_back(std::move(f.endpoint));
  }
  return out;
}

Result<int> MonitorService::RunDue() {
  TimePoint now = impl_->clock.Now();
  // Claimed for ten minutes: a node that dies while checking leaves them to another then.
  SIGNET_ASSIGN_OR_RETURN(
      auto due, impl_->storage.ClaimDueMonitors(now, now + std::chrono::minutes(10), 20, ""));
  int checked = 0;
  for (const sa::Monitor& m : due) {
    auto recorded = impl_->CheckAndRecord(m);
    if (!recorded.ok()) {
      log::Error("a monitor check could not be recorded",
                 {{"monitor", m.id}, {"error", recorded.status().message()}});
      continue;
    }
    ++checked;
  }
  return checked;
}

}  // namespace signet::monitor

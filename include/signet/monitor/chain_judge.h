// ChainJudge: what is wrong with the chain one address served (issue 17), as problems with stable
// codes: expired, not_yet_valid, expires_soon, name_mismatch, self_signed, chain_incomplete,
// untrusted, weak_key, weak_protocol. What needs the inventory (revoked, not_latest, the
// certificate's id) is the monitor service's.
//
// The chain is checked against the system's trust store and Signet's own roots; a chain that
// verifies only once Signet's own intermediates are added is incomplete (the server forgot to
// send its intermediate), otherwise it is untrusted.
//
// Thread-safety: a ChainJudge is immutable after construction; Judge may run concurrently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/status.h"
#include "signet/probe/tls_probe.h"
#include "signet/sa/types.h"

namespace signet::monitor {

struct TrustAnchors {
  std::string system_bundle_file;  // e.g. /etc/ssl/certs/ca-certificates.crt; empty: none
  std::string roots_pem;           // Signet's own roots, trusted too
  std::string intermediates_pem;   // Signet's issuing CAs, for telling incomplete from untrusted
};

class ChainJudge {
 public:
  static Result<std::unique_ptr<ChainJudge>> Create(const TrustAnchors& anchors);
  ~ChainJudge();

  // The address's certificate and problems, its status the worst of them (ok when none).
  // `name` is what clients ask for (the SNI); `warn_days` makes expires_soon.
  sa::AddressCheck Judge(const probe::ServedChain& served, const std::string& name, TimePoint now,
                         int warn_days) const;

 private:
  struct Impl;
  explicit ChainJudge(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Adds a problem and raises the status to at least `status`.
void AddProblem(sa::AddressCheck& check, core::MonitorStatus status, std::string code,
                std::string detail);

}  // namespace signet::monitor

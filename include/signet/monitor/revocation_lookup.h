// RevocationLookup: whether a certificate Signet did not issue is revoked, asked of its own CA
// where that CA can be reached: the OCSP responder named in its Authority Information Access
// (RFC 6960), else the first http(s) CRL distribution point (RFC 5280). Answers are believed only
// when signed by the certificate's issuer (or by a responder the issuer delegated to) and still
// current. CRLs are cached by URL until their nextUpdate (at most an hour), so monitors of many
// sites of one CA do not fetch the same list again and again.
//
// The URLs come from certificates that anybody's server can serve, so they get the monitors'
// rule: loopback and private addresses are not connected to unless allowed. Nothing reachable,
// nothing signed right or nothing current is kUnknown: the caller reports no problem then
// ("where reachable").
//
// Thread-safety: Lookup may be called from many threads at once (the cache has a mutex).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "signet/common/clock.h"

namespace signet::monitor {

struct RevocationAnswer {
  enum class State { kUnknown, kGood, kRevoked };
  State state = State::kUnknown;
  std::string source;  // "OCSP http://..." or "CRL http://..."
  std::string detail;  // revoked: when and why; unknown: why not known
};

struct RevocationLookupOptions {
  bool allow_private_addresses = false;
  std::chrono::milliseconds timeout{5000};
  size_t max_crl_bytes = 20 << 20;
};

class RevocationLookup {
 public:
  RevocationLookup(const Clock& clock, RevocationLookupOptions options);
  ~RevocationLookup();

  // `leaf_der` and its issuer's certificate, both DER.
  RevocationAnswer Lookup(const std::string& leaf_der, const std::string& issuer_der);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::monitor

// OcspResponder: answers RFC 6960 requests for certificates of Signet's issuers. Responses are
// signed by the issuer itself (no delegated responder), valid for 4 days (BR 4.9.10: at least
// 8 hours, at most 10 days), cached and reused until half their life or the certificate's
// revocation here, and re-read from storage at most `cache_ttl` later when another node revoked it.
// A serial Signet never issued is answered "unknown", never "good"; a request for another CA's
// certificate gets the "unauthorized" response status.
//
// Thread-safety: Respond may be called concurrently.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "signet/ca/ca_hierarchy.h"
#include "signet/common/clock.h"
#include "signet/sa/storage.h"

namespace signet::ca {

struct OcspResponderOptions {
  std::chrono::hours validity{96};
  std::chrono::seconds cache_ttl{60};
};

class OcspResponder {
 public:
  OcspResponder(const CaHierarchy& hierarchy, sa::IssuanceStore& store, const Clock& clock,
                OcspResponderOptions options = {});
  ~OcspResponder();

  // DER OCSPRequest in, DER OCSPResponse out. Malformed requests get a "malformedRequest"
  // response, not an error: OCSP clients expect an OCSP answer.
  std::string Respond(const std::string& request_der);
  // Drops the cached response of a serial (called after a revocation).
  void Forget(const std::string& serial_hex);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::ca

// CertificateAuthority: the issuance cycle, as one crash-safe sequence (docs/ISSUANCE.md):
//   1. reserve and store the serial (with the request), 2. build the to-be-signed certificate and
//   sign it with a throwaway key, 3. lint it, 4. sign it with the issuer's key, 5. store it.
// An issuance interrupted anywhere is completed by ResumeUnfinished (or by calling Issue again
// with the same issuance id) with the same serial; an issuance never yields two stored
// certificates and a serial is never used twice. The CA never talks to the network.
//
// Thread-safety: Issue and ResumeUnfinished may be called concurrently.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "signet/ca/ca_hierarchy.h"
#include "signet/ca/profile.h"
#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/sa/storage.h"

namespace signet::ca {

struct CertificateAuthorityOptions {
  std::string public_url;  // AIA and CRL URLs are built from it
  int crl_shards = 16;
  // Test hook: called after each step ("reserved", "linted", "signed"); a crash test aborts here.
  std::function<void(const std::string& step)> after_step;
};

struct IssuedCertificate {
  std::string serial_hex;
  std::string issuer;
  std::string certificate_pem;
  std::string der_base64;  // the certificate, as stored
  std::string names;       // its DNS names and IP addresses, comma-separated, as stored
  std::string chain_pem;   // the issuer, then the root
  TimePoint not_before;
  TimePoint not_after;
};

class CertificateAuthority {
 public:
  CertificateAuthority(const CaHierarchy& hierarchy, sa::IssuanceStore& store, const Clock& clock,
                       Random& random, CertificateAuthorityOptions options);
  ~CertificateAuthority();

  // Issues (or returns the certificate already issued for request.issuance_id). A lint failure
  // refuses with the lint's name as the Status reason.
  Result<IssuedCertificate> Issue(const IssuanceRequest& request, const sa::Actor& actor);
  // Completes every issuance left reserved or linted by a crash; returns how many.
  Result<int> ResumeUnfinished(const sa::Actor& actor);

  // The CRL shard a serial belongs to (also in its CRL distribution point URL).
  int CrlShardFor(const std::string& serial_hex) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::ca

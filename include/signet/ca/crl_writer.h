// CrlWriter: builds, signs and stores the CRLs of every issuer, partitioned into shards (each
// certificate names its shard in its CRL distribution point). BR 7.2: nextUpdate 7 days after
// thisUpdate (at most 10 allowed), reason codes only where not unspecified, the issuing
// distribution point of the shard in every CRL.
//
// Thread-safety: Generate* may be called concurrently; CRL numbers come from storage.
#pragma once

#include <chrono>
#include <string>

#include "signet/ca/ca_hierarchy.h"
#include "signet/common/clock.h"
#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet::ca {

struct CrlWriterOptions {
  std::string public_url;
  int shards = 16;
  std::chrono::hours lifetime{7 * 24};
};

// RFC 5280 CRLReason names used by the API: unspecified(0), keyCompromise(1),
// affiliationChanged(3), superseded(4), cessationOfOperation(5), privilegeWithdrawn(9) — the
// only ones BR 7.2.2 allows for subscriber certificates.
Result<int> ParseRevocationReason(const std::string& name);
const char* RevocationReasonName(int code);

// Builds and signs one CRL (v2, CRL number, AKI, a critical issuing distribution point naming
// `url`) with the issuer's signer; returns its DER. Storage-free.
Result<std::string> BuildCrl(const Issuer& issuer, const std::vector<sa::RevokedEntry>& revoked,
                             int64_t number, TimePoint this_update, std::chrono::hours lifetime,
                             const std::string& url, bool covers_ca_certificates);

class CrlWriter {
 public:
  CrlWriter(const CaHierarchy& hierarchy, sa::IssuanceStore& store, const Clock& clock,
            CrlWriterOptions options);

  // Builds and stores a fresh CRL for one shard; returns its DER.
  Result<std::string> Generate(const std::string& issuer, int shard);
  // Builds and signs a CRL from the given entries without touching storage; returns its DER.
  Result<std::string> Build(const Issuer& issuer, int shard,
                            const std::vector<sa::RevokedEntry>& revoked, int64_t number,
                            TimePoint this_update) const;
  // Regenerates every shard whose CRL is missing or past half its lifetime.
  Status RefreshAll(bool force = false);
  // The URL a certificate of this shard names as its CRL distribution point.
  std::string UrlFor(const std::string& issuer, int shard) const;
  int shards() const { return options_.shards; }

 private:
  const CaHierarchy& hierarchy_;
  sa::IssuanceStore& store_;
  const Clock& clock_;
  CrlWriterOptions options_;
};

}  // namespace signet::ca

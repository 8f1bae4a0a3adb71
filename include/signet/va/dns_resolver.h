// DnsResolver: DNS lookups for validation and CAA, with the DNSSEC verdict of every answer.
// The implementation is libunbound, validating against configured trust anchors (the IANA root
// anchor by default); BR 3.2.2.4 requires DNSSEC validation for DCV lookups since 2026-03-15.
//
// Thread-safety: Resolve may be called from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "signet/common/status.h"

namespace signet::va {

enum class DnsType : uint16_t { kA = 1, kCname = 5, kTxt = 16, kAaaa = 28, kCaa = 257 };

enum class DnssecState {
  kSecure,    // signed and validated
  kInsecure,  // provably unsigned (or validation disabled)
  kBogus,     // validation failed: never to be relied on
};

struct DnsAnswer {
  std::string query;      // the name asked
  std::string canonical;  // the name the data belongs to after following CNAMEs
  int rcode = 0;          // 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ...
  bool nxdomain = false;
  DnssecState dnssec = DnssecState::kInsecure;
  std::string why_bogus;           // the validator's reason when bogus
  std::vector<std::string> rdata;  // raw RDATA of each record of the asked type
};

struct DnsResolverOptions {
  // "ip:port" or "ip" of recursive resolvers (or, in tests, an authoritative server) to forward
  // to. Empty: the system's /etc/resolv.conf.
  std::vector<std::string> forwarders;
  // Files of trust anchors in zone-file format (DS or DNSKEY). Empty: the IANA root anchor from
  // Debian's dns-root-data. {"none"} disables validation: every answer is then kInsecure.
  std::vector<std::string> trust_anchor_files;
  // Zones to resolve normally although unbound treats them as special-use and answers them
  // locally (e.g. "test" for RFC 6761 names, when names.internal_suffixes allows them).
  std::vector<std::string> transparent_zones;
  int timeout_ms = 10000;
};

class DnsResolver {
 public:
  virtual ~DnsResolver() = default;
  // A lookup that could not complete (SERVFAIL, timeout, no server) is an error Status with code
  // kDns; NXDOMAIN and NOERROR/no-data are answers. A bogus answer is returned as an answer with
  // dnssec == kBogus so callers can report it; they must treat it as failure.
  virtual Result<DnsAnswer> Resolve(const std::string& name, DnsType type) = 0;
  // Whether DNSSEC validation is on; recorded with each validation.
  virtual bool Validating() const = 0;
};

Result<std::unique_ptr<DnsResolver>> MakeUnboundResolver(const DnsResolverOptions& options);

// RDATA decoders. TXT: the character-strings of one record joined; CNAME: the target name.
std::string TxtRdataToString(const std::string& rdata);
struct CaaRecord {
  uint8_t flags = 0;
  std::string tag;  // lower-cased
  std::string value;
  bool critical() const { return (flags & 0x80) != 0; }
};
Result<CaaRecord> ParseCaaRdata(const std::string& rdata);

}  // namespace signet::va

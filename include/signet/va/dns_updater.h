// DnsUpdater: adds and removes TXT records by RFC 2136 dynamic update, signed with TSIG
// (RFC 8945). Used to publish validation records in the zone Signet's CNAME delegation points to,
// and in an applicant's own zone when they hand Signet an update key ("automatic DNS").
//
// Thread-safety: every call is independent; safe from many threads.
#pragma once

#include <memory>
#include <string>

#include "signet/common/status.h"

namespace signet::va {

struct TsigKey {
  std::string name;                       // e.g. "signet-key."
  std::string algorithm = "hmac-sha256";  // hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1
  std::string secret_base64;
};

struct DnsUpdateTarget {
  std::string server;  // "ip:port" or "ip" (port 53) of the zone's primary
  std::string zone;
  TsigKey key;
};

class DnsUpdater {
 public:
  virtual ~DnsUpdater() = default;
  // Adds one TXT record (other TXT records at the name stay). Idempotent.
  virtual Status AddTxt(const DnsUpdateTarget& target, const std::string& name,
                        const std::string& value, int ttl) = 0;
  // Removes the TXT record with exactly this value; absent is fine.
  virtual Status RemoveTxt(const DnsUpdateTarget& target, const std::string& name,
                           const std::string& value) = 0;
};

// Over ldns, by TCP, with a timeout per exchange.
std::unique_ptr<DnsUpdater> MakeLdnsUpdater(int timeout_ms = 10000);

// Checks the shape of a key an applicant typed, naming the field to fix.
Status CheckTsigKey(const TsigKey& key);

}  // namespace signet::va

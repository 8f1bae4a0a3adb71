// CaaChecker: whether CAA records (RFC 8659, with RFC 8657's accounturi and validationmethods)
// let this CA issue for a name (BR 3.2.2.8). A failed or bogus lookup is never permission.
//
// Thread-safety: Check may be called from many threads at once (the resolver must allow it).
#pragma once

#include <string>
#include <vector>

#include "signet/common/status.h"
#include "signet/va/dns_resolver.h"

namespace signet::va {

struct CaaRequest {
  std::string name;  // the name without "*." (a base name)
  bool wildcard = false;
  // RFC 8657: the applicant's account URI and the method label used to validate ("dns-01",
  // "http-01", "tls-alpn-01" for ACME; "ca-dns-txt", "ca-dns-cname", "ca-dns-auto", "ca-file",
  // "ca-email" for Signet's own methods).
  std::string account_uri;
  std::string method_label;
};

struct CaaResult {
  bool permitted = false;
  std::string relevant_name;         // where the relevant RRset was found; empty if none
  std::vector<std::string> records;  // that RRset, presentation format
  std::string detail;                // why, in words an applicant can act on
  DnssecState dnssec = DnssecState::kInsecure;
};

class CaaChecker {
 public:
  // issuer_domains: the names this CA recognises as itself in issue/issuewild values.
  // unqueried_suffixes: names never asked for CAA while climbing: internal suffixes such as
  // "test", which no name server serves (a real TLD is always asked).
  CaaChecker(DnsResolver& resolver, std::vector<std::string> issuer_domains,
             std::vector<std::string> unqueried_suffixes = {});

  // A Status error (kDns) when a lookup failed or a DNSSEC answer was bogus; otherwise the
  // decision, permitted or not, with its reason.
  Result<CaaResult> Check(const CaaRequest& request) const;

 private:
  DnsResolver& resolver_;
  std::vector<std::string> issuer_domains_;
  std::vector<std::string> unqueried_suffixes_;
};

// The RFC 8657 method label of a Signet validation method name ("dns_txt" -> "ca-dns-txt").
std::string CaaMethodLabel(const std::string& method);

}  // namespace signet::va

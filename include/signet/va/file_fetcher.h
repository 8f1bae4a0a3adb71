// FileFetcher: retrieves a validation file over http or https the way BR 3.2.2.4.18 allows:
// authorized ports only, redirects only 301/302/307/308 to http/https on authorized ports, only
// a 2xx answer counts, and never to a loopback or private address unless the operator allows it.
// Host names are resolved with the validating DnsResolver, so the fetch sees what DCV saw.
//
// Thread-safety: Fetch may be called from many threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "signet/common/status.h"
#include "signet/va/dns_resolver.h"

namespace signet::va {

struct FileFetcherOptions {
  int http_port = 80;
  int https_port = 443;
  int tls_alpn_port = 443;  // TLS-ALPN-01 (RFC 8737), not a fetch port
  bool allow_private_addresses = false;
  int timeout_ms = 10000;
  int max_redirects = 10;
  size_t max_body_bytes = 65536;
};

struct FetchResult {
  int status = 0;
  std::string body;               // at most max_body_bytes
  std::vector<std::string> hops;  // "GET url -> status [address]" per request, for the record
};

class FileFetcher {
 public:
  FileFetcher(DnsResolver& resolver, FileFetcherOptions options);
  // Fetches `path` from `host` starting with `scheme` ("http" or "https"). A non-2xx final status
  // is a result, not an error; errors are lookups, refused addresses or redirects, and
  // connection failures, with a message naming the hop.
  Result<FetchResult> Fetch(const std::string& scheme, const std::string& host,
                            const std::string& path) const;

 private:
  DnsResolver& resolver_;
  FileFetcherOptions options_;
};

// The address validation connects to for `bare_host` (a name or IP literal), resolved with the
// validating resolver; reserved addresses are refused unless `allow_private`. `where` names the
// URL or endpoint in error messages.
Result<std::string> ResolveValidationAddress(DnsResolver& resolver, const std::string& bare_host,
                                             bool allow_private, const std::string& where);
// Whether `address` (an IP literal) may be connected to under `allow_private`.
bool AddressAllowed(const std::string& address, bool allow_private);

}  // namespace signet::va

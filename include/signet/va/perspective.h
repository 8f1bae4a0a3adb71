// Network perspectives (BR 3.2.2.9). A Perspective performs one check (a DNS TXT record, a
// validation file, or CAA) from where it sits on the network and reports what it saw. The
// primary perspective is this process; remote perspectives are `signetd perspective` processes
// reached over authenticated HTTPS. A Corroborator asks all of them and applies the BR quorum.
//
// Thread-safety: Check may be called from many threads at once on every implementation.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "signet/va/caa_checker.h"
#include "signet/va/dns_resolver.h"
#include "signet/va/file_fetcher.h"

namespace signet::va {

struct CheckRequest {
  // "dns_txt": a TXT record at `name` must equal `expected`; "file": the validation file of
  // domain `name` must equal `expected`; "caa": CAA must permit issuance for `name`.
  // "http_01": http://name/.well-known/acme-challenge/<token> must hold `expected` (the key
  // authorization); "tls_alpn_01": name's TLS port must prove `expected` (RFC 8737).
  std::string kind;
  std::string name;
  std::string expected;
  bool wildcard = false;     // caa
  std::string account_uri;   // caa (RFC 8657)
  std::string method_label;  // caa (RFC 8657)
  std::string token;         // http_01
};

struct PerspectiveResult {
  std::string perspective;  // "primary" or the remote's URL
  bool ok = false;
  std::string seen;    // what was observed, for the record
  std::string reason;  // stable snake_case reason when not ok
  std::string error;   // words the applicant can act on, when not ok
  std::string dnssec;  // "secure", "insecure", "bogus" or "" when no DNS answer was used
};

class Perspective {
 public:
  virtual ~Perspective() = default;
  virtual std::string Name() const = 0;
  virtual PerspectiveResult Check(const CheckRequest& request) = 0;
};

// The checks themselves, from this process.
class LocalPerspective final : public Perspective {
 public:
  LocalPerspective(std::string name, DnsResolver& resolver, FileFetcherOptions fetch,
                   std::vector<std::string> caa_issuer_domains,
                   std::vector<std::string> internal_suffixes = {});
  std::string Name() const override { return name_; }
  PerspectiveResult Check(const CheckRequest& request) override;

 private:
  PerspectiveResult CheckTxt(const CheckRequest& request);
  PerspectiveResult CheckFile(const CheckRequest& request);
  PerspectiveResult CheckCaa(const CheckRequest& request);
  PerspectiveResult CheckHttp01(const CheckRequest& request);
  PerspectiveResult CheckTlsAlpn01(const CheckRequest& request);

  std::string name_;
  DnsResolver& resolver_;
  FileFetcherOptions fetch_options_;
  FileFetcher fetcher_;
  CaaChecker caa_;
};

// A `signetd perspective` at `url` (https://host:port), authenticated both ways: its certificate
// must chain to `ca_file`, and requests carry `token`.
std::unique_ptr<Perspective> MakeRemotePerspective(const std::string& url, const std::string& token,
                                                   const std::string& ca_file, int timeout_ms);

// BR 3.2.2.9 "Quorum Requirements": how many remote perspectives may fail to corroborate.
int AllowedNonCorroborations(int remote_perspectives);

struct CorroboratedResult {
  bool ok = false;
  PerspectiveResult primary;
  std::vector<PerspectiveResult> remotes;
  int corroborating = 0;
  int allowed_non_corroborations = 0;
  std::string summary;  // e.g. "single perspective (no remote perspectives configured)"
};

class Corroborator {
 public:
  Corroborator(Perspective& primary, std::vector<std::unique_ptr<Perspective>> remotes);
  // The primary and all remotes check concurrently. OK when the primary succeeds and enough
  // remotes agree; a remote that could not be reached counts as not corroborating.
  CorroboratedResult Check(const CheckRequest& request);
  size_t remote_count() const { return remotes_.size(); }

 private:
  Perspective& primary_;
  std::vector<std::unique_ptr<Perspective>> remotes_;
};

// JSON for the perspective protocol (shared by the client and `signetd perspective`).
std::string CheckRequestToJson(const CheckRequest& request);
Result<CheckRequest> CheckRequestFromJson(const std::string& json);
std::string PerspectiveResultToJson(const PerspectiveResult& result);
Result<PerspectiveResult> PerspectiveResultFromJson(const std::string& json);

}  // namespace signet::va

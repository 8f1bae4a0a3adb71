// DomainValidationService: the registration authority's side of domain-control validation.
// It creates validations (a fresh random value per request, BR 3.2.2.4), tells the applicant what
// to publish, runs checks through the validation authority's perspectives (now, or as durable
// jobs with backoff), publishes records itself for CNAME delegation and automatic DNS (RFC 2136),
// sends and accepts email approvals, and lists the account's pre-validated domains.
//
// Thread-safety: all methods may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet {
class KeyVault;
}  // namespace signet
namespace signet::ca {
using KeyVault = signet::KeyVault;  // common/key_vault.h
}
namespace signet::notify {
class Mailer;
}
namespace signet::va {
class NamePolicy;
class DnsUpdater;
class Corroborator;
struct TsigKey;
}  // namespace signet::va

namespace signet::ra {

struct DnsAutoInput {
  std::string server;  // ip:port of the zone's primary
  std::string zone;
  std::string key_name;
  std::string algorithm = "hmac-sha256";
  std::string secret;  // base64; sealed at rest, never shown again
};

// A validation as the applicant sees it. The method's details (the CNAME target, the dns_auto
// server, the email address) are in validation.details; the value to publish is the token.
struct ValidationView {
  sa::DomainValidation validation;
  // As shown: a pending validation whose random value has passed its life reads as expired.
  core::ValidationStatus status = core::ValidationStatus::kPending;
  std::string requested;  // the name as asked (may be a wildcard or a name below `domain`)
  // DNS methods: the record's name relative to the registered domain, which DNS consoles ask
  // for, and that domain.
  std::string host_record;
  std::string registered_domain;
  std::string file_path;  // file: the path on the web server (fetched over http and https)
  std::optional<TimePoint> reusable_until;  // when valid: until when orders may reuse it
};

// The upstream CA's challenge a validation answers (a brand's order, docs/BRANDS.md): dns-01
// for the DNS methods (the TXT record at _acme-challenge.<name>), http-01 for file (the key
// authorization at /.well-known/acme-challenge/<token>).
struct UpstreamChallengeInput {
  std::string challenge_url;
  std::string authorization_url;
  std::string token;  // the challenge's token
  std::string value;  // what to publish: dns-01's digest, or http-01's key authorization
};

struct NewValidation {
  std::string domain;  // as typed: may be a wildcard, an IDN, upper case
  std::string method;  // dns_txt, dns_cname, dns_auto, file, email
  std::optional<DnsAutoInput> dns_auto;
  std::string email;  // email: one of admin@, administrator@, webmaster@, hostmaster@, postmaster@
  // Set: the value is the upstream's and Signet's check is only the first step (the upstream's
  // own check decides); Signet neither checks CAA for it nor reuses it for other orders.
  std::optional<UpstreamChallengeInput> upstream;
};

// An ACME challenge answered by the client (RFC 8555 section 8): the token and key
// authorization come from the ACME layer; the check runs like every other validation.
struct AcmeChallengeInput {
  std::string authorization_id;  // marked answered in the same transaction
  std::string domain;            // the base name, A-labels
  bool wildcard = false;
  std::string challenge_type;  // http-01, dns-01, tls-alpn-01
  std::string token;
  std::string key_authorization;
};

// The stored method name of an ACME challenge type ("http-01" -> "acme_http_01").
std::string AcmeMethod(const std::string& challenge_type);
// Whether a validation by `method` also proves control of subdomains (and so of wildcards):
// DNS and email methods do; file, http-01 and tls-alpn-01 prove only the exact name.
bool MethodCoversSubdomains(const std::string& method);

// Whether a validation can no longer succeed and must be started again: it failed, expired, or
// is still pending after its random value's lifetime (BR 3.2.2.4) with no check noticing yet.
bool IsStopped(const sa::DomainValidation& v, TimePoint now);

struct DomainValidationOptions {
  std::string dns_label = "_dnsauth";
  std::string public_url;  // for the email approval link and RFC 8657 account URIs
  // CNAME delegation: the zone Signet publishes into, its primary and Signet's TSIG key.
  std::string cname_zone;
  std::string cname_server;
  std::string cname_key_name;
  std::string cname_key_algorithm = "hmac-sha256";
  std::string cname_key_secret;
  bool allow_private_addresses = false;
  bool email_enabled = true;  // an SMTP server is configured
  int record_ttl = 60;
  int check_max_attempts = 100;
};

// A pre-validated domain of the account (BR 4.2.1 reuse).
struct PrevalidatedDomain {
  std::string domain;
  std::string method;
  std::string validation_id;
  TimePoint validated_at;
  TimePoint valid_until;
  bool covers_subdomains = false;
};

class DomainValidationService {
 public:
  DomainValidationService(sa::Storage& storage, const va::NamePolicy& names,
                          va::Corroborator& corroborator, va::DnsUpdater& updater,
                          notify::Mailer& mailer, const ca::KeyVault& vault, const Clock& clock,
                          Random& random, DomainValidationOptions options);
  ~DomainValidationService();

  // Creates a pending validation and queues its checks (or its email).
  Result<sa::DomainValidation> Create(const std::string& account_id, const NewValidation& input,
                                      const sa::Actor& actor);
  // Creates the validation of an answered ACME challenge (Conflict "challenge_started" when the
  // authorization was answered already). The ACME layer runs its check; unlike the other
  // methods, one failed check makes it invalid (RFC 8555 section 8.2: the client starts over).
  Result<sa::DomainValidation> CreateAcme(const std::string& account_id,
                                          const AcmeChallengeInput& input, const sa::Actor& actor);
  // Checks now (every perspective, then CAA) and records the attempt. A validation that is no
  // longer pending is returned unchanged.
  Result<sa::DomainValidation> CheckNow(const std::string& account_id, const std::string& id,
                                        const sa::Actor& actor);
  // The job handlers: "dcv.check" (payload {"id"}) fails while the validation is pending, so the
  // job runner retries with backoff; "dcv.email" sends the approval email.
  Status RunCheckJob(const std::string& payload);
  Status RunEmailJob(const std::string& payload);
  // The email approval link: shows which validation it approves, and approves it.
  Result<sa::DomainValidation> LookUpEmailApproval(const std::string& token);
  Result<sa::DomainValidation> ApproveEmail(const std::string& token, const sa::Actor& actor);

  Result<std::vector<PrevalidatedDomain>> ListPrevalidated(const std::string& account_id);
  // A valid validation of the account that proves control of `base` today (the same name, or a
  // parent by a method that covers subdomains), within the BR reuse period; nullopt if none.
  Result<std::optional<sa::DomainValidation>> FindReusable(const std::string& account_id,
                                                           const std::string& base,
                                                           bool wildcard = false);
  // CAA for one certificate name at issuance (BR 3.2.2.8), from every perspective. A kCaa error
  // when CAA forbids it, kDns when it could not be checked.
  Status CheckCaaForIssuance(const std::string& account_id, const std::string& base, bool wildcard,
                             const std::string& method);
  // Called (on the checking thread) after a validation leaves `pending`.
  void SetStatusObserver(std::function<void(const std::string& validation_id)> observer);
  // A validation as the applicant sees it: where to publish what, and how it stands.
  ValidationView View(const sa::DomainValidation& v) const;
  // The CNAME target an account's `_dnsauth.<domain>` must point to (BR 3.2.2.4.7: unique per
  // applicant and name).
  std::string DelegationTarget(const std::string& account_id, const std::string& domain) const;
  std::string AccountUri(const std::string& account_id) const;

 private:
  Result<sa::DomainValidation> RunCheck(sa::DomainValidation v, const sa::Actor& actor);
  Status Publish(const sa::DomainValidation& v, bool add);

  sa::Storage& storage_;
  const va::NamePolicy& names_;
  va::Corroborator& corroborator_;
  va::DnsUpdater& updater_;
  notify::Mailer& mailer_;
  const ca::KeyVault& vault_;
  const Clock& clock_;
  Random& random_;
  DomainValidationOptions options_;
  std::function<void(const std::string&)> observer_;
};

}  // namespace signet::ra

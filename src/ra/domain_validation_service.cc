#include "signet/ra/domain_validation_service.h"

#include <algorithm>
#include <set>

#include "signet/ca/subscriber_keys.h"
#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/job_payload.h"
#include "signet/common/log.h"
#include "signet/notify/mailer.h"
#include "signet/notify/messages.h"
#include "signet/policy/br_rules.h"
#include "signet/va/caa_checker.h"
#include "signet/va/dns_updater.h"
#include "signet/va/domain_name.h"
#include "signet/va/file_fetcher.h"
#include "signet/va/perspective.h"

namespace signet::ra {

namespace {

const std::set<std::string> kMethods = {"dns_txt", "dns_cname", "dns_auto", "file", "email"};
const std::set<std::string> kEmailLocalParts = {"admin", "administrator", "webmaster", "hostmaster",
                                                "postmaster"};

std::string BrMethod(const std::string& method) {
  if (method == "file") return "3.2.2.4.18";
  if (method == "acme_http_01") return "3.2.2.4.19";
  if (method == "acme_tls_alpn_01") return "3.2.2.4.20";
  if (method == "email") return "3.2.2.4.4";
  return "3.2.2.4.7";
}

Status Rejected(const std::string& reason, std::string message) {
  return Status::Error(ErrorCode::kRejectedIdentifier, reason, std::move(message));
}

std::string SecretAssociatedData(const std::string& account_id, const std::string& domain) {
  return "dcv-tsig:" + account_id + ":" + domain;
}

std::string HostOf(const std::string& server) {
  if (!server.empty() && server.front() == '[') return server.substr(1, server.find(']') - 1);
  if (std::count(server.begin(), server.end(), ':') == 1) return server.substr(0, server.find(':'));
  return server;
}

sa::QuorumOutcome Outcome(const va::CorroboratedResult& r) {
  sa::QuorumOutcome q;
  auto one = [](const va::PerspectiveResult& p) {
    return sa::PerspectiveOutcome{p.perspective, p.ok, p.seen, p.reason, p.error, p.dnssec};
  };
  q.results.push_back(one(r.primary));
  for (const auto& p : r.remotes) q.results.push_back(one(p));
  q.summary = r.summary;
  q.corroborating = r.corroborating;
  q.remote = static_cast<int>(r.remotes.size());
  q.allowed_non_corroborations = r.allowed_non_corroborations;
  return q;
}

bool IsAcmeMethod(const std::string& method) { return method.rfind("acme_", 0) == 0; }

}  // namespace

std::string AcmeMethod(const std::string& challenge_type) {
  std::string m = "acme_" + challenge_type;
  std::replace(m.begin(), m.end(), '-', '_');
  return m;
}

bool MethodCoversSubdomains(const std::string& method) {
  return method != "file" && method != "acme_http_01" && method != "acme_tls_alpn_01";
}

bool IsStopped(const sa::DomainValidation& v, TimePoint now) {
  if (v.status == core::ValidationStatus::kPending) return now >= v.token_expires_at;
  return v.status != core::ValidationStatus::kValid;
}

DomainValidationService::DomainValidationService(sa::Storage& storage, const va::NamePolicy& names,
                                                 va::Corroborator& corroborator,
                                                 va::DnsUpdater& updater, notify::Mailer& mailer,
                                                 const ca::KeyVault& vault, const Clock& clock,
                                                 Random& random, DomainValidationOptions options)
    : storage_(storage),
      names_(names),
      corroborator_(corroborator),
      updater_(updater),
      mailer_(mailer),
      vault_(vault),
      clock_(clock),
      random_(random),
      options_(std::move(options)) {}

DomainValidationService::~DomainValidationService() = default;

std::string DomainValidationService::AccountUri(const std::string& account_id) const {
  return notify::Links(options_.public_url).CaaAccountUri(account_id);
}

std::string DomainValidationService::DelegationTarget(const std::string& account_id,
                                                      const std::string& domain) const {
  // Unique per applicant and name (BR 3.2.2.4.7), stable so renewals need no DNS change, and
  // unguessable from the outside without the account id.
  return Sha256Hex(account_id + "\n" + domain).substr(0, 32) + "." + options_.cname_zone;
}

Result<sa::DomainValidation> DomainValidationService::Create(const std::string& account_id,
                                                             const NewValidation& input,
                                                             const sa::Actor& actor) {
  if (kMethods.count(input.method) == 0) {
    return MalformedError("'method' must be one of dns_txt, dns_cname, dns_auto, file, email",
                          "invalid_field");
  }
  SIGNET_ASSIGN_OR_RETURN(va::Identifier id, names_.Parse(input.domain));
  TimePoint now = clock_.Now();
  sa::DomainValidation v;
  v.account_id = account_id;
  v.domain = id.base;
  v.method = input.method;
  v.br_method = BrMethod(input.method);
  v.token = random_.Token(24);  // 192 bits (BR 3.2.2.4: at least 112)
  v.token_expires_at = now + policy::kRandomValueLifetime;
  sa::ValidationDetails& details = v.details;
  details.requested = id.name;
  details.wildcard = id.wildcard;

  if (input.method != "dns_auto" && input.dns_auto) {
    return MalformedError("'dns_auto' is only for the dns_auto method", "invalid_field");
  }
  if (input.method != "email" && !input.email.empty()) {
    return MalformedError("'email' is only for the email method", "invalid_field");
  }
  if (input.method == "file" && id.wildcard) {
    return Rejected("method_not_allowed",
                    "file validation cannot prove control of the wildcard " + id.name +
                        " (BR 3.2.2.4.18); use dns_txt, dns_cname, dns_auto or email");
  }
  if (input.method == "dns_txt" || input.method == "dns_cname" || input.method == "dns_auto") {
    details.record_name = options_.dns_label + "." + v.domain;
  }
  if (input.upstream) {
    if (input.method == "email") {
      return MalformedError(
          "an upstream CA's challenge is answered by dns_txt, dns_cname, "
          "dns_auto or file",
          "invalid_field");
    }
    // RFC 8555 8.3 and 8.4: where the upstream looks.
    if (input.method != "file") details.record_name = "_acme-challenge." + v.domain;
    v.token = input.upstream->value;
    details.upstream_challenge = input.upstream->challenge_url;
    details.upstream_authorization = input.upstream->authorization_url;
    details.upstream_token = input.upstream->token;
    details.key_authorization = input.method == "file" ? input.upstream->value : "";
  }
  if (input.method == "dns_cname") {
    if (options_.cname_zone.empty() || options_.cname_server.empty()) {
      return Status::Error(ErrorCode::kForbidden, "method_not_configured",
                           "CNAME delegation is not set up on this Signet "
                           "(validation.cname_zone, validation.cname_server); use dns_txt");
    }
    details.cname_target = DelegationTarget(account_id, v.domain);
  }
  if (input.method == "dns_auto") {
    if (!input.dns_auto) {
      return MalformedError(
          "the dns_auto method needs 'dns_auto': {server, zone, key_name, "
          "algorithm, secret}",
          "missing_field");
    }
    const DnsAutoInput& a = *input.dns_auto;
    va::TsigKey key{a.key_name, a.algorithm, a.secret};
    SIGNET_RETURN_IF_ERROR(va::CheckTsigKey(key));
    if (!va::AddressAllowed(HostOf(a.server), options_.allow_private_addresses)) {
      return MalformedError(
          "'dns_auto.server' must be the public IP address (and port) of the "
          "zone's primary name server; '" +
              a.server + "' is not one Signet may contact",
          "invalid_field");
    }
    SIGNET_ASSIGN_OR_RETURN(va::Identifier zone, names_.Parse(a.zone));
    if (!va::ValidationCovers(zone.base, v.domain, true)) {
      return MalformedError("'dns_auto.zone' " + zone.base + " does not contain " +
                                options_.dns_label + "." + v.domain,
                            "invalid_field");
    }
    core::DnsAutoSettings where;
    where.server = a.server;
    where.zone = zone.base;
    where.key_name = a.key_name;
    where.algorithm = a.algorithm;
    details.dns_auto = where;
    v.sealed_secret = vault_.Seal(a.secret, SecretAssociatedData(account_id, v.domain));
  }
  std::string approval_token;
  if (input.method == "email") {
    if (!options_.email_enabled) {
      return Status::Error(ErrorCode::kForbidden, "method_not_configured",
                           "email validation is not set up on this Signet (smtp.url); use a DNS "
                           "method or file validation");
    }
    if (!policy::ConstructedEmailValidationAllowed(now)) {
      return Rejected("method_not_allowed",
                      "email validation to constructed addresses may not be used on or after "
                      "2028-03-15 (BR 3.2.2.4.4); use a DNS method or file validation");
    }
    std::string email = input.email;
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t at = email.find('@');
    std::string local = at == std::string::npos ? "" : email.substr(0, at);
    if (kEmailLocalParts.count(local) == 0) {
      return MalformedError(
          "'email' must be admin@, administrator@, webmaster@, hostmaster@ or "
          "postmaster@ the domain or a parent of it (BR 3.2.2.4.4)",
          "invalid_field");
    }
    SIGNET_ASSIGN_OR_RETURN(va::Identifier adn, names_.Parse(email.substr(at + 1)));
    if (adn.wildcard || !va::ValidationCovers(adn.base, v.domain, true)) {
      return MalformedError(
          "the email domain " + adn.base + " is not " + v.domain + " or a parent of it",
          "invalid_field");
    }
    v.domain = adn.base;  // the Authorization Domain Name whose control is proven
    details.email = local + "@" + adn.base;
    approval_token = random_.Token(32);
    v.email_token_hash = Sha256Hex(approval_token);
  }
  // The validation and its first job (the check, or the approval email) are stored together:
  // a crash between the two would leave a validation nothing ever checks.
  auto first_job = [&](const sa::DomainValidation& created) -> sa::NewJob {
    if (input.method == "email") {
      return {"dcv.email",
              EncodeJobPayload(
                  {{"id", created.id}, {"token", vault_.Seal(approval_token, created.id)}}),
              now, 50};
    }
    return {"dcv.check", EncodeJobPayload({{"id", created.id}}), now, options_.check_max_attempts};
  };
  return storage_.CreateDomainValidation(v, actor, nullptr, first_job);
}

Result<sa::DomainValidation> DomainValidationService::CreateAcme(const std::string& account_id,
                                                                 const AcmeChallengeInput& input,
                                                                 const sa::Actor& actor) {
  std::string method = AcmeMethod(input.challenge_type);
  if (method != "acme_http_01" && method != "acme_dns_01" && method != "acme_tls_alpn_01") {
    return MalformedError("unknown ACME challenge type " + input.challenge_type);
  }
  if (input.wildcard && !MethodCoversSubdomains(method)) {
    return Rejected("method_not_allowed",
                    input.challenge_type + " cannot prove control of a wildcard; use dns-01");
  }
  TimePoint now = clock_.Now();
  sa::DomainValidation v;
  v.account_id = account_id;
  v.domain = input.domain;
  v.method = method;
  v.br_method = BrMethod(method);
  v.token = input.token;
  v.token_expires_at = now + policy::kRandomValueLifetime;
  v.details.requested = (input.wildcard ? "*." : "") + input.domain;
  v.details.wildcard = input.wildcard;
  v.details.key_authorization = input.key_authorization;
  if (method == "acme_dns_01") v.details.record_name = "_acme-challenge." + input.domain;
  sa::AcmeChallengeLink link{input.authorization_id, input.challenge_type};
  return storage_.CreateDomainValidation(v, actor, &link);
}

Status DomainValidationService::Publish(const sa::DomainValidation& v, bool add) {
  const sa::ValidationDetails& d = v.details;
  va::DnsUpdateTarget target;
  std::string name;
  if (v.method == "dns_cname") {
    target = {options_.cname_server,
              options_.cname_zone,
              {options_.cname_key_name, options_.cname_key_algorithm, options_.cname_key_secret}};
    name = DelegationTarget(v.account_id, v.domain);
  } else {
    core::DnsAutoSettings a = d.dns_auto.value_or(core::DnsAutoSettings{});
    SIGNET_ASSIGN_OR_RETURN(
        std::string secret,
        vault_.Unseal(v.sealed_secret, SecretAssociatedData(v.account_id, v.domain)));
    target = {
        a.server, a.zone, {a.key_name, a.algorithm.empty() ? "hmac-sha256" : a.algorithm, secret}};
    name = d.record_name;
  }
  return add ? updater_.AddTxt(target, name, v.token, options_.record_ttl)
             : updater_.RemoveTxt(target, name, v.token);
}

Result<sa::DomainValidation> DomainValidationService::RunCheck(sa::DomainValidation v,
                                                               const sa::Actor& actor) {
  if (v.status != core::ValidationStatus::kPending || v.method == "email") return v;
  TimePoint now = clock_.Now();
  sa::ValidationDetails& d = v.details;
  sa::ValidationAttempt attempt;
  attempt.at = now;
  attempt.method = v.method;
  attempt.br_method = v.br_method;
  v.checks += 1;
  v.last_checked_at = now;
  if (now >= v.token_expires_at) {
    v.status = core::ValidationStatus::kExpired;
    attempt.reason = v.last_reason = "expired";
    attempt.error = v.last_error =
        "the random value expired after 30 days (BR 3.2.2.4); start a new validation";
  } else {
    Status published = Status::Ok();
    if (v.method == "dns_cname" || v.method == "dns_auto") published = Publish(v, true);
    if (!published.ok()) {
      attempt.reason = v.last_reason = published.reason();
      attempt.error = v.last_error =
          "Signet could not publish the TXT record: " + published.message();
      attempt.seen = "DNS update failed";
    } else {
      va::CheckRequest request;
      request.expected = v.token;
      if (v.method == "file" && !d.upstream_token.empty()) {
        // The upstream's http-01: the key authorization at /.well-known/acme-challenge/<token>.
        request.kind = "http_01";
        request.name = v.domain;
        request.token = d.upstream_token;
        request.expected = d.key_authorization;
      } else if (v.method == "file") {
        request.kind = "file";
        request.name = v.domain;
      } else if (v.method == "acme_http_01" || v.method == "acme_tls_alpn_01") {
        request.kind = v.method == "acme_http_01" ? "http_01" : "tls_alpn_01";
        request.name = v.domain;
        request.token = v.token;
        request.expected = d.key_authorization;
      } else if (v.method == "acme_dns_01") {
        // RFC 8555 8.4: base64url(SHA-256(key authorization)) at _acme-challenge.<name>.
        Sha256Digest digest = Sha256(std::string_view(d.key_authorization));
        request.kind = "dns_txt";
        request.name = d.record_name;
        request.expected = Base64UrlEncode(digest);
      } else {
        request.kind = "dns_txt";
        request.name = d.record_name;
      }
      va::CorroboratedResult dcv = corroborator_.Check(request);
      attempt.perspectives.dcv = Outcome(dcv);
      attempt.seen = dcv.primary.seen;
      bool valid = dcv.ok;
      if (!dcv.ok) {
        if (!dcv.primary.ok) {
          attempt.reason = dcv.primary.reason;
          attempt.error = dcv.primary.error;
        } else {
          attempt.reason = "not_corroborated";
          attempt.error = "the remote network perspectives did not corroborate what Signet saw (" +
                          dcv.summary + "); check that every name server serves the same data";
        }
      } else if (!d.upstream_challenge.empty()) {
        // The upstream CA checks CAA for itself (its identities, not Signet's).
      } else {
        // CAA now, so a prohibition shows up while the applicant is still at the DNS console;
        // it is checked again at issuance (BR 3.2.2.8).
        va::CheckRequest caa{"caa",
                             v.domain,
                             "",
                             d.wildcard,
                             AccountUri(v.account_id),
                             va::CaaMethodLabel(v.method)};
        va::CorroboratedResult caa_result = corroborator_.Check(caa);
        attempt.perspectives.caa = Outcome(caa_result);
        if (!caa_result.ok) {
          valid = false;
          const va::PerspectiveResult& bad =
              !caa_result.primary.ok ? caa_result.primary : caa_result.remotes.front();
          attempt.reason = bad.reason.empty() ? "caa_forbidden" : bad.reason;
          attempt.error =
              bad.error.empty() ? "CAA was not corroborated: " + caa_result.summary : bad.error;
          attempt.seen += "; " + caa_result.primary.seen;
        } else {
          attempt.seen += "; " + caa_result.primary.seen;
        }
      }
      attempt.valid = valid;
      v.last_reason = attempt.reason;
      v.last_error = attempt.error;
      d.perspectives = dcv.summary;
      if (valid) {
        v.status = core::ValidationStatus::kValid;
        v.validated_at = now;
        v.last_error.clear();
        v.last_reason.clear();
      } else if (IsAcmeMethod(v.method)) {
        v.status = core::ValidationStatus::kInvalid;  // RFC 8555 8.2: a failed challenge ends the
                                                      // authorization
      }
    }
  }
  auto recorded = storage_.RecordValidationAttempt(v, attempt, actor);
  if (!recorded.ok() && recorded.status().reason() == "not_pending") {
    // Another checker (the background job, or a second click) finished first.
    recorded = storage_.GetDomainValidation(v.account_id, v.id);
  } else if (recorded.ok() && recorded->status != core::ValidationStatus::kPending && observer_) {
    observer_(recorded->id);
  }
  // An upstream's challenge keeps its record: the upstream looks at it after Signet did.
  if (recorded.ok() && recorded->status != core::ValidationStatus::kPending &&
      (v.method == "dns_cname" || v.method == "dns_auto") && d.upstream_challenge.empty()) {
    // The record has served its purpose (this check may even have added it again after another
    // checker removed it); a failure to remove it is only worth a log line.
    Status removed = Publish(*recorded, false);
    if (!removed.ok()) {
      log::Warn("removing a validation record failed",
                {{"validation", v.id}, {"error", removed.message()}});
    }
  }
  return recorded;
}

Result<sa::DomainValidation> DomainValidationService::CheckNow(const std::string& account_id,
                                                               const std::string& id,
                                                               const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation v, storage_.GetDomainValidation(account_id, id));
  return RunCheck(std::move(v), actor);
}

Status DomainValidationService::RunCheckJob(const std::string& payload) {
  SIGNET_ASSIGN_OR_RETURN(std::string id, JobPayloadField(payload, "id"));
  SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation v, storage_.GetDomainValidation("", id));
  const sa::Actor system{"system", v.account_id, "system", ""};
  SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation after, RunCheck(std::move(v), system));
  if (after.status == core::ValidationStatus::kPending) {
    // Not yet: the job runner tries again later, with backoff.
    return Status::Error(ErrorCode::kUnavailable, after.last_reason,
                         after.domain + ": " + after.last_error);
  }
  return Status::Ok();
}

Status DomainValidationService::RunEmailJob(const std::string& payload) {
  SIGNET_ASSIGN_OR_RETURN(std::string id, JobPayloadField(payload, "id"));
  SIGNET_ASSIGN_OR_RETURN(std::string sealed_token, JobPayloadField(payload, "token"));
  SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation v, storage_.GetDomainValidation("", id));
  if (v.status != core::ValidationStatus::kPending || clock_.Now() >= v.token_expires_at)
    return Status::Ok();
  SIGNET_ASSIGN_OR_RETURN(std::string token, vault_.Unseal(sealed_token, id));
  const sa::ValidationDetails& d = v.details;
  notify::Message message = notify::EmailApprovalRequest(
      notify::Links(options_.public_url), d.requested.empty() ? v.domain : d.requested, d.email,
      token, v.token_expires_at);
  notify::Email email;
  email.to = d.email;
  email.subject = message.subject;
  email.text = message.text;
  return mailer_.Send(email);
}

Result<sa::DomainValidation> DomainValidationService::LookUpEmailApproval(
    const std::string& token) {
  if (token.size() < 20 || token.size() > 100)
    return NotFoundError("this approval link is unknown");
  return storage_.FindDomainValidationByEmailToken(Sha256Hex(token));
}

Result<sa::DomainValidation> DomainValidationService::ApproveEmail(const std::string& token,
                                                                   const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation v, LookUpEmailApproval(token));
  if (v.status != core::ValidationStatus::kPending) {
    return ConflictError("this request is already " + std::string(core::Name(v.status)),
                         "not_pending");
  }
  TimePoint now = clock_.Now();
  sa::ValidationAttempt attempt;
  attempt.at = now;
  attempt.method = v.method;
  attempt.br_method = v.br_method;
  attempt.perspectives.summary = "not applicable: a constructed address needs no network lookup";
  v.checks += 1;
  v.last_checked_at = now;
  if (now >= v.token_expires_at) {
    v.status = core::ValidationStatus::kExpired;
    attempt.reason = v.last_reason = "expired";
    attempt.error = v.last_error = "the approval link expired after 30 days";
  } else if (!policy::ConstructedEmailValidationAllowed(now)) {
    v.status = core::ValidationStatus::kInvalid;
    attempt.reason = v.last_reason = "method_not_allowed";
    attempt.error = v.last_error =
        "email validation may not be completed on or after 2028-03-15 (BR 3.2.2.4.4)";
  } else {
    attempt.valid = true;
    attempt.seen = "approved through the emailed link from " + actor.source;
    v.status = core::ValidationStatus::kValid;
    v.validated_at = now;
    v.last_error.clear();
    v.last_reason.clear();
  }
  auto recorded = storage_.RecordValidationAttempt(v, attempt, actor);
  if (recorded.ok() && observer_) observer_(recorded->id);
  return recorded;
}

void DomainValidationService::SetStatusObserver(
    std::function<void(const std::string& validation_id)> observer) {
  observer_ = std::move(observer);
}

Result<std::optional<sa::DomainValidation>> DomainValidationService::FindReusable(
    const std::string& account_id, const std::string& base, bool wildcard) {
  TimePoint now = clock_.Now();
  auto reuse = std::chrono::hours(24 * policy::DcvReuseDays(now));
  // Only the name itself and its parents can prove it.
  std::vector<std::string> candidates{base};
  for (size_t dot = base.find('.'); dot != std::string::npos; dot = base.find('.', dot + 1)) {
    candidates.push_back(base.substr(dot + 1));
  }
  SIGNET_ASSIGN_OR_RETURN(std::vector<sa::DomainValidation> valid,
                          storage_.ListValidDomainValidations(account_id, now - reuse, candidates));
  for (const auto& v : valid) {
    // Another CA's random value proves nothing to Signet's own CA (BR 3.2.2.4).
    if (!v.details.upstream_challenge.empty()) continue;
    bool covers_subdomains = MethodCoversSubdomains(v.method);
    if (wildcard && !covers_subdomains) continue;  // a wildcard needs a DNS or email proof
    if (va::ValidationCovers(v.domain, base, covers_subdomains)) {
      return std::optional<sa::DomainValidation>(v);
    }
  }
  return std::optional<sa::DomainValidation>();
}

Status DomainValidationService::CheckCaaForIssuance(const std::string& account_id,
                                                    const std::string& base, bool wildcard,
                                                    const std::string& method) {
  va::CheckRequest caa{
      "caa", base, "", wildcard, AccountUri(account_id), va::CaaMethodLabel(method)};
  va::CorroboratedResult result = corroborator_.Check(caa);
  if (result.ok) return Status::Ok();
  const va::PerspectiveResult& bad = !result.primary.ok ? result.primary : result.remotes.front();
  std::string message =
      bad.error.empty() ? "CAA was not corroborated: " + result.summary : bad.error;
  ErrorCode code = bad.reason == "caa_forbidden" ? ErrorCode::kCaa : ErrorCode::kDns;
  return Status::Error(code, bad.reason.empty() ? "caa_forbidden" : bad.reason, message);
}

Result<std::vector<PrevalidatedDomain>> DomainValidationService::ListPrevalidated(
    const std::string& account_id) {
  TimePoint now = clock_.Now();
  auto reuse = std::chrono::hours(24 * policy::DcvReuseDays(now));
  SIGNET_ASSIGN_OR_RETURN(std::vector<sa::DomainValidation> valid,
                          storage_.ListValidDomainValidations(account_id, now - reuse));
  std::vector<PrevalidatedDomain> out;
  std::set<std::string> seen;
  for (const auto& v : valid) {
    if (!v.validated_at || !seen.insert(v.domain).second) continue;
    out.push_back({v.domain, v.method, v.id, *v.validated_at, *v.validated_at + reuse,
                   MethodCoversSubdomains(v.method)});
  }
  return out;
}

ValidationView DomainValidationService::View(const sa::DomainValidation& v) const {
  ValidationView view;
  view.validation = v;
  view.status = v.status == core::ValidationStatus::kPending && IsStopped(v, clock_.Now())
                    ? core::ValidationStatus::kExpired
                    : v.status;
  view.requested = v.details.requested.empty() ? v.domain : v.details.requested;
  const std::string& record_name = v.details.record_name;
  // DNS consoles (DNSPod, Aliyun, Route 53's "record name" box) want the name relative to the
  // zone, which is usually the registrable domain: "_dnsauth.www" in x.com, not the full name
  // (users who paste the full name create "_dnsauth.www.x.com.x.com").
  if (!record_name.empty()) {
    auto id = names_.Parse(v.domain);
    view.registered_domain = id.ok() && !id->registrable.empty() ? id->registrable : v.domain;
    view.host_record = record_name;
    const std::string& zone = view.registered_domain;
    if (view.host_record.size() > zone.size() + 1 &&
        view.host_record.compare(view.host_record.size() - zone.size() - 1, std::string::npos,
                                 "." + zone) == 0) {
      view.host_record.resize(view.host_record.size() - zone.size() - 1);
    }
  }
  if (v.method == "file") {
    view.file_path = v.details.upstream_token.empty()
                         ? "/.well-known/pki-validation/fileauth.txt"  // BR 3.2.2.4.18
                         : "/.well-known/acme-challenge/" + v.details.upstream_token;
  }
  if (v.validated_at) {
    view.reusable_until =
        *v.validated_at + std::chrono::hours(24 * policy::DcvReuseDays(clock_.Now()));
  }
  return view;
}

}  // namespace signet::ra

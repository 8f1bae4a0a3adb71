// Value types stored by the storage authority (sa). Plain data; no behaviour.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/core/acme_state.h"
#include "signet/core/application.h"
#include "signet/core/certificate_state.h"
#include "signet/core/deployment_state.h"
#include "signet/core/monitor_state.h"
#include "signet/core/order_state.h"
#include "signet/core/validation_state.h"

namespace signet::sa {

struct Account {
  std::string id;
  std::string name;
  TimePoint created_at;
};

enum class Role { kOwner, kMember, kReviewer, kAdmin };
const char* RoleName(Role role);
std::optional<Role> ParseRole(const std::string& name);
// Reviewers and admins are CA staff: they may act across accounts where a route allows it.
inline bool IsStaff(Role role) { return role == Role::kReviewer || role == Role::kAdmin; }

// A person who signs in: one per email address across the whole service. What they may do
// is decided per account by their Membership there.
struct User {
  std::string id;
  std::string email;
  std::string password_hash;  // empty: no password yet (invited) or API keys only
  TimePoint created_at;
  // A password reset by email: the link's token hash (empty: none), valid until expires.
  std::string reset_hash;
  std::optional<TimePoint> reset_expires_at;
};

enum class MembershipStatus { kActive, kInvited, kDisabled };
const char* MembershipStatusName(MembershipStatus status);
std::optional<MembershipStatus> ParseMembershipStatus(const std::string& name);

// A person's place in one account: their role there and whether they may act in it. Sessions and
// API keys name an account, and the caller's role is read from this row on every request, so a
// disabled membership stops its sessions and keys at once.
struct Membership {
  // Its own id, made when the membership is: the REST API's user id. The person's id is not
  // shown to owners, since ids sort by creation time and would tell an inviting owner whether
  // the address was already a Signet user.
  std::string id;
  std::string user_id;
  std::string account_id;
  std::string email;  // the person's, read with the row
  Role role = Role::kMember;
  MembershipStatus status = MembershipStatus::kActive;
  std::string invitation_hash;  // SHA-256 of the pending invitation's token; empty when none
  std::optional<TimePoint> invitation_expires_at;
  std::string invited_by;  // user id, or "admin-cli"
  // When the person joined: at creation for memberships made active, at acceptance for
  // invitations. Unset for an invitation never accepted, even once withdrawn (disabled), so
  // enabling it again cannot skip the acceptance.
  std::optional<TimePoint> accepted_at;
  TimePoint created_at;
  TimePoint updated_at;
};

struct ApiKey {
  std::string id;
  std::string account_id;
  std::string user_id;
  std::string name;
  std::string prefix;    // the first characters of the key, to recognise it in lists
  std::string key_hash;  // SHA-256 of the whole key; the key itself is never stored
  TimePoint created_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> revoked_at;
};

struct Session {
  std::string id_hash;  // SHA-256 of the cookie value
  std::string user_id;
  std::string account_id;
  std::string csrf_token;
  TimePoint created_at;
  TimePoint expires_at;
  std::string remote_address;  // where it was started, for the person's sessions list
  std::string user_agent;      // the browser that started it (at most 300 characters)
};

// A saved organization profile (the applicant's company), reused across orders.
struct Organization {
  std::string id;
  std::string account_id;
  std::string name;  // exactly as on the business license
  std::string department;
  std::string country;  // ISO 3166-1 alpha-2
  std::string province;
  std::string city;
  std::string address;
  std::string phone;
  TimePoint created_at;
  TimePoint updated_at;
};

// A saved administrator (the applicant's contact person for the CA), reused across orders.
struct Administrator {
  std::string id;
  std::string account_id;
  std::string name;
  std::string position;
  std::string phone;
  std::string email;
  TimePoint created_at;
  TimePoint updated_at;
};

// Who did something and from where; recorded with every state change.
struct Actor {
  std::string user_id;     // or "system" for background work, "admin-cli" for signetd admin
  std::string account_id;  // the account the actor acted in; may be empty for system
  std::string source;      // client IP address, or "cli" / "system"
  std::string request_id;
  // The client's User-Agent, cut to 300 characters; kept only on the sessions it starts.
  std::string user_agent;
};

struct AuditEvent {
  int64_t seq = 0;
  TimePoint at;
  std::string actor;
  std::string account_id;  // the account the affected object belongs to
  std::string action;      // e.g. "organization.create"
  std::string target_type;
  std::string target_id;
  std::string source;
  std::string request_id;
  std::string details;  // JSON object text
  std::string prev_hash;
  std::string hash;
};

struct AuditVerification {
  bool intact = true;
  int64_t events = 0;
  std::string head_hash;
  std::string problem;  // what is wrong and at which event, when not intact
};

enum class JobState { kQueued, kRunning, kDone, kFailed };
const char* JobStateName(JobState state);
std::optional<JobState> ParseJobState(const std::string& name);

struct Job {
  std::string id;
  std::string kind;
  std::string payload;  // JSON text
  JobState state = JobState::kQueued;
  int attempts = 0;
  int max_attempts = 10;
  TimePoint run_at;
  std::string last_error;
  std::string locked_by;
  std::optional<TimePoint> locked_until;
  TimePoint created_at;
  TimePoint updated_at;
};

// One attempt to issue a certificate: the serial is reserved (and stored) before anything is
// signed, so an interrupted issuance resumes with the same serial and never yields two
// certificates.
enum class IssuanceState { kReserved, kLinted, kIssued, kFailed };
const char* IssuanceStateName(IssuanceState state);
std::optional<IssuanceState> ParseIssuanceState(const std::string& name);

struct Issuance {
  std::string id;
  std::string account_id;
  IssuanceState state = IssuanceState::kReserved;
  std::string serial_hex;
  std::string issuer;
  std::string request_json;       // the ca::IssuanceRequest
  std::string linted_der_base64;  // the to-be-signed certificate as linted (throwaway signature)
  std::string failure;            // the lint or error that stopped it
  TimePoint created_at;
  TimePoint updated_at;
};

struct CertificateRecord {
  std::string serial_hex;
  std::string issuance_id;
  std::string account_id;
  std::string issuer;
  std::string der_base64;
  std::string names;  // comma-separated dNSNames, for search
  TimePoint not_before;
  TimePoint not_after;
  // Only kActive or kRevoked are stored; expiry is the reader's to compute from not_after.
  core::CertificateStatus status = core::CertificateStatus::kActive;
  std::optional<TimePoint> revoked_at;
  int revocation_reason = 0;  // RFC 5280 CRLReason code
  int crl_shard = 0;
  TimePoint created_at;
};

struct RevokedEntry {
  std::string serial_hex;
  TimePoint revoked_at;
  int reason = 0;
};

// The latest signed CRL of one shard of one issuer.
struct CrlRecord {
  std::string issuer;
  int shard = 0;
  int64_t number = 0;
  std::string der_base64;
  TimePoint this_update;
  TimePoint next_update;
};

// One proof of control of a domain for an account (BR 3.2.2.4): the random value, how it is to
// be published, and where it stands. Orders reuse a valid one within the BR reuse period.
// Where and how a validation is done, set when it is created (the last check's quorum summary is
// added by each check).
struct ValidationDetails {
  std::string requested;  // the name as asked: may be "*.x.com" or a subdomain of `domain`
  bool wildcard = false;
  std::string record_name;                        // DNS methods: the full name of the record
  std::string cname_target;                       // dns_cname: where the applicant's CNAME points
  std::optional<core::DnsAutoSettings> dns_auto;  // dns_auto: the zone's server (no secret)
  std::string email;                              // email: the address the approval link goes to
  std::string key_authorization;                  // ACME challenges (RFC 8555 section 8.1)
  // A brand's upstream CA (docs/BRANDS.md): the challenge and authorization this validation
  // answers there, and the http-01 token (the file's name). Signet checks the record first,
  // then tells the upstream, whose answer decides.
  std::string upstream_challenge;
  std::string upstream_authorization;
  std::string upstream_token;
  std::string perspectives;                       // the last check's quorum summary
};

struct DomainValidation {
  std::string id;
  std::string account_id;
  std::string domain;  // the base name proven (no "*.")
  std::string method;  // dns_txt, dns_cname, dns_auto, file, email
  std::string token;   // the random value to publish (email: sent in the message, not shown)
  core::ValidationStatus status = core::ValidationStatus::kPending;
  std::string br_method;  // e.g. "3.2.2.4.7"
  ValidationDetails details;
  std::string sealed_secret;     // dns_auto: the applicant's TSIG secret, sealed by the vault
  std::string email_token_hash;  // email: SHA-256 of the approval link's token
  std::string last_error;
  std::string last_reason;
  int checks = 0;
  TimePoint created_at;
  TimePoint token_expires_at;  // BR: a random value is usable for at most 30 days
  std::optional<TimePoint> validated_at;
  std::optional<TimePoint> last_checked_at;
  TimePoint updated_at;
};

// One network perspective's part of a check (BR 3.2.2.9).
struct PerspectiveOutcome {
  std::string perspective;  // "primary" or the remote's URL
  bool ok = false;
  std::string seen;
  std::string reason;
  std::string error;
  std::string dnssec;
};

// All perspectives of one lookup and whether they corroborate.
struct QuorumOutcome {
  std::vector<PerspectiveOutcome> results;  // the primary first
  std::string summary;
  int corroborating = 0;
  int remote = 0;
  int allowed_non_corroborations = 0;
};

// The evidence of one check: the validation lookup and the CAA lookup, or (email approvals, which
// need no lookup) only a summary.
struct AttemptEvidence {
  std::optional<QuorumOutcome> dcv;
  std::optional<QuorumOutcome> caa;
  std::string summary;
};

// One check of a DomainValidation, kept for the record: what each perspective saw and why.
struct ValidationAttempt {
  std::string id;
  std::string validation_id;
  std::string account_id;
  TimePoint at;
  std::string method;
  std::string br_method;
  bool valid = false;
  std::string seen;
  std::string reason;
  std::string error;
  AttemptEvidence perspectives;  // what each network perspective saw, and the quorum
};

// An order: what the applicant bought (a product) and everything needed to issue it. Status
// moves pending_information -> processing -> issued, or review_failed (back to processing on
// resubmission), or cancelled before issuance.
struct Order {
  std::string id;
  std::string account_id;
  std::string product_id;
  core::OrderStatus status = core::OrderStatus::kPendingInformation;
  core::DcvStatus dcv_status = core::DcvStatus::kPending;
  core::ReviewStatus review_status = core::ReviewStatus::kNotRequired;
  std::string review_reason;      // shown to the applicant when rejected
  core::Application application;  // domains, key choice, organization, administrator, ...
  std::string names;              // comma-separated names the certificate will carry (after submit)
  std::string sealed_private_key;  // generated online: PKCS#8 sealed by the key vault
  std::string csr_pem;
  std::string issuance_id;
  std::string certificate_serial;
  // For the next certificate of a term or an automatic renewal: the managed certificate this
  // order continues (at most one order each); empty for every other order.
  std::string continues_certificate_id;
  // The lineage its certificate joins (ManagedCertificate::lineage_id); empty: its own id.
  std::string lineage_id;
  // A brand's order at its upstream CA (docs/BRANDS.md); empty until Signet placed it.
  std::string upstream_order_url;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> submitted_at;
  std::optional<TimePoint> issued_at;

  core::OrderState State() const { return {status, dcv_status, review_status}; }
};

// One line of an order's timeline: what happened, when, by whom.
struct OrderEvent {
  std::string id;
  std::string order_id;
  TimePoint at;
  std::string actor;  // user id, "system", or "reviewer:<id>"
  std::string event;  // e.g. "submitted", "dcv.valid", "review.rejected", "issued"
  std::string detail;
};

// An uploaded file of an order (confirmation letter, business license, ...), stored
// content-addressed under data_dir/attachments by its SHA-256.
struct Attachment {
  std::string id;
  std::string order_id;
  std::string account_id;
  std::string kind;
  std::string content_type;  // image/jpeg, image/png, application/pdf (sniffed)
  std::string sha256_hex;
  int64_t size = 0;
  TimePoint created_at;
};

// A certificate as its owner manages it: issued here (id = serial) or uploaded from elsewhere
// (hosted), with the owner's alias, project, reminder schedule and whether it is hidden.
struct ManagedCertificate {
  std::string id;
  std::string account_id;
  core::CertificateSource source = core::CertificateSource::kIssued;
  std::string order_id;  // issued through an order
  std::string serial_hex;
  std::string der_base64;
  std::string chain_pem;           // uploaded: the chain as given (leaf excluded)
  std::string sealed_private_key;  // uploaded with its key
  std::string names;               // comma-separated
  std::string issuer_name;         // the issuer's subject, for display
  TimePoint not_before;
  TimePoint not_after;
  std::string alias;
  std::string project;
  bool reminders_enabled = true;
  std::string reminder_days;  // e.g. "30,15,7,3,1"; empty: the account's schedule
  bool hidden = false;
  // The certificates that succeed one another (reissues, renewals, the next certificate of a
  // term, ACME replacements) share it: the first order's id, or an upload's own id. Deployment
  // bindings follow it.
  std::string lineage_id;
  TimePoint created_at;
  // Revoked at its upstream CA (source upstream); Signet's own revocations are in the CA's
  // records (CertificateRecord), whose CRL and OCSP never speak for another CA's certificates.
  std::optional<TimePoint> upstream_revoked_at;
  int upstream_revocation_reason = -1;
};

// How a list of certificates is ordered; pages follow the same order.
enum class CertificateSort {
  kNewest,         // most recently added first (the default)
  kExpiringFirst,  // not_after ascending
  kExpiringLast,   // not_after descending
};

struct CertificateFilter {
  std::string domain;  // a name the certificate carries (exact, or "*.x" matching)
  std::string project;
  std::string lineage_id;  // only the certificates of this lineage
  bool include_hidden = false;
  std::optional<TimePoint> expiring_before;  // not_after earlier than this
  // Part of a name, the serial, the alias or the id, case-insensitive ("?q=" in lists).
  std::string query;
  CertificateSort sort = CertificateSort::kNewest;
  // Only certificates in this state at `status_at` (expired: past not_after and not revoked).
  std::optional<core::CertificateStatus> status;
  TimePoint status_at;
};

struct OrderFilter {
  std::optional<core::OrderStatus> status;
  std::optional<core::ReviewStatus> review_status;
  std::string query;  // part of a name or of the id, case-insensitive
};

// An ACME account (RFC 8555 section 7.1.2): a key that acts for one Signet account.
// One identifier of an ACME account to be proven (RFC 8555 7.1.4). Its challenges share one
// token; once the client answers one, the check is a DomainValidation (validation_id) and the
// authorization's state follows that validation's.
struct AcmeAuthorization {
  std::string id;
  std::string acme_account_id;
  std::string account_id;
  std::string identifier;  // the base DNS name (A-labels), without "*."
  bool wildcard = false;
  std::string token;
  std::string validation_id;   // empty until a challenge is answered
  std::string challenge_type;  // http-01, dns-01, tls-alpn-01 once answered
  bool deactivated = false;
  TimePoint expires_at;
  TimePoint created_at;
};

// The ACME view of a Signet order (the order itself is in `orders`, with the same id).
struct AcmeOrder {
  std::string order_id;
  std::string acme_account_id;
  std::string account_id;
  std::vector<std::string> identifiers;     // the dns identifiers, as requested
  std::vector<std::string> authorizations;  // authorization ids, in identifier order
  std::string profile;
  std::string replaces;  // ARI certificate id (RFC 9773) of the certificate this replaces
  std::string replaces_serial;
  TimePoint expires_at;
  TimePoint created_at;
};

// What an ACME order adds to its Signet order when both are created (OrderStore::CreateOrder):
// the ACME view, the authorizations it creates, and its registered domains (for rate limits).
struct AcmeOrderRows {
  AcmeOrder order;
  std::vector<AcmeAuthorization> new_authorizations;
  std::vector<std::string> registered_domains;
};

// An external account binding key (RFC 8555 7.3.4): lets one ACME account act for `account_id`.
struct EabKey {
  std::string id;
  std::string account_id;
  std::string key_id;  // the "kid" the ACME client sends
  std::string name;
  std::string sealed_hmac_key;  // sealed by the key vault
  std::string acme_account_id;  // set when bound; a key binds once
  // OV over ACME: the saved organization and administrator the bound account's orders carry.
  std::string organization_id;
  std::string administrator_id;
  TimePoint created_at;
  std::optional<TimePoint> revoked_at;
};

// Signet's account at an upstream CA (one per directory and EAB key id). The key is sealed by
// the key vault with the directory URL as context.
struct UpstreamAccount {
  std::string directory_url;
  // The EAB key id it was made with; for an applicant's own binding, "<kid>\naccount:<id>".
  std::string eab_kid;
  std::string account_url;
  std::string sealed_key;  // PKCS#8 PEM, sealed
  TimePoint created_at;
};

// An applicant account's own external account binding at an upstream CA that binds each
// customer (docs/BRANDS.md): its orders of that CA's brands use an upstream account made with it.
struct UpstreamEabCredential {
  std::string account_id;
  std::string directory_url;
  std::string product_id;  // the brand it was given for
  std::string eab_kid;
  std::string sealed_hmac_key;  // sealed with the account id and directory as context
  TimePoint created_at;
};

// Where an account's notifications also go (besides the order's administrator and contact).
struct NotificationChannel {
  std::string id;
  std::string account_id;
  std::string kind;    // email, webhook, dingtalk, wecom, feishu, slack
  std::string target;  // an email address, or an https:// URL
  std::string secret;  // webhook: the HMAC key of X-Signet-Signature, shown once at creation
  TimePoint created_at;
  // How monitor alerts reach this channel: "immediate" (each change for the worse, and the
  // recovery) or "daily_digest" (one summary a day, sent when digest_due_at has passed).
  std::string monitor_alerts = "immediate";
  std::optional<TimePoint> digest_due_at;  // daily_digest only
};

// Where a target's files go; an empty path is not written. private_key is written with mode
// 0600, pfx and jks (with the target's keystore password) too.
struct TargetFiles {
  std::string fullchain;    // the certificate and its intermediates (not the root)
  std::string private_key;  // PEM, unencrypted (servers read it unattended)
  std::string certificate;  // the certificate alone
  std::string chain;        // the intermediates alone
  std::string pfx;          // PKCS#12 with the key and chain (IIS, Windows)
  std::string jks;          // Java KeyStore (Tomcat)
};

// A place an account's certificates are deployed to. Secrets are sealed by the key vault with
// the target's id as context and are never returned by the API.
struct DeploymentTarget {
  std::string id;
  std::string account_id;
  std::string name;
  core::TargetType type = core::TargetType::kSsh;
  // ssh
  std::string host;
  int port = 22;
  std::string username;
  std::string host_key;  // pinned "SHA256:..." fingerprint
  std::string sealed_private_key;
  std::string sealed_password;  // the login password; with a private key, the key's passphrase
  // ssh and local
  TargetFiles files;
  std::string reload_command;
  std::string sealed_keystore_password;  // pfx and jks
  // webhook
  std::string url;
  std::string sealed_webhook_secret;
  TimePoint created_at;
  TimePoint updated_at;
};

// Where a deployment is checked: a TLS handshake (with SNI, after STARTTLS for mail protocols)
// that must show the deployed certificate.
struct VerifyEndpoint {
  std::string host;
  int port = 443;
  std::string server_name;
  std::string protocol = "https";  // https, tls, smtp, imap, pop3
};

// A certificate lineage bound to a target: the certificate bound and each successor of it are
// deployed there.
struct CertificateBinding {
  std::string id;
  std::string account_id;
  std::string target_id;
  std::string lineage_id;
  std::string certificate_id;  // the one bound first
  VerifyEndpoint verify;       // host empty: no check after the reload
  TimePoint created_at;
};

struct Deployment {
  std::string id;
  std::string account_id;
  std::string binding_id;
  std::string target_id;
  std::string certificate_id;
  std::string serial_hex;
  // What started it: "binding" (bound now), "successor" (a new certificate of the lineage),
  // "manual" (a person asked again).
  std::string trigger;
  core::DeploymentStatus status = core::DeploymentStatus::kPending;
  std::string served_serial;  // what the verify endpoint served at the end
  std::string error;          // why it failed or was rolled back, in words
  int attempts = 0;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
};

struct DeploymentFilter {
  std::string certificate_id;
  std::string target_id;
  std::string binding_id;
  std::optional<core::DeploymentStatus> status;
};

// The agent of an agent target (signet agent, on the server it deploys to): SHA-256 hashes of
// its one-time registration token and of the credential it got by registering.
struct DeploymentAgent {
  std::string target_id;
  std::string account_id;
  std::string token_hash;  // empty once used
  std::optional<TimePoint> token_expires_at;
  std::string credential_hash;  // empty until registered
  std::string hostname;         // as the agent gave it when registering
  std::optional<TimePoint> registered_at;
  std::optional<TimePoint> last_seen_at;
};

// A binding whose lineage has a certificate newer than any deployed there: the reconciler's work.
struct PendingSuccessor {
  CertificateBinding binding;
  std::string certificate_id;
  std::string serial_hex;
};

// A TLS endpoint an account watches (issue 17), checked every interval_minutes.
struct Monitor {
  std::string id;
  std::string account_id;
  std::string host;
  int port = 443;
  std::string server_name;  // empty: host
  std::string protocol = "https";  // https, tls, smtp, imap, pop3
  // The agent target whose agent checks it from inside its own network; empty: Signet does.
  std::string agent_target_id;
  int interval_minutes = 60;
  bool enabled = true;
  TimePoint next_check_at;
  std::optional<core::MonitorStatus> last_status;  // none before the first check
  std::optional<TimePoint> last_checked_at;
  TimePoint created_at;
  TimePoint updated_at;
};

// The leaf an address served, as read from it.
struct ServedCertificate {
  std::string serial_hex;
  std::vector<std::string> names;  // subjectAltName dNSNames and IP addresses
  std::string subject;
  std::string issuer;
  TimePoint not_before;
  TimePoint not_after;
  std::string sha256_hex;  // of the DER
  std::string key;         // e.g. "EC P-256", "RSA 2048"
};

struct MonitorProblem {
  std::string code;    // stable: expired, expires_soon, name_mismatch, chain_incomplete, ...
  std::string detail;  // a sentence
};

// What one address of the monitored host answered.
struct AddressCheck {
  std::string address;
  core::MonitorStatus status = core::MonitorStatus::kUnreachable;
  std::optional<ServedCertificate> certificate;
  std::string certificate_id;  // the inventory's, when Signet knows the certificate
  std::string tls_version;
  std::vector<MonitorProblem> problems;
};

// One check of a monitor: the worst of its addresses, and each of them. Kept as history.
struct MonitorCheck {
  std::string id;
  std::string monitor_id;
  std::string account_id;
  TimePoint checked_at;
  core::MonitorStatus status = core::MonitorStatus::kUnreachable;
  std::vector<AddressCheck> addresses;
};

// An operator's renewal window for one certificate (RFC 9773), e.g. before a planned revocation.
struct RenewalWindow {
  std::string serial_hex;
  TimePoint start;
  TimePoint end;
  std::string explanation_url;
};

struct AcmeAccount {
  std::string id;
  std::string account_id;      // the Signet account it acts for
  std::string key_thumbprint;  // RFC 7638, unique
  std::string key_spki_base64;
  std::vector<std::string> contact;  // mailto: URLs
  core::AcmeAccountStatus status = core::AcmeAccountStatus::kValid;
  TimePoint created_at;
  std::string eab_key_id;  // the external account binding key it was created with, if any
};

// Keyset pagination: items strictly after `after` in the listing's order (newest first).
struct PageRequest {
  int limit = 50;
  std::string after;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_after;  // empty when this is the last page
};

}  // namespace signet::sa

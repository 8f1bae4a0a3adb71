// Storage: the storage authority's interface. Only `sa` speaks SQL; everything else calls these
// methods. Every state-changing method records an audit event in the same transaction, so the
// audit log cannot miss a change that was committed. Every account-owned object is read and
// written scoped by its account id; an object of another account is simply NotFound.
//
// Thread-safety: implementations are safe to call from many threads at once (a connection pool).
// Calls block; callers on an event loop must run them on a blocking pool.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/ids.h"
#include "signet/common/status.h"
#include "signet/sa/types.h"

namespace signet::sa {

class AccountStore {
 public:
  virtual ~AccountStore() = default;
  virtual Result<Account> CreateAccount(const std::string& name, const Actor& actor) = 0;
  virtual Result<Account> GetAccount(const std::string& id) = 0;
  virtual Result<Account> GetAccountByName(const std::string& name) = 0;

  // Adds the person with `member.email` to `member.account_id` with its role, status and
  // invitation, creating the person (with `new_password_hash`, which may be empty) when no one
  // has that email yet; an existing person's password is set only when they have none. Conflict
  // (already_member) when they already belong to the account. Returns the membership with its
  // user id.
  virtual Result<Membership> AddMember(const Membership& member,
                                       const std::string& new_password_hash,
                                       const Actor& actor) = 0;
  virtual Result<User> GetUser(const std::string& id) = 0;
  virtual Result<User> GetUserByEmail(const std::string& email) = 0;
  virtual Result<Membership> GetMembership(const std::string& user_id,
                                           const std::string& account_id) = 0;
  // By the membership's own id (the REST API's user id), scoped to the account.
  virtual Result<Membership> GetMembershipById(const std::string& account_id,
                                               const std::string& id) = 0;
  // Every account the person belongs to, in any status, oldest first.
  virtual Result<std::vector<Membership>> ListMembershipsOfUser(const std::string& user_id) = 0;
  // account_id empty lists every account's members (staff only; the caller decides).
  virtual Result<Page<Membership>> ListMembers(const std::string& account_id,
                                               const PageRequest& page) = 0;
  virtual Result<Membership> FindMembershipByInvitation(const std::string& invitation_hash) = 0;
  // Writes role, status and the invitation fields; `action` names the audit event
  // (user.update, user.invite, ...).
  virtual Status UpdateMembership(const Membership& member, const std::string& action,
                                  const Actor& actor) = 0;
  // Makes an invited membership active and clears its invitation, in one transaction with
  // setting the person's first password (`new_password_hash` non-empty) — which is refused with
  // Conflict (password_already_set) when the person has one already.
  virtual Status AcceptInvitation(const std::string& user_id, const std::string& account_id,
                                  const std::string& new_password_hash, const Actor& actor) = 0;
  virtual Status SetUserPassword(const std::string& user_id, const std::string& password_hash,
                                 const Actor& actor) = 0;
  // Records a password reset link (its token's hash, valid until `expires_at`) unless one was
  // sent less than `min_interval` ago; false then, and nothing changes.
  virtual Result<bool> StartPasswordReset(const std::string& user_id, const std::string& reset_hash,
                                          TimePoint expires_at, TimePoint now,
                                          std::chrono::seconds min_interval,
                                          const Actor& actor) = 0;
  virtual Result<User> GetUserByResetHash(const std::string& reset_hash) = 0;
  // Sets the new password if the reset is still this one (single use), and ends every session of
  // the person, in one transaction. NotFound (reset_invalid) otherwise.
  virtual Status CompletePasswordReset(const std::string& user_id, const std::string& reset_hash,
                                       const std::string& password_hash, const Actor& actor) = 0;

  virtual Result<ApiKey> CreateApiKey(const ApiKey& key, const Actor& actor) = 0;
  virtual Result<ApiKey> FindApiKeyByHash(const std::string& key_hash) = 0;
  // Bookkeeping, not audited: updates last_used_at.
  virtual Status TouchApiKey(const std::string& id, TimePoint at) = 0;
  virtual Status RevokeApiKey(const std::string& account_id, const std::string& id,
                              const Actor& actor) = 0;
  // user_id empty lists all of the account's keys.
  virtual Result<Page<ApiKey>> ListApiKeys(const std::string& account_id,
                                           const std::string& user_id, const PageRequest& page) = 0;

  virtual Status CreateSession(const Session& session, const Actor& actor) = 0;
  virtual Result<Session> GetSession(const std::string& id_hash) = 0;
  virtual Status DeleteSession(const std::string& id_hash, const Actor& actor) = 0;
  // The person's unexpired sessions, newest first.
  virtual Result<std::vector<Session>> ListSessions(const std::string& user_id, TimePoint now) = 0;
  // Moves a session to another account of the same person (the caller checked the membership).
  virtual Status SetSessionAccount(const std::string& id_hash, const std::string& account_id,
                                   const Actor& actor) = 0;
  virtual Result<int64_t> PurgeExpiredSessions(TimePoint now) = 0;
};

class OrganizationStore {
 public:
  virtual ~OrganizationStore() = default;
  virtual Result<Organization> CreateOrganization(const Organization& org, const Actor& actor) = 0;
  virtual Result<Organization> GetOrganization(const std::string& account_id,
                                               const std::string& id) = 0;
  virtual Result<Page<Organization>> ListOrganizations(const std::string& account_id,
                                                       const PageRequest& page) = 0;
  virtual Result<Organization> UpdateOrganization(const Organization& org, const Actor& actor) = 0;
  virtual Status DeleteOrganization(const std::string& account_id, const std::string& id,
                                    const Actor& actor) = 0;
};

class AdministratorStore {
 public:
  virtual ~AdministratorStore() = default;
  virtual Result<Administrator> CreateAdministrator(const Administrator& a, const Actor& actor) = 0;
  virtual Result<Administrator> GetAdministrator(const std::string& account_id,
                                                 const std::string& id) = 0;
  virtual Result<Page<Administrator>> ListAdministrators(const std::string& account_id,
                                                         const PageRequest& page) = 0;
  virtual Result<Administrator> UpdateAdministrator(const Administrator& a, const Actor& actor) = 0;
  virtual Status DeleteAdministrator(const std::string& account_id, const std::string& id,
                                     const Actor& actor) = 0;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // For events that are not a storage state change of their own (e.g. a refused login).
  virtual Status AppendAuditEvent(const AuditEvent& event, const Actor& actor) = 0;
  // account_id empty lists all accounts' events.
  virtual Result<Page<AuditEvent>> ListAuditEvents(const std::string& account_id,
                                                   const PageRequest& page) = 0;
  // Recomputes the hash chain over every event and compares it with the stored head.
  virtual Result<AuditVerification> VerifyAuditChain() = 0;
};

class JobStore {
 public:
  virtual ~JobStore() = default;
  virtual Result<Job> EnqueueJob(const std::string& kind, const std::string& payload,
                                 TimePoint run_at, int max_attempts) = 0;
  // Claims up to `limit` due jobs (queued and due, or running with an expired lease) for
  // `worker`. On PostgreSQL several nodes claim concurrently with FOR UPDATE SKIP LOCKED.
  virtual Result<std::vector<Job>> ClaimJobs(const std::string& worker, TimePoint now,
                                             std::chrono::seconds lease, int limit) = 0;
  virtual Status CompleteJob(const std::string& id, const std::string& worker) = 0;
  // Records a failed attempt: back to queued at `retry_at`, or failed for good when absent.
  virtual Status FailJob(const std::string& id, const std::string& worker, const std::string& error,
                         std::optional<TimePoint> retry_at) = 0;
  virtual Result<Job> GetJob(const std::string& id) = 0;
  virtual Result<Page<Job>> ListJobs(std::optional<JobState> state, const PageRequest& page) = 0;
};

class IssuanceStore {
 public:
  virtual ~IssuanceStore() = default;
  // Stores a new issuance with its reserved serial. If `issuance.id` exists already, returns the
  // stored one instead (idempotent). A serial already used by any issuance is a Conflict with
  // reason "serial_taken": pick another serial.
  virtual Result<Issuance> ReserveIssuance(const Issuance& issuance, const Actor& actor) = 0;
  virtual Status MarkIssuanceLinted(const std::string& id,
                                    const std::string& linted_der_base64) = 0;
  virtual Status MarkIssuanceFailed(const std::string& id, const std::string& failure,
                                    const Actor& actor) = 0;
  // In one transaction: stores the certificate and marks its issuance issued. A second
  // certificate for the same issuance is refused (Conflict "already_issued").
  virtual Status StoreIssuedCertificate(const CertificateRecord& certificate,
                                        const Actor& actor) = 0;
  virtual Result<Issuance> GetIssuance(const std::string& id) = 0;
  // Issuances reserved or linted but not finished: to complete after a restart.
  virtual Result<std::vector<Issuance>> ListUnfinishedIssuances() = 0;
  virtual Result<CertificateRecord> GetCertificateBySerial(const std::string& serial_hex) = 0;
  virtual Result<CertificateRecord> GetCertificateByIssuance(const std::string& issuance_id) = 0;
  virtual Result<int64_t> CountCertificates() = 0;

  // Marks a certificate revoked. account_id scopes the lookup (empty: staff acting on any
  // account). Revoking a revoked certificate is a Conflict "already_revoked".
  virtual Result<CertificateRecord> RevokeCertificate(const std::string& account_id,
                                                      const std::string& serial_hex, int reason,
                                                      const Actor& actor) = 0;
  virtual Result<std::vector<RevokedEntry>> ListRevokedCertificates(const std::string& issuer,
                                                                    int shard) = 0;
  // Increments and returns the CRL number of (issuer, shard); numbers only ever grow.
  virtual Result<int64_t> NextCrlNumber(const std::string& issuer, int shard) = 0;
  // Stores a signed CRL unless a newer one (higher number) is stored already.
  virtual Status StoreCrl(const CrlRecord& crl) = 0;
  virtual Result<CrlRecord> GetCrl(const std::string& issuer, int shard) = 0;
};

// An answered ACME challenge whose validation is being created: the authorization records it in
// the same transaction.
struct AcmeChallengeLink {
  std::string authorization_id;
  std::string challenge_type;
};

// A job to store in the same transaction as the row that needs it, so that a crash cannot
// leave the row without the work that moves it on. Built from the stored row (its id).
struct NewJob {
  std::string kind;
  std::string payload;
  TimePoint run_at;
  int max_attempts = 10;
};

class DomainValidationStore {
 public:
  virtual ~DomainValidationStore() = default;
  // With `link`, the ACME authorization is marked answered in the same transaction; when another
  // request answered it first, nothing is stored (Conflict "challenge_started"). With
  // `first_job`, the job it makes of the new validation is queued in the same transaction.
  virtual Result<DomainValidation> CreateDomainValidation(
      const DomainValidation& v, const Actor& actor, const AcmeChallengeLink* link = nullptr,
      const std::function<NewJob(const DomainValidation&)>& first_job = {}) = 0;
  // Pending validations whose method starts with `method_prefix`, as (account_id, id).
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListPendingDomainValidations(
      const std::string& method_prefix) = 0;
  // account_id empty: any account (background work and the email approval page).
  virtual Result<DomainValidation> GetDomainValidation(const std::string& account_id,
                                                       const std::string& id) = 0;
  virtual Result<DomainValidation> FindDomainValidationByEmailToken(
      const std::string& token_hash) = 0;
  // domain empty: all. Newest first.
  virtual Result<Page<DomainValidation>> ListDomainValidations(const std::string& account_id,
                                                               const std::string& domain,
                                                               const PageRequest& page) = 0;
  // Records a check and the validation's new state in one transaction. A change of status is
  // audited; a validation that is no longer pending is not changed (Conflict "not_pending").
  virtual Result<DomainValidation> RecordValidationAttempt(const DomainValidation& updated,
                                                           const ValidationAttempt& attempt,
                                                           const Actor& actor) = 0;
  virtual Result<Page<ValidationAttempt>> ListValidationAttempts(const std::string& account_id,
                                                                 const std::string& validation_id,
                                                                 const PageRequest& page) = 0;
  // Valid validations of the account validated at or after `since`, newest first; only those of
  // `domains` when it is not empty.
  virtual Result<std::vector<DomainValidation>> ListValidDomainValidations(
      const std::string& account_id, TimePoint since,
      const std::vector<std::string>& domains = {}) = 0;
};

class OrderStore {
 public:
  virtual ~OrderStore() = default;
  // With `acme`, the order's ACME view and new authorizations are stored in the same transaction
  // (their order id is the new order's).
  virtual Result<Order> CreateOrder(const Order& order, const Actor& actor,
                                    const AcmeOrderRows* acme = nullptr) = 0;
  // account_id empty: any account (staff and background work).
  virtual Result<Order> GetOrder(const std::string& account_id, const std::string& id) = 0;
  virtual Result<Order> GetOrderByIssuance(const std::string& issuance_id) = 0;
  // The order that continues a certificate (Order::continues_certificate_id), if one was made.
  virtual Result<std::optional<Order>> FindOrderContinuing(const std::string& certificate_id) = 0;
  // Newest first. account_id empty: every account (the review queue).
  virtual Result<Page<Order>> ListOrders(const std::string& account_id, const OrderFilter& filter,
                                         const PageRequest& page) = 0;
  // Writes `order` if its stored status is still `expected_status` (compare-and-set, so two
  // workers never move one order twice), with `event` on its timeline, in one transaction.
  // Otherwise Conflict "status_changed".
  // `links` (domain, validation id) replace the order's validation links in the same transaction.
  // `jobs` (the notifications announcing the change) are queued in it too.
  virtual Result<Order> UpdateOrder(
      const Order& order, core::OrderStatus expected_status, const OrderEvent& event,
      const Actor& actor, const std::vector<std::pair<std::string, std::string>>& links = {},
      const std::vector<NewJob>& jobs = {}) = 0;
  // UpdateOrder from "processing" to `order` (issued), and its certificate into the account's
  // certificates (AddManagedCertificate), in one transaction: an issued order's certificate is
  // never missing from the account's list, nor its notifications (`jobs`).
  virtual Result<Order> MarkOrderIssued(const Order& order, const OrderEvent& event,
                                        const ManagedCertificate& certificate, const Actor& actor,
                                        const std::vector<NewJob>& jobs = {}) = 0;
  virtual Status AppendOrderEvent(const OrderEvent& event) = 0;
  virtual Result<std::vector<OrderEvent>> ListOrderEvents(const std::string& order_id) = 0;
  // The validations an order waits for, and the orders waiting for a validation.
  virtual Status LinkOrderValidation(const std::string& order_id, const std::string& domain,
                                     const std::string& validation_id) = 0;
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListOrderValidations(
      const std::string& order_id) = 0;  // (domain, validation id)
  virtual Result<std::vector<std::string>> ListOrdersForValidation(
      const std::string& validation_id) = 0;

  virtual Result<Attachment> CreateAttachment(const Attachment& attachment, const Actor& actor) = 0;
  virtual Result<std::vector<Attachment>> ListAttachments(const std::string& order_id) = 0;
  virtual Result<Attachment> GetAttachment(const std::string& order_id, const std::string& id) = 0;
};

class CertificateStore {
 public:
  virtual ~CertificateStore() = default;
  // Stores a managed certificate; an existing id is left as it is (idempotent).
  virtual Result<ManagedCertificate> AddManagedCertificate(const ManagedCertificate& c,
                                                           const Actor& actor) = 0;
  virtual Result<ManagedCertificate> GetManagedCertificate(const std::string& account_id,
                                                           const std::string& id) = 0;
  // Newest first. account_id empty: every account (the reminder scan).
  virtual Result<Page<ManagedCertificate>> ListManagedCertificates(const std::string& account_id,
                                                                   const CertificateFilter& filter,
                                                                   const PageRequest& page) = 0;
  // Alias, project, reminders and hidden.
  // Every account's certificates of source upstream that are neither revoked, expired nor
  // hidden, oldest first, at most `limit`: the candidates for renewal.
  virtual Result<std::vector<ManagedCertificate>> ListRenewableUpstreamCertificates(
      TimePoint now, int limit) = 0;
  // Records that a certificate of source upstream was revoked at its CA (audited; a second
  // call changes nothing).
  virtual Status MarkUpstreamRevoked(const std::string& account_id, const std::string& id,
                                     int reason, const Actor& actor) = 0;
  virtual Result<ManagedCertificate> UpdateManagedCertificate(const ManagedCertificate& c,
                                                              const Actor& actor) = 0;
  // Records that the `days`-before-expiry reminder of this certificate (for this expiry) was
  // sent; false when it had been already (so no reminder goes out twice). `jobs` (the reminder's
  // messages) are queued in the same transaction, only when it is recorded now.
  virtual Result<bool> MarkReminderSent(const std::string& certificate_id, TimePoint not_after,
                                        int days, const std::vector<NewJob>& jobs = {}) = 0;
  // Whether MarkReminderSent recorded this reminder already.
  virtual Result<bool> ReminderSent(const std::string& certificate_id, TimePoint not_after,
                                    int days) = 0;
  // The account's reminder schedule ("30,15,7,3,1"), empty when it has none of its own.
  virtual Result<std::string> GetAccountReminderDays(const std::string& account_id) = 0;
  virtual Status SetAccountReminderDays(const std::string& account_id, const std::string& days,
                                        const Actor& actor) = 0;
};

class NotificationChannelStore {
 public:
  virtual ~NotificationChannelStore() = default;
  virtual Result<NotificationChannel> CreateNotificationChannel(const NotificationChannel& c,
                                                                const Actor& actor) = 0;
  virtual Result<std::vector<NotificationChannel>> ListNotificationChannels(
      const std::string& account_id) = 0;
  // Every account's channels whose secret is not sealed ("v1." prefix): rows written before
  // secrets were sealed, for start-up maintenance.
  virtual Result<std::vector<NotificationChannel>> ListPlaintextChannelSecrets() = 0;
  // Replaces a channel's secret if it is still `expected` (compare-and-set: two nodes sealing
  // the same plaintext at start write once).
  virtual Status SetNotificationChannelSecret(const std::string& id, const std::string& expected,
                                              const std::string& secret) = 0;
  virtual Status DeleteNotificationChannel(const std::string& account_id, const std::string& id,
                                           const Actor& actor) = 0;
  // Sets how monitor alerts reach the channel (and, for "daily_digest", when the first digest is
  // due); audited. NotFound when the account has no such channel.
  virtual Result<NotificationChannel> SetChannelMonitorAlerts(
      const std::string& account_id, const std::string& id, const std::string& monitor_alerts,
      std::optional<TimePoint> digest_due_at, const Actor& actor) = 0;
  // Digest channels (every account's) whose digest is due at `now`.
  virtual Result<std::vector<NotificationChannel>> ListDueDigestChannels(TimePoint now) = 0;
  // Moves a digest channel's due time from `expected` to `next` and queues `jobs` (its digest) in
  // the same transaction, if no other node did first (compare-and-set): false when one did.
  virtual Result<bool> RecordDigestSent(const std::string& id, TimePoint expected, TimePoint next,
                                        const std::vector<NewJob>& jobs) = 0;
};

// Signet's accounts at upstream CAs and its orders there (issue 18, docs/BRANDS.md).
class UpstreamStore {
 public:
  virtual ~UpstreamStore() = default;
  virtual Result<std::optional<UpstreamAccount>> GetUpstreamAccount(
      const std::string& directory_url, const std::string& eab_kid) = 0;
  // Stores the account unless one for the directory and kid is stored already; returns the
  // stored one (the first node's, when several register at once).
  virtual Result<UpstreamAccount> RecordUpstreamAccount(const UpstreamAccount& account) = 0;
  // Sets the order's upstream order URL if it has none yet (compare-and-set); returns the
  // stored URL (another worker's, when it placed the order first).
  virtual Result<std::string> SetOrderUpstreamUrl(const std::string& order_id,
                                                  const std::string& url) = 0;
  // An applicant account's own EAB credentials, one per upstream directory (audited).
  virtual Status PutUpstreamEabCredential(const UpstreamEabCredential& credential,
                                          const Actor& actor) = 0;
  virtual Result<std::vector<UpstreamEabCredential>> ListUpstreamEabCredentials(
      const std::string& account_id) = 0;
  virtual Status DeleteUpstreamEabCredential(const std::string& account_id,
                                             const std::string& directory_url,
                                             const Actor& actor) = 0;
};

// Deployment targets, certificate bindings and deployment runs (issue 16). Every change is
// audited; a deployment and the job that runs it are stored in one transaction.
class DeploymentStore {
 public:
  virtual ~DeploymentStore() = default;
  // kConflict "already_exists" when the account has a target of that name.
  virtual Result<DeploymentTarget> CreateDeploymentTarget(const DeploymentTarget& target,
                                                          const Actor& actor) = 0;
  // account_id empty: any account (background work).
  virtual Result<DeploymentTarget> GetDeploymentTarget(const std::string& account_id,
                                                       const std::string& id) = 0;
  virtual Result<std::vector<DeploymentTarget>> ListDeploymentTargets(
      const std::string& account_id) = 0;
  virtual Result<DeploymentTarget> UpdateDeploymentTarget(const DeploymentTarget& target,
                                                          const Actor& actor) = 0;
  // kConflict "target_in_use" while bindings name it.
  virtual Status DeleteDeploymentTarget(const std::string& account_id, const std::string& id,
                                        const Actor& actor) = 0;

  // The binding, its first deployment and that deployment's job, in one transaction. The
  // deployment's id is the caller's (the job's payload names it).
  virtual Result<std::pair<CertificateBinding, Deployment>> CreateBinding(
      const CertificateBinding& binding, const Deployment& first, const NewJob& job,
      const Actor& actor) = 0;
  virtual Result<CertificateBinding> GetBinding(const std::string& account_id,
                                                const std::string& id) = 0;
  // The bindings of a lineage (lineage_id set) or of a target (target_id set).
  virtual Result<std::vector<CertificateBinding>> ListBindings(const std::string& account_id,
                                                               const std::string& lineage_id,
                                                               const std::string& target_id) = 0;
  virtual Status DeleteBinding(const std::string& account_id, const std::string& id,
                               const Actor& actor) = 0;

  // A deployment (its id chosen by the caller) and its job in one transaction. With
  // `once_per_serial`, false (and nothing stored) when the binding already has an automatic
  // deployment of that serial: how the reconciler on several nodes starts each successor's
  // deployment exactly once.
  virtual Result<std::optional<Deployment>> CreateDeployment(const Deployment& deployment,
                                                             const NewJob& job,
                                                             bool once_per_serial,
                                                             const Actor& actor) = 0;
  virtual Result<Deployment> GetDeployment(const std::string& account_id,
                                           const std::string& id) = 0;
  // Newest first.
  virtual Result<Page<Deployment>> ListDeployments(const std::string& account_id,
                                                   const DeploymentFilter& filter,
                                                   const PageRequest& page) = 0;
  // Writes `deployment` if its stored status is still `expected` (compare-and-set); kConflict
  // "status_changed" otherwise. A final status is audited (a success is the deployment receipt
  // in the audit chain); `jobs` (its notifications) are queued in the same transaction.
  virtual Result<Deployment> UpdateDeployment(const Deployment& deployment,
                                              core::DeploymentStatus expected,
                                              const std::vector<NewJob>& jobs) = 0;
  // Bindings whose lineage's newest unexpired certificate has no automatic deployment there yet.
  virtual Result<std::vector<PendingSuccessor>> ListPendingSuccessors(TimePoint now, int limit) = 0;

  // Agents. A new registration token replaces the target's previous one (its credential stays
  // until a registration with the new token replaces it).
  virtual Status SetAgentToken(const std::string& account_id, const std::string& target_id,
                               const std::string& token_hash, TimePoint expires_at,
                               const Actor& actor) = 0;
  // Redeems an unexpired token once: stores the credential; the agent's target. kNotFound
  // "invalid_token" for a token unknown, used or expired.
  virtual Result<DeploymentAgent> RegisterAgent(const std::string& token_hash,
                                                const std::string& credential_hash,
                                                const std::string& hostname, TimePoint now) = 0;
  // kUnauthorized "unknown_agent" for a credential no agent has.
  virtual Result<DeploymentAgent> FindAgentByCredential(const std::string& credential_hash,
                                                        TimePoint now) = 0;
  virtual Result<std::optional<DeploymentAgent>> GetAgent(const std::string& target_id) = 0;
};

// Monitors of TLS endpoints and their checks (issue 17).
class MonitorStore {
 public:
  virtual ~MonitorStore() = default;
  // kConflict "already_exists" when the account watches that endpoint already.
  virtual Result<Monitor> CreateMonitor(const Monitor& monitor, const Actor& actor) = 0;
  virtual Result<Monitor> GetMonitor(const std::string& account_id, const std::string& id) = 0;
  // Oldest first.
  virtual Result<Page<Monitor>> ListMonitors(const std::string& account_id,
                                             const PageRequest& page) = 0;
  // Interval, enabled and next_check_at.
  virtual Result<Monitor> UpdateMonitor(const Monitor& monitor, const Actor& actor) = 0;
  virtual Status DeleteMonitor(const std::string& account_id, const std::string& id,
                               const Actor& actor) = 0;
  // Enabled monitors due at `now`, each claimed by moving its next_check_at to `claim_until`
  // (compare-and-set), so one node checks it; the check sets the real next time. Those checked
  // by the agent of `agent_target_id` (empty: those Signet checks itself).
  virtual Result<std::vector<Monitor>> ClaimDueMonitors(TimePoint now, TimePoint claim_until,
                                                        int limit,
                                                        const std::string& agent_target_id) = 0;
  // The check into the history, the monitor's last status and next check, and `jobs` (its
  // alerts), in one transaction.
  virtual Result<MonitorCheck> RecordMonitorCheck(const MonitorCheck& check,
                                                  TimePoint next_check_at,
                                                  const std::vector<NewJob>& jobs) = 0;
  // Newest first.
  virtual Result<Page<MonitorCheck>> ListMonitorChecks(const std::string& account_id,
                                                       const std::string& monitor_id,
                                                       const PageRequest& page) = 0;
};

class AcmeStore {
 public:
  virtual ~AcmeStore() = default;
  // Creates the ACME account, and a Signet account for it when account_id is empty. A key that
  // has an account already returns that one (with `created` false).
  virtual Result<AcmeAccount> CreateAcmeAccount(const AcmeAccount& account, bool* created,
                                                const Actor& actor) = 0;
  virtual Result<AcmeAccount> GetAcmeAccount(const std::string& id) = 0;
  virtual Result<AcmeAccount> GetAcmeAccountByThumbprint(const std::string& thumbprint) = 0;
  virtual Result<AcmeAccount> UpdateAcmeAccount(const AcmeAccount& account, const Actor& actor) = 0;
  // Nonces live in the database so that every node can redeem every node's nonces.
  virtual Status StoreNonce(const std::string& nonce, TimePoint expires_at) = 0;
  // True exactly once for a stored, unexpired nonce.
  virtual Result<bool> RedeemNonce(const std::string& nonce, TimePoint now) = 0;
  virtual Result<int64_t> PurgeExpiredNonces(TimePoint now) = 0;
  // A new key for the account (key rollover); kConflict when another account has that key.
  virtual Status ChangeAcmeAccountKey(const std::string& id, const std::string& old_thumbprint,
                                      const std::string& thumbprint, const std::string& spki_base64,
                                      const Actor& actor) = 0;

  virtual Result<AcmeOrder> GetAcmeOrder(const std::string& order_id) = 0;
  // The account's order ids, newest first.
  virtual Result<std::vector<std::string>> ListAcmeOrderIds(const std::string& acme_account_id,
                                                            int limit) = 0;
  virtual Result<AcmeAuthorization> GetAcmeAuthorization(const std::string& id) = 0;
  // An unexpired, not deactivated authorization of the account for the identifier whose
  // validation (if started) is pending or valid: RFC 8555 allows reusing it in a new order.
  virtual Result<std::optional<AcmeAuthorization>> FindReusableAcmeAuthorization(
      const std::string& acme_account_id, const std::string& identifier, bool wildcard,
      TimePoint now) = 0;
  virtual Status DeactivateAcmeAuthorization(const std::string& id, const Actor& actor) = 0;
  virtual Result<int64_t> CountAcmeOrdersSince(const std::string& acme_account_id,
                                               TimePoint since) = 0;
  // Issued certificates of ACME orders naming the registered domain since `since`.
  virtual Result<int64_t> CountIssuedForRegisteredDomainSince(const std::string& registered_domain,
                                                              TimePoint since) = 0;
  // An ACME order (not cancelled) that already replaces the certificate, if any.
  virtual Result<std::optional<std::string>> FindOrderReplacing(const std::string& serial_hex) = 0;

  virtual Result<EabKey> CreateEabKey(const EabKey& key, const Actor& actor) = 0;
  virtual Result<std::vector<EabKey>> ListEabKeys(const std::string& account_id) = 0;
  virtual Result<EabKey> GetEabKeyByKeyId(const std::string& key_id) = 0;
  virtual Status RevokeEabKey(const std::string& account_id, const std::string& id,
                              const Actor& actor) = 0;
  // Creates the ACME account bound to the key's Signet account; kConflict when the key is used,
  // revoked, or the ACME key already has an account.
  virtual Result<AcmeAccount> CreateBoundAcmeAccount(const AcmeAccount& account,
                                                     const std::string& eab_key_id,
                                                     const Actor& actor) = 0;

  virtual Status SetRenewalWindow(const RenewalWindow& window, const Actor& actor) = 0;
  virtual Result<std::optional<RenewalWindow>> GetRenewalWindow(const std::string& serial_hex) = 0;
};

class Storage : public AccountStore,
                public OrganizationStore,
                public AdministratorStore,
                public AuditStore,
                public JobStore,
                public IssuanceStore,
                public DomainValidationStore,
                public OrderStore,
                public CertificateStore,
                public NotificationChannelStore,
                public DeploymentStore,
                public MonitorStore,
                public UpstreamStore,
                public AcmeStore {
 public:
  // "sqlite" or "postgresql".
  virtual std::string Backend() const = 0;
  // Cheap liveness check for /readyz.
  virtual Status Ping() = 0;
  // Applies pending migrations; safe to run concurrently from several nodes.
  virtual Status Migrate() = 0;
  virtual Result<int> SchemaVersion() = 0;
  // A consistent online copy (SQLite only; PostgreSQL uses pg_dump, see docs/OPERATIONS.md).
  virtual Status Backup(const std::string& destination_path) = 0;
  // Facts every node must agree with (the master key's check value, the CA root's hash): the
  // stored value of `name`, or empty when none is stored yet.
  virtual Result<std::string> GetServiceFact(const std::string& name) = 0;
  // Stores `value` under `name` unless one is stored already; returns the stored value (the
  // first node's, when several start at once).
  virtual Result<std::string> RecordServiceFact(const std::string& name,
                                                const std::string& value) = 0;
};

struct StorageOptions {
  std::string url;  // sqlite:///path or sqlite://relative/path, postgresql://...
  int pool_size = 4;
};

// Opens the database (creating a SQLite file if needed); does not migrate.
Result<std::unique_ptr<Storage>> OpenStorage(const StorageOptions& options, const Clock& clock,
                                             Random& random);

}  // namespace signet::sa

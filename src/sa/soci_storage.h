// SociStorage: the Storage implementation over SOCI, for SQLite (WAL) and PostgreSQL.
// Private to sa; other modules see only signet/sa/storage.h.
#pragma once

#include <soci/soci.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sa/sqlite_statement_cache.h"
#include "sa/sqlite_wal_sync.h"
#include "signet/sa/database_url.h"
#include "signet/sa/storage.h"

namespace signet::sa {

class SociStorage final : public Storage {
 public:
  SociStorage(DatabaseTarget target, int pool_size, const Clock& clock, Random& random);
  ~SociStorage() override;
  Status Open();

  std::string Backend() const override;
  Status Ping() override;
  Status Migrate() override;
  Result<int> SchemaVersion() override;
  Status Backup(const std::string& destination_path) override;
  Result<std::string> GetServiceFact(const std::string& name) override;
  Result<std::string> RecordServiceFact(const std::string& name, const std::string& value) override;

  Result<Account> CreateAccount(const std::string& name, const Actor& actor) override;
  Result<Account> GetAccount(const std::string& id) override;
  Result<Account> GetAccountByName(const std::string& name) override;
  Result<Membership> AddMember(const Membership& member, const std::string& new_password_hash,
                               const Actor& actor) override;
  Result<User> GetUser(const std::string& id) override;
  Result<User> GetUserByEmail(const std::string& email) override;
  Result<Membership> GetMembership(const std::string& user_id,
                                   const std::string& account_id) override;
  Result<Membership> GetMembershipById(const std::string& account_id,
                                       const std::string& id) override;
  Result<std::vector<Membership>> ListMembershipsOfUser(const std::string& user_id) override;
  Result<Page<Membership>> ListMembers(const std::string& account_id,
                                       const PageRequest& page) override;
  Result<Membership> FindMembershipByInvitation(const std::string& invitation_hash) override;
  Status UpdateMembership(const Membership& member, const std::string& action,
                          const Actor& actor) override;
  Status AcceptInvitation(const std::string& user_id, const std::string& account_id,
                          const std::string& new_password_hash, const Actor& actor) override;
  Status SetUserPassword(const std::string& user_id, const std::string& password_hash,
                         const Actor& actor) override;
  Result<bool> StartPasswordReset(const std::string& user_id, const std::string& reset_hash,
                                  TimePoint expires_at, TimePoint now,
                                  std::chrono::seconds min_interval, const Actor& actor) override;
  Result<User> GetUserByResetHash(const std::string& reset_hash) override;
  Status CompletePasswordReset(const std::string& user_id, const std::string& reset_hash,
                               const std::string& password_hash, const Actor& actor) override;
  Result<std::vector<Session>> ListSessions(const std::string& user_id, TimePoint now) override;
  Result<ApiKey> CreateApiKey(const ApiKey& key, const Actor& actor) override;
  Result<ApiKey> FindApiKeyByHash(const std::string& key_hash) override;
  Status TouchApiKey(const std::string& id, TimePoint at) override;
  Status RevokeApiKey(const std::string& account_id, const std::string& id,
                      const Actor& actor) override;
  Result<Page<ApiKey>> ListApiKeys(const std::string& account_id, const std::string& user_id,
                                   const PageRequest& page) override;
  Status CreateSession(const Session& session, const Actor& actor) override;
  Result<Session> GetSession(const std::string& id_hash) override;
  Status DeleteSession(const std::string& id_hash, const Actor& actor) override;
  Status SetSessionAccount(const std::string& id_hash, const std::string& account_id,
                           const Actor& actor) override;
  Result<int64_t> PurgeExpiredSessions(TimePoint now) override;

  Result<Organization> CreateOrganization(const Organization& org, const Actor& actor) override;
  Result<Organization> GetOrganization(const std::string& account_id,
                                       const std::string& id) override;
  Result<Page<Organization>> ListOrganizations(const std::string& account_id,
                                               const PageRequest& page) override;
  Result<Organization> UpdateOrganization(const Organization& org, const Actor& actor) override;
  Status DeleteOrganization(const std::string& account_id, const std::string& id,
                            const Actor& actor) override;

  Result<Administrator> CreateAdministrator(const Administrator& a, const Actor& actor) override;
  Result<Administrator> GetAdministrator(const std::string& account_id,
                                         const std::string& id) override;
  Result<Page<Administrator>> ListAdministrators(const std::string& account_id,
                                                 const PageRequest& page) override;
  Result<Administrator> UpdateAdministrator(const Administrator& a, const Actor& actor) override;
  Status DeleteAdministrator(const std::string& account_id, const std::string& id,
                             const Actor& actor) override;

  Status AppendAuditEvent(const AuditEvent& event, const Actor& actor) override;
  Result<Page<AuditEvent>> ListAuditEvents(const std::string& account_id,
                                           const PageRequest& page) override;
  Result<AuditVerification> VerifyAuditChain() override;

  Result<Job> EnqueueJob(const std::string& kind, const std::string& payload, TimePoint run_at,
                         int max_attempts) override;
  Result<std::vector<Job>> ClaimJobs(const std::string& worker, TimePoint now,
                                     std::chrono::seconds lease, int limit) override;
  Status CompleteJob(const std::string& id, const std::string& worker) override;
  Status FailJob(const std::string& id, const std::string& worker, const std::string& error,
                 std::optional<TimePoint> retry_at) override;
  Result<Job> GetJob(const std::string& id) override;
  Result<Page<Job>> ListJobs(std::optional<JobState> state, const PageRequest& page) override;

  Result<Issuance> ReserveIssuance(const Issuance& issuance, const Actor& actor) override;
  Status MarkIssuanceLinted(const std::string& id, const std::string& linted_der_base64) override;
  Status MarkIssuanceFailed(const std::string& id, const std::string& failure,
                            const Actor& actor) override;
  Status StoreIssuedCertificate(const CertificateRecord& certificate, const Actor& actor) override;
  Result<Issuance> GetIssuance(const std::string& id) override;
  Result<std::vector<Issuance>> ListUnfinishedIssuances() override;
  Result<CertificateRecord> GetCertificateBySerial(const std::string& serial_hex) override;
  Result<CertificateRecord> GetCertificateByIssuance(const std::string& issuance_id) override;
  Result<int64_t> CountCertificates() override;
  Result<CertificateRecord> RevokeCertificate(const std::string& account_id,
                                              const std::string& serial_hex, int reason,
                                              const Actor& actor) override;
  Result<std::vector<RevokedEntry>> ListRevokedCertificates(const std::string& issuer,
                                                            int shard) override;
  Result<int64_t> NextCrlNumber(const std::string& issuer, int shard) override;
  Status StoreCrl(const CrlRecord& crl) override;
  Result<CrlRecord> GetCrl(const std::string& issuer, int shard) override;

  Result<DomainValidation> CreateDomainValidation(
      const DomainValidation& v, const Actor& actor, const AcmeChallengeLink* link = nullptr,
      const std::function<NewJob(const DomainValidation&)>& first_job = {}) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListPendingDomainValidations(
      const std::string& method_prefix) override;
  Result<DomainValidation> GetDomainValidation(const std::string& account_id,
                                               const std::string& id) override;
  Result<DomainValidation> FindDomainValidationByEmailToken(const std::string& token_hash) override;
  Result<Page<DomainValidation>> ListDomainValidations(const std::string& account_id,
                                                       const std::string& domain,
                                                       const PageRequest& page) override;
  Result<DomainValidation> RecordValidationAttempt(const DomainValidation& updated,
                                                   const ValidationAttempt& attempt,
                                                   const Actor& actor) override;
  Result<Page<ValidationAttempt>> ListValidationAttempts(const std::string& account_id,
                                                         const std::string& validation_id,
                                                         const PageRequest& page) override;
  Result<std::vector<DomainValidation>> ListValidDomainValidations(
      const std::string& account_id, TimePoint since,
      const std::vector<std::string>& domains = {}) override;

  Result<Order> CreateOrder(const Order& order, const Actor& actor,
                            const AcmeOrderRows* acme = nullptr) override;
  Result<Order> GetOrder(const std::string& account_id, const std::string& id) override;
  Result<Order> GetOrderByIssuance(const std::string& issuance_id) override;
  Result<std::optional<Order>> FindOrderContinuing(const std::string& certificate_id) override;
  Result<Page<Order>> ListOrders(const std::string& account_id, const OrderFilter& filter,
                                 const PageRequest& page) override;
  Result<Order> MarkOrderIssued(const Order& order, const OrderEvent& event,
                                const ManagedCertificate& certificate, const Actor& actor,
                                const std::vector<NewJob>& jobs = {}) override;
  Result<Order> UpdateOrder(const Order& order, core::OrderStatus expected_status,
                            const OrderEvent& event, const Actor& actor,
                            const std::vector<std::pair<std::string, std::string>>& links = {},
                            const std::vector<NewJob>& jobs = {}) override;
  Status AppendOrderEvent(const OrderEvent& event) override;
  Result<std::vector<OrderEvent>> ListOrderEvents(const std::string& order_id) override;
  Status LinkOrderValidation(const std::string& order_id, const std::string& domain,
                             const std::string& validation_id) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListOrderValidations(
      const std::string& order_id) override;
  Result<std::vector<std::string>> ListOrdersForValidation(
      const std::string& validation_id) override;
  Result<Attachment> CreateAttachment(const Attachment& attachment, const Actor& actor) override;
  Result<std::vector<Attachment>> ListAttachments(const std::string& order_id) override;
  Result<Attachment> GetAttachment(const std::string& order_id, const std::string& id) override;

  Result<ManagedCertificate> AddManagedCertificate(const ManagedCertificate& c,
                                                   const Actor& actor) override;
  Result<ManagedCertificate> GetManagedCertificate(const std::string& account_id,
                                                   const std::string& id) override;
  Result<Page<ManagedCertificate>> ListManagedCertificates(const std::string& account_id,
                                                           const CertificateFilter& filter,
                                                           const PageRequest& page) override;
  Result<ManagedCertificate> UpdateManagedCertificate(const ManagedCertificate& c,
                                                      const Actor& actor) override;
  Result<bool> MarkReminderSent(const std::string& certificate_id, TimePoint not_after, int days,
                                const std::vector<NewJob>& jobs = {}) override;
  Result<bool> ReminderSent(const std::string& certificate_id, TimePoint not_after,
                            int days) override;
  Result<std::string> GetAccountReminderDays(const std::string& account_id) override;
  Status SetAccountReminderDays(const std::string& account_id, const std::string& days,
                                const Actor& actor) override;

  Result<AcmeAccount> CreateAcmeAccount(const AcmeAccount& account, bool* created,
                                        const Actor& actor) override;
  Result<AcmeAccount> GetAcmeAccount(const std::string& id) override;
  Result<AcmeAccount> GetAcmeAccountByThumbprint(const std::string& thumbprint) override;
  Result<AcmeAccount> UpdateAcmeAccount(const AcmeAccount& account, const Actor& actor) override;
  Status StoreNonce(const std::string& nonce, TimePoint expires_at) override;
  Result<bool> RedeemNonce(const std::string& nonce, TimePoint now) override;
  Result<int64_t> PurgeExpiredNonces(TimePoint now) override;
  Result<NotificationChannel> CreateNotificationChannel(const NotificationChannel& c,
                                                        const Actor& actor) override;
  Result<std::vector<NotificationChannel>> ListNotificationChannels(
      const std::string& account_id) override;
  Result<std::vector<NotificationChannel>> ListPlaintextChannelSecrets() override;
  Status SetNotificationChannelSecret(const std::string& id, const std::string& expected,
                                      const std::string& secret) override;
  Status DeleteNotificationChannel(const std::string& account_id, const std::string& id,
                                   const Actor& actor) override;
  Result<std::optional<UpstreamAccount>> GetUpstreamAccount(const std::string& directory_url,
                                                            const std::string& eab_kid) override;
  Result<UpstreamAccount> RecordUpstreamAccount(const UpstreamAccount& account) override;
  Result<std::string> SetOrderUpstreamUrl(const std::string& order_id,
                                          const std::string& url) override;
  Status PutUpstreamEabCredential(const UpstreamEabCredential& credential,
                                  const Actor& actor) override;
  Result<std::vector<UpstreamEabCredential>> ListUpstreamEabCredentials(
      const std::string& account_id) override;
  Status DeleteUpstreamEabCredential(const std::string& account_id,
                                     const std::string& directory_url,
                                     const Actor& actor) override;
  Status MarkUpstreamRevoked(const std::string& account_id, const std::string& id, int reason,
                             const Actor& actor) override;
  Result<std::vector<ManagedCertificate>> ListRenewableUpstreamCertificates(TimePoint now,
                                                                          int limit) override;
  Result<NotificationChannel> SetChannelMonitorAlerts(const std::string& account_id,
                                                      const std::string& id,
                                                      const std::string& monitor_alerts,
                                                      std::optional<TimePoint> digest_due_at,
                                                      const Actor& actor) override;
  Result<std::vector<NotificationChannel>> ListDueDigestChannels(TimePoint now) override;
  Result<bool> RecordDigestSent(const std::string& id, TimePoint expected, TimePoint next,
                                const std::vector<NewJob>& jobs) override;
  Result<DeploymentTarget> CreateDeploymentTarget(const DeploymentTarget& target,
                                                  const Actor& actor) override;
  Result<DeploymentTarget> GetDeploymentTarget(const std::string& account_id,
                                               const std::string& id) override;
  Result<std::vector<DeploymentTarget>> ListDeploymentTargets(
      const std::string& account_id) override;
  Result<DeploymentTarget> UpdateDeploymentTarget(const DeploymentTarget& target,
                                                  const Actor& actor) override;
  Status DeleteDeploymentTarget(const std::string& account_id, const std::string& id,
                                const Actor& actor) override;
  Result<std::pair<CertificateBinding, Deployment>> CreateBinding(const CertificateBinding& binding,
                                                                  const Deployment& first,
                                                                  const NewJob& job,
                                                                  const Actor& actor) override;
  Result<CertificateBinding> GetBinding(const std::string& account_id,
                                        const std::string& id) override;
  Result<std::vector<CertificateBinding>> ListBindings(const std::string& account_id,
                                                       const std::string& lineage_id,
                                                       const std::string& target_id) override;
  Status DeleteBinding(const std::string& account_id, const std::string& id,
                       const Actor& actor) override;
  Result<std::optional<Deployment>> CreateDeployment(const Deployment& deployment,
                                                     const NewJob& job, bool once_per_serial,
                                                     const Actor& actor) override;
  Result<Deployment> GetDeployment(const std::string& account_id, const std::string& id) override;
  Result<Page<Deployment>> ListDeployments(const std::string& account_id,
                                           const DeploymentFilter& filter,
                                           const PageRequest& page) override;
  Result<Deployment> UpdateDeployment(const Deployment& deployment, core::DeploymentStatus expected,
                                      const std::vector<NewJob>& jobs) override;
  Result<std::vector<PendingSuccessor>> ListPendingSuccessors(TimePoint now, int limit) override;
  Status SetAgentToken(const std::string& account_id, const std::string& target_id,
                       const std::string& token_hash, TimePoint expires_at,
                       const Actor& actor) override;
  Result<DeploymentAgent> RegisterAgent(const std::string& token_hash,
                                        const std::string& credential_hash,
                                        const std::string& hostname, TimePoint now) override;
  Result<DeploymentAgent> FindAgentByCredential(const std::string& credential_hash,
                                                TimePoint now) override;
  Result<std::optional<DeploymentAgent>> GetAgent(const std::string& target_id) override;
  Result<Monitor> CreateMonitor(const Monitor& monitor, const Actor& actor) override;
  Result<Monitor> GetMonitor(const std::string& account_id, const std::string& id) override;
  Result<Page<Monitor>> ListMonitors(const std::string& account_id,
                                     const PageRequest& page) override;
  Result<Monitor> UpdateMonitor(const Monitor& monitor, const Actor& actor) override;
  Status DeleteMonitor(const std::string& account_id, const std::string& id,
                       const Actor& actor) override;
  Result<std::vector<Monitor>> ClaimDueMonitors(TimePoint now, TimePoint claim_until, int limit,
                                                const std::string& agent_target_id) override;
  Result<MonitorCheck> RecordMonitorCheck(const MonitorCheck& check, TimePoint next_check_at,
                                          const std::vector<NewJob>& jobs) override;
  Result<Page<MonitorCheck>> ListMonitorChecks(const std::string& account_id,
                                               const std::string& monitor_id,
                                               const PageRequest& page) override;
  // A deployments row, inside the caller's transaction.
  void InsertDeploymentIn(soci::session& sql, const Deployment& d);
  Status ChangeAcmeAccountKey(const std::string& id, const std::string& old_thumbprint,
                              const std::string& thumbprint, const std::string& spki_base64,
                              const Actor& actor) override;
  // The rows an ACME order adds, inside the caller's transaction.
  void InsertAcmeOrderRows(soci::session& sql, const AcmeOrderRows& rows,
                           const std::string& order_id);
  Result<AcmeOrder> GetAcmeOrder(const std::string& order_id) override;
  Result<std::vector<std::string>> ListAcmeOrderIds(const std::string& acme_account_id,
                                                    int limit) override;
  Result<AcmeAuthorization> GetAcmeAuthorization(const std::string& id) override;
  Result<std::optional<AcmeAuthorization>> FindReusableAcmeAuthorization(
      const std::string& acme_account_id, const std::string& identifier, bool wildcard,
      TimePoint now) override;
  Status DeactivateAcmeAuthorization(const std::string& id, const Actor& actor) override;
  Result<int64_t> CountAcmeOrdersSince(const std::string& acme_account_id,
                                       TimePoint since) override;
  Result<int64_t> CountIssuedForRegisteredDomainSince(const std::string& registered_domain,
                                                      TimePoint since) override;
  Result<std::optional<std::string>> FindOrderReplacing(const std::string& serial_hex) override;
  Result<EabKey> CreateEabKey(const EabKey& key, const Actor& actor) override;
  Result<std::vector<EabKey>> ListEabKeys(const std::string& account_id) override;
  Result<EabKey> GetEabKeyByKeyId(const std::string& key_id) override;
  Status RevokeEabKey(const std::string& account_id, const std::string& id,
                      const Actor& actor) override;
  Result<AcmeAccount> CreateBoundAcmeAccount(const AcmeAccount& account,
                                             const std::string& eab_key_id,
                                             const Actor& actor) override;
  Status SetRenewalWindow(const RenewalWindow& window, const Actor& actor) override;
  Result<std::optional<RenewalWindow>> GetRenewalWindow(const std::string& serial_hex) override;

 private:
  bool is_sqlite() const { return target_.backend == DatabaseTarget::Backend::kSqlite; }
  // The prepared statements of the connection `sql` leases; nullptr on PostgreSQL.
  SqliteStatementCache* CacheFor(soci::session& sql) const {
    auto it = statement_caches_.find(sql.get_backend());
    return it == statement_caches_.end() ? nullptr : it->second.get();
  }
  // A statement with text parameters, prepared once per connection on SQLite: the rows it
  // changed. For the statements each order runs; others keep SOCI's typed binds.
  long long Execute(soci::session& sql, const std::string& query, const SqlParams& params);
  // Inserts a queued job inside the caller's transaction.
  Job InsertJobIn(soci::session& sql, const NewJob& job);
  // A query with text parameters, prepared once per connection on SQLite.
  void QueryRows(soci::session& sql, const std::string& query, const SqlParams& params,
                 const std::function<void(const soci::row&)>& on_row);
  void InsertOrderEvent(soci::session& sql, const OrderEvent& e);
  // UpdateOrder's writes, in the caller's transaction.
  Status UpdateOrderIn(soci::session& sql, const Order& o, core::OrderStatus expected_status,
                       const OrderEvent& event, const Actor& actor,
                       const std::vector<std::pair<std::string, std::string>>& links);
  // AddManagedCertificate's writes, in the caller's transaction; false when `c.id` exists.
  bool InsertManagedCertificateIn(soci::session& sql, const ManagedCertificate& c,
                                  const Actor& actor);
  void LinkValidation(soci::session& sql, const std::string& order_id, const std::string& domain,
                      const std::string& validation_id);
  std::optional<Issuance> FindIssuance(soci::session& sql, const std::string& id);
  // BEGIN, COMMIT, ROLLBACK and the like, from the statement cache where there is one.
  void Run(soci::session& sql, const std::string& statement) const {
    if (SqliteStatementCache* cache = CacheFor(sql)) {
      cache->Exec(statement);
    } else {
      sql << statement;
    }
  }
  // Runs `body` with a pooled session, turning database exceptions into a Status.
  Status WithSession(const char* operation, const std::function<Status(soci::session&)>& body);
  // The connection writes go through, with SQLite's write mutex held (a pooled one on
  // PostgreSQL). Used by InTransaction and WriteSession.
  Status WithWriter(const char* operation, const std::function<Status(soci::session&)>& body);
  // Maps SOCI's and other exceptions of `body` to a Status, logging without bound values.
  Status Guarded(const char* operation, const std::function<Status()>& body);
  // Runs `body` in a write transaction and commits when it returns OK.
  Status InTransaction(const char* operation, const std::function<Status(soci::session&)>& body);
  // A write outside an explicit transaction (one statement, autocommit): on SQLite it queues
  // with the write transactions.
  Status WriteSession(const char* operation, const std::function<Status(soci::session&)>& body);
  // Appends one audit event inside the caller's transaction.
  void AppendAudit(soci::session& sql, AuditEvent event, const Actor& actor);
  // The acme_accounts row and its audit entry, inside the caller's transaction.
  void InsertAcmeAccount(soci::session& sql, const AcmeAccount& a, const std::string& audit_details,
                         const Actor& actor);
  void ConfigureSession(soci::session& sql);
  // Runs a query that returns at most one row, turned into a T by `read`.
  template <typename T>
  Result<T> SelectOne(const char* operation, const std::string& query,
                      const std::vector<std::string>& binds, T (*read)(const soci::row&),
                      Status not_found) {
    std::optional<T> out;
    Status s = WithSession(operation, [&](soci::session& sql) {
      if (SqliteStatementCache* cache = CacheFor(sql)) {
        cache->Query(query, SqlParams(binds.begin(), binds.end()),
                     [&](const soci::row& r) { out = read(r); });
        return Status::Ok();
      }
      soci::details::prepare_temp_type pt = (sql.prepare << query);
      for (const std::string& b : binds) pt, soci::use(b);
      soci::rowset<soci::row> rs(pt);
      for (const soci::row& r : rs) out = read(r);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!out) return not_found;
    return std::move(*out);
  }

  DatabaseTarget target_;
  int pool_size_;
  const Clock& clock_;
  IdGenerator ids_;
  std::unique_ptr<soci::connection_pool> pool_;
  std::unique_ptr<soci::session> sqlite_writer_;  // SQLite: every write, under the mutex
  // SQLite: each pooled connection's prepared statements, by its backend (a lease of a pooled
  // session shares the pooled session's backend). Filled by Open, read-only after.
  std::unordered_map<const soci::details::session_backend*, std::unique_ptr<SqliteStatementCache>>
      statement_caches_;
  std::mutex sqlite_writer_mu_;  // held around each SQLite write transaction
  // SQLite in WAL mode: commits are flushed in groups, outside the write lock. nullptr: FULL.
  std::unique_ptr<SqliteWalSync> wal_sync_;
};

// Reads a column robustly across backends (SQLite reports declared types loosely).
int64_t ColumnInt(const soci::row& row, std::size_t i);
std::string ColumnString(const soci::row& row, std::size_t i);
std::optional<TimePoint> ColumnOptionalTime(const soci::row& row, std::size_t i);

}  // namespace signet::sa

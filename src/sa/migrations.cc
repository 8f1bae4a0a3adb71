#include "sa/migrations.h"

#include "signet/sa/audit_chain.h"

namespace signet::sa {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "accounts, users, api keys, sessions, organizations, audit log, jobs",
       {
           "CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
           " created_at BIGINT NOT NULL)",
           "CREATE TABLE users (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES "
           "accounts(id),"
           " email TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL,"
           " created_at BIGINT NOT NULL)",
           "CREATE INDEX users_by_account ON users (account_id, id)",
           "CREATE TABLE api_keys (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id),"
           " user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL, prefix TEXT NOT NULL,"
           " key_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, last_used_at BIGINT,"
           " revoked_at BIGINT)",
           "CREATE INDEX api_keys_by_account ON api_keys (account_id, id)",
           "CREATE TABLE sessions (id_hash TEXT PRIMARY KEY,"
           " user_id TEXT NOT NULL REFERENCES users(id), account_id TEXT NOT NULL,"
           " csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)",
           "CREATE INDEX sessions_by_expiry ON sessions (expires_at)",
           "CREATE TABLE organizations (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), name TEXT NOT NULL,"
           " department TEXT NOT NULL, country TEXT NOT NULL, province TEXT NOT NULL,"
           " city TEXT NOT NULL, address TEXT NOT NULL, phone TEXT NOT NULL,"
           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX organizations_by_account ON organizations (account_id, id)",
           "CREATE TABLE audit_events (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL,"
           " actor TEXT NOT NULL, account_id TEXT NOT NULL, action TEXT NOT NULL,"
           " target_type TEXT NOT NULL, target_id TEXT NOT NULL, source TEXT NOT NULL,"
           " request_id TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL,"
           " hash TEXT NOT NULL)",
           "CREATE INDEX audit_events_by_account ON audit_events (account_id, seq)",
           // The chain head: lets verification notice deleted trailing events, and serialises
           // appends (it is locked by every writer just before commit).
           "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL,"
           " hash TEXT NOT NULL)",
           std::string("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '") +
               kAuditGenesisHash + "')",
           "CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL,"
           " state TEXT NOT NULL, attempts INTEGER NOT NULL, max_attempts INTEGER NOT NULL,"
           " run_at BIGINT NOT NULL, last_error TEXT NOT NULL, locked_by TEXT NOT NULL,"
           " locked_until BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX jobs_by_due ON jobs (state, run_at)",
       }},
      {2,
       "issuances (reserved serials) and certificates",
       {
           "CREATE TABLE issuances (id TEXT PRIMARY KEY, account_id TEXT NOT NULL,"
           " state TEXT NOT NULL, serial_hex TEXT NOT NULL UNIQUE, issuer TEXT NOT NULL,"
           " request_json TEXT NOT NULL, linted_der TEXT NOT NULL, failure TEXT NOT NULL,"
           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX issuances_by_state ON issuances (state)",
           "CREATE TABLE certificates (serial_hex TEXT PRIMARY KEY,"
           " issuance_id TEXT NOT NULL UNIQUE REFERENCES issuances(id),"
           " account_id TEXT NOT NULL, issuer TEXT NOT NULL, der TEXT NOT NULL,"
           " names TEXT NOT NULL, not_before BIGINT NOT NULL, not_after BIGINT NOT NULL,"
           " status TEXT NOT NULL, revoked_at BIGINT, revocation_reason INTEGER NOT NULL,"
           " crl_shard INTEGER NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE INDEX certificates_revoked ON certificates (issuer, crl_shard, status)",
           "CREATE TABLE crls (issuer TEXT NOT NULL, shard INTEGER NOT NULL,"
           " number BIGINT NOT NULL, der TEXT NOT NULL, this_update BIGINT NOT NULL,"
           " next_update BIGINT NOT NULL, PRIMARY KEY (issuer, shard))",
           "CREATE INDEX certificates_by_account ON certificates (account_id, serial_hex)",
           "CREATE INDEX certificates_by_expiry ON certificates (not_after)",
       }},
      {3,
       "domain validations and their attempts",
       {
           "CREATE TABLE domain_validations (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), domain TEXT NOT NULL,"
           " method TEXT NOT NULL, token TEXT NOT NULL, status TEXT NOT NULL,"
           " br_method TEXT NOT NULL, details TEXT NOT NULL, sealed_secret TEXT NOT NULL,"
           " email_token_hash TEXT NOT NULL, last_error TEXT NOT NULL,"
           " last_reason TEXT NOT NULL, checks INTEGER NOT NULL, created_at BIGINT NOT NULL,"
           " token_expires_at BIGINT NOT NULL, validated_at BIGINT, last_checked_at BIGINT,"
           " updated_at BIGINT NOT NULL)",
           "CREATE INDEX domain_validations_by_account ON domain_validations (account_id, id)",
           "CREATE INDEX domain_validations_by_domain ON domain_validations"
           " (account_id, domain, status)",
           "CREATE INDEX domain_validations_by_email_token ON domain_validations"
           " (email_token_hash)",
           "CREATE TABLE validation_attempts (id TEXT PRIMARY KEY,"
           " validation_id TEXT NOT NULL REFERENCES domain_validations(id),"
           " account_id TEXT NOT NULL, at BIGINT NOT NULL, method TEXT NOT NULL,"
           " br_method TEXT NOT NULL, valid INTEGER NOT NULL, seen TEXT NOT NULL,"
           " reason TEXT NOT NULL, error TEXT NOT NULL, perspectives TEXT NOT NULL)",
           "CREATE INDEX validation_attempts_by_validation ON validation_attempts"
           " (validation_id, id)",
       }},
      {4,
       "orders, their timeline, validations and attachments",
       {
           "CREATE TABLE orders (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), product_id TEXT NOT NULL,"
           " status TEXT NOT NULL, dcv_status TEXT NOT NULL, review_status TEXT NOT NULL,"
           " review_reason TEXT NOT NULL, application TEXT NOT NULL, names TEXT NOT NULL,"
           " sealed_private_key TEXT NOT NULL, csr_pem TEXT NOT NULL, issuance_id TEXT NOT NULL,"
           " certificate_serial TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL, submitted_at BIGINT, issued_at BIGINT)",
           "CREATE INDEX orders_by_account ON orders (account_id, id)",
           "CREATE INDEX orders_by_review ON orders (review_status, id)",
           "CREATE INDEX orders_by_issuance ON orders (issuance_id)",
           "CREATE TABLE order_events (id TEXT PRIMARY KEY,"
           " order_id TEXT NOT NULL REFERENCES orders(id), at BIGINT NOT NULL,"
           " actor TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL)",
           "CREATE INDEX order_events_by_order ON order_events (order_id, id)",
           "CREATE TABLE order_validations (order_id TEXT NOT NULL REFERENCES orders(id),"
           " domain TEXT NOT NULL, validation_id TEXT NOT NULL,"
           " PRIMARY KEY (order_id, domain))",
           "CREATE INDEX order_validations_by_validation ON order_validations (validation_id)",
           "CREATE TABLE attachments (id TEXT PRIMARY KEY,"
           " order_id TEXT NOT NULL REFERENCES orders(id), account_id TEXT NOT NULL,"
           " kind TEXT NOT NULL, content_type TEXT NOT NULL, sha256 TEXT NOT NULL,"
           " size BIGINT NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE INDEX attachments_by_order ON attachments (order_id, id)",
       }},
      {5,
       "saved administrators",
       {
           "CREATE TABLE administrators (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), name TEXT NOT NULL,"
           " position TEXT NOT NULL, phone TEXT NOT NULL, email TEXT NOT NULL,"
           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX administrators_by_account ON administrators (account_id, id)",
       }},
      {6,
       "managed certificates (issued and uploaded), reminders",
       {
           "CREATE TABLE managed_certificates (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), source TEXT NOT NULL,"
           " order_id TEXT NOT NULL, serial_hex TEXT NOT NULL, der TEXT NOT NULL,"
           " chain_pem TEXT NOT NULL, sealed_private_key TEXT NOT NULL, names TEXT NOT NULL,"
           " issuer_name TEXT NOT NULL, not_before BIGINT NOT NULL, not_after BIGINT NOT NULL,"
           " alias TEXT NOT NULL, project TEXT NOT NULL, reminders_enabled INTEGER NOT NULL,"
           " reminder_days TEXT NOT NULL, hidden INTEGER NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE INDEX managed_certificates_by_account ON managed_certificates"
           " (account_id, id)",
           "CREATE INDEX managed_certificates_by_expiry ON managed_certificates (not_after)",
           "CREATE TABLE reminders_sent (certificate_id TEXT NOT NULL, not_after BIGINT NOT NULL,"
           " days INTEGER NOT NULL, PRIMARY KEY (certificate_id, not_after, days))",
           "CREATE TABLE account_preferences (account_id TEXT PRIMARY KEY REFERENCES"
           " accounts(id), reminder_days TEXT NOT NULL)",
       }},
      {7,
       "ACME accounts and nonces",
       {
           "CREATE TABLE acme_accounts (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id),"
           " key_thumbprint TEXT NOT NULL UNIQUE, key_spki TEXT NOT NULL,"
           " contact TEXT NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE TABLE acme_nonces (nonce TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
           "CREATE INDEX acme_nonces_by_expiry ON acme_nonces (expires_at)",
       }},
      {8,
       "ACME orders, authorizations, external account binding keys and renewal windows",
       {
           "CREATE TABLE acme_authorizations (id TEXT PRIMARY KEY,"
           " acme_account_id TEXT NOT NULL REFERENCES acme_accounts(id),"
           " account_id TEXT NOT NULL, identifier TEXT NOT NULL, wildcard INTEGER NOT NULL,"
           " token TEXT NOT NULL, validation_id TEXT NOT NULL, challenge_type TEXT NOT NULL,"
           " deactivated INTEGER NOT NULL, expires_at BIGINT NOT NULL,"
           " created_at BIGINT NOT NULL)",
           "CREATE INDEX acme_authorizations_by_identifier ON acme_authorizations"
           " (acme_account_id, identifier, wildcard)",
           "CREATE TABLE acme_orders (order_id TEXT PRIMARY KEY REFERENCES orders(id),"
           " acme_account_id TEXT NOT NULL REFERENCES acme_accounts(id),"
           " account_id TEXT NOT NULL, identifiers TEXT NOT NULL, authorizations TEXT NOT NULL,"
           " profile TEXT NOT NULL, replaces TEXT NOT NULL, replaces_serial TEXT NOT NULL,"
           " expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE INDEX acme_orders_by_account ON acme_orders (acme_account_id, created_at)",
           "CREATE INDEX acme_orders_by_replaced ON acme_orders (replaces_serial)",
           "CREATE TABLE acme_order_domains (registered_domain TEXT NOT NULL,"
           " order_id TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " PRIMARY KEY (registered_domain, order_id))",
           "CREATE TABLE eab_keys (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), key_id TEXT NOT NULL UNIQUE,"
           " name TEXT NOT NULL, sealed_hmac_key TEXT NOT NULL, acme_account_id TEXT NOT NULL,"
           " created_at BIGINT NOT NULL, revoked_at BIGINT)",
           "CREATE INDEX eab_keys_by_account ON eab_keys (account_id, created_at)",
           "CREATE TABLE acme_renewal_windows (serial_hex TEXT PRIMARY KEY,"
           " window_start BIGINT NOT NULL, window_end BIGINT NOT NULL,"
           " explanation_url TEXT NOT NULL)",
       }},
      {9,
       "Notification channels of accounts",
       {
           "CREATE TABLE notification_channels (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), kind TEXT NOT NULL,"
           " target TEXT NOT NULL, secret TEXT NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE INDEX notification_channels_by_account ON notification_channels"
           " (account_id, created_at)",
       }},
      {10,
       "OV over ACME: EAB keys name an organization and administrator",
       {
           "ALTER TABLE eab_keys ADD COLUMN organization_id TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE eab_keys ADD COLUMN administrator_id TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE acme_accounts ADD COLUMN eab_key_id TEXT NOT NULL DEFAULT ''",
       }},
      {11,
       "Facts every node checks at start (master key check value, CA root hash)",
       {
           "CREATE TABLE service_facts (name TEXT PRIMARY KEY, value TEXT NOT NULL,"
           " created_at BIGINT NOT NULL)",
       }},
      {12,
       "People and memberships: a person (users row, one per email) belongs to accounts with a"
       " role and a status; owners invite instead of creating logins. users.account_id and"
       " users.role keep the account and role a person was first added with and are no longer"
       " read.",
       {
           "CREATE TABLE memberships (id TEXT NOT NULL UNIQUE,"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " account_id TEXT NOT NULL REFERENCES accounts(id), role TEXT NOT NULL,"
           " status TEXT NOT NULL, invitation_hash TEXT NOT NULL,"
           " invitation_expires_at BIGINT, invited_by TEXT NOT NULL, accepted_at BIGINT,"
           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
           " PRIMARY KEY (user_id, account_id))",
           "CREATE INDEX memberships_by_account ON memberships (account_id, user_id)",
           "CREATE INDEX memberships_by_invitation ON memberships (invitation_hash)",
           "INSERT INTO memberships (id, user_id, account_id, role, status, invitation_hash,"
           " invitation_expires_at, invited_by, accepted_at, created_at, updated_at)"
           " SELECT 'member_' || id, id, account_id, role, 'active', '', NULL, '', created_at,"
           " created_at, created_at FROM users",
       }},
      {13,
       "The next certificate of a term or an automatic renewal names the certificate it "
       "continues, at most one order per certificate, so a crash while starting it is resumed "
       "rather than lost or doubled",
       {
           "ALTER TABLE orders ADD COLUMN continues_certificate_id TEXT",
           "CREATE UNIQUE INDEX orders_by_continued_certificate ON orders"
           " (continues_certificate_id) WHERE continues_certificate_id IS NOT NULL",
       }},
      {14,
       "Password reset by email (a token's hash, its expiry, and when the last link was sent) "
       "and, for the sessions list, where and with what a session was started",
       {
           "ALTER TABLE users ADD COLUMN reset_hash TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE users ADD COLUMN reset_expires_at BIGINT",
           "ALTER TABLE users ADD COLUMN reset_sent_at BIGINT",
           "CREATE INDEX users_by_reset ON users (reset_hash)",
           "ALTER TABLE sessions ADD COLUMN remote_address TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT ''",
           "CREATE INDEX sessions_by_user ON sessions (user_id)",
       }},
      {15,
       "Deployment (issue 16): certificates that succeed one another share a lineage, which "
       "bindings follow; targets (secrets sealed in their settings), bindings, and deployment "
       "runs, each successor deployed once per binding; agents (hashes of their one-time "
       "registration token and of their credential)",
       {
           "ALTER TABLE managed_certificates ADD COLUMN lineage_id TEXT NOT NULL DEFAULT ''",
           "UPDATE managed_certificates SET lineage_id = CASE WHEN order_id <> '' THEN order_id"
           " ELSE id END",
           "CREATE INDEX managed_certificates_by_lineage ON managed_certificates"
           " (lineage_id, created_at)",
           "ALTER TABLE orders ADD COLUMN lineage_id TEXT NOT NULL DEFAULT ''",
           "CREATE TABLE deployment_targets (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), name TEXT NOT NULL,"
           " type TEXT NOT NULL, settings TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL, UNIQUE (account_id, name))",
           "CREATE TABLE certificate_bindings (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id),"
           " target_id TEXT NOT NULL REFERENCES deployment_targets(id),"
           " lineage_id TEXT NOT NULL, certificate_id TEXT NOT NULL, verify_host TEXT NOT NULL,"
           " verify_port INTEGER NOT NULL, verify_server_name TEXT NOT NULL,"
           " verify_protocol TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " UNIQUE (lineage_id, target_id))",
           "CREATE INDEX certificate_bindings_by_target ON certificate_bindings (target_id)",
           "CREATE TABLE deployments (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), binding_id TEXT NOT NULL,"
           " target_id TEXT NOT NULL, certificate_id TEXT NOT NULL, serial_hex TEXT NOT NULL,"
           " trigger_kind TEXT NOT NULL, status TEXT NOT NULL, served_serial TEXT NOT NULL,"
           " error TEXT NOT NULL, attempts INTEGER NOT NULL, created_at BIGINT NOT NULL,"
           " updated_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT)",
           "CREATE INDEX deployments_by_account ON deployments (account_id, id)",
           "CREATE INDEX deployments_by_binding ON deployments (binding_id, serial_hex)",
           "CREATE UNIQUE INDEX deployments_once_per_serial ON deployments"
           " (binding_id, serial_hex) WHERE trigger_kind <> 'manual'",
           "CREATE TABLE deployment_agents (target_id TEXT PRIMARY KEY"
           " REFERENCES deployment_targets(id), account_id TEXT NOT NULL,"
           " token_hash TEXT NOT NULL, token_expires_at BIGINT, credential_hash TEXT NOT NULL,"
           " hostname TEXT NOT NULL, registered_at BIGINT, last_seen_at BIGINT)",
           "CREATE INDEX deployment_agents_by_token ON deployment_agents (token_hash)",
           "CREATE INDEX deployment_agents_by_credential ON deployment_agents (credential_hash)",
       }},
      {16,
       "Monitors of TLS endpoints (issue 17) and the history of their checks",
       {
           "CREATE TABLE monitors (id TEXT PRIMARY KEY,"
           " account_id TEXT NOT NULL REFERENCES accounts(id), host TEXT NOT NULL,"
           " port INTEGER NOT NULL, server_name TEXT NOT NULL, protocol TEXT NOT NULL,"
           " interval_minutes INTEGER NOT NULL, enabled INTEGER NOT NULL,"
           " next_check_at BIGINT NOT NULL, last_status TEXT NOT NULL, last_checked_at BIGINT,"
           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
           " UNIQUE (account_id, host, port, server_name, protocol))",
           "CREATE INDEX monitors_due ON monitors (enabled, next_check_at)",
           "CREATE TABLE monitor_checks (id TEXT PRIMARY KEY, monitor_id TEXT NOT NULL,"
           " account_id TEXT NOT NULL, checked_at BIGINT NOT NULL, status TEXT NOT NULL,"
           " addresses TEXT NOT NULL)",
           "CREATE INDEX monitor_checks_by_monitor ON monitor_checks (monitor_id, id)",
       }},
      {17,
       "How monitor alerts reach each notification channel (one by one or a daily digest), "
       "and when the next digest is due",
       {
           "ALTER TABLE notification_channels ADD COLUMN monitor_alerts TEXT NOT NULL"
           " DEFAULT 'immediate'",
           "ALTER TABLE notification_channels ADD COLUMN digest_due_at BIGINT NOT NULL DEFAULT 0",
           "CREATE INDEX notification_channels_digest_due ON notification_channels"
           " (monitor_alerts, digest_due_at)",
       }},
      {18,
       "Monitors checked by an agent from inside its own network",
       {
           "ALTER TABLE monitors ADD COLUMN agent_target_id TEXT NOT NULL DEFAULT ''",
           "DROP INDEX monitors_due",
           "CREATE INDEX monitors_due ON monitors (agent_target_id, enabled, next_check_at)",
       }},
      {19,
       "Brands issued by upstream CAs (issue 18): Signet's accounts there (keys sealed), each "
       "order's order at the upstream, revocations there, and applicants' own EAB credentials",
       {
           "CREATE TABLE upstream_accounts (directory_url TEXT NOT NULL, eab_kid TEXT NOT NULL,"
           " account_url TEXT NOT NULL, sealed_key TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " PRIMARY KEY (directory_url, eab_kid))",
           "ALTER TABLE orders ADD COLUMN upstream_order_url TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE managed_certificates ADD COLUMN upstream_revoked_at BIGINT",
           "ALTER TABLE managed_certificates ADD COLUMN upstream_revocation_reason INTEGER NOT"
           " NULL DEFAULT -1",
           "CREATE TABLE upstream_eab_credentials (account_id TEXT NOT NULL REFERENCES"
           " accounts(id), directory_url TEXT NOT NULL, product_id TEXT NOT NULL,"
           " eab_kid TEXT NOT NULL, sealed_hmac_key TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " PRIMARY KEY (account_id, directory_url))",
       }},
  };
  return kMigrations;
}

}  // namespace signet::sa

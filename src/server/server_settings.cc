#include "server/server_settings.h"

namespace signet::server {

const std::vector<SettingDefinition>& SettingDefinitions() {
  static const std::vector<SettingDefinition> kDefinitions = {
      {"data_dir", "./signet-data", "SQLite file, CA keys, TLS certificate, attachments"},
      {"listen", "127.0.0.1:8443", "HTTPS listener address (port 0 picks a free port)"},
      {"public_url", "", "base URL in certificates and ACME; default https://<listen>"},
      {"tls.cert", "", "listener certificate chain (PEM); default: issued on first start"},
      {"tls.key", "", "listener private key (PEM)"},
      {"database.url", "sqlite://${data_dir}/signet.db", "sqlite://PATH or postgresql://..."},
      {"database.pool_size", "0", "database connections; 0 = one per blocking thread"},
      {"validation.dns_resolvers", "", "ip:port list of resolvers; empty = system resolver"},
      {"validation.dns_trust_anchors", "", "DNSSEC trust anchor files, or none"},
      {"validation.http_port", "80", "port for http validation fetches"},
      {"validation.https_port", "443", "port for https validation fetches"},
      {"validation.tls_alpn_port", "443", "port for tls-alpn-01"},
      {"validation.allow_private_addresses", "false", "let validation reach private addresses"},
      {"validation.perspectives", "",
       "https:// URLs of remote validation perspectives (signetd perspective); the BR 3.2.2.9 "
       "quorum follows from their number"},
      {"validation.perspective_token_file", "",
       "file with the bearer token between the primary and its remote perspectives"},
      {"validation.perspective_ca_file", "",
       "CA certificates that remote perspectives' TLS certificates must chain to"},
      {"validation.dns_label", "_dnsauth", "label of the DNS TXT/CNAME validation record"},
      {"validation.timeout_ms", "10000", "timeout of one DNS, HTTP or perspective exchange"},
      {"validation.cname_zone", "",
       "zone that applicants delegate _dnsauth to by CNAME; Signet publishes TXT records there"},
      {"validation.cname_server", "", "ip:port of that zone's primary (RFC 2136 updates)"},
      {"validation.cname_key_name", "", "TSIG key name for updates of validation.cname_zone"},
      {"validation.cname_key_algorithm", "hmac-sha256", "TSIG algorithm of that key"},
      {"validation.cname_key_secret_file", "", "file with that key's base64 secret"},
      {"names.internal_suffixes", "",
       "suffixes treated as public TLDs (private PKI, tests), e.g. test,internal"},
      {"smtp.from", "Signet <noreply@signet.local>", "sender of every email"},
      {"smtp.url", "", "smtp://host:port or smtps:// for all email"},
      {"caa.issuer_domains", "signet.local", "issuer domain names recognised in CAA records"},
      {"ca.organization", "Signet",
       "organization name in the CA certificates created on first start"},
      {"ca.country", "CN", "countryName of the CA certificates (BR 7.1.2.10.2 requires one)"},
      {"ca.key_passphrase_file", "",
       "file holding the CA key passphrase (or set SIGNET_CA_KEY_PASSPHRASE); default: "
       "generated into <data_dir>/ca/passphrase"},
      {"ca.pkcs11_module", "/usr/lib/softhsm/libsofthsm2.so",
       "PKCS#11 module for ca.pkcs11_issuers (SoftHSM2 by default)"},
      {"ca.pkcs11_issuers", "",
       "issuing CAs with keys in a token: name=pkcs11-uri list; PIN from SIGNET_PKCS11_PIN or "
       "ca.pkcs11_pin_file"},
      {"ca.pkcs11_pin_file", "", "file holding the PKCS#11 user PIN"},
      {"log.level", "info", "debug, info, warn or error"},
      {"http.max_body_bytes", "1048576", "largest request body accepted"},
      {"http.read_timeout_seconds", "15",
       "time allowed for a request header (and keep-alive idle)"},
      {"http.body_timeout_seconds", "60", "time allowed for a request body"},
      {"http.max_connections", "4096", "connections beyond this are refused"},
      {"server.io_threads", "0", "event-loop threads; 0 = one per core"},
      {"server.blocking_threads", "0",
       "threads for storage and crypto; 0 = 2 per core, at least 4"},
      {"shutdown.grace_seconds", "30", "how long SIGTERM waits for requests in flight"},
      {"jobs.threads", "1", "background job worker threads"},
      {"jobs.poll_interval_ms", "1000", "how often idle job workers look for due jobs"},
      {"session.lifetime_seconds", "43200", "console session lifetime"},
      {"clock.offset_seconds", "0", "shift the service clock (testing date rules only)"},
  };
  return kDefinitions;
}

}  // namespace signet::server

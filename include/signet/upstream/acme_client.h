// AcmeClient: Signet as an ACME client (RFC 8555) of an upstream public CA — Let's Encrypt,
// ZeroSSL, Google Trust Services, a commercial CA's ACME endpoint — that issues a brand's
// certificates (docs/BRANDS.md). It speaks the protocol only: the directory, nonces, the
// account (with an external account binding, RFC 8555 7.3.4), orders with a profile and
// `replaces` (RFC 9773), authorizations and challenges, finalization, the certificate chains,
// revocation and renewal information (ARI, RFC 9773). What to order and when is the
// UpstreamIssuer's business.
//
// Errors: the upstream's problem documents become Status values whose reason is the ACME error
// type without its URN prefix ("rateLimited", "rejectedIdentifier", "caa", "badNonce",
// "externalAccountRequired", "unauthorized", ...) and whose message quotes the upstream's detail;
// an upstream that cannot be reached is kUnavailable "upstream_unreachable". A Retry-After is
// kept in the message ("retry after 60 s") and in UpstreamError::retry_after_seconds.
//
// Thread-safety: all methods may be called from many threads at once (the nonce pool has a
// mutex); the account URL is set once, by RegisterAccount or the constructor.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/status.h"

namespace signet::upstream {

// The account key: ECDSA P-256, signing ES256.
class AcmeAccountKey {
 public:
  static Result<AcmeAccountKey> Generate();
  // From the unencrypted PKCS#8 PEM that Pem() wrote.
  static Result<AcmeAccountKey> FromPem(const std::string& pem);
  AcmeAccountKey(AcmeAccountKey&&) noexcept;
  AcmeAccountKey& operator=(AcmeAccountKey&&) noexcept;
  ~AcmeAccountKey();

  std::string Pem() const;
  const std::string& jwk_json() const { return jwk_json_; }  // canonical (RFC 7638)
  const std::string& thumbprint() const { return thumbprint_; }
  // base64url(R || S) of SHA-256/ECDSA over `input`.
  std::string SignEs256(const std::string& input) const;

 private:
  struct Key;
  AcmeAccountKey() = default;
  // The key with its JWK and thumbprint.
  static Result<AcmeAccountKey> Wrap(std::unique_ptr<Key> key);
  std::unique_ptr<Key> key_;
  std::string jwk_json_;
  std::string thumbprint_;
};

struct AcmeDirectory {
  std::string new_nonce;
  std::string new_account;
  std::string new_order;
  std::string revoke_cert;
  std::string renewal_info;  // empty: the CA offers no ARI
  bool external_account_required = false;
  std::vector<std::string> profiles;
};

struct UpstreamChallenge {
  std::string type;  // http-01, dns-01, tls-alpn-01, ...
  std::string url;
  std::string token;
  std::string status;
  std::string error;  // the problem's detail, when invalid
};

struct UpstreamAuthorization {
  std::string url;
  std::string identifier;  // the DNS name, without "*."
  bool wildcard = false;
  std::string status;  // pending, valid, invalid, deactivated, expired, revoked
  std::vector<UpstreamChallenge> challenges;
  std::string error;  // the first invalid challenge's problem

  const UpstreamChallenge* Find(const std::string& type) const;
};

struct UpstreamOrder {
  std::string url;
  std::string status;  // pending, ready, processing, valid, invalid
  std::vector<std::string> authorizations;
  std::string finalize;
  std::string certificate;  // when valid
  std::string error;        // the order's problem, when invalid
  int retry_after_seconds = 0;
};

// Renewal information (RFC 9773 section 4.2).
struct RenewalWindow {
  TimePoint start;
  TimePoint end;
  std::string explanation_url;
};

struct AcmeClientOptions {
  std::string directory_url;
  std::string ca_file;  // roots for the directory's TLS; empty: the system's
  std::chrono::milliseconds timeout{30000};
  // Whether the upstream may be on loopback or private addresses (a test CA, an internal one).
  bool allow_private_addresses = false;
};

// A PKCS#10 request (DER) for `dns_names` signed by the subscriber's key (PEM): what finalize
// sends when Signet generated the key. The first name is also the subject's CN.
Result<std::string> CsrDer(const std::string& private_key_pem,
                           const std::vector<std::string>& dns_names);

class AcmeClient {
 public:
  AcmeClient(AcmeClientOptions options, AcmeAccountKey key, std::string account_url = "");
  ~AcmeClient();

  // The directory, fetched once and kept; `refresh` fetches it again (a health check).
  Result<AcmeDirectory> Directory(bool refresh = false);
  // newAccount, agreeing to the terms; with an EAB when `eab_kid` is given (the MAC key is the
  // CA's base64url text). Returns the account URL (an existing account's for a known key).
  Result<std::string> RegisterAccount(const std::vector<std::string>& contact,
                                      const std::string& eab_kid, const std::string& eab_hmac_key);
  std::string account_url() const;

  // `retry_after_seconds` receives the CA's Retry-After (0 when none), also on a refusal such as
  // rateLimited.
  Result<UpstreamOrder> NewOrder(const std::vector<std::string>& dns_names,
                                 const std::string& profile, const std::string& replaces,
                                 int* retry_after_seconds = nullptr);
  Result<UpstreamOrder> GetOrder(const std::string& url);
  Result<UpstreamAuthorization> GetAuthorization(const std::string& url);
  // Tells the CA the challenge is ready to be checked.
  Status RespondToChallenge(const std::string& url);
  // Sends the CSR (DER); the answer is the order, usually processing or valid.
  Result<UpstreamOrder> Finalize(const std::string& finalize_url, const std::string& csr_der);
  // The certificate chain (PEM, leaf first) and the alternate chains the CA offers.
  Result<std::vector<std::string>> DownloadChains(const std::string& certificate_url);
  // revokeCert with the account key; `reason` is the CRL reason code.
  Status Revoke(const std::string& certificate_der, int reason);
  // ARI for a certificate (DER): kNotFound "no_renewal_info" when the CA offers none.
  Result<RenewalWindow> RenewalInfo(const std::string& certificate_der);

  // What http-01 serves (the key authorization) and what dns-01 publishes (its SHA-256,
  // base64url) for a challenge token.
  std::string KeyAuthorization(const std::string& token) const;
  std::string Dns01Value(const std::string& token) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::upstream

// AcmeService: the registration authority's side of ACME (RFC 8555). An ACME order is a Signet
// order (same id) for exactly its identifiers; each identifier has an authorization whose
// answered challenge is a DomainValidation, checked by the same perspectives and CAA rules as
// every other validation; finalize submits the order and issues through the common path. Also
// profiles (products), rate limits, revocation, and ARI renewal windows (RFC 9773).
//
// Errors are Status values whose reason is the ACME error type ("rejectedIdentifier",
// "orderNotReady", "badCSR", "rateLimited", ...), so the front end can answer with the RFC's
// problem document; everything else is reported by the front end as it maps Status codes.
//
// Thread-safety: all methods may be called from many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/status.h"
#include "signet/core/acme_state.h"
#include "signet/sa/storage.h"

namespace signet::va {
class NamePolicy;
}
namespace signet {
class KeyVault;
}  // namespace signet
namespace signet::ca {
using KeyVault = signet::KeyVault;  // common/key_vault.h
}
namespace signet::acme {
class Jwk;
}

namespace signet::ra {

class CertificateDownloads;
class CertificateService;
class DomainValidationService;
class OrderService;
class ProductCatalog;

struct AcmeServiceOptions {
  // Product ids offered as ACME profiles; the first is the default.
  std::vector<std::string> profiles = {"acme-dv"};
  std::chrono::seconds order_lifetime{7 * 24 * 3600};
  std::chrono::seconds authorization_lifetime{7 * 24 * 3600};
  int new_orders_per_hour = 300;                          // per ACME account; 0: no limit
  int certificates_per_registered_domain_per_week = 500;  // 0: no limit
  int validation_threads = 4;
  // How long answering a challenge waits for its check before saying "processing".
  std::chrono::milliseconds challenge_wait{200};
};

struct AcmeChallengeView {
  std::string type;  // http-01, dns-01, tls-alpn-01
  core::AcmeChallengeStatus status = core::AcmeChallengeStatus::kPending;
  std::optional<TimePoint> validated;
  ErrorCode error = ErrorCode::kOk;  // why, when invalid (the front end names its ACME type)
  std::string error_detail;
};

struct AcmeAuthorizationView {
  sa::AcmeAuthorization authorization;
  core::AcmeAuthorizationStatus status = core::AcmeAuthorizationStatus::kPending;
  TimePoint expires;
  std::vector<AcmeChallengeView> challenges;
};

struct AcmeOrderView {
  sa::AcmeOrder order;
  core::AcmeOrderStatus status = core::AcmeOrderStatus::kPending;
  std::string certificate_serial;
  ErrorCode error = ErrorCode::kOk;  // why, when invalid
  std::string error_detail;
};

struct AcmeProfile {
  std::string id;
  std::string description;
};

// RFC 9773 suggested window.
struct RenewalInfo {
  TimePoint start;
  TimePoint end;
  std::string explanation_url;
};

class AcmeService {
 public:
  AcmeService(sa::Storage& storage, const va::NamePolicy& names, const ProductCatalog& products,
              OrderService& orders, DomainValidationService& validations,
              CertificateService& certificates, CertificateDownloads& downloads,
              const ca::KeyVault& vault, const Clock& clock, Random& random,
              AcmeServiceOptions options);
  ~AcmeService();

  std::vector<AcmeProfile> Profiles() const;

  // identifiers: (type, value) pairs. replaces: an ARI certificate id, or empty. On
  // "rateLimited", *retry_after_seconds says when to try again.
  Result<AcmeOrderView> NewOrder(
      const sa::AcmeAccount& account,
      const std::vector<std::pair<std::string, std::string>>& identifiers,
      const std::string& profile, const std::string& replaces, const sa::Actor& actor,
      int* retry_after_seconds);
  Result<AcmeOrderView> GetOrder(const sa::AcmeAccount& account, const std::string& order_id);
  Result<std::vector<std::string>> ListOrders(const sa::AcmeAccount& account);
  Result<AcmeAuthorizationView> GetAuthorization(const sa::AcmeAccount& account,
                                                 const std::string& id);
  // Starts the check of one challenge (RFC 8555 7.5.1); answering again changes nothing.
  Result<AcmeAuthorizationView> AnswerChallenge(const sa::AcmeAccount& account,
                                                const std::string& authorization_id,
                                                const std::string& type,
                                                const std::string& account_thumbprint,
                                                const sa::Actor& actor);
  Result<AcmeAuthorizationView> Deactivate(const sa::AcmeAccount& account,
                                           const std::string& authorization_id,
                                           const sa::Actor& actor);
  Result<AcmeOrderView> Finalize(const sa::AcmeAccount& account, const std::string& order_id,
                                 const std::string& csr_der, const std::string& account_spki_der,
                                 const sa::Actor& actor);
  // The certificate as PEM chains: [0] leaf and intermediates, [1] the same up to the root.
  Result<std::vector<std::string>> CertificateChains(const sa::AcmeAccount& account,
                                                     const std::string& serial_hex);
  // Revocation (RFC 8555 7.6) by the account (`account` set: it ordered the certificate, or holds
  // valid authorizations for every name) or by the certificate's key (`certificate_key_spki`).
  Status Revoke(const sa::AcmeAccount* account, const std::string& certificate_key_spki,
                const std::string& certificate_der, int reason, const sa::Actor& actor);
  // ARI (RFC 9773): the suggested renewal window of the certificate `certificate_id` names.
  Result<RenewalInfo> GetRenewalInfo(const std::string& certificate_id);
  // Operators: move a certificate's window (e.g. earlier, before a planned revocation).
  Status SetRenewalWindow(const std::string& serial_hex, TimePoint start, TimePoint end,
                          const std::string& explanation_url, const sa::Actor& actor);

  // External account binding keys (RFC 8555 7.3.4) of an applicant account. The HMAC key is
  // returned once, base64url, at creation, and sealed at rest.
  struct NewEabKey {
    sa::EabKey key;
    std::string hmac_key;
  };
  // organization_id and administrator_id (saved profiles of the account, optional) are what the
  // bound ACME account's OV orders carry.
  Result<NewEabKey> CreateEabKey(const std::string& account_id, const std::string& name,
                                 const std::string& organization_id,
                                 const std::string& administrator_id, const sa::Actor& actor);
  Result<std::vector<sa::EabKey>> ListEabKeys(const std::string& account_id);
  Status RevokeEabKey(const std::string& account_id, const std::string& id, const sa::Actor& actor);
  // newAccount with 'externalAccountBinding': checks the binding against its key and creates the
  // ACME account acting for the key's applicant account. `account` has key and contact set.
  Result<sa::AcmeAccount> CreateBoundAccount(sa::AcmeAccount account,
                                             const std::string& binding_json,
                                             const std::string& new_account_url,
                                             const acme::Jwk& key, const sa::Actor& actor);

  // Posts the checks of answered challenges still pending (after a restart); returns how many.
  int ResumePendingChallenges();

  // Stops the challenge-check workers; unfinished checks are resumed at the next start.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The ARI certificate id (RFC 9773 section 4.1) of a DER certificate.
Result<std::string> AriCertificateId(const std::string& certificate_der);

}  // namespace signet::ra

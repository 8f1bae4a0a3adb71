#include "signet/ra/acme_service.h"

#include <cstring>
#include <future>
#include <map>
#include <numeric>
#include <set>

#include "signet/acme/jws.h"
#include "signet/ca/certificate_reader.h"
#include "signet/ca/csr.h"
#include "signet/ca/profile.h"
#include "signet/ca/subscriber_keys.h"
#include "signet/common/encoding.h"
#include "signet/common/log.h"
#include "signet/common/work_queue.h"
#include "signet/policy/br_rules.h"
#include "signet/ra/certificate_downloads.h"
#include "signet/ra/certificate_service.h"
#include "signet/ra/domain_validation_service.h"
#include "signet/ra/order_service.h"
#include "signet/ra/product_catalog.h"
#include "signet/va/domain_name.h"

namespace signet::ra {

namespace {

// The kind of a validation's failure, by its reason (the kinds of RFC 8555 section 6.7).
ErrorCode ValidationErrorCode(const std::string& reason) {
  if (reason.rfind("caa", 0) == 0) return ErrorCode::kCaa;
  static const std::set<std::string> kDns = {"dnssec_bogus", "nxdomain",  "servfail",
                                             "no_address",   "dns_error", "lookup_failed"};
  static const std::set<std::string> kConnection = {"connection_failed", "private_address",
                                                    "redirect_refused", "timeout"};
  if (kDns.count(reason)) return ErrorCode::kDns;
  if (kConnection.count(reason)) return ErrorCode::kConnection;
  if (reason == "tls_handshake_failed") return ErrorCode::kTls;
  return ErrorCode::kIncorrectResponse;
}

std::string Bytes(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

const char* ReasonName(int code) {
  switch (code) {
    case 0:
      return "unspecified";
    case 1:
      return "keyCompromise";
    case 3:
      return "affiliationChanged";
    case 4:
      return "superseded";
    case 5:
      return "cessationOfOperation";
    case 9:
      return "privilegeWithdrawn";
  }
  return nullptr;
}

}  // namespace

Result<std::string> AriCertificateId(const std::string& certificate_der) {
  SIGNET_ASSIGN_OR_RETURN(ca::CertificateFacts facts, ca::ReadCertificateDer(certificate_der));
  if (facts.ari_id.empty()) {
    return MalformedError("the certificate has no authority key identifier");
  }
  return facts.ari_id;
}

struct AcmeService::Impl {
  sa::Storage& storage;
  const va::NamePolicy& names;
  const ProductCatalog& products;
  OrderService& orders;
  DomainValidationService& validations;
  CertificateService& certificates;
  CertificateDownloads& downloads;
  const ca::KeyVault& vault;
  const Clock& clock;
  Random& random;
  AcmeServiceOptions options;
  WorkQueue checks;

  Result<sa::AcmeAuthorization> OwnAuthorization(const sa::AcmeAccount& account,
                                                 const std::string& id) {
    auto a = storage.GetAcmeAuthorization(id);
    // Another account's authorization does not exist as far as this account can tell.
    if (!a.ok() || a->acme_account_id != account.id) {
      return Status::Of(ErrorCode::kNotFound, "no authorization " + id);
    }
    return a;
  }

  Result<AcmeAuthorizationView> View(const sa::AcmeAuthorization& a) {
    AcmeAuthorizationView view;
    view.authorization = a;
    view.expires = a.expires_at;
    TimePoint now = clock.Now();
    std::optional<sa::DomainValidation> v;
    if (!a.validation_id.empty()) {
      SIGNET_ASSIGN_OR_RETURN(v, storage.GetDomainValidation(a.account_id, a.validation_id));
    }
    using AuthzStatus = core::AcmeAuthorizationStatus;
    using ChallengeStatus = core::AcmeChallengeStatus;
    ChallengeStatus challenge_status = ChallengeStatus::kProcessing;
    if (a.deactivated) {
      view.status = AuthzStatus::kDeactivated;
    } else if (!v) {
      view.status = now >= a.expires_at ? AuthzStatus::kExpired : AuthzStatus::kPending;
    } else if (v->status == core::ValidationStatus::kValid) {
      view.expires = *v->validated_at + std::chrono::hours(24 * policy::DcvReuseDays(now));
      view.status = now >= view.expires ? AuthzStatus::kExpired : AuthzStatus::kValid;
      challenge_status = ChallengeStatus::kValid;
    } else if (v->status == core::ValidationStatus::kPending) {
      view.status = now >= a.expires_at ? AuthzStatus::kExpired : AuthzStatus::kPending;
    } else {
      view.status = v->status == core::ValidationStatus::kExpired ? AuthzStatus::kExpired
                                                                  : AuthzStatus::kInvalid;
      challenge_status = ChallengeStatus::kInvalid;
    }
    std::vector<std::string> types =
        a.wildcard ? std::vector<std::string>{"dns-01"}
                   : std::vector<std::string>{"http-01", "dns-01", "tls-alpn-01"};
    for (const std::string& type : types) {
      AcmeChallengeView c;
      c.type = type;
      c.status = ChallengeStatus::kPending;
      if (v && a.challenge_type == type) {
        c.status = challenge_status;
        if (v->status == core::ValidationStatus::kValid) c.validated = v->validated_at;
        if (challenge_status == ChallengeStatus::kInvalid) {
          c.error = ValidationErrorCode(v->last_reason);
          c.error_detail = v->last_error.empty() ? "the validation failed" : v->last_error;
        }
      } else if (v || view.status != AuthzStatus::kPending) {
        // Once one challenge is answered (or the authorization is over) the others are moot.
        if (view.status == AuthzStatus::kValid) continue;
        if (view.status == AuthzStatus::kPending) continue;
        c.status = ChallengeStatus::kInvalid;
      }
      view.challenges.push_back(std::move(c));
    }
    return view;
  }

  Result<AcmeOrderView> View(const sa::AcmeOrder& acme) {
    AcmeOrderView view;
    view.order = acme;
    SIGNET_ASSIGN_OR_RETURN(sa::Order o, storage.GetOrder(acme.account_id, acme.order_id));
    if (o.status == core::OrderStatus::kIssued) {
      view.status = core::AcmeOrderStatus::kValid;
      view.certificate_serial = o.certificate_serial;
      return view;
    }
    if (o.status == core::OrderStatus::kProcessing) {
      view.status = core::AcmeOrderStatus::kProcessing;
      return view;
    }
    if (o.status != core::OrderStatus::kPendingInformation) {
      view.status = core::AcmeOrderStatus::kInvalid;
      view.error = ErrorCode::kUnauthorized;
      view.error_detail = "the order was " + std::string(core::Name(o.status));
      return view;
    }
    bool all_valid = true;
    for (const auto& id : acme.authorizations) {
      SIGNET_ASSIGN_OR_RETURN(sa::AcmeAuthorization a, storage.GetAcmeAuthorization(id));
      SIGNET_ASSIGN_OR_RETURN(AcmeAuthorizationView av, View(a));
      if (av.status == core::AcmeAuthorizationStatus::kValid) continue;
      all_valid = false;
      if (av.status != core::AcmeAuthorizationStatus::kPending) {
        view.status = core::AcmeOrderStatus::kInvalid;
        view.error = ErrorCode::kUnauthorized;
        view.error_detail = "the authorization for " + std::string(a.wildcard ? "*." : "") +
                            a.identifier + " is " + std::string(core::Name(av.status));
        for (const auto& c : av.challenges) {
          if (!c.error_detail.empty()) {
            view.error = c.error;
            view.error_detail += ": " + c.error_detail;
          }
        }
        return view;
      }
    }
    if (clock.Now() >= acme.expires_at) {
      view.status = core::AcmeOrderStatus::kInvalid;
      view.error = ErrorCode::kUnauthorized;
      view.error_detail = "the order expired before it was finalized";
      return view;
    }
    view.status = all_valid ? core::AcmeOrderStatus::kReady : core::AcmeOrderStatus::kPending;
    return view;
  }

  Result<AcmeOrderView> OwnOrder(const sa::AcmeAccount& account, const std::string& id) {
    auto acme = storage.GetAcmeOrder(id);
    if (!acme.ok() || acme->acme_account_id != account.id) {
      return Status::Of(ErrorCode::kNotFound, "no order " + id);
    }
    return View(*acme);
  }

  Status CheckRateLimits(const sa::AcmeAccount& account, const std::vector<va::Identifier>& ids,
                         int* retry_after) {
    TimePoint now = clock.Now();
    if (options.new_orders_per_hour > 0) {
      SIGNET_ASSIGN_OR_RETURN(
          int64_t recent, storage.CountAcmeOrdersSince(account.id, now - std::chrono::hours(1)));
      if (recent >= options.new_orders_per_hour) {
        *retry_after = 3600;
        return Status::Of(ErrorCode::kRateLimited, "this account created " +
                                                       std::to_string(recent) +
                                                       " orders in the last hour; the limit is " +
                                                       std::to_string(options.new_orders_per_hour) +
                                                       " (acme.rate_limit.new_orders_per_hour)");
      }
    }
    if (options.certificates_per_registered_domain_per_week > 0) {
      std::set<std::string> domains;
      for (const auto& id : ids) {
        if (!id.registrable.empty()) domains.insert(id.registrable);
      }
      for (const std::string& d : domains) {
        SIGNET_ASSIGN_OR_RETURN(int64_t issued, storage.CountIssuedForRegisteredDomainSince(
                                                    d, now - std::chrono::hours(24 * 7)));
        if (issued >= options.certificates_per_registered_domain_per_week) {
          *retry_after = 24 * 3600;
          return Status::Of(
              ErrorCode::kRateLimited,
              std::to_string(issued) + " certificates were issued for " + d +
                  " in the last 7 days; the limit is " +
                  std::to_string(options.certificates_per_registered_domain_per_week) +
                  " (acme.rate_limit.certificates_per_registered_domain_per_week)");
        }
      }
    }
    return Status::Ok();
  }

  // Checks an answered challenge on the workers. Should the process stop first, the check is
  // posted again at start (ResumePendingChallenges).
  // The future is ready when the check has finished.
  std::shared_future<void> PostCheck(const std::string& account_id,
                                     const std::string& validation_id) {
    auto done = std::make_shared<std::promise<void>>();
    std::shared_future<void> finished = done->get_future().share();
    bool posted = checks.Post([this, account_id, validation_id, done] {
      const sa::Actor system{"system", account_id, "system", ""};
      auto checked = validations.CheckNow(account_id, validation_id, system);
      if (!checked.ok()) {
        log::Warn("ACME challenge check failed; it is retried when signetd starts",
                  {{"validation", validation_id}, {"error", checked.status().message()}});
      }
      done->set_value();
    });
    if (!posted) done->set_value();
    return finished;
  }

  // The certificate an ARI id names (RFC 9773 4.1), checked against its authority key id.
  Result<sa::CertificateRecord> CertificateOfAriId(const std::string& certificate_id) {
    size_t dot = certificate_id.find('.');
    auto key_id = Base64UrlDecode(certificate_id.substr(0, dot));
    auto serial =
        dot == std::string::npos ? std::nullopt : Base64UrlDecode(certificate_id.substr(dot + 1));
    if (!key_id || !serial || serial->empty()) {
      return Status::Of(ErrorCode::kMalformed,
                        "a certificate id is base64url(authority key id) '.' base64url(serial)");
    }
    std::vector<uint8_t> bytes = *serial;
    while (bytes.size() > 1 && bytes.front() == 0) bytes.erase(bytes.begin());
    auto record = storage.GetCertificateBySerial(HexEncode(bytes));
    if (!record.ok()) {
      return Status::Of(ErrorCode::kNotFound, "no certificate " + certificate_id);
    }
    auto der = Base64Decode(record->der_base64);
    auto id = der ? AriCertificateId(Bytes(*der)) : Result<std::string>(InternalError("der"));
    if (!id.ok() || *id != certificate_id) {
      return Status::Of(ErrorCode::kNotFound,
                        "no certificate " + certificate_id + " (authority key id differs)");
    }
    return record;
  }
};

AcmeService::AcmeService(sa::Storage& storage, const va::NamePolicy& names,
                         const ProductCatalog& products, OrderService& orders,
                         DomainValidationService& validations, CertificateService& certificates,
                         CertificateDownloads& downloads, const ca::KeyVault& vault,
                         const Clock& clock, Random& random, AcmeServiceOptions options)
    : impl_(new Impl{storage, names, products, orders, validations, certificates, downloads, vault,
                     clock, random, options, WorkQueue(options.validation_threads)}) {}

AcmeService::~AcmeService() { Stop(); }

void AcmeService::Stop() { impl_->checks.Stop(); }

std::vector<AcmeProfile> AcmeService::Profiles() const {
  std::vector<AcmeProfile> out;
  for (const std::string& id : impl_->options.profiles) {
    const Product* p = impl_->products.Find(id);
    if (p) out.push_back({id, p->name});
  }
  return out;
}

Result<AcmeOrderView> AcmeService::NewOrder(
    const sa::AcmeAccount& account,
    const std::vector<std::pair<std::string, std::string>>& identifiers, const std::string& profile,
    const std::string& replaces, const sa::Actor& actor, int* retry_after_seconds) {
  if (identifiers.empty()) {
    return Status::Of(ErrorCode::kMalformed, "an order needs at least one identifier");
  }
  if (impl_->options.profiles.empty()) {
    return Status::Of(ErrorCode::kInvalidProfile,
                      "this CA offers no ACME profiles (its catalog has no DV product)");
  }
  std::string product = profile.empty() ? impl_->options.profiles.front() : profile;
  if (std::find(impl_->options.profiles.begin(), impl_->options.profiles.end(), product) ==
          impl_->options.profiles.end() ||
      impl_->products.Find(product) == nullptr) {
    return Status::Of(ErrorCode::kInvalidProfile,
                      "there is no profile '" + profile + "'; see meta.profiles in the directory");
  }
  // OV: the order carries the organization and administrator of the account's EAB key.
  std::string organization_id, administrator_id;
  if (impl_->products.Find(product)->type != ca::ProductType::kDv) {
    std::optional<sa::EabKey> binding;
    if (!account.eab_key_id.empty()) {
      SIGNET_ASSIGN_OR_RETURN(auto keys, impl_->storage.ListEabKeys(account.account_id));
      for (const auto& k : keys) {
        if (k.id == account.eab_key_id) binding = k;
      }
    }
    if (!binding || binding->organization_id.empty()) {
      return Status::Of(ErrorCode::kUnauthorized,
                        "the '" + product +
                            "' profile is for accounts bound with an EAB key that names an "
                            "organization and administrator (an EAB key created with "
                            "organization_id and administrator_id)");
    }
    organization_id = binding->organization_id;
    administrator_id = binding->administrator_id;
  }
  std::vector<va::Identifier> ids;
  std::set<std::string> seen;
  for (const auto& [type, value] : identifiers) {
    if (type != "dns") {
      return Status::Of(ErrorCode::kUnsupportedIdentifier,
                        "identifier type '" + type + "' is not supported; use dns");
    }
    auto id = impl_->names.Parse(value);
    if (!id.ok()) {
      return Status::Of(ErrorCode::kRejectedIdentifier, value + ": " + id.status().message());
    }
    if (seen.insert(id->name).second) ids.push_back(*id);
  }
  // Non-wildcard names first: the first becomes the subject's common name.
  std::stable_sort(ids.begin(), ids.end(),
                   [](const auto& a, const auto& b) { return !a.wildcard && b.wildcard; });
  SIGNET_RETURN_IF_ERROR(impl_->CheckRateLimits(account, ids, retry_after_seconds));

  sa::AcmeOrder acme;
  if (!replaces.empty()) {
    SIGNET_ASSIGN_OR_RETURN(sa::CertificateRecord replaced, impl_->CertificateOfAriId(replaces));
    if (replaced.account_id != account.account_id) {
      return Status::Of(ErrorCode::kUnauthorized,
                        "the certificate named in 'replaces' is not this account's");
    }
    SIGNET_ASSIGN_OR_RETURN(auto existing, impl_->storage.FindOrderReplacing(replaced.serial_hex));
    if (existing) {
      return Status::Of(ErrorCode::kAlreadyReplaced,
                        "order " + *existing + " already replaces this certificate");
    }
    acme.replaces = replaces;
    acme.replaces_serial = replaced.serial_hex;
  }

  std::vector<std::string> names;
  for (const auto& id : ids) names.push_back(id.name);
  TimePoint now = impl_->clock.Now();
  std::vector<sa::AcmeAuthorization> created;
  std::set<std::string> registered;
  for (const auto& id : ids) {
    acme.identifiers.push_back(id.name);
    if (!id.registrable.empty()) registered.insert(id.registrable);
    SIGNET_ASSIGN_OR_RETURN(auto reusable, impl_->storage.FindReusableAcmeAuthorization(
                                               account.id, id.base, id.wildcard, now));
    if (reusable) {
      acme.authorizations.push_back(reusable->id);
      continue;
    }
    sa::AcmeAuthorization a;
    a.id = "authz_" + impl_->random.Token(12);
    a.acme_account_id = account.id;
    a.account_id = account.account_id;
    a.identifier = id.base;
    a.wildcard = id.wildcard;
    a.token = impl_->random.Token(32);
    a.expires_at = now + impl_->options.authorization_lifetime;
    a.created_at = now;
    acme.authorizations.push_back(a.id);
    created.push_back(a);
  }
  acme.acme_account_id = account.id;
  acme.account_id = account.account_id;
  acme.profile = product;
  acme.expires_at = now + impl_->options.order_lifetime;
  acme.created_at = now;
  // The Signet order and its ACME view are stored together: never one without the other.
  sa::AcmeOrderRows rows{acme, created,
                         std::vector<std::string>(registered.begin(), registered.end())};
  SIGNET_ASSIGN_OR_RETURN(
      sa::Order order, impl_->orders.CreateAcme(account.account_id, product, names, organization_id,
                                                administrator_id, rows, actor));
  acme.order_id = order.id;
  return impl_->View(acme);
}

Result<AcmeOrderView> AcmeService::GetOrder(const sa::AcmeAccount& account,
                                            const std::string& order_id) {
  return impl_->OwnOrder(account, order_id);
}

Result<std::vector<std::string>> AcmeService::ListOrders(const sa::AcmeAccount& account) {
  return impl_->storage.ListAcmeOrderIds(account.id, 1000);
}

Result<AcmeAuthorizationView> AcmeService::GetAuthorization(const sa::AcmeAccount& account,
                                                            const std::string& id) {
  SIGNET_ASSIGN_OR_RETURN(sa::AcmeAuthorization a, impl_->OwnAuthorization(account, id));
  return impl_->View(a);
}

Result<AcmeAuthorizationView> AcmeService::AnswerChallenge(const sa::AcmeAccount& account,
                                                           const std::string& authorization_id,
                                                           const std::string& type,
                                                           const std::string& account_thumbprint,
                                                           const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::AcmeAuthorization a,
                          impl_->OwnAuthorization(account, authorization_id));
  if (type != "http-01" && type != "dns-01" && type != "tls-alpn-01") {
    return Status::Of(ErrorCode::kNotFound, "no challenge " + type);
  }
  if (a.wildcard && type != "dns-01") {
    return Status::Of(ErrorCode::kNotFound,
                      "a wildcard is proven by dns-01 only; there is no " + type + " challenge");
  }
  SIGNET_ASSIGN_OR_RETURN(AcmeAuthorizationView view, impl_->View(a));
  if (!a.validation_id.empty() || view.status != core::AcmeAuthorizationStatus::kPending) {
    if (a.challenge_type != type && view.status == core::AcmeAuthorizationStatus::kPending) {
      return Status::Of(ErrorCode::kMalformed, "the " + a.challenge_type +
                                                   " challenge of this authorization is already "
                                                   "being checked");
    }
    return view;  // answering again is harmless (RFC 8555 7.5.1)
  }
  AcmeChallengeInput input{a.id, a.identifier, a.wildcard,
                           type, a.token,      a.token + "." + account_thumbprint};
  auto created = impl_->validations.CreateAcme(a.account_id, input, actor);
  if (!created.ok() && created.status().reason() != "challenge_started") return created.status();
  SIGNET_ASSIGN_OR_RETURN(a, impl_->storage.GetAcmeAuthorization(a.id));
  if (created.ok()) {
    // The check runs apart from this request (RFC 8555 7.5.1), but most finish in a few
    // milliseconds: waiting briefly lets the answer already say valid or invalid and spares the
    // client a poll. A slow check simply answers "processing".
    impl_->PostCheck(a.account_id, created->id).wait_for(impl_->options.challenge_wait);
  }
  return impl_->View(a);
}

int AcmeService::ResumePendingChallenges() {
  auto pending = impl_->storage.ListPendingDomainValidations("acme_");
  if (!pending.ok()) {
    log::Error("listing pending ACME challenges failed", {{"error", pending.status().message()}});
    return 0;
  }
  for (const auto& [account_id, id] : *pending) impl_->PostCheck(account_id, id);
  return static_cast<int>(pending->size());
}

Result<AcmeAuthorizationView> AcmeService::Deactivate(const sa::AcmeAccount& account,
                                                      const std::string& authorization_id,
                                                      const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::AcmeAuthorization a,
                          impl_->OwnAuthorization(account, authorization_id));
  SIGNET_ASSIGN_OR_RETURN(AcmeAuthorizationView view, impl_->View(a));
  if (view.status != core::AcmeAuthorizationStatus::kPending &&
      view.status != core::AcmeAuthorizationStatus::kValid) {
    return Status::Of(ErrorCode::kMalformed,
                      "only a pending or valid authorization can be deactivated; it is " +
                          std::string(core::Name(view.status)));
  }
  SIGNET_RETURN_IF_ERROR(impl_->storage.DeactivateAcmeAuthorization(a.id, actor));
  a.deactivated = true;
  return impl_->View(a);
}

Result<AcmeOrderView> AcmeService::Finalize(const sa::AcmeAccount& account,
                                            const std::string& order_id, const std::string& csr_der,
                                            const std::string& account_spki_der,
                                            const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(AcmeOrderView view, impl_->OwnOrder(account, order_id));
  if (view.status != core::AcmeOrderStatus::kReady) {
    return Status::Of(
        ErrorCode::kOrderNotReady,
        "the order is " + std::string(core::Name(view.status)) +
            (view.status == core::AcmeOrderStatus::kPending ? "; complete its authorizations first"
                                                            : ""));
  }
  auto csr = ca::ParseCsr(csr_der);
  if (!csr.ok()) return Status::Of(ErrorCode::kBadCsr, csr.status().message());
  const std::vector<std::string>& names = view.order.identifiers;
  // RFC 8555 7.4: the CSR asks for exactly the order's identifiers.
  std::set<std::string> wanted(names.begin(), names.end());
  std::set<std::string> asked(csr->dns_names.begin(), csr->dns_names.end());
  if (!csr->common_name.empty()) asked.insert(csr->common_name);
  if (asked != wanted) {
    return Status::Of(ErrorCode::kBadCsr,
                      "the CSR must name exactly the order's identifiers (" +
                          std::accumulate(names.begin(), names.end(), std::string(),
                                          [](std::string a, const std::string& b) {
                                            return a.empty() ? b : a + ", " + b;
                                          }) +
                          ")");
  }
  if (Bytes(csr->key.spki_der) == account_spki_der) {
    return Status::Of(ErrorCode::kBadCsr,
                      "the certificate key must not be the account key (RFC 8555 11.1)");
  }
  std::string pem = PemEncode("CERTIFICATE REQUEST", AsBytes(csr_der));
  auto finalized =
      impl_->orders.FinalizeAcme(account.account_id, order_id, pem, csr->key.spki_der, actor);
  if (!finalized.ok()) {
    if (finalized.status().reason() == "not_pending_information") {
      return Status::Of(ErrorCode::kOrderNotReady, finalized.status().message());
    }
    return finalized.status();
  }
  return impl_->OwnOrder(account, order_id);
}

Result<std::vector<std::string>> AcmeService::CertificateChains(const sa::AcmeAccount& account,
                                                                const std::string& serial_hex) {
  auto view = impl_->downloads.Get(account.account_id, serial_hex);
  if (!view.ok()) {
    return Status::Of(ErrorCode::kNotFound, "no certificate " + serial_hex);
  }
  // chain_pem is the issuer, then the root: clients send the first; the alternate adds the root.
  size_t end = view->chain_pem.find("-----END CERTIFICATE-----");
  std::string first =
      end == std::string::npos
          ? view->chain_pem
          : view->chain_pem.substr(0, end + std::strlen("-----END CERTIFICATE-----")) + "\n";
  return std::vector<std::string>{view->certificate_pem + first,
                                  view->certificate_pem + view->chain_pem};
}

Status AcmeService::Revoke(const sa::AcmeAccount* account, const std::string& certificate_key_spki,
                           const std::string& certificate_der, int reason, const sa::Actor& actor) {
  const char* reason_name = ReasonName(reason);
  if (reason_name == nullptr) {
    return Status::Of(ErrorCode::kBadRevocationReason,
                      "reason " + std::to_string(reason) +
                          " is not allowed; use 0, 1, 3, 4, 5 or 9 (RFC 5280 CRLReason)");
  }
  auto facts = ca::ReadCertificateDer(certificate_der);
  if (!facts.ok()) return Status::Of(ErrorCode::kMalformed, "'certificate' is not DER");
  const std::string& serial = facts->serial_hex;
  auto record = impl_->storage.GetCertificateBySerial(serial);
  auto stored = record.ok() ? Base64Decode(record->der_base64) : std::nullopt;
  if (!stored || Bytes(*stored) != certificate_der) {
    return Status::Of(ErrorCode::kNotFound, "this CA did not issue that certificate");
  }
  bool allowed = false;
  if (account == nullptr) {
    allowed = !facts->spki_der.empty() && facts->spki_der == certificate_key_spki;
  } else if (account->account_id == record->account_id) {
    allowed = true;
  } else {
    // RFC 8555 7.6: an account holding valid authorizations for every name may revoke too.
    allowed = true;
    for (const std::string& name : [&] {
           std::vector<std::string> v;
           std::string names = record->names;
           size_t pos = 0;
           while (pos <= names.size()) {
             size_t comma = names.find(',', pos);
             v.push_back(names.substr(pos, comma == std::string::npos ? comma : comma - pos));
             if (comma == std::string::npos) break;
             pos = comma + 1;
           }
           return v;
         }()) {
      auto id = impl_->names.Parse(name);
      auto found =
          id.ok() ? impl_->validations.FindReusable(account->account_id, id->base, id->wildcard)
                  : Result<std::optional<sa::DomainValidation>>(id.status());
      if (!found.ok() || !*found) {
        allowed = false;
        break;
      }
    }
  }
  if (!allowed) {
    return Status::Of(ErrorCode::kUnauthorized,
                      "sign with the account that ordered the certificate, an account authorized "
                      "for all its names, or the certificate's own key");
  }
  if (record->status == core::CertificateStatus::kRevoked) {
    return Status::Of(ErrorCode::kAlreadyRevoked, "the certificate is already revoked");
  }
  auto revoked = impl_->certificates.Revoke(record->account_id, serial, reason_name, actor);
  if (!revoked.ok()) {
    if (revoked.status().reason() == "already_revoked") {
      return Status::Of(ErrorCode::kAlreadyRevoked, "the certificate is already revoked");
    }
    return revoked.status();
  }
  return Status::Ok();
}

namespace {
std::string EabAssociatedData(const std::string& key_id) { return "eab:" + key_id; }
}  // namespace

Result<AcmeService::NewEabKey> AcmeService::CreateEabKey(const std::string& account_id,
                                                         const std::string& name,
                                                         const std::string& organization_id,
                                                         const std::string& administrator_id,
                                                         const sa::Actor& actor) {
  if (name.size() > 100)
    return MalformedError("'name' has at most 100 characters", "invalid_field");
  if (organization_id.empty() != administrator_id.empty()) {
    return MalformedError("give both 'organization_id' and 'administrator_id' (for OV), or neither",
                          "invalid_field");
  }
  if (!organization_id.empty()) {
    // Saved profiles of this account only: another account's are not found.
    SIGNET_RETURN_IF_ERROR(impl_->storage.GetOrganization(account_id, organization_id).status());
    SIGNET_RETURN_IF_ERROR(impl_->storage.GetAdministrator(account_id, administrator_id).status());
  }
  std::vector<uint8_t> secret = impl_->random.Bytes(32);
  std::string hmac_key = Base64UrlEncode(std::span<const uint8_t>(secret.data(), secret.size()));
  sa::EabKey key;
  key.account_id = account_id;
  key.key_id = "kid_" + impl_->random.Token(12);
  key.name = name;
  key.organization_id = organization_id;
  key.administrator_id = administrator_id;
  key.sealed_hmac_key = impl_->vault.Seal(Bytes(secret), EabAssociatedData(key.key_id));
  SIGNET_ASSIGN_OR_RETURN(sa::EabKey stored, impl_->storage.CreateEabKey(key, actor));
  return NewEabKey{stored, hmac_key};
}

Result<std::vector<sa::EabKey>> AcmeService::ListEabKeys(const std::string& account_id) {
  return impl_->storage.ListEabKeys(account_id);
}

Status AcmeService::RevokeEabKey(const std::string& account_id, const std::string& id,
                                 const sa::Actor& actor) {
  return impl_->storage.RevokeEabKey(account_id, id, actor);
}

Result<sa::AcmeAccount> AcmeService::CreateBoundAccount(sa::AcmeAccount account,
                                                        const std::string& binding_json,
                                                        const std::string& new_account_url,
                                                        const acme::Jwk& key,
                                                        const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(acme::ExternalAccountBinding binding,
                          acme::ParseExternalAccountBinding(binding_json));
  if (binding.url != new_account_url) {
    return Status::Of(ErrorCode::kUnauthorized,
                      "the binding's 'url' must be the newAccount URL " + new_account_url);
  }
  auto eab = impl_->storage.GetEabKeyByKeyId(binding.kid);
  if (!eab.ok() || eab->revoked_at) {
    return Status::Of(ErrorCode::kUnauthorized,
                      "the external account binding key '" + binding.kid +
                          "' is unknown or revoked; create one in the console or with the API");
  }
  SIGNET_ASSIGN_OR_RETURN(std::string secret, impl_->vault.Unseal(eab->sealed_hmac_key,
                                                                  EabAssociatedData(eab->key_id)));
  SIGNET_RETURN_IF_ERROR(acme::VerifyExternalAccountBinding(binding_json, secret, key));
  account.account_id = eab->account_id;
  auto created = impl_->storage.CreateBoundAcmeAccount(account, eab->id, actor);
  if (!created.ok() && created.status().code() == ErrorCode::kConflict) {
    return Status::Of(ErrorCode::kUnauthorized, created.status().message());
  }
  return created;
}

Result<RenewalInfo> AcmeService::GetRenewalInfo(const std::string& certificate_id) {
  SIGNET_ASSIGN_OR_RETURN(sa::CertificateRecord record, impl_->CertificateOfAriId(certificate_id));
  SIGNET_ASSIGN_OR_RETURN(auto window, impl_->storage.GetRenewalWindow(record.serial_hex));
  if (window) return RenewalInfo{window->start, window->end, window->explanation_url};
  TimePoint now = impl_->clock.Now();
  if (record.status == core::CertificateStatus::kRevoked) {
    // Renew now: a window that has already begun (RFC 9773 4.2).
    return RenewalInfo{now - std::chrono::hours(1), now, ""};
  }
  // The usual window: the second sixth before the last third of the lifetime, so renewals spread
  // out and a failed one still has a third of the lifetime to be retried.
  auto lifetime = record.not_after - record.not_before;
  return RenewalInfo{record.not_before + lifetime * 2 / 3, record.not_before + lifetime * 5 / 6,
                     ""};
}

Status AcmeService::SetRenewalWindow(const std::string& serial_hex, TimePoint start, TimePoint end,
                                     const std::string& explanation_url, const sa::Actor& actor) {
  if (end <= start) return MalformedError("the window's end must be after its start");
  SIGNET_RETURN_IF_ERROR(impl_->storage.GetCertificateBySerial(serial_hex).status());
  return impl_->storage.SetRenewalWindow({serial_hex, start, end, explanation_url}, actor);
}

}  // namespace signet::ra

// The REST handlers, grouped by resource. Each Register* adds its routes to the router.
#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "signet/accounts/account_service.h"
#include "signet/common/random.h"
#include "signet/ra/acme_accounts.h"
#include "signet/ra/saved_parties.h"
#include "signet/sa/storage_view.h"
#include "wfe/metrics.h"
#include "wfe/router.h"

namespace signet::ra {
class DomainValidationService;
class OrderService;
class CertificateDownloads;
class CertificateService;
class ProductCatalog;
class AcmeService;
}  // namespace signet::ra

namespace signet::notify {
class Notifier;
}  // namespace signet::notify

namespace signet::wfe {

// What every handler may use. Storage is read-only here: writes go through the services (ra,
// accounts, notify), which hold the writable interfaces.
struct HandlerDeps {
  accounts::AccountService& accounts;
  const sa::StorageView& storage;
  ra::SavedParties& parties;
  ra::AcmeAccounts& acme_accounts;
  const Clock& clock;
  Metrics& metrics;
  const Router& router;
  std::string public_url;
  std::atomic<bool>& ready;
};

void RegisterSystemRoutes(Router& router, HandlerDeps& deps);
void RegisterAccountRoutes(Router& router, HandlerDeps& deps);
// People of an account and invitations; `notifier` (may be null: no invitation emails) sends
// the links.
void RegisterUserRoutes(Router& router, HandlerDeps& deps, notify::Notifier* notifier);
// Self-service password reset; `notifier` (may be null: no email, the routes say so) sends links.
void RegisterPasswordResetRoutes(Router& router, HandlerDeps& deps, notify::Notifier* notifier);
void RegisterOrganizationRoutes(Router& router, HandlerDeps& deps);
void RegisterAdministratorRoutes(Router& router, HandlerDeps& deps);
struct AcmeRouteOptions {
  ra::AcmeService* service = nullptr;  // orders, authorizations, ...: served when set
  bool require_eab = false;
  std::vector<std::string> caa_identities;  // the directory's meta.caaIdentities
  sa::AcmeStore* nonce_storage = nullptr;   // required: where replay nonces live
};
void RegisterAcmeRoutes(Router& router, HandlerDeps& deps, Random& random,
                        const AcmeRouteOptions& options);
void RegisterNotificationChannelRoutes(Router& router, HandlerDeps& deps, Random& random,
                                       notify::Notifier& notifier);
void RegisterEabKeyRoutes(Router& router, HandlerDeps& deps, ra::AcmeService& service);
void RegisterValidationRoutes(Router& router, HandlerDeps& deps,
                              ra::DomainValidationService& service);
void RegisterOrderRoutes(Router& router, HandlerDeps& deps, const ra::ProductCatalog& products,
                         ra::OrderService& orders);
void RegisterCertificateRoutes(Router& router, HandlerDeps& deps,
                               ra::CertificateService& certificates,
                               ra::CertificateDownloads& downloads, ra::OrderService& orders);

// Shared by handlers.
sa::Actor ActorFor(const RouteContext& ctx);
// page_size and page_token from the query; 400 on junk.
Result<sa::PageRequest> PageFromQuery(const HttpRequest& request);
// The list search "?q=": at most 100 characters, trimmed; empty when absent.
Result<std::string> SearchQuery(const HttpRequest& request);
// {"items": [...], "next_page_token": "..." | null}
nlohmann::json PageJson(nlohmann::json items, const std::string& next_after);
HttpResponse ErrorResponse(const Status& status, const RouteContext& ctx);
// The session document with the new session's cookie set.
HttpResponse SignedInResponse(HandlerDeps& deps, const accounts::LoginResult& login,
                              const RouteContext& ctx);
std::string TimeJson(TimePoint t);
nlohmann::json OptionalTimeJson(const std::optional<TimePoint>& t);

}  // namespace signet::wfe

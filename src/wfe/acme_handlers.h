// The handlers of ACME (RFC 8555), by the protocol's names: the directory, nonces and accounts
// (acme_handlers.cc); orders, authorizations, challenges, certificates, revocation and ARI
// renewal information (RFC 9773) (acme_order_handlers.cc). route_table.cc binds them to their
// routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; their one shared state, the AcmeContext
// (nonces, decoded account keys), is thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "signet/common/random.h"
#include "wfe/handlers.h"

namespace signet::ra {
class AcmeService;
}  // namespace signet::ra

namespace signet::wfe {

class AcmeContext;

struct AcmeHandlerOptions {
  ra::AcmeService* service = nullptr;  // orders, authorizations, ...: served when set
  bool require_eab = false;
  std::vector<std::string> caa_identities;  // the directory's meta.caaIdentities
  sa::AcmeStore* nonce_storage = nullptr;   // required: where replay nonces live
};

class AcmeHandlers {
 public:
  AcmeHandlers(HandlerDeps& deps, Random& random, const AcmeHandlerOptions& options);
  ~AcmeHandlers();

  // Whether the order routes (NewOrder to RenewalInfo) are served: only with the service.
  bool serves_orders() const { return service_ != nullptr; }

  HttpResponse Directory(RouteContext& ctx);
  HttpResponse NewNonce(RouteContext& ctx);
  HttpResponse NewAccount(RouteContext& ctx);
  HttpResponse Account(RouteContext& ctx);
  HttpResponse KeyChange(RouteContext& ctx);

  // These need the service (serves_orders()).
  HttpResponse NewOrder(RouteContext& ctx);
  HttpResponse Order(RouteContext& ctx);
  HttpResponse Finalize(RouteContext& ctx);
  HttpResponse Authorization(RouteContext& ctx);
  HttpResponse Challenge(RouteContext& ctx);
  HttpResponse Certificate(RouteContext& ctx);           // the default chain
  HttpResponse AlternateCertificate(RouteContext& ctx);  // the alternate chain, up to the root
  HttpResponse Orders(RouteContext& ctx);                // the account's order list
  HttpResponse RevokeCert(RouteContext& ctx);
  HttpResponse RenewalInfo(RouteContext& ctx);

 private:
  // The certificate with chain number `chain` (0 the default), linking the others.
  HttpResponse CertificateChain(RouteContext& ctx, size_t chain);

  std::unique_ptr<AcmeContext> acme_;
  ra::AcmeService* service_;
  bool require_eab_;
  std::vector<std::string> caa_identities_;
};

}  // namespace signet::wfe

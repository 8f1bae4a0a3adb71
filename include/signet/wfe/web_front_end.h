// WebFrontEnd: turns HTTP requests into calls on the services below it (accounts, storage) and
// their results into JSON or problem documents. It authenticates the caller (API key or session
// cookie with CSRF token), checks the route's access level, and scopes every call to the
// caller's account. Only the front end knows HTTP; only it maps Status to HTTP status codes.
//
// Thread-safety: Handle and Observe may be called concurrently from the blocking pool.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "signet/accounts/account_service.h"
#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/sa/storage.h"
#include "signet/wfe/http_message.h"

namespace signet::notify {
class Notifier;
}  // namespace signet::notify

namespace signet::ra {
class DomainValidationService;
class OrderService;
class CertificateDownloads;
class CertificateService;
class ProductCatalog;
class AcmeService;
}  // namespace signet::ra

namespace signet::deploy {
class DeploymentService;
}  // namespace signet::deploy
namespace signet::monitor {
class MonitorService;
}  // namespace signet::monitor

namespace signet::wfe {

// A public document served as is (CA certificates, later CRLs and the console's files).
struct PublicFile {
  std::string path;  // e.g. "/ca/root.pem"
  std::string content_type;
  std::string body;
};

struct WebFrontEndOptions {
  std::string public_url;  // e.g. https://127.0.0.1:8443
  std::string version = "0.1.0";
  std::vector<PublicFile> public_files;
  // DER OCSPRequest to DER OCSPResponse; /ocsp is served when set.
  std::function<std::string(const std::string&)> ocsp;
  // Domain validation routes are served when set.
  ra::DomainValidationService* validations = nullptr;
  // Products, orders, the review queue and certificates are served when all are set.
  const ra::ProductCatalog* products = nullptr;
  ra::OrderService* orders = nullptr;
  ra::CertificateDownloads* downloads = nullptr;
  ra::CertificateService* certificates = nullptr;
  // Accounts' notification channels are served when set.
  notify::Notifier* notifier = nullptr;
  // Deployment targets, bindings and runs are served when set.
  deploy::DeploymentService* deployments = nullptr;
  // Monitors and their checks are served when set.
  monitor::MonitorService* monitors = nullptr;
  // ACME orders, authorizations, certificates and EAB keys are served when set.
  ra::AcmeService* acme = nullptr;
  bool acme_require_eab = false;
  std::vector<std::string> caa_identities;
  // Directory of the built web console (index.html and assets/); empty serves no console.
  std::string console_dir;
};

class WebFrontEnd {
 public:
  WebFrontEnd(WebFrontEndOptions options, accounts::AccountService& accounts, sa::Storage& storage,
              const Clock& clock, Random& random);
  ~WebFrontEnd();

  HttpResponse Handle(HttpRequest& request);
  // Records metrics and the access log line for a finished request.
  void Observe(const HttpRequest& request, const HttpResponse& response, double seconds);
  // While not ready (starting or shutting down), /readyz answers 503.
  void SetReady(bool ready);
  // The OpenAPI document, as served at /api/v1/openapi.json.
  std::string OpenApiJson() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::wfe

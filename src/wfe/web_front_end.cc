#include "signet/wfe/web_front_end.h"

#include <atomic>
#include <cctype>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/log.h"
#include "wfe/account_handlers.h"
#include "wfe/acme_handlers.h"
#include "wfe/administrator_handlers.h"
#include "wfe/certificate_handlers.h"
#include "wfe/console_files.h"
#include "wfe/deployment_handlers.h"
#include "wfe/eab_key_handlers.h"
#include "wfe/handlers.h"
#include "wfe/metrics.h"
#include "wfe/monitor_handlers.h"
#include "wfe/notification_channel_handlers.h"
#include "wfe/openapi.h"
#include "wfe/order_handlers.h"
#include "wfe/organization_handlers.h"
#include "wfe/password_reset_handlers.h"
#include "wfe/problem.h"
#include "wfe/problem_texts.h"
#include "wfe/public_handlers.h"
#include "wfe/route_table.h"
#include "wfe/router.h"
#include "wfe/system_handlers.h"
#include "wfe/user_handlers.h"
#include "wfe/validation_handlers.h"

namespace signet::wfe {

namespace {

// Paths the console's fallback never answers, so an API typo stays a 404 problem document.
bool IsServicePath(const std::string& path) {
  for (const char* prefix :
       {"/api/", "/acme/", "/ca/", "/crl/", "/ocsp", "/dcv/", "/.well-known/"}) {
    if (path.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

bool IsValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (unsigned char c : id) {
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    std::string part = header.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

bool Allowed(Access access, sa::Role role) {
  switch (access) {
    case Access::kPublic:
    case Access::kAuthenticated:
      return true;
    case Access::kOwner:
      return role == sa::Role::kOwner || role == sa::Role::kAdmin;
    case Access::kReviewer:
      return role == sa::Role::kReviewer || role == sa::Role::kAdmin;
    case Access::kAdmin:
      return role == sa::Role::kAdmin;
  }
  return false;
}

}  // namespace

struct WebFrontEnd::Impl {
  Impl(WebFrontEndOptions o, accounts::AccountService& a, sa::Storage& s, const Clock& c, Random& r)
      : options(std::move(o)),
        accounts(a),
        storage(s),
        clock(c),
        random(r),
        console(options.console_dir),
        view(s),
        parties(s, s),
        acme_accounts(s),
        deps{accounts,           view, parties, acme_accounts, clock, metrics, router,
             options.public_url, ready} {
    // The handlers of the resources the options serve (route_table.h), then their routes.
    handlers.system = std::make_unique<SystemHandlers>(deps);
    handlers.sessions = std::make_unique<SessionHandlers>(deps);
    handlers.api_keys = std::make_unique<ApiKeyHandlers>(deps);
    handlers.users = std::make_unique<UserHandlers>(deps, options.notifier);
    handlers.password_reset = std::make_unique<PasswordResetHandlers>(deps, options.notifier);
    handlers.organizations = std::make_unique<OrganizationHandlers>(deps);
    handlers.administrators = std::make_unique<AdministratorHandlers>(deps);
    if (options.notifier) {
      handlers.notification_channels =
          std::make_unique<NotificationChannelHandlers>(deps, random, *options.notifier);
    }
    handlers.acme =
        std::make_unique<AcmeHandlers>(deps, random,
                                       AcmeHandlerOptions{options.acme, options.acme_require_eab,
                                                          options.caa_identities, &storage});
    if (options.acme) handlers.eab_keys = std::make_unique<EabKeyHandlers>(deps, *options.acme);
    if (options.validations) {
      handlers.validations = std::make_unique<ValidationHandlers>(deps, *options.validations);
    }
    if (options.products && options.orders && options.downloads && options.certificates) {
      handlers.orders = std::make_unique<OrderHandlers>(deps, *options.products, *options.orders);
      handlers.certificates = std::make_unique<CertificateHandlers>(
          deps, *options.certificates, *options.downloads, *options.orders);
    }
    if (options.deployments) {
      handlers.deployments = std::make_unique<DeploymentHandlers>(*options.deployments);
    }
    if (options.monitors) {
      handlers.monitors = std::make_unique<MonitorHandlers>(*options.monitors);
    }
    handlers.public_files = std::make_unique<PublicHandlers>(options.ocsp, options.public_files);
    AddRoutes(router, handlers);
  }

  HttpResponse Handle(HttpRequest& request);
  Result<accounts::Principal> Authenticate(const HttpRequest& request);

  WebFrontEndOptions options;
  accounts::AccountService& accounts;
  sa::Storage& storage;  // for the services below and ACME nonces; handlers get `view`
  const Clock& clock;
  Random& random;
  Metrics metrics;
  RouteHandlers handlers;  // before the router: its routes refer to them
  Router router;
  ConsoleFiles console;
  std::atomic<bool> ready{false};
  sa::StorageView view;
  ra::SavedParties parties;
  ra::AcmeAccounts acme_accounts;
  HandlerDeps deps;
};

Result<accounts::Principal> WebFrontEnd::Impl::Authenticate(const HttpRequest& request) {
  const std::string& authorization = request.Header("authorization");
  if (!authorization.empty()) {
    const std::string scheme = "Bearer ";
    if (authorization.size() <= scheme.size() ||
        !std::equal(scheme.begin(), scheme.end(), authorization.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return UnauthorizedError("use Authorization: Bearer <api key>");
    }
    return accounts.AuthenticateApiKey(authorization.substr(scheme.size()));
  }
  std::string cookie = CookieValue(request.Header("cookie"), "signet_session");
  if (!cookie.empty()) {
    SIGNET_ASSIGN_OR_RETURN(accounts::Principal p, accounts.AuthenticateSession(cookie));
    if (!IsSafeMethod(request.method) &&
        !ConstantTimeEquals(request.Header("x-csrf-token"), p.csrf_token)) {
      return Status::Error(ErrorCode::kForbidden, "csrf_token_invalid",
                           "requests made with the session cookie must send the session's "
                           "csrf_token in the X-CSRF-Token header");
    }
    return p;
  }
  return UnauthorizedError(
      "this endpoint needs credentials: send Authorization: Bearer <api key>, or sign in");
}

HttpResponse WebFrontEnd::Impl::Handle(HttpRequest& request) {
  if (!IsValidRequestId(request.request_id)) {
    std::string incoming = request.Header("x-request-id");
    request.request_id = IsValidRequestId(incoming) ? incoming : random.Token(12);
  }
  HttpResponse response;
  std::multimap<std::string, std::string> query;
  if (!ParseTarget(request.target, &request.path, &request.query)) {
    response = ProblemResponse(400, "malformed_target", "the request path or query is not valid",
                               request.request_id);
  } else {
    Router::Match match = router.Find(request.method, request.path);
    std::optional<HttpResponse> console_page;
    if (!match.route && match.allowed_methods.empty() &&
        (request.method == "GET" || request.method == "HEAD") && !IsServicePath(request.path)) {
      console_page = console.Serve(request.path);
    }
    if (console_page) {
      response = std::move(*console_page);
    } else if (!match.route) {
      if (match.allowed_methods.empty()) {
        response = ProblemResponse(404, "not_found", "there is nothing at " + request.path,
                                   request.request_id);
      } else {
        std::string allow;
        for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
        response = ProblemResponse(405, "method_not_allowed",
                                   request.method + " is not supported here; use " + allow,
                                   request.request_id);
        response.headers.emplace_back("Allow", allow);
      }
    } else {
      const Route& route = *match.route;
      RouteContext ctx{request, std::move(match.params), nullptr};
      accounts::Principal principal;
      Status denied;
      if (route.access != Access::kPublic) {
        auto authenticated = Authenticate(request);
        if (!authenticated.ok()) {
          denied = authenticated.status();
        } else {
          principal = std::move(authenticated).value();
          ctx.principal = &principal;
          if (!Allowed(route.access, principal.role)) {
            denied = ForbiddenError(std::string("your role (") + sa::RoleName(principal.role) +
                                    ") may not do this");
          }
        }
      }
      if (!denied.ok()) {
        response = ProblemResponse(denied, request.request_id);
      } else {
        try {
          response = route.handler(ctx);
        } catch (const std::exception& e) {
          log::Error(
              "handler failed",
              {{"route", route.pattern}, {"error", e.what()}, {"request_id", request.request_id}});
          response = ProblemResponse(InternalError("handler failed"), request.request_id);
        }
      }
      response.route = route.pattern;
    }
  }
  // One exit point for the language of problem details; ACME clients are machines and get
  // RFC 8555's English problems whatever they send.
  if (request.path.rfind("/api/", 0) == 0) {
    LocalizeProblem(response, request.Header("accept-language"));
    if (response.content_type == "application/problem+json") {
      response.headers.emplace_back("Vary", "Accept-Language");
    }
  }
  response.headers.emplace_back("X-Request-Id", request.request_id);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  if (request.path.rfind("/api/", 0) == 0)
    response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

WebFrontEnd::WebFrontEnd(WebFrontEndOptions options, accounts::AccountService& accounts,
                         sa::Storage& storage, const Clock& clock, Random& random)
    : impl_(std::make_unique<Impl>(std::move(options), accounts, storage, clock, random)) {}

WebFrontEnd::~WebFrontEnd() = default;

HttpResponse WebFrontEnd::Handle(HttpRequest& request) { return impl_->Handle(request); }

void WebFrontEnd::Observe(const HttpRequest& request, const HttpResponse& response,
                          double seconds) {
  impl_->metrics.ObserveRequest(request.method.empty() ? "-" : request.method, response.route,
                                response.status, seconds);
  log::Info("request", {{"request_id", request.request_id},
                        {"method", request.method},
                        {"route", response.route},
                        {"status", response.status},
                        {"remote", request.remote_address},
                        {"ms", seconds * 1000.0}});
}

void WebFrontEnd::SetReady(bool ready) { impl_->ready = ready; }

std::string WebFrontEnd::OpenApiJson() const {
  return BuildOpenApi(impl_->router, impl_->options.public_url).dump(2);
}

}  // namespace signet::wfe

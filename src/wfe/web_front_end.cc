#include "signet/wfe/web_front_end.h"

#include <atomic>
#include <cctype>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/log.h"
#include "wfe/console_files.h"
#include "wfe/handlers.h"
#include "wfe/metrics.h"
#include "wfe/openapi.h"
#include "wfe/problem.h"
#include "wfe/problem_texts.h"
#include "wfe/router.h"

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
    RegisterSystemRoutes(router, deps);
    RegisterAccountRoutes(router, deps);
    RegisterUserRoutes(router, deps, options.notifier);
    RegisterPasswordResetRoutes(router, deps, options.notifier);
    RegisterOrganizationRoutes(router, deps);
    RegisterAdministratorRoutes(router, deps);
    if (options.notifier)
      RegisterNotificationChannelRoutes(router, deps, random, *options.notifier);
    RegisterAcmeRoutes(router, deps, random,
                       {options.acme, options.acme_require_eab, options.caa_identities, &storage});
    if (options.acme) RegisterEabKeyRoutes(router, deps, *options.acme);
    if (options.validations) RegisterValidationRoutes(router, deps, *options.validations);
    if (options.products && options.orders && options.downloads && options.certificates) {
      RegisterOrderRoutes(router, deps, *options.products, *options.orders);
      RegisterCertificateRoutes(router, deps, *options.certificates, *options.downloads,
                                *options.orders);
    }
    if (options.ocsp) RegisterOcspRoutes();
    for (const PublicFile& file : options.public_files) {
      router.Add({"GET", file.path, Access::kPublic, "Public file", "public", "", "", 200, false,
                  [&file](RouteContext&) {
                    HttpResponse r;
                    r.content_type = file.content_type;
                    r.body = file.body;
                    r.headers.emplace_back("Cache-Control", "public, max-age=3600");
                    return r;
                  }});
    }
  }

  HttpResponse Handle(HttpRequest& request);
  void RegisterOcspRoutes();
  Result<accounts::Principal> Authenticate(const HttpRequest& request);

  WebFrontEndOptions options;
  accounts::AccountService& accounts;
  sa::Storage& storage;  // for the services below and ACME nonces; handlers get `view`
  const Clock& clock;
  Random& random;
  Metrics metrics;
  Router router;
  ConsoleFiles console;
  std::atomic<bool> ready{false};
  sa::StorageView view;
  ra::SavedParties parties;
  ra::AcmeAccounts acme_accounts;
  HandlerDeps deps;
};

void WebFrontEnd::Impl::RegisterOcspRoutes() {
  auto answer = [this](const std::string& der) {
    HttpResponse r;
    r.content_type = "application/ocsp-response";
    r.body = options.ocsp(der);
    r.headers.emplace_back("Cache-Control", "public, max-age=3600, no-transform");
    return r;
  };
  router.Add({"POST", "/ocsp", Access::kPublic, "OCSP (RFC 6960), request in the body", "public",
              "", "", 200, false, [answer](RouteContext& ctx) {
                if (ctx.request.Header("content-type") != "application/ocsp-request") {
                  return ProblemResponse(415, "unsupported_media_type",
                                         "send Content-Type: application/ocsp-request",
                                         ctx.request.request_id);
                }
                return answer(ctx.request.body);
              }});
  router.Add({"GET", "/ocsp/{request*}", Access::kPublic,
              "OCSP (RFC 6960 A.1), base64 request in the path", "public", "", "", 200, false,
              [answer](RouteContext& ctx) {
                // The path was percent-decoded already; base64 may also arrive unencoded.
                auto der = Base64Decode(ctx.params["request"]);
                return answer(der ? std::string(der->begin(), der->end()) : std::string());
              }});
}

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

// ACME (RFC 8555), second part: orders, authorizations, challenges, finalize, certificates,
// revocation, the account's order list, and ARI renewal information (RFC 9773). The logic is in
// ra::AcmeService; this file is the protocol: JWS, URLs, JSON, status codes.
#include "signet/common/clock.h"
#include "signet/ra/acme_service.h"
#include "wfe/acme_context.h"

namespace signet::wfe {

namespace {

struct Authed {
  acme::JwsRequest jws;
  sa::AcmeAccount account;
  sa::Actor actor;
};

// The checks of a kid-signed request to `path`; on failure, the problem response.
Result<Authed> Authenticate(AcmeContext& acme, const RouteContext& ctx, const std::string& path) {
  SIGNET_ASSIGN_OR_RETURN(acme::JwsRequest jws, acme.Verify(ctx.request, path));
  if (jws.jwk) {
    return Status::Of(ErrorCode::kMalformed, "sign with the account's 'kid', not a 'jwk'");
  }
  SIGNET_ASSIGN_OR_RETURN(sa::AcmeAccount account, acme.Account(ctx.request, jws));
  sa::Actor actor{"acme:" + account.id, account.account_id, ctx.request.remote_address,
                  ctx.request.request_id};
  return Authed{std::move(jws), std::move(account), std::move(actor)};
}

json ErrorJson(ErrorCode code, const std::string& detail) {
  return {{"type", "urn:ietf:params:acme:error:" + std::string(AcmeProblemFor(code).type)},
          {"detail", detail}};
}

json ChallengeJson(AcmeContext& acme, const ra::AcmeAuthorizationView& a,
                   const ra::AcmeChallengeView& c) {
  json j = {{"type", c.type},
            {"url", acme.Url("/acme/chall/" + a.authorization.id + "/" + c.type)},
            {"token", a.authorization.token},
            {"status", core::Name(c.status)}};
  if (c.validated) j["validated"] = FormatRfc3339(*c.validated);
  if (c.error != ErrorCode::kOk) j["error"] = ErrorJson(c.error, c.error_detail);
  return j;
}

json AuthorizationJson(AcmeContext& acme, const ra::AcmeAuthorizationView& a) {
  json challenges = json::array();
  for (const auto& c : a.challenges) challenges.push_back(ChallengeJson(acme, a, c));
  json j = {{"identifier", {{"type", "dns"}, {"value", a.authorization.identifier}}},
            {"status", core::Name(a.status)},
            {"expires", FormatRfc3339(a.expires)},
            {"challenges", challenges}};
  if (a.authorization.wildcard) j["wildcard"] = true;
  return j;
}

json OrderJson(AcmeContext& acme, const ra::AcmeOrderView& o) {
  json authorizations = json::array();
  for (const auto& id : json::parse(o.order.authorizations)) {
    authorizations.push_back(acme.Url("/acme/authz/" + id.get<std::string>()));
  }
  json j = {{"status", core::Name(o.status)},
            {"expires", FormatRfc3339(o.order.expires_at)},
            {"identifiers", json::parse(o.order.identifiers)},
            {"authorizations", authorizations},
            {"finalize", acme.Url("/acme/order/" + o.order.order_id + "/finalize")},
            {"profile", o.order.profile}};
  if (!o.order.replaces.empty()) j["replaces"] = o.order.replaces;
  if (!o.certificate_serial.empty()) {
    j["certificate"] = acme.Url("/acme/cert/" + o.certificate_serial);
  }
  if (o.error != ErrorCode::kOk) j["error"] = ErrorJson(o.error, o.error_detail);
  return j;
}

HttpResponse OrderResponse(AcmeContext& acme, const ra::AcmeOrderView& o, int status) {
  HttpResponse r = acme.Json(status, OrderJson(acme, o));
  r.headers.emplace_back("Location", acme.Url("/acme/order/" + o.order.order_id));
  if (o.status == core::AcmeOrderStatus::kProcessing) r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace

void RegisterAcmeOrderRoutes(Router& router, std::shared_ptr<AcmeContext> acme,
                             ra::AcmeService& service) {
  router.Add(
      {"POST", "/acme/new-order", Access::kPublic, "Create an order (RFC 8555 7.4)", "acme", "", "",
       201, false, [acme, &service](RouteContext& ctx) {
         auto a = Authenticate(*acme, ctx, "/acme/new-order");
         if (!a.ok()) return acme->Problem(a.status());
         json payload = json::parse(a->jws.payload, nullptr, false);
         if (!payload.is_object() || !payload.contains("identifiers") ||
             !payload["identifiers"].is_array()) {
           return acme->Problem(ErrorCode::kMalformed, "the payload needs an 'identifiers' array");
         }
         if (payload.contains("notBefore") || payload.contains("notAfter")) {
           return acme->Problem(ErrorCode::kMalformed,
                                "notBefore and notAfter are not supported; the profile "
                                "decides the validity");
         }
         std::vector<std::pair<std::string, std::string>> identifiers;
         for (const auto& id : payload["identifiers"]) {
           if (!id.is_object() || !id.contains("type") || !id.contains("value") ||
               !id["type"].is_string() || !id["value"].is_string()) {
             return acme->Problem(ErrorCode::kMalformed,
                                  "each identifier is {\"type\": \"dns\", \"value\": ...}");
           }
           identifiers.emplace_back(id["type"].get<std::string>(), id["value"].get<std::string>());
         }
         std::string profile = payload.contains("profile") && payload["profile"].is_string()
                                   ? payload["profile"].get<std::string>()
                                   : "";
         std::string replaces = payload.contains("replaces") && payload["replaces"].is_string()
                                    ? payload["replaces"].get<std::string>()
                                    : "";
         int retry_after = 0;
         auto order =
             service.NewOrder(a->account, identifiers, profile, replaces, a->actor, &retry_after);
         if (!order.ok()) {
           HttpResponse r = acme->Problem(order.status());
           if (retry_after > 0) {
             r.headers.emplace_back("Retry-After", std::to_string(retry_after));
           }
           return r;
         }
         return OrderResponse(*acme, *order, 201);
       }});

  router.Add({"POST", "/acme/order/{id}", Access::kPublic, "An order (POST-as-GET)", "acme", "", "",
              200, false, [acme, &service](RouteContext& ctx) {
                auto a = Authenticate(*acme, ctx, "/acme/order/" + ctx.params["id"]);
                if (!a.ok()) return acme->Problem(a.status());
                auto order = service.GetOrder(a->account, ctx.params["id"]);
                if (!order.ok()) return acme->Problem(order.status());
                return OrderResponse(*acme, *order, 200);
              }});

  router.Add(
      {"POST", "/acme/order/{id}/finalize", Access::kPublic,
       "Finalize an order with a CSR (RFC 8555 7.4)", "acme", "", "", 200, false,
       [acme, &service](RouteContext& ctx) {
         std::string id = ctx.params["id"];
         auto a = Authenticate(*acme, ctx, "/acme/order/" + id + "/finalize");
         if (!a.ok()) return acme->Problem(a.status());
         json payload = json::parse(a->jws.payload, nullptr, false);
         if (!payload.is_object() || !payload.contains("csr") || !payload["csr"].is_string()) {
           return acme->Problem(ErrorCode::kMalformed, "the payload is {\"csr\": base64url(DER)}");
         }
         auto csr = acme::Base64UrlDecode(payload["csr"].get<std::string>());
         if (!csr) return acme->Problem(ErrorCode::kBadCsr, "'csr' must be base64url DER");
         auto der = Base64Decode(a->account.key_spki_base64);
         std::string spki = der ? std::string(der->begin(), der->end()) : "";
         auto order = service.Finalize(a->account, id, *csr, spki, a->actor);
         if (!order.ok()) return acme->Problem(order.status());
         return OrderResponse(*acme, *order, 200);
       }});

  router.Add({"POST", "/acme/authz/{id}", Access::kPublic,
              "An authorization (POST-as-GET), or deactivate it (RFC 8555 7.5)", "acme", "", "",
              200, false, [acme, &service](RouteContext& ctx) {
                std::string id = ctx.params["id"];
                auto a = Authenticate(*acme, ctx, "/acme/authz/" + id);
                if (!a.ok()) return acme->Problem(a.status());
                Result<ra::AcmeAuthorizationView> view = Status::Ok();
                if (a->jws.post_as_get) {
                  view = service.GetAuthorization(a->account, id);
                } else {
                  json payload = json::parse(a->jws.payload, nullptr, false);
                  if (!payload.is_object() || payload.value("status", "") != "deactivated") {
                    return acme->Problem(ErrorCode::kMalformed,
                                         "POST {\"status\": \"deactivated\"} or POST-as-GET");
                  }
                  view = service.Deactivate(a->account, id, a->actor);
                }
                if (!view.ok()) return acme->Problem(view.status());
                HttpResponse r = acme->Json(200, AuthorizationJson(*acme, *view));
                if (view->status == core::AcmeAuthorizationStatus::kPending &&
                    !view->authorization.validation_id.empty()) {
                  r.headers.emplace_back("Retry-After", "1");
                }
                return r;
              }});

  router.Add(
      {"POST", "/acme/chall/{authz}/{type}", Access::kPublic,
       "Answer a challenge with {} (RFC 8555 7.5.1), or read it (POST-as-GET)", "acme", "", "", 200,
       false, [acme, &service](RouteContext& ctx) {
         std::string authz = ctx.params["authz"], type = ctx.params["type"];
         auto a = Authenticate(*acme, ctx, "/acme/chall/" + authz + "/" + type);
         if (!a.ok()) return acme->Problem(a.status());
         Result<ra::AcmeAuthorizationView> view = Status::Ok();
         if (a->jws.post_as_get) {
           view = service.GetAuthorization(a->account, authz);
         } else {
           json payload = json::parse(a->jws.payload, nullptr, false);
           if (!payload.is_object()) {
             return acme->Problem(ErrorCode::kMalformed, "answer a challenge with the payload {}");
           }
           view = service.AnswerChallenge(a->account, authz, type, a->account.key_thumbprint,
                                          a->actor);
         }
         if (!view.ok()) return acme->Problem(view.status());
         for (const auto& c : view->challenges) {
           if (c.type != type) continue;
           HttpResponse r = acme->Json(200, ChallengeJson(*acme, *view, c));
           r.headers.emplace_back("Link", "<" + acme->Url("/acme/authz/" + authz) + ">;rel=\"up\"");
           if (c.status == core::AcmeChallengeStatus::kProcessing)
             r.headers.emplace_back("Retry-After", "1");
           return r;
         }
         return acme->Problem(ErrorCode::kNotFound, "no challenge " + type + " here");
       }});

  auto certificate = [acme, &service](RouteContext& ctx, size_t chain) {
    std::string serial = ctx.params["serial"];
    std::string path = "/acme/cert/" + serial + (chain ? "/" + std::to_string(chain) : "");
    auto a = Authenticate(*acme, ctx, path);
    if (!a.ok()) return acme->Problem(a.status());
    auto chains = service.CertificateChains(a->account, serial);
    if (!chains.ok()) return acme->Problem(chains.status());
    if (chain >= chains->size()) return acme->Problem(ErrorCode::kNotFound, "no such chain");
    HttpResponse r;
    r.content_type = "application/pem-certificate-chain";
    r.body = (*chains)[chain];
    for (size_t i = 0; i < chains->size(); ++i) {
      if (i == chain) continue;
      r.headers.emplace_back(
          "Link", "<" + acme->Url("/acme/cert/" + serial + (i ? "/" + std::to_string(i) : "")) +
                      ">;rel=\"alternate\"");
    }
    return acme->Finish(std::move(r));
  };
  router.Add({"POST", "/acme/cert/{serial}", Access::kPublic,
              "The certificate chain (POST-as-GET, RFC 8555 7.4.2)", "acme", "", "", 200, false,
              [certificate](RouteContext& ctx) { return certificate(ctx, 0); }});
  router.Add({"POST", "/acme/cert/{serial}/1", Access::kPublic,
              "The alternate chain, up to the root", "acme", "", "", 200, false,
              [certificate](RouteContext& ctx) { return certificate(ctx, 1); }});

  router.Add({"POST", "/acme/acct/{id}/orders", Access::kPublic,
              "The account's orders (RFC 8555 7.1.2.1)", "acme", "", "", 200, false,
              [acme, &service](RouteContext& ctx) {
                std::string path = "/acme/acct/" + ctx.params["id"] + "/orders";
                auto a = Authenticate(*acme, ctx, path);
                if (!a.ok()) return acme->Problem(a.status());
                if (a->jws.kid != acme->Url("/acme/acct/" + ctx.params["id"])) {
                  return acme->Problem(ErrorCode::kUnauthorized,
                                       "an account can only list its own orders");
                }
                auto ids = service.ListOrders(a->account);
                if (!ids.ok()) return acme->Problem(ids.status());
                json orders = json::array();
                for (const auto& id : *ids) orders.push_back(acme->Url("/acme/order/" + id));
                return acme->Json(200, {{"orders", orders}});
              }});

  router.Add({"POST", "/acme/revoke-cert", Access::kPublic,
              "Revoke a certificate (RFC 8555 7.6), by account or certificate key", "acme", "", "",
              200, false, [acme, &service](RouteContext& ctx) {
                auto jws = acme->Verify(ctx.request, "/acme/revoke-cert");
                if (!jws.ok()) return acme->Problem(jws.status());
                std::optional<sa::AcmeAccount> account;
                sa::Actor actor{"acme", "", ctx.request.remote_address, ctx.request.request_id};
                if (!jws->jwk) {
                  auto found = acme->Account(ctx.request, *jws);
                  if (!found.ok()) return acme->Problem(found.status());
                  account = *found;
                  actor = {"acme:" + account->id, account->account_id, ctx.request.remote_address,
                           ctx.request.request_id};
                }
                json payload = json::parse(jws->payload, nullptr, false);
                if (!payload.is_object() || !payload.contains("certificate") ||
                    !payload["certificate"].is_string()) {
                  return acme->Problem(ErrorCode::kMalformed,
                                       "the payload is {\"certificate\": base64url(DER), "
                                       "\"reason\"?: 0-10}");
                }
                auto der = acme::Base64UrlDecode(payload["certificate"].get<std::string>());
                if (!der)
                  return acme->Problem(ErrorCode::kMalformed, "'certificate' must be base64url");
                int reason = 0;
                if (payload.contains("reason")) {
                  if (!payload["reason"].is_number_integer()) {
                    return acme->Problem(ErrorCode::kBadRevocationReason, "'reason' is an integer");
                  }
                  reason = payload["reason"].get<int>();
                }
                Status s = service.Revoke(account ? &*account : nullptr,
                                          jws->jwk ? jws->jwk->SpkiDer() : "", *der, reason, actor);
                if (!s.ok()) return acme->Problem(s);
                HttpResponse r;
                r.content_type.clear();
                return acme->Finish(std::move(r));
              }});

  // ARI (RFC 9773): unauthenticated GET, cacheable for the Retry-After period.
  router.Add(
      {"GET", "/acme/renewal-info/{id}", Access::kPublic, "Suggested renewal window (RFC 9773)",
       "acme", "", "", 200, false, [acme, &service](RouteContext& ctx) {
         auto info = service.GetRenewalInfo(ctx.params["id"]);
         if (!info.ok()) return acme->Problem(info.status());
         json body = {{"suggestedWindow",
                       {{"start", FormatRfc3339(info->start)}, {"end", FormatRfc3339(info->end)}}}};
         if (!info->explanation_url.empty()) body["explanationURL"] = info->explanation_url;
         HttpResponse r;
         r.status = 200;
         r.content_type = "application/json";
         r.body = body.dump();
         r.headers.emplace_back("Retry-After", "21600");
         return r;
       }});
}

}  // namespace signet::wfe

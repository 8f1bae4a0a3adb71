// ACME (RFC 8555), second part: orders, authorizations, challenges, finalize, certificates,
// revocation, the account's order list, and ARI renewal information (RFC 9773). The logic is in
// ra::AcmeService; this file is the protocol: JWS, URLs, JSON, status codes.
#include "signet/common/clock.h"
#include "signet/ra/acme_service.h"
#include "wfe/acme_context.h"
#include "wfe/acme_handlers.h"

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
  for (const auto& id : o.order.authorizations) {
    authorizations.push_back(acme.Url("/acme/authz/" + id));
  }
  json identifiers = json::array();
  for (const auto& name : o.order.identifiers) {
    identifiers.push_back({{"type", "dns"}, {"value", name}});
  }
  json j = {{"status", core::Name(o.status)},
            {"expires", FormatRfc3339(o.order.expires_at)},
            {"identifiers", identifiers},
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

HttpResponse AcmeHandlers::NewOrder(RouteContext& ctx) {
  auto a = Authenticate(*acme_, ctx, "/acme/new-order");
  if (!a.ok()) return acme_->Problem(a.status());
  json payload = json::parse(a->jws.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("identifiers") ||
      !payload["identifiers"].is_array()) {
    return acme_->Problem(ErrorCode::kMalformed, "the payload needs an 'identifiers' array");
  }
  if (payload.contains("notBefore") || payload.contains("notAfter")) {
    return acme_->Problem(ErrorCode::kMalformed,
                          "notBefore and notAfter are not supported; the profile "
                          "decides the validity");
  }
  std::vector<std::pair<std::string, std::string>> identifiers;
  for (const auto& id : payload["identifiers"]) {
    if (!id.is_object() || !id.contains("type") || !id.contains("value") ||
        !id["type"].is_string() || !id["value"].is_string()) {
      return acme_->Problem(ErrorCode::kMalformed,
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
      service_->NewOrder(a->account, identifiers, profile, replaces, a->actor, &retry_after);
  if (!order.ok()) {
    HttpResponse r = acme_->Problem(order.status());
    if (retry_after > 0) {
      r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    }
    return r;
  }
  return OrderResponse(*acme_, *order, 201);
}

HttpResponse AcmeHandlers::Order(RouteContext& ctx) {
  auto a = Authenticate(*acme_, ctx, "/acme/order/" + ctx.params["id"]);
  if (!a.ok()) return acme_->Problem(a.status());
  auto order = service_->GetOrder(a->account, ctx.params["id"]);
  if (!order.ok()) return acme_->Problem(order.status());
  return OrderResponse(*acme_, *order, 200);
}

HttpResponse AcmeHandlers::Finalize(RouteContext& ctx) {
  std::string id = ctx.params["id"];
  auto a = Authenticate(*acme_, ctx, "/acme/order/" + id + "/finalize");
  if (!a.ok()) return acme_->Problem(a.status());
  json payload = json::parse(a->jws.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("csr") || !payload["csr"].is_string()) {
    return acme_->Problem(ErrorCode::kMalformed, "the payload is {\"csr\": base64url(DER)}");
  }
  auto csr = acme::Base64UrlDecode(payload["csr"].get<std::string>());
  if (!csr) return acme_->Problem(ErrorCode::kBadCsr, "'csr' must be base64url DER");
  auto der = Base64Decode(a->account.key_spki_base64);
  std::string spki = der ? std::string(der->begin(), der->end()) : "";
  auto order = service_->Finalize(a->account, id, *csr, spki, a->actor);
  if (!order.ok()) return acme_->Problem(order.status());
  return OrderResponse(*acme_, *order, 200);
}

HttpResponse AcmeHandlers::Authorization(RouteContext& ctx) {
  std::string id = ctx.params["id"];
  auto a = Authenticate(*acme_, ctx, "/acme/authz/" + id);
  if (!a.ok()) return acme_->Problem(a.status());
  Result<ra::AcmeAuthorizationView> view = Status::Ok();
  if (a->jws.post_as_get) {
    view = service_->GetAuthorization(a->account, id);
  } else {
    json payload = json::parse(a->jws.payload, nullptr, false);
    if (!payload.is_object() || payload.value("status", "") != "deactivated") {
      return acme_->Problem(ErrorCode::kMalformed,
                            "POST {\"status\": \"deactivated\"} or POST-as-GET");
    }
    view = service_->Deactivate(a->account, id, a->actor);
  }
  if (!view.ok()) return acme_->Problem(view.status());
  HttpResponse r = acme_->Json(200, AuthorizationJson(*acme_, *view));
  if (view->status == core::AcmeAuthorizationStatus::kPending &&
      !view->authorization.validation_id.empty()) {
    r.headers.emplace_back("Retry-After", "1");
  }
  return r;
}

HttpResponse AcmeHandlers::Challenge(RouteContext& ctx) {
  std::string authz = ctx.params["authz"], type = ctx.params["type"];
  auto a = Authenticate(*acme_, ctx, "/acme/chall/" + authz + "/" + type);
  if (!a.ok()) return acme_->Problem(a.status());
  Result<ra::AcmeAuthorizationView> view = Status::Ok();
  if (a->jws.post_as_get) {
    view = service_->GetAuthorization(a->account, authz);
  } else {
    json payload = json::parse(a->jws.payload, nullptr, false);
    if (!payload.is_object()) {
      return acme_->Problem(ErrorCode::kMalformed, "answer a challenge with the payload {}");
    }
    view = service_->AnswerChallenge(a->account, authz, type, a->account.key_thumbprint, a->actor);
  }
  if (!view.ok()) return acme_->Problem(view.status());
  for (const auto& c : view->challenges) {
    if (c.type != type) continue;
    HttpResponse r = acme_->Json(200, ChallengeJson(*acme_, *view, c));
    r.headers.emplace_back("Link", "<" + acme_->Url("/acme/authz/" + authz) + ">;rel=\"up\"");
    if (c.status == core::AcmeChallengeStatus::kProcessing)
      r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  return acme_->Problem(ErrorCode::kNotFound, "no challenge " + type + " here");
}

HttpResponse AcmeHandlers::Certificate(RouteContext& ctx) { return CertificateChain(ctx, 0); }

HttpResponse AcmeHandlers::AlternateCertificate(RouteContext& ctx) {
  return CertificateChain(ctx, 1);
}

HttpResponse AcmeHandlers::CertificateChain(RouteContext& ctx, size_t chain) {
  std::string serial = ctx.params["serial"];
  std::string path = "/acme/cert/" + serial + (chain ? "/" + std::to_string(chain) : "");
  auto a = Authenticate(*acme_, ctx, path);
  if (!a.ok()) return acme_->Problem(a.status());
  auto chains = service_->CertificateChains(a->account, serial);
  if (!chains.ok()) return acme_->Problem(chains.status());
  if (chain >= chains->size()) return acme_->Problem(ErrorCode::kNotFound, "no such chain");
  HttpResponse r;
  r.content_type = "application/pem-certificate-chain";
  r.body = (*chains)[chain];
  for (size_t i = 0; i < chains->size(); ++i) {
    if (i == chain) continue;
    r.headers.emplace_back(
        "Link", "<" + acme_->Url("/acme/cert/" + serial + (i ? "/" + std::to_string(i) : "")) +
                    ">;rel=\"alternate\"");
  }
  return acme_->Finish(std::move(r));
}

HttpResponse AcmeHandlers::Orders(RouteContext& ctx) {
  std::string path = "/acme/acct/" + ctx.params["id"] + "/orders";
  auto a = Authenticate(*acme_, ctx, path);
  if (!a.ok()) return acme_->Problem(a.status());
  if (a->jws.kid != acme_->Url("/acme/acct/" + ctx.params["id"])) {
    return acme_->Problem(ErrorCode::kUnauthorized, "an account can only list its own orders");
  }
  auto ids = service_->ListOrders(a->account);
  if (!ids.ok()) return acme_->Problem(ids.status());
  json orders = json::array();
  for (const auto& id : *ids) orders.push_back(acme_->Url("/acme/order/" + id));
  return acme_->Json(200, {{"orders", orders}});
}

HttpResponse AcmeHandlers::RevokeCert(RouteContext& ctx) {
  auto jws = acme_->Verify(ctx.request, "/acme/revoke-cert");
  if (!jws.ok()) return acme_->Problem(jws.status());
  std::optional<sa::AcmeAccount> account;
  sa::Actor actor{"acme", "", ctx.request.remote_address, ctx.request.request_id};
  if (!jws->jwk) {
    auto found = acme_->Account(ctx.request, *jws);
    if (!found.ok()) return acme_->Problem(found.status());
    account = *found;
    actor = {"acme:" + account->id, account->account_id, ctx.request.remote_address,
             ctx.request.request_id};
  }
  json payload = json::parse(jws->payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("certificate") ||
      !payload["certificate"].is_string()) {
    return acme_->Problem(ErrorCode::kMalformed,
                          "the payload is {\"certificate\": base64url(DER), "
                          "\"reason\"?: 0-10}");
  }
  auto der = acme::Base64UrlDecode(payload["certificate"].get<std::string>());
  if (!der) return acme_->Problem(ErrorCode::kMalformed, "'certificate' must be base64url");
  int reason = 0;
  if (payload.contains("reason")) {
    if (!payload["reason"].is_number_integer()) {
      return acme_->Problem(ErrorCode::kBadRevocationReason, "'reason' is an integer");
    }
    reason = payload["reason"].get<int>();
  }
  Status s = service_->Revoke(account ? &*account : nullptr, jws->jwk ? jws->jwk->SpkiDer() : "",
                              *der, reason, actor);
  if (!s.ok()) return acme_->Problem(s);
  HttpResponse r;
  r.content_type.clear();
  return acme_->Finish(std::move(r));
}

// ARI (RFC 9773): unauthenticated GET, cacheable for the Retry-After period.
HttpResponse AcmeHandlers::RenewalInfo(RouteContext& ctx) {
  auto info = service_->GetRenewalInfo(ctx.params["id"]);
  if (!info.ok()) return acme_->Problem(info.status());
  json body = {{"suggestedWindow",
                {{"start", FormatRfc3339(info->start)}, {"end", FormatRfc3339(info->end)}}}};
  if (!info->explanation_url.empty()) body["explanationURL"] = info->explanation_url;
  HttpResponse r;
  r.status = 200;
  r.content_type = "application/json";
  r.body = body.dump();
  r.headers.emplace_back("Retry-After", "21600");
  return r;
}

}  // namespace signet::wfe

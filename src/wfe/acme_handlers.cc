// ACME (RFC 8555), first part: the directory, nonces and accounts. Every response carries a
// fresh Replay-Nonce and a Link to the directory; errors are ACME problem documents
// ("urn:ietf:params:acme:error:<type>"). Orders, authorizations and challenges come next.
#include <nlohmann/json.hpp>

#include "signet/acme/jws.h"
#include "signet/common/encoding.h"
#include "signet/common/random.h"
#include "wfe/handlers.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

using nlohmann::json;

constexpr std::chrono::hours kNonceLifetime{1};

int AcmeHttpStatus(const std::string& type) {
  if (type == "unauthorized") return 401;
  if (type == "accountDoesNotExist") return 400;
  if (type == "rateLimited") return 429;
  if (type == "serverInternal") return 500;
  return 400;
}

class AcmeContext {
 public:
  AcmeContext(HandlerDeps& deps, Random& random) : deps_(deps), random_(random) {}

  std::string Url(const std::string& path) const { return deps_.public_url + path; }

  std::string NewNonce() {
    std::string nonce = random_.Token(16);
    Status s = deps_.storage.StoreNonce(nonce, deps_.clock.Now() + kNonceLifetime);
    if (!s.ok()) return "";
    return nonce;
  }

  // Adds the headers every ACME response has.
  HttpResponse Finish(HttpResponse r) {
    std::string nonce = NewNonce();
    if (!nonce.empty()) r.headers.emplace_back("Replay-Nonce", nonce);
    r.headers.emplace_back("Link", "<" + Url("/acme/directory") + ">;rel=\"index\"");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }

  HttpResponse Problem(const std::string& type, const std::string& detail, int status = 0) {
    HttpResponse r;
    r.status = status ? status : AcmeHttpStatus(type);
    r.content_type = "application/problem+json";
    r.body = json{{"type", "urn:ietf:params:acme:error:" + type},
                  {"detail", detail},
                  {"status", r.status}}
                 .dump();
    return Finish(std::move(r));
  }

  HttpResponse Problem(const Status& s) {
    std::string type = s.reason();
    static const std::set<std::string> kTypes = {"malformed",
                                                 "badNonce",
                                                 "badSignatureAlgorithm",
                                                 "badPublicKey",
                                                 "unauthorized",
                                                 "accountDoesNotExist",
                                                 "externalAccountRequired",
                                                 "invalidContact",
                                                 "unsupportedContact",
                                                 "rateLimited",
                                                 "serverInternal"};
    if (kTypes.count(type) == 0) {
      type = s.code() == ErrorCode::kInternal || s.code() == ErrorCode::kUnavailable
                 ? "serverInternal"
                 : "malformed";
    }
    std::string detail = type == "serverInternal" ? "internal error; try again" : s.message();
    return Problem(type, detail);
  }

  HttpResponse Json(int status, const json& body) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/json";
    r.body = body.dump();
    return Finish(std::move(r));
  }

  // The checks every POST shares (RFC 8555 section 6.2-6.5): media type, JWS, nonce, url.
  Result<acme::JwsRequest> Verify(const HttpRequest& request, const std::string& path) {
    std::string type = request.Header("content-type");
    type = type.substr(0, type.find(';'));
    if (type != "application/jose+json") {
      return Status::Error(ErrorCode::kMalformed, "malformed",
                           "ACME requests are application/jose+json");
    }
    SIGNET_ASSIGN_OR_RETURN(acme::JwsRequest jws, acme::ParseJwsRequest(request.body));
    SIGNET_ASSIGN_OR_RETURN(bool fresh, deps_.storage.RedeemNonce(jws.nonce, deps_.clock.Now()));
    if (!fresh) {
      return Status::Error(ErrorCode::kMalformed, "badNonce",
                           "the nonce is unknown, used or expired; get a new one from newNonce");
    }
    if (jws.url != Url(path)) {
      return Status::Error(ErrorCode::kUnauthorized, "unauthorized",
                           "the JWS 'url' is " + jws.url + " but the request went to " + Url(path));
    }
    return jws;
  }

  // For kid requests: the account, which must be valid and have signed the request.
  Result<sa::AcmeAccount> Account(const HttpRequest& request, const acme::JwsRequest& jws) {
    std::string prefix = Url("/acme/acct/");
    if (jws.kid.rfind(prefix, 0) != 0) {
      return Status::Error(ErrorCode::kMalformed, "malformed",
                           "'kid' must be an account URL of this server");
    }
    auto account = deps_.storage.GetAcmeAccount(jws.kid.substr(prefix.size()));
    if (!account.ok()) {
      return Status::Error(ErrorCode::kMalformed, "accountDoesNotExist", "no account " + jws.kid);
    }
    if (account->status != "valid") {
      return Status::Error(ErrorCode::kUnauthorized, "unauthorized",
                           "the account is " + account->status);
    }
    auto der = Base64Decode(account->key_spki_base64);
    if (!der) return InternalError("stored account key unreadable");
    SIGNET_ASSIGN_OR_RETURN(acme::Jwk key,
                            acme::Jwk::FromSpkiDer(std::string(der->begin(), der->end())));
    SIGNET_RETURN_IF_ERROR(acme::VerifyWith(request.body, key));
    return account;
  }

  json AccountJson(const sa::AcmeAccount& a) {
    json contact = json::parse(a.contact, nullptr, false);
    return {{"status", a.status},
            {"contact", contact.is_array() ? contact : json::array()},
            {"orders", Url("/acme/acct/" + a.id + "/orders")}};
  }

  HandlerDeps& deps() { return deps_; }

 private:
  HandlerDeps& deps_;
  Random& random_;
};

// contact: mailto: URLs only (RFC 8555 section 7.3), without hfields.
Result<json> Contacts(const json& payload) {
  json contact = payload.value("contact", json::array());
  if (!contact.is_array()) {
    return Status::Error(ErrorCode::kMalformed, "malformed", "'contact' must be an array");
  }
  for (const auto& c : contact) {
    if (!c.is_string()) {
      return Status::Error(ErrorCode::kMalformed, "invalidContact", "contacts are strings");
    }
    std::string url = c.get<std::string>();
    if (url.rfind("mailto:", 0) != 0) {
      return Status::Error(ErrorCode::kMalformed, "unsupportedContact",
                           "only mailto: contacts are supported, not '" + url + "'");
    }
    std::string address = url.substr(7);
    if (address.find('@') == std::string::npos || address.find('?') != std::string::npos ||
        address.find(',') != std::string::npos || address.size() > 254) {
      return Status::Error(ErrorCode::kMalformed, "invalidContact",
                           "'" + url + "' is not a single email address");
    }
  }
  return contact;
}

}  // namespace

void RegisterAcmeRoutes(Router& router, HandlerDeps& deps, Random& random) {
  auto acme = std::make_shared<AcmeContext>(deps, random);

  router.Add({"GET", "/acme/directory", Access::kPublic, "ACME directory (RFC 8555 7.1.1)", "acme",
              "", "", 200, false, [acme](RouteContext&) {
                json directory = {{"newNonce", acme->Url("/acme/new-nonce")},
                                  {"newAccount", acme->Url("/acme/new-account")},
                                  {"newOrder", acme->Url("/acme/new-order")},
                                  {"revokeCert", acme->Url("/acme/revoke-cert")},
                                  {"keyChange", acme->Url("/acme/key-change")},
                                  {"meta", {{"externalAccountRequired", false}}}};
                HttpResponse r;
                r.content_type = "application/json";
                r.body = directory.dump();
                return r;
              }});

  // HEAD answers 200 and GET 204 (RFC 8555 7.2); both carry the nonce.
  router.Add({"GET", "/acme/new-nonce", Access::kPublic, "A fresh nonce (Replay-Nonce)", "acme", "",
              "", 204, false, [acme](RouteContext& ctx) {
                HttpResponse r;
                r.status = ctx.request.method == "HEAD" ? 200 : 204;
                r.content_type.clear();
                return acme->Finish(std::move(r));
              }});

  router.Add({"POST", "/acme/new-account", Access::kPublic,
              "Create (or find) the account of a key (RFC 8555 7.3)", "acme", "", "", 201, false,
              [acme](RouteContext& ctx) {
                auto jws = acme->Verify(ctx.request, "/acme/new-account");
                if (!jws.ok()) return acme->Problem(jws.status());
                if (!jws->jwk) {
                  return acme->Problem("malformed", "newAccount is signed with 'jwk', not 'kid'");
                }
                json payload = json::parse(jws->payload, nullptr, false);
                if (!payload.is_object()) {
                  return acme->Problem("malformed", "the payload must be a JSON object");
                }
                std::string thumbprint = jws->jwk->Thumbprint();
                auto existing = acme->deps().storage.GetAcmeAccountByThumbprint(thumbprint);
                if (existing.ok() || payload.value("onlyReturnExisting", false)) {
                  if (!existing.ok()) {
                    return acme->Problem("accountDoesNotExist", "no account exists for this key");
                  }
                  HttpResponse r = acme->Json(200, acme->AccountJson(*existing));
                  r.headers.emplace_back("Location", acme->Url("/acme/acct/" + existing->id));
                  return r;
                }
                auto contact = Contacts(payload);
                if (!contact.ok()) return acme->Problem(contact.status());
                sa::AcmeAccount account;
                account.key_thumbprint = thumbprint;
                std::string spki = jws->jwk->SpkiDer();
                account.key_spki_base64 = Base64Encode(std::span<const uint8_t>(
                    reinterpret_cast<const uint8_t*>(spki.data()), spki.size()));
                account.contact = contact->dump();
                sa::Actor actor{"acme", "", ctx.request.remote_address, ctx.request.request_id};
                bool created = false;
                auto stored = acme->deps().storage.CreateAcmeAccount(account, &created, actor);
                if (!stored.ok()) return acme->Problem(stored.status());
                HttpResponse r = acme->Json(created ? 201 : 200, acme->AccountJson(*stored));
                r.headers.emplace_back("Location", acme->Url("/acme/acct/" + stored->id));
                return r;
              }});

  router.Add({"POST", "/acme/acct/{id}", Access::kPublic,
              "The account: read (POST-as-GET), update contact, or deactivate (RFC 8555 7.3)",
              "acme", "", "", 200, false, [acme](RouteContext& ctx) {
                std::string path = "/acme/acct/" + ctx.params["id"];
                auto jws = acme->Verify(ctx.request, path);
                if (!jws.ok()) return acme->Problem(jws.status());
                if (jws->jwk) return acme->Problem("malformed", "sign with 'kid', not 'jwk'");
                auto account = acme->Account(ctx.request, *jws);
                if (!account.ok()) return acme->Problem(account.status());
                if (acme->Url(path) != jws->kid) {
                  return acme->Problem("unauthorized", "an account can only read itself");
                }
                if (!jws->post_as_get) {
                  json payload = json::parse(jws->payload, nullptr, false);
                  if (!payload.is_object()) {
                    return acme->Problem("malformed", "the payload must be a JSON object");
                  }
                  if (payload.contains("contact")) {
                    auto contact = Contacts(payload);
                    if (!contact.ok()) return acme->Problem(contact.status());
                    account->contact = contact->dump();
                  }
                  if (payload.contains("status")) {
                    if (payload["status"] != "deactivated") {
                      return acme->Problem("malformed", "status can only become deactivated");
                    }
                    account->status = "deactivated";
                  }
                  sa::Actor actor{"acme:" + account->id, account->account_id,
                                  ctx.request.remote_address, ctx.request.request_id};
                  auto updated = acme->deps().storage.UpdateAcmeAccount(*account, actor);
                  if (!updated.ok()) return acme->Problem(updated.status());
                  account = *updated;
                }
                return acme->Json(200, acme->AccountJson(*account));
              }});
}

}  // namespace signet::wfe

// ACME (RFC 8555), first part: the directory, nonces and accounts. Every response carries a
// fresh Replay-Nonce and a Link to the directory; errors are ACME problem documents
// ("urn:ietf:params:acme:error:<type>"). Orders, authorizations and challenges come next.
#include "signet/ra/acme_service.h"
#include "wfe/acme_context.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

// contact: mailto: URLs only (RFC 8555 section 7.3), without hfields.
Result<json> Contacts(const json& payload) {
  json contact = payload.value("contact", json::array());
  if (!contact.is_array()) {
    return Status::Error(ErrorCode::kMalformed, "malformed", "'contact' must be an array");
  }
  for (const auto& c : contact) {
    if (!c.is_string()) {
      return Status::Of(ErrorCode::kInvalidContact, "contacts are strings");
    }
    std::string url = c.get<std::string>();
    if (url.rfind("mailto:", 0) != 0) {
      return Status::Of(ErrorCode::kUnsupportedContact,
                        "only mailto: contacts are supported, not '" + url + "'");
    }
    std::string address = url.substr(7);
    if (address.find('@') == std::string::npos || address.find('?') != std::string::npos ||
        address.find(',') != std::string::npos || address.size() > 254) {
      return Status::Of(ErrorCode::kInvalidContact, "'" + url + "' is not a single email address");
    }
  }
  return contact;
}

}  // namespace

void RegisterAcmeOrderRoutes(Router& router, std::shared_ptr<AcmeContext> acme,
                             ra::AcmeService& service);

void RegisterAcmeRoutes(Router& router, HandlerDeps& deps, Random& random,
                        const AcmeRouteOptions& options) {
  auto acme = std::make_shared<AcmeContext>(deps, random, *options.nonce_storage);
  ra::AcmeService* service = options.service;
  bool require_eab = options.require_eab;
  std::vector<std::string> caa_identities = options.caa_identities;

  router.Add({"GET", "/acme/directory", Access::kPublic, "ACME directory (RFC 8555 7.1.1)", "acme",
              "", "", 200, false, [acme, service, require_eab, caa_identities](RouteContext&) {
                json meta = {{"externalAccountRequired", require_eab},
                             {"website", acme->Url("/")},
                             {"caaIdentities", json::array()}};  // set below
                json directory = {{"newNonce", acme->Url("/acme/new-nonce")},
                                  {"newAccount", acme->Url("/acme/new-account")},
                                  {"newOrder", acme->Url("/acme/new-order")},
                                  {"revokeCert", acme->Url("/acme/revoke-cert")},
                                  {"keyChange", acme->Url("/acme/key-change")}};
                if (service) {
                  json profiles = json::object();
                  for (const auto& p : service->Profiles()) profiles[p.id] = p.description;
                  meta["profiles"] = profiles;
                  directory["renewalInfo"] = acme->Url("/acme/renewal-info");
                }
                meta["caaIdentities"] = caa_identities;
                directory["meta"] = meta;
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

  router.Add(
      {"POST", "/acme/new-account", Access::kPublic,
       "Create (or find) the account of a key (RFC 8555 7.3)", "acme", "", "", 201, false,
       [acme, service, require_eab](RouteContext& ctx) {
         auto jws = acme->Verify(ctx.request, "/acme/new-account");
         if (!jws.ok()) return acme->Problem(jws.status());
         if (!jws->jwk) {
           return acme->Problem(ErrorCode::kMalformed,
                                "newAccount is signed with 'jwk', not 'kid'");
         }
         json payload = json::parse(jws->payload, nullptr, false);
         if (!payload.is_object()) {
           return acme->Problem(ErrorCode::kMalformed, "the payload must be a JSON object");
         }
         std::string thumbprint = jws->jwk->Thumbprint();
         auto existing = acme->deps().storage.GetAcmeAccountByThumbprint(thumbprint);
         if (existing.ok() || payload.value("onlyReturnExisting", false)) {
           if (!existing.ok()) {
             return acme->Problem(ErrorCode::kAccountDoesNotExist,
                                  "no account exists for this key");
           }
           HttpResponse r = acme->Json(200, acme->AccountJson(*existing));
           r.headers.emplace_back("Location", acme->Url("/acme/acct/" + existing->id));
           return r;
         }
         auto contact = Contacts(payload);
         if (!contact.ok()) return acme->Problem(contact.status());
         bool binding = payload.contains("externalAccountBinding");
         if (!binding && require_eab) {
           return acme->Problem(ErrorCode::kExternalAccountRequired,
                                "this CA requires an external account binding: create an "
                                "EAB key in the console (or POST /api/v1/eab-keys) and "
                                "give its key id and HMAC key to your ACME client");
         }
         if (binding && !service) {
           return acme->Problem(ErrorCode::kMalformed, "external account binding is not available");
         }
         sa::AcmeAccount account;
         account.key_thumbprint = thumbprint;
         std::string spki = jws->jwk->SpkiDer();
         account.key_spki_base64 = Base64Encode(
             std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(spki.data()), spki.size()));
         account.contact = contact->dump();
         sa::Actor actor{"acme", "", ctx.request.remote_address, ctx.request.request_id};
         bool created = true;
         Result<sa::AcmeAccount> stored =
             binding
                 ? service->CreateBoundAccount(account, payload["externalAccountBinding"].dump(),
                                               acme->Url("/acme/new-account"), *jws->jwk, actor)
                 : acme->deps().acme_accounts.Register(account, &created, actor);
         if (!stored.ok()) return acme->Problem(stored.status());
         HttpResponse r = acme->Json(created ? 201 : 200, acme->AccountJson(*stored));
         r.headers.emplace_back("Location", acme->Url("/acme/acct/" + stored->id));
         return r;
       }});

  router.Add(
      {"POST", "/acme/acct/{id}", Access::kPublic,
       "The account: read (POST-as-GET), update contact, or deactivate (RFC 8555 7.3)", "acme", "",
       "", 200, false, [acme](RouteContext& ctx) {
         std::string path = "/acme/acct/" + ctx.params["id"];
         auto jws = acme->Verify(ctx.request, path);
         if (!jws.ok()) return acme->Problem(jws.status());
         if (jws->jwk) return acme->Problem(ErrorCode::kMalformed, "sign with 'kid', not 'jwk'");
         auto account = acme->Account(ctx.request, *jws);
         if (!account.ok()) return acme->Problem(account.status());
         if (acme->Url(path) != jws->kid) {
           return acme->Problem(ErrorCode::kUnauthorized, "an account can only read itself");
         }
         if (!jws->post_as_get) {
           json payload = json::parse(jws->payload, nullptr, false);
           if (!payload.is_object()) {
             return acme->Problem(ErrorCode::kMalformed, "the payload must be a JSON object");
           }
           if (payload.contains("contact")) {
             auto contact = Contacts(payload);
             if (!contact.ok()) return acme->Problem(contact.status());
             account->contact = contact->dump();
           }
           if (payload.contains("status")) {
             if (payload["status"] != "deactivated") {
               return acme->Problem(ErrorCode::kMalformed, "status can only become deactivated");
             }
             account->status = core::AcmeAccountStatus::kDeactivated;
           }
           sa::Actor actor{"acme:" + account->id, account->account_id, ctx.request.remote_address,
                           ctx.request.request_id};
           auto updated = acme->deps().acme_accounts.Update(*account, actor);
           if (!updated.ok()) return acme->Problem(updated.status());
           account = *updated;
         }
         return acme->Json(200, acme->AccountJson(*account));
       }});

  // Key rollover (RFC 8555 7.3.5): the outer JWS by the old key, the inner by the new one.
  router.Add(
      {"POST", "/acme/key-change", Access::kPublic, "Replace the account key (RFC 8555 7.3.5)",
       "acme", "", "", 200, false, [acme](RouteContext& ctx) {
         auto jws = acme->Verify(ctx.request, "/acme/key-change");
         if (!jws.ok()) return acme->Problem(jws.status());
         if (jws->jwk) return acme->Problem(ErrorCode::kMalformed, "sign with 'kid', not 'jwk'");
         auto account = acme->Account(ctx.request, *jws);
         if (!account.ok()) return acme->Problem(account.status());
         auto inner = acme::ParseKeyChangeJws(jws->payload);
         if (!inner.ok()) return acme->Problem(inner.status());
         if (inner->url != jws->url) {
           return acme->Problem(ErrorCode::kMalformed,
                                "the inner JWS 'url' must equal the outer's");
         }
         json payload = json::parse(inner->payload, nullptr, false);
         if (!payload.is_object() || payload.value("account", "") != jws->kid ||
             !payload.contains("oldKey") || !payload["oldKey"].is_object()) {
           return acme->Problem(ErrorCode::kMalformed,
                                "the inner payload is {\"account\": <account URL>, "
                                "\"oldKey\": <the current key's JWK>}");
         }
         auto old_key = acme::Jwk::Parse(payload["oldKey"].dump());
         if (!old_key.ok() || old_key->Thumbprint() != account->key_thumbprint) {
           return acme->Problem(ErrorCode::kMalformed, "'oldKey' is not the account's current key");
         }
         std::string thumbprint = inner->new_key.Thumbprint();
         auto other = acme->deps().storage.GetAcmeAccountByThumbprint(thumbprint);
         if (other.ok()) {
           HttpResponse r =
               acme->Problem(ErrorCode::kConflict, "the new key already belongs to an account");
           r.headers.emplace_back("Location", acme->Url("/acme/acct/" + other->id));
           return r;
         }
         std::string spki = inner->new_key.SpkiDer();
         sa::Actor actor{"acme:" + account->id, account->account_id, ctx.request.remote_address,
                         ctx.request.request_id};
         Status changed = acme->deps().acme_accounts.ChangeKey(
             account->id, account->key_thumbprint, thumbprint,
             Base64Encode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(spki.data()),
                                                   spki.size())),
             actor);
         if (!changed.ok()) return acme->Problem(changed);
         auto updated = acme->deps().storage.GetAcmeAccount(account->id);
         if (!updated.ok()) return acme->Problem(updated.status());
         return acme->Json(200, acme->AccountJson(*updated));
       }});

  if (service) RegisterAcmeOrderRoutes(router, acme, *service);
}

}  // namespace signet::wfe

// ACME (RFC 8555), first part: the directory, nonces and accounts. Every response carries a
// fresh Replay-Nonce and a Link to the directory; errors are ACME problem documents
// ("urn:ietf:params:acme:error:<type>"). Orders, authorizations and challenges come next.
#include "wfe/acme_handlers.h"

#include "signet/ra/acme_service.h"
#include "wfe/acme_context.h"
#include "wfe/json_body.h"

namespace signet::wfe {

namespace {

// contact: mailto: URLs only (RFC 8555 section 7.3), without hfields.
Result<std::vector<std::string>> Contacts(const json& payload) {
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
  return contact.get<std::vector<std::string>>();
}

}  // namespace

AcmeHandlers::AcmeHandlers(HandlerDeps& deps, Random& random, const AcmeHandlerOptions& options)
    : acme_(std::make_unique<AcmeContext>(deps, random, *options.nonce_storage)),
      service_(options.service),
      require_eab_(options.require_eab),
      caa_identities_(options.caa_identities) {}

AcmeHandlers::~AcmeHandlers() = default;

HttpResponse AcmeHandlers::Directory(RouteContext&) {
  json meta = {{"externalAccountRequired", require_eab_},
               {"website", acme_->Url("/")},
               {"caaIdentities", json::array()}};  // set below
  json directory = {{"newNonce", acme_->Url("/acme/new-nonce")},
                    {"newAccount", acme_->Url("/acme/new-account")},
                    {"newOrder", acme_->Url("/acme/new-order")},
                    {"revokeCert", acme_->Url("/acme/revoke-cert")},
                    {"keyChange", acme_->Url("/acme/key-change")}};
  if (service_) {
    json profiles = json::object();
    for (const auto& p : service_->Profiles()) profiles[p.id] = p.description;
    meta["profiles"] = profiles;
    directory["renewalInfo"] = acme_->Url("/acme/renewal-info");
  }
  meta["caaIdentities"] = caa_identities_;
  directory["meta"] = meta;
  HttpResponse r;
  r.content_type = "application/json";
  r.body = directory.dump();
  return r;
}

// HEAD answers 200 and GET 204 (RFC 8555 7.2); both carry the nonce.
HttpResponse AcmeHandlers::NewNonce(RouteContext& ctx) {
  HttpResponse r;
  r.status = ctx.request.method == "HEAD" ? 200 : 204;
  r.content_type.clear();
  return acme_->Finish(std::move(r));
}

HttpResponse AcmeHandlers::NewAccount(RouteContext& ctx) {
  auto jws = acme_->Verify(ctx.request, "/acme/new-account");
  if (!jws.ok()) return acme_->Problem(jws.status());
  if (!jws->jwk) {
    return acme_->Problem(ErrorCode::kMalformed, "newAccount is signed with 'jwk', not 'kid'");
  }
  json payload = json::parse(jws->payload, nullptr, false);
  if (!payload.is_object()) {
    return acme_->Problem(ErrorCode::kMalformed, "the payload must be a JSON object");
  }
  std::string thumbprint = jws->jwk->Thumbprint();
  auto existing = acme_->deps().storage.GetAcmeAccountByThumbprint(thumbprint);
  if (existing.ok() || payload.value("onlyReturnExisting", false)) {
    if (!existing.ok()) {
      return acme_->Problem(ErrorCode::kAccountDoesNotExist, "no account exists for this key");
    }
    HttpResponse r = acme_->Json(200, acme_->AccountJson(*existing));
    r.headers.emplace_back("Location", acme_->Url("/acme/acct/" + existing->id));
    return r;
  }
  auto contact = Contacts(payload);
  if (!contact.ok()) return acme_->Problem(contact.status());
  bool binding = payload.contains("externalAccountBinding");
  if (!binding && require_eab_) {
    return acme_->Problem(ErrorCode::kExternalAccountRequired,
                          "this CA requires an external account binding: create an "
                          "EAB key in the console (or POST /api/v1/eab-keys) and "
                          "give its key id and HMAC key to your ACME client");
  }
  if (binding && !service_) {
    return acme_->Problem(ErrorCode::kMalformed, "external account binding is not available");
  }
  sa::AcmeAccount account;
  account.key_thumbprint = thumbprint;
  std::string spki = jws->jwk->SpkiDer();
  account.key_spki_base64 = Base64Encode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(spki.data()), spki.size()));
  account.contact = *contact;
  sa::Actor actor{"acme", "", ctx.request.remote_address, ctx.request.request_id};
  bool created = true;
  Result<sa::AcmeAccount> stored =
      binding ? service_->CreateBoundAccount(account, payload["externalAccountBinding"].dump(),
                                             acme_->Url("/acme/new-account"), *jws->jwk, actor)
              : acme_->deps().acme_accounts.Register(account, &created, actor);
  if (!stored.ok()) return acme_->Problem(stored.status());
  HttpResponse r = acme_->Json(created ? 201 : 200, acme_->AccountJson(*stored));
  r.headers.emplace_back("Location", acme_->Url("/acme/acct/" + stored->id));
  return r;
}

HttpResponse AcmeHandlers::Account(RouteContext& ctx) {
  std::string path = "/acme/acct/" + ctx.params["id"];
  auto jws = acme_->Verify(ctx.request, path);
  if (!jws.ok()) return acme_->Problem(jws.status());
  if (jws->jwk) return acme_->Problem(ErrorCode::kMalformed, "sign with 'kid', not 'jwk'");
  auto account = acme_->Account(ctx.request, *jws);
  if (!account.ok()) return acme_->Problem(account.status());
  if (acme_->Url(path) != jws->kid) {
    return acme_->Problem(ErrorCode::kUnauthorized, "an account can only read itself");
  }
  if (!jws->post_as_get) {
    json payload = json::parse(jws->payload, nullptr, false);
    if (!payload.is_object()) {
      return acme_->Problem(ErrorCode::kMalformed, "the payload must be a JSON object");
    }
    if (payload.contains("contact")) {
      auto contact = Contacts(payload);
      if (!contact.ok()) return acme_->Problem(contact.status());
      account->contact = *contact;
    }
    if (payload.contains("status")) {
      if (payload["status"] != "deactivated") {
        return acme_->Problem(ErrorCode::kMalformed, "status can only become deactivated");
      }
      account->status = core::AcmeAccountStatus::kDeactivated;
    }
    sa::Actor actor{"acme:" + account->id, account->account_id, ctx.request.remote_address,
                    ctx.request.request_id};
    auto updated = acme_->deps().acme_accounts.Update(*account, actor);
    if (!updated.ok()) return acme_->Problem(updated.status());
    account = *updated;
  }
  return acme_->Json(200, acme_->AccountJson(*account));
}

// Key rollover (RFC 8555 7.3.5): the outer JWS by the old key, the inner by the new one.
HttpResponse AcmeHandlers::KeyChange(RouteContext& ctx) {
  auto jws = acme_->Verify(ctx.request, "/acme/key-change");
  if (!jws.ok()) return acme_->Problem(jws.status());
  if (jws->jwk) return acme_->Problem(ErrorCode::kMalformed, "sign with 'kid', not 'jwk'");
  auto account = acme_->Account(ctx.request, *jws);
  if (!account.ok()) return acme_->Problem(account.status());
  auto inner = acme::ParseKeyChangeJws(jws->payload);
  if (!inner.ok()) return acme_->Problem(inner.status());
  if (inner->url != jws->url) {
    return acme_->Problem(ErrorCode::kMalformed, "the inner JWS 'url' must equal the outer's");
  }
  json payload = json::parse(inner->payload, nullptr, false);
  if (!payload.is_object() || payload.value("account", "") != jws->kid ||
      !payload.contains("oldKey") || !payload["oldKey"].is_object()) {
    return acme_->Problem(ErrorCode::kMalformed,
                          "the inner payload is {\"account\": <account URL>, "
                          "\"oldKey\": <the current key's JWK>}");
  }
  auto old_key = acme::Jwk::Parse(payload["oldKey"].dump());
  if (!old_key.ok() || old_key->Thumbprint() != account->key_thumbprint) {
    return acme_->Problem(ErrorCode::kMalformed, "'oldKey' is not the account's current key");
  }
  std::string thumbprint = inner->new_key.Thumbprint();
  auto other = acme_->deps().storage.GetAcmeAccountByThumbprint(thumbprint);
  if (other.ok()) {
    HttpResponse r =
        acme_->Problem(ErrorCode::kConflict, "the new key already belongs to an account");
    r.headers.emplace_back("Location", acme_->Url("/acme/acct/" + other->id));
    return r;
  }
  std::string spki = inner->new_key.SpkiDer();
  sa::Actor actor{"acme:" + account->id, account->account_id, ctx.request.remote_address,
                  ctx.request.request_id};
  Status changed = acme_->deps().acme_accounts.ChangeKey(
      account->id, account->key_thumbprint, thumbprint,
      Base64Encode(
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(spki.data()), spki.size())),
      actor);
  if (!changed.ok()) return acme_->Problem(changed);
  auto updated = acme_->deps().storage.GetAcmeAccount(account->id);
  if (!updated.ok()) return acme_->Problem(updated.status());
  return acme_->Json(200, acme_->AccountJson(*updated));
}

}  // namespace signet::wfe

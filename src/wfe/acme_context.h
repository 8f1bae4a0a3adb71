// The ACME front end's shared request handling (RFC 8555 section 6): JWS checks, nonces, the
// headers every response carries, and problem documents. Private to wfe.
//
// Thread-safety: AcmeContext is shared by all ACME routes; its methods are safe from any thread.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "signet/acme/jws.h"
#include "signet/common/encoding.h"
#include "signet/common/random.h"
#include "wfe/acme_nonces.h"
#include "wfe/handlers.h"
#include "wfe/problem.h"

namespace signet::wfe {

using nlohmann::json;

constexpr std::chrono::hours kNonceLifetime{1};
constexpr size_t kMaxRequestBytes = 64 * 1024;

class AcmeContext {
 public:
  AcmeContext(HandlerDeps& deps, Random& random, sa::AcmeStore& nonce_storage)
      : deps_(deps),
        nonces_(MakeNonceStore(nonce_storage, deps.storage.Backend() == "sqlite", deps.clock,
                               random,
                               std::chrono::duration_cast<std::chrono::seconds>(kNonceLifetime))) {}

  std::string Url(const std::string& path) const { return deps_.public_url + path; }

  std::string NewNonce() { return nonces_->Issue(); }

  // Adds the headers every ACME response has.
  HttpResponse Finish(HttpResponse r) {
    std::string nonce = NewNonce();
    if (!nonce.empty()) r.headers.emplace_back("Replay-Nonce", nonce);
    r.headers.emplace_back("Link", "<" + Url("/acme/directory") + ">;rel=\"index\"");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }

  // The problem document for an error: its type and status come from the one mapping
  // (wfe/problem.cc); internal details never reach the client.
  HttpResponse Problem(const Status& s) {
    AcmeProblemKind kind = AcmeProblemFor(s.code());
    bool internal = kind.type == "serverInternal";
    HttpResponse r = Problem(std::string(kind.type),
                             internal ? "internal error; try again" : s.message(), kind.http);
    if (internal) r.headers.emplace_back("Retry-After", "5");
    return r;
  }
  HttpResponse Problem(ErrorCode code, const std::string& detail) {
    return Problem(Status::Of(code, detail));
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
      // RFC 8555 6.2: answered with 415 (the status is set where the problem is rendered).
      return Status::Of(ErrorCode::kUnsupportedMediaType,
                        "ACME requests are application/jose+json");
    }
    if (request.body.size() > kMaxRequestBytes) {
      return Status::Error(ErrorCode::kMalformed, "malformed",
                           "the request is larger than " + std::to_string(kMaxRequestBytes) +
                               " bytes; no ACME request needs that much");
    }
    SIGNET_ASSIGN_OR_RETURN(acme::JwsRequest jws, acme::ParseJwsRequest(request.body));
    SIGNET_ASSIGN_OR_RETURN(bool fresh, nonces_->Redeem(jws.nonce));
    if (!fresh) {
      return Status::Of(ErrorCode::kBadNonce,
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
      return Status::Of(ErrorCode::kAccountDoesNotExist, "no account " + jws.kid);
    }
    if (account->status != core::AcmeAccountStatus::kValid) {
      return Status::Error(ErrorCode::kUnauthorized, "unauthorized",
                           "the account is " + std::string(core::Name(account->status)));
    }
    SIGNET_ASSIGN_OR_RETURN(acme::Jwk key, AccountKey(*account));
    SIGNET_RETURN_IF_ERROR(acme::VerifyWith(request.body, key));
    return account;
  }

  // The account's key, decoded once: decoding a stored SPKI through OpenSSL's decoders on every
  // request costs more than the signature check. Keyed by thumbprint, so a rollover is a miss.
  Result<acme::Jwk> AccountKey(const sa::AcmeAccount& account) {
    {
      std::lock_guard<std::mutex> lock(keys_mu_);
      auto it = keys_.find(account.key_thumbprint);
      if (it != keys_.end()) return it->second;
    }
    auto der = Base64Decode(account.key_spki_base64);
    if (!der) return InternalError("stored account key unreadable");
    SIGNET_ASSIGN_OR_RETURN(acme::Jwk key,
                            acme::Jwk::FromSpkiDer(std::string(der->begin(), der->end())));
    std::lock_guard<std::mutex> lock(keys_mu_);
    if (keys_.size() >= 10000) keys_.clear();  // bounded; refilled on demand
    keys_.emplace(account.key_thumbprint, key);
    return key;
  }

  json AccountJson(const sa::AcmeAccount& a) {
    return {{"status", core::Name(a.status)},
            {"contact", a.contact},
            {"orders", Url("/acme/acct/" + a.id + "/orders")}};
  }

  HandlerDeps& deps() { return deps_; }

 private:
  HttpResponse Problem(const std::string& type, const std::string& detail, int status) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/problem+json";
    r.body = json{{"type", "urn:ietf:params:acme:error:" + type},
                  {"detail", detail},
                  {"status", r.status}}
                 .dump();
    return Finish(std::move(r));
  }

  HandlerDeps& deps_;
  std::unique_ptr<NonceStore> nonces_;
  std::mutex keys_mu_;
  std::unordered_map<std::string, acme::Jwk> keys_;
};

}  // namespace signet::wfe

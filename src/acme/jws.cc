#include "signet/acme/jws.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>
#include <set>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/json_depth.h"

namespace signet::acme {

namespace {

using nlohmann::json;

// Outside JSON, refused (discarded) when it nests deeper than any request needs (json_depth.h).
json ParseOutsideJson(std::string_view text) {
  if (!JsonNestsAtMost(text, kMaxRequestJsonDepth)) return json(json::value_t::discarded);
  return json::parse(text, nullptr, false);
}

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::string BnBytes(const BIGNUM* bn) {
  std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string Padded(const std::string& bytes, size_t size) {
  return bytes.size() >= size ? bytes : std::string(size - bytes.size(), '\0') + bytes;
}

// Builds a public key of `type` from the parameters in `bld`, which it frees; nullptr if invalid.
EVP_PKEY* PublicKeyFromParams(const char* type, OSSL_PARAM_BLD* bld) {
  EVP_PKEY* pkey = nullptr;
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
    pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return pkey;
}

}  // namespace

struct Jwk::Key {
  std::unique_ptr<EVP_PKEY, PkeyDeleter> pkey;
};

Jwk::Jwk(const Jwk&) = default;
Jwk& Jwk::operator=(const Jwk&) = default;
Jwk::Jwk(Jwk&&) noexcept = default;
Jwk& Jwk::operator=(Jwk&&) noexcept = default;
Jwk::~Jwk() = default;

std::string Base64UrlEncode(const std::string& bytes) {
  return signet::Base64UrlEncode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

std::optional<std::string> Base64UrlDecode(const std::string& text) {
  for (char c : text) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  auto bytes = signet::Base64UrlDecode(text);
  if (!bytes) return std::nullopt;
  return std::string(bytes->begin(), bytes->end());
}

Result<Jwk> Jwk::Parse(const std::string& text) {
  auto j = ParseOutsideJson(text);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Of(ErrorCode::kBadPublicKey, "the jwk is not a JSON object");
  }
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    if (j.contains(secret)) {
      return Status::Of(ErrorCode::kBadPublicKey, "the jwk contains private key material ('" +
                                                      std::string(secret) +
                                                      "'); send the public key only");
    }
  }
  auto member = [&](const char* name) -> std::optional<std::string> {
    if (!j.contains(name) || !j[name].is_string()) return std::nullopt;
    return j[name].get<std::string>();
  };
  auto kty = member("kty");
  if (!kty) return Status::Of(ErrorCode::kBadPublicKey, "the jwk has no 'kty'");
  Jwk key;
  key.kty_ = *kty;
  key.key_ = std::make_shared<Key>();
  EVP_PKEY* pkey = nullptr;
  if (*kty == "EC") {
    auto crv = member("crv"), x = member("x"), y = member("y");
    if (!crv || !x || !y)
      return Status::Of(ErrorCode::kBadPublicKey, "an EC jwk needs crv, x and y");
    size_t size = *crv == "P-256" ? 32 : *crv == "P-384" ? 48 : 0;
    if (size == 0) {
      return Status::Of(ErrorCode::kBadPublicKey, "EC keys must be on P-256 or P-384, not " + *crv);
    }
    auto xb = Base64UrlDecode(*x), yb = Base64UrlDecode(*y);
    if (!xb || !yb || xb->size() != size || yb->size() != size) {
      return Status::Of(ErrorCode::kBadPublicKey, "the EC jwk's x and y must be " +
                                                      std::to_string(size) + " bytes in base64url");
    }
    std::string point = "\x04" + *xb + *yb;
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                    size == 32 ? "prime256v1" : "secp384r1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    pkey = PublicKeyFromParams("EC", bld);
    key.crv_ = *crv;
    key.canonical_ =
        R"({"crv":")" + *crv + R"(","kty":"EC","x":")" + *x + R"(","y":")" + *y + R"("})";
  } else if (*kty == "RSA") {
    auto n = member("n"), e = member("e");
    if (!n || !e) return Status::Of(ErrorCode::kBadPublicKey, "an RSA jwk needs n and e");
    auto nb = Base64UrlDecode(*n), eb = Base64UrlDecode(*e);
    if (!nb || !eb || nb->empty() || eb->empty()) {
      return Status::Of(ErrorCode::kBadPublicKey, "the RSA jwk's n and e must be base64url");
    }
    BIGNUM* nbn = BN_bin2bn(reinterpret_cast<const unsigned char*>(nb->data()),
                            static_cast<int>(nb->size()), nullptr);
    BIGNUM* ebn = BN_bin2bn(reinterpret_cast<const unsigned char*>(eb->data()),
                            static_cast<int>(eb->size()), nullptr);
    if (BN_num_bits(nbn) < 2048) {
      BN_free(nbn);
      BN_free(ebn);
      return Status::Of(ErrorCode::kBadPublicKey, "RSA account keys must have at least 2048 bits");
    }
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, nbn);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, ebn);
    pkey = PublicKeyFromParams("RSA", bld);
    BN_free(nbn);
    BN_free(ebn);
    key.canonical_ = R"({"e":")" + *e + R"(","kty":"RSA","n":")" + *n + R"("})";
  } else if (*kty == "OKP") {
    auto crv = member("crv"), x = member("x");
    if (!crv || !x || *crv != "Ed25519") {
      return Status::Of(ErrorCode::kBadPublicKey, "OKP keys must be Ed25519 with an x");
    }
    auto xb = Base64UrlDecode(*x);
    if (!xb || xb->size() != 32) {
      return Status::Of(ErrorCode::kBadPublicKey,
                        "an Ed25519 jwk's x must be 32 bytes in base64url");
    }
    pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                       reinterpret_cast<const unsigned char*>(xb->data()), 32);
    key.crv_ = *crv;
    key.canonical_ = R"({"crv":"Ed25519","kty":"OKP","x":")" + *x + R"("})";
  } else {
    return Status::Of(ErrorCode::kBadPublicKey, "key type '" + *kty +
                                                    "' is not supported; use EC, RSA or "
                                                    "Ed25519");
  }
  if (pkey == nullptr)
    return Status::Of(ErrorCode::kBadPublicKey, "the jwk is not a valid public key");
  key.key_->pkey.reset(pkey);
  if (*kty == "EC") {
    EVP_PKEY_CTX* check = EVP_PKEY_CTX_new(pkey, nullptr);
    bool valid = EVP_PKEY_public_check(check) == 1;
    EVP_PKEY_CTX_free(check);
    if (!valid) return Status::Of(ErrorCode::kBadPublicKey, "the EC point is not on the curve");
  }
  return key;
}

Result<Jwk> Jwk::FromSpkiDer(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<EVP_PKEY, PkeyDeleter> pkey(
      d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey) return Status::Of(ErrorCode::kBadPublicKey, "not a SubjectPublicKeyInfo");
  json j;
  switch (EVP_PKEY_get_base_id(pkey.get())) {
    case EVP_PKEY_EC: {
      char group[64] = {0};
      size_t len = 0;
      EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &len);
      std::string g = group;
      size_t size = g == "prime256v1" ? 32 : g == "secp384r1" ? 48 : 0;
      if (size == 0)
        return Status::Of(ErrorCode::kBadPublicKey, "EC keys must be on P-256 or P-384");
      BIGNUM *x = nullptr, *y = nullptr;
      EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, &x);
      EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, &y);
      j = {{"kty", "EC"},
           {"crv", size == 32 ? "P-256" : "P-384"},
           {"x", Base64UrlEncode(Padded(BnBytes(x), size))},
           {"y", Base64UrlEncode(Padded(BnBytes(y), size))}};
      BN_free(x);
      BN_free(y);
      break;
    }
    case EVP_PKEY_RSA: {
      BIGNUM *n = nullptr, *e = nullptr;
      EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_N, &n);
      EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_RSA_E, &e);
      j = {{"kty", "RSA"}, {"n", Base64UrlEncode(BnBytes(n))}, {"e", Base64UrlEncode(BnBytes(e))}};
      BN_free(n);
      BN_free(e);
      break;
    }
    case EVP_PKEY_ED25519: {
      std::string raw(32, '\0');
      size_t len = raw.size();
      EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char*>(raw.data()), &len);
      j = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", Base64UrlEncode(raw)}};
      break;
    }
    default:
      return Status::Of(ErrorCode::kBadPublicKey, "the key type is not supported");
  }
  return Parse(j.dump());
}

std::string Jwk::Thumbprint() const {
  Sha256Digest d = Sha256(canonical_);
  return Base64UrlEncode(std::string(d.begin(), d.end()));
}

std::string Jwk::SpkiDer() const {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key_->pkey.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

bool Jwk::MatchesAlgorithm(const std::string& alg) const {
  if (kty_ == "EC")
    return (alg == "ES256" && crv_ == "P-256") || (alg == "ES384" && crv_ == "P-384");
  if (kty_ == "RSA") return alg == "RS256";
  if (kty_ == "OKP") return alg == "EdDSA";
  return false;
}

bool Jwk::Verify(const std::string& alg, const std::string& signing_input,
                 const std::string& signature) const {
  if (!MatchesAlgorithm(alg)) return false;
  std::string sig = signature;
  const EVP_MD* md = nullptr;
  if (alg == "ES256" || alg == "ES384") {
    // JWS carries R||S; OpenSSL verifies DER ECDSA-Sig-Value.
    size_t half = alg == "ES256" ? 32 : 48;
    if (signature.size() != 2 * half) return false;
    ECDSA_SIG* es = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()),
                          static_cast<int>(half), nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + half,
                          static_cast<int>(half), nullptr);
    ECDSA_SIG_set0(es, r, s);
    unsigned char* der = nullptr;
    int n = i2d_ECDSA_SIG(es, &der);
    sig.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    md = alg == "ES256" ? EVP_sha256() : EVP_sha384();
  } else if (alg == "RS256") {
    md = EVP_sha256();
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key_->pkey.get()) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(signing_input.data()),
                             signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

namespace {

struct ParsedBody {
  std::string protected_b64, payload_b64, signature;
  json header;
};

Result<ParsedBody> ParseBody(const std::string& body) {
  auto j = ParseOutsideJson(body);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Of(ErrorCode::kMalformed,
                      "the request body is not a JSON object (a flattened JWS)");
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "protected" && it.key() != "payload" && it.key() != "signature") {
      return Status::Of(ErrorCode::kMalformed,
                        "the JWS has the field '" + it.key() +
                            "'; ACME uses only protected, payload and signature "
                            "(no unprotected header, no JSON general serialization)");
    }
  }
  for (const char* f : {"protected", "payload", "signature"}) {
    if (!j.contains(f) || !j[f].is_string()) {
      return Status::Of(ErrorCode::kMalformed, std::string("the JWS needs a string '") + f + "'");
    }
  }
  ParsedBody out;
  out.protected_b64 = j["protected"].get<std::string>();
  out.payload_b64 = j["payload"].get<std::string>();
  auto header_text = Base64UrlDecode(out.protected_b64);
  auto signature = Base64UrlDecode(j["signature"].get<std::string>());
  if (!header_text || !signature || signature->empty()) {
    return Status::Of(ErrorCode::kMalformed,
                      "the JWS's protected header and signature must be base64url");
  }
  out.signature = *signature;
  // Depth-checked: the header's 'jwk' is dump()ed again for Jwk::Parse, which recurses once
  // per level (a 270 KB body of nested arrays crashed signetd, found with fuzz_jws).
  out.header = ParseOutsideJson(*header_text);
  if (out.header.is_discarded() || !out.header.is_object()) {
    return Status::Of(ErrorCode::kMalformed, "the JWS protected header is not a JSON object");
  }
  return out;
}

}  // namespace

Result<JwsRequest> ParseJwsRequest(const std::string& body) {
  SIGNET_ASSIGN_OR_RETURN(ParsedBody parsed, ParseBody(body));
  const json& h = parsed.header;
  JwsRequest out;
  auto str = [&](const char* name) -> std::optional<std::string> {
    if (!h.contains(name) || !h[name].is_string()) return std::nullopt;
    return h[name].get<std::string>();
  };
  auto alg = str("alg");
  if (!alg) return Status::Of(ErrorCode::kMalformed, "the protected header needs 'alg'");
  static const std::set<std::string> kAlgorithms = {"ES256", "ES384", "RS256", "EdDSA"};
  if (kAlgorithms.count(*alg) == 0) {
    return Status::Of(ErrorCode::kBadSignatureAlgorithm,
                      "the algorithm '" + *alg +
                          "' is not accepted; use ES256, ES384, RS256 or "
                          "EdDSA");
  }
  out.alg = *alg;
  if (h.contains("crit") || h.contains("b64")) {
    return Status::Of(ErrorCode::kMalformed, "the protected header may not use 'crit' or 'b64'");
  }
  auto nonce = str("nonce");
  if (!nonce || nonce->empty()) {
    return Status::Of(ErrorCode::kBadNonce,
                      "the protected header needs a 'nonce' (from newNonce or Replay-Nonce)");
  }
  out.nonce = *nonce;
  auto url = str("url");
  if (!url) return Status::Of(ErrorCode::kMalformed, "the protected header needs 'url'");
  out.url = *url;
  bool has_jwk = h.contains("jwk"), has_kid = h.contains("kid");
  if (has_jwk == has_kid) {
    return Status::Of(ErrorCode::kMalformed,
                      "the protected header needs exactly one of 'jwk' and 'kid'");
  }
  if (parsed.payload_b64.empty()) {
    out.post_as_get = true;
  } else {
    auto payload = Base64UrlDecode(parsed.payload_b64);
    if (!payload) return Status::Of(ErrorCode::kMalformed, "the JWS payload must be base64url");
    if (!JsonNestsAtMost(*payload, kMaxRequestJsonDepth)) {
      return Status::Of(ErrorCode::kMalformed, "the JWS payload nests too deeply");
    }
    out.payload = *payload;
  }
  std::string signing_input = parsed.protected_b64 + "." + parsed.payload_b64;
  if (has_jwk) {
    if (!h["jwk"].is_object())
      return Status::Of(ErrorCode::kMalformed, "'jwk' must be a JSON object");
    SIGNET_ASSIGN_OR_RETURN(Jwk key, Jwk::Parse(h["jwk"].dump()));
    if (!key.MatchesAlgorithm(out.alg)) {
      return Status::Of(ErrorCode::kBadSignatureAlgorithm,
                        "the algorithm " + out.alg + " does not match the " + key.kty() + " key");
    }
    if (!key.Verify(out.alg, signing_input, parsed.signature)) {
      return Status::Of(ErrorCode::kMalformed,
                        "the JWS signature does not verify with the embedded key");
    }
    out.jwk = std::move(key);
  } else {
    auto kid = str("kid");
    if (!kid || kid->empty())
      return Status::Of(ErrorCode::kMalformed, "'kid' must be the account URL");
    out.kid = *kid;
  }
  return out;
}

Status VerifyWith(const std::string& body, const Jwk& key) {
  SIGNET_ASSIGN_OR_RETURN(ParsedBody parsed, ParseBody(body));
  std::string alg = parsed.header.value("alg", "");
  if (!key.MatchesAlgorithm(alg)) {
    return Status::Of(
        ErrorCode::kBadSignatureAlgorithm,
        "the algorithm " + alg + " does not match the account's " + key.kty() + " key");
  }
  if (!key.Verify(alg, parsed.protected_b64 + "." + parsed.payload_b64, parsed.signature)) {
    return Status::Of(ErrorCode::kUnauthorized,
                      "the JWS signature does not verify with the account's key");
  }
  return Status::Ok();
}

Result<KeyChangeJws> ParseKeyChangeJws(const std::string& json_text) {
  SIGNET_ASSIGN_OR_RETURN(ParsedBody parsed, ParseBody(json_text));
  const json& h = parsed.header;
  if (h.contains("nonce"))
    return Status::Of(ErrorCode::kMalformed, "the inner keyChange JWS has no 'nonce'");
  if (!h.contains("jwk") || !h["jwk"].is_object() || h.contains("kid")) {
    return Status::Of(ErrorCode::kMalformed,
                      "the inner keyChange JWS carries the new key as 'jwk'");
  }
  if (!h.contains("url") || !h["url"].is_string() || !h.contains("alg") || !h["alg"].is_string()) {
    return Status::Of(ErrorCode::kMalformed, "the inner keyChange JWS needs 'alg' and 'url'");
  }
  SIGNET_ASSIGN_OR_RETURN(Jwk key, Jwk::Parse(h["jwk"].dump()));
  std::string alg = h["alg"].get<std::string>();
  if (!key.MatchesAlgorithm(alg)) {
    return Status::Of(ErrorCode::kBadSignatureAlgorithm,
                      "the algorithm " + alg + " does not match the new " + key.kty() + " key");
  }
  if (!key.Verify(alg, parsed.protected_b64 + "." + parsed.payload_b64, parsed.signature)) {
    return Status::Of(ErrorCode::kMalformed,
                      "the inner keyChange JWS is not signed by the new key");
  }
  auto payload = Base64UrlDecode(parsed.payload_b64);
  if (!payload) return Status::Of(ErrorCode::kMalformed, "the inner JWS payload must be base64url");
  if (!JsonNestsAtMost(*payload, kMaxRequestJsonDepth)) {
    return Status::Of(ErrorCode::kMalformed, "the inner JWS payload nests too deeply");
  }
  return KeyChangeJws{h["url"].get<std::string>(), std::move(key), *payload};
}

Result<ExternalAccountBinding> ParseExternalAccountBinding(const std::string& json_text) {
  SIGNET_ASSIGN_OR_RETURN(ParsedBody parsed, ParseBody(json_text));
  const json& h = parsed.header;
  static const std::set<std::string> kMacs = {"HS256", "HS384", "HS512"};
  if (!h.contains("alg") || !h["alg"].is_string() || kMacs.count(h["alg"]) == 0) {
    return Status::Of(ErrorCode::kBadSignatureAlgorithm,
                      "the external account binding must use HS256, HS384 or HS512");
  }
  if (h.contains("nonce"))
    return Status::Of(ErrorCode::kMalformed, "the binding JWS has no 'nonce'");
  if (!h.contains("kid") || !h["kid"].is_string() || !h.contains("url") || !h["url"].is_string()) {
    return Status::Of(ErrorCode::kMalformed,
                      "the binding JWS needs 'kid' (the EAB key id) and 'url'");
  }
  return ExternalAccountBinding{h["kid"].get<std::string>(), h["url"].get<std::string>()};
}

Status VerifyExternalAccountBinding(const std::string& json_text, const std::string& hmac_key,
                                    const Jwk& account_key) {
  SIGNET_ASSIGN_OR_RETURN(ParsedBody parsed, ParseBody(json_text));
  std::string alg = parsed.header.value("alg", "");
  const EVP_MD* md = alg == "HS512" ? EVP_sha512() : alg == "HS384" ? EVP_sha384() : EVP_sha256();
  std::string input = parsed.protected_b64 + "." + parsed.payload_b64;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(md, hmac_key.data(), static_cast<int>(hmac_key.size()),
            reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len)) {
    return InternalError("HMAC failed");
  }
  if (!ConstantTimeEquals(std::string_view(reinterpret_cast<const char*>(mac), mac_len),
                          parsed.signature)) {
    return Status::Of(ErrorCode::kUnauthorized,
                      "the external account binding's MAC does not verify");
  }
  auto payload = Base64UrlDecode(parsed.payload_b64);
  if (!payload) return Status::Of(ErrorCode::kMalformed, "the binding payload must be base64url");
  auto bound = Jwk::Parse(*payload);
  if (!bound.ok() || bound->Thumbprint() != account_key.Thumbprint()) {
    return Status::Of(ErrorCode::kMalformed,
                      "the external account binding must sign the account's own key");
  }
  return Status::Ok();
}

}  // namespace signet::acme

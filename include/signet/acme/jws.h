// JWS as ACME uses it (RFC 8555 section 6.2, RFC 7515 flattened JSON serialization): parsing a
// request body, checking its protected header, and verifying its signature with ES256, ES384,
// RS256 or EdDSA (Ed25519). Also the account-key JWK and its RFC 7638 thumbprint.
//
// Errors are Status values whose reason is the ACME error type to answer with ("malformed",
// "badSignatureAlgorithm", "badPublicKey", "unauthorized"), so the front end can render the
// RFC's problem document directly.
//
// Thread-safety: Jwk is immutable after parsing; all functions are safe from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "signet/common/status.h"

namespace signet::acme {

// A public key from a JWK (RFC 7517): EC P-256/P-384, RSA (2048 bits or more), or Ed25519.
class Jwk {
 public:
  // From the JSON text of a JWK object. Private members ("d", ...) are refused: a client that
  // sends its private key has made a mistake we should not encourage.
  static Result<Jwk> Parse(const std::string& json);
  // From a PEM or DER SubjectPublicKeyInfo (for tests and revocation by certificate key).
  static Result<Jwk> FromSpkiDer(const std::string& der);

  Jwk(const Jwk&);
  Jwk& operator=(const Jwk&);
  Jwk(Jwk&&) noexcept;
  Jwk& operator=(Jwk&&) noexcept;
  ~Jwk();

  const std::string& kty() const { return kty_; }  // "EC", "RSA" or "OKP"
  // The canonical JSON of the required members (RFC 7638 section 3.2), and its SHA-256 in
  // base64url: the thumbprint, used in key authorizations.
  const std::string& canonical_json() const { return canonical_; }
  std::string Thumbprint() const;
  // The SubjectPublicKeyInfo DER, for storage and comparison.
  std::string SpkiDer() const;
  // Whether `alg` is the algorithm this key signs with (ES256 for P-256, ...).
  bool MatchesAlgorithm(const std::string& alg) const;
  // Verifies a JWS signature (raw R||S for ECDSA, as JWS defines) over `signing_input`.
  bool Verify(const std::string& alg, const std::string& signing_input,
              const std::string& signature) const;

 private:
  struct Key;
  Jwk() = default;
  std::string kty_;
  std::string crv_;
  std::string canonical_;
  std::shared_ptr<Key> key_;
};

// A verified ACME request.
struct JwsRequest {
  std::string alg;
  std::string nonce;
  std::string url;
  std::string kid;         // the account URL, when the request names its account
  std::optional<Jwk> jwk;  // the key, when the request carries it (newAccount, revocation)
  std::string payload;     // decoded; empty for POST-as-GET
  bool post_as_get = false;
};

// Parses and checks a JWS request body: flattened serialization only, a protected header with
// alg, nonce, url and exactly one of jwk or kid. Does NOT verify the signature when the key is
// a kid (the caller looks the account up and calls VerifyWith); does verify it for an embedded
// jwk.
Result<JwsRequest> ParseJwsRequest(const std::string& body);

// Verifies the request's signature with an account key (for kid requests).
Status VerifyWith(const std::string& body, const Jwk& key);

// keyChange's inner JWS (RFC 8555 7.3.5): signed by the new key, carried as 'jwk'; no nonce.
// The signature is verified here.
struct KeyChangeJws {
  std::string url;
  Jwk new_key;
  std::string payload;
};
Result<KeyChangeJws> ParseKeyChangeJws(const std::string& json_text);

// An external account binding (RFC 8555 7.3.4): a JWS with a MAC algorithm (HS256/384/512), a
// 'kid' naming the EAB key and the newAccount 'url', whose payload is the account's JWK.
// VerifyExternalAccountBinding checks the MAC with the key and that the payload is `jwk`.
struct ExternalAccountBinding {
  std::string kid;
  std::string url;
};
Result<ExternalAccountBinding> ParseExternalAccountBinding(const std::string& json_text);
Status VerifyExternalAccountBinding(const std::string& json_text, const std::string& hmac_key,
                                    const Jwk& account_key);

// Base64url without padding, as JOSE uses it; decoding refuses padding and other alphabets.
std::string Base64UrlEncode(const std::string& bytes);
std::optional<std::string> Base64UrlDecode(const std::string& text);

}  // namespace signet::acme

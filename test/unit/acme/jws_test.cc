// JWS parsing and verification against keys and signatures made with OpenSSL, and the RFC 7638
// thumbprint example.
#include "signet/acme/jws.h"

#include <gtest/gtest.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

namespace signet::acme {
namespace {

using nlohmann::json;

struct TestKey {
  EVP_PKEY* pkey = nullptr;
  std::string alg;
  ~TestKey() { EVP_PKEY_free(pkey); }
  Jwk Public() const {
    unsigned char* der = nullptr;
    int n = i2d_PUBKEY(pkey, &der);
    std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    auto jwk = Jwk::FromSpkiDer(spki);
    EXPECT_TRUE(jwk.ok()) << jwk.status().ToString();
    return *jwk;
  }
  std::string Sign(const std::string& input) const {
    const EVP_MD* md = alg == "ES384" ? EVP_sha384() : alg == "EdDSA" ? nullptr : EVP_sha256();
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, md, nullptr, pkey);
    size_t len = 0;
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (alg == "ES256" || alg == "ES384") {
      size_t half = alg == "ES256" ? 32 : 48;
      const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
      ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
      std::string out(2 * half, '\0');
      BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(out.data()),
                   static_cast<int>(half));
      BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(out.data()) + half,
                   static_cast<int>(half));
      ECDSA_SIG_free(es);
      return out;
    }
    return sig;
  }
};

std::unique_ptr<TestKey> MakeKey(const std::string& alg) {
  auto k = std::make_unique<TestKey>();
  k->alg = alg;
  if (alg == "ES256") k->pkey = EVP_EC_gen("P-256");
  if (alg == "ES384") k->pkey = EVP_EC_gen("P-384");
  if (alg == "RS256") k->pkey = EVP_RSA_gen(2048);
  if (alg == "EdDSA") k->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  return k;
}

std::string Jws(const TestKey& key, json header, const std::string& payload,
                bool embed_jwk = true) {
  header["alg"] = key.alg;
  if (embed_jwk && !header.contains("kid")) {
    header["jwk"] = json::parse(key.Public().canonical_json());
  }
  std::string p = Base64UrlEncode(header.dump());
  std::string body = payload.empty() ? "" : Base64UrlEncode(payload);
  std::string sig = key.Sign(p + "." + body);
  return json{{"protected", p}, {"payload", body}, {"signature", Base64UrlEncode(sig)}}.dump();
}

const json kHeader = {{"nonce", "n1"}, {"url", "https://ca/acme/new-account"}};

class AlgorithmTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AlgorithmTest, SignedWithAnEmbeddedKeyVerifies) {
  auto key = MakeKey(GetParam());
  auto req = ParseJwsRequest(Jws(*key, kHeader, R"({"termsOfServiceAgreed":true})"));
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->alg, GetParam());
  EXPECT_EQ(req->nonce, "n1");
  EXPECT_EQ(req->url, "https://ca/acme/new-account");
  EXPECT_EQ(req->payload, R"({"termsOfServiceAgreed":true})");
  ASSERT_TRUE(req->jwk.has_value());
  EXPECT_EQ(req->jwk->Thumbprint(), key->Public().Thumbprint());
  EXPECT_EQ(req->jwk->SpkiDer(), key->Public().SpkiDer());
}

TEST_P(AlgorithmTest, KidRequestsVerifyWithTheAccountKey) {
  auto key = MakeKey(GetParam());
  auto other = MakeKey(GetParam());
  json header = kHeader;
  header["kid"] = "https://ca/acme/acct/1";
  std::string body = Jws(*key, header, "", false);
  auto req = ParseJwsRequest(body);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_TRUE(req->post_as_get);
  EXPECT_EQ(req->kid, "https://ca/acme/acct/1");
  EXPECT_TRUE(VerifyWith(body, key->Public()).ok());
  Status wrong = VerifyWith(body, other->Public());
  EXPECT_EQ(wrong.reason(), "unauthorized");
}

TEST_P(AlgorithmTest, TamperingBreaksTheSignature) {
  auto key = MakeKey(GetParam());
  auto body = json::parse(Jws(*key, kHeader, R"({"a":1})"));
  body["payload"] = Base64UrlEncode(R"({"a":2})");
  auto req = ParseJwsRequest(body.dump());
  ASSERT_FALSE(req.ok());
  EXPECT_EQ(req.status().reason(), "malformed");
}

INSTANTIATE_TEST_SUITE_P(Algorithms, AlgorithmTest,
                         ::testing::Values("ES256", "ES384", "RS256", "EdDSA"));

TEST(JwsTest, RefusesBadHeaders) {
  auto key = MakeKey("ES256");
  auto reason = [&](json header, const std::string& payload = "{}") {
    auto r = ParseJwsRequest(Jws(*key, header, payload));
    EXPECT_FALSE(r.ok()) << header.dump();
    return r.ok() ? "" : r.status().reason();
  };
  EXPECT_EQ(reason({{"url", "u"}}), "bad_nonce");
  EXPECT_EQ(reason({{"nonce", "n"}}), "malformed");
  json both = kHeader;
  both["kid"] = "https://ca/acme/acct/1";
  both["jwk"] = json::parse(key->Public().canonical_json());
  EXPECT_EQ(reason(both), "malformed");
  json crit = kHeader;
  crit["crit"] = json::array({"exp"});
  EXPECT_EQ(reason(crit), "malformed");

  // alg "none" and HMAC are refused before anything else.
  json none = {{"alg", "none"}, {"nonce", "n"}, {"url", "u"}};
  std::string body = json{{"protected", Base64UrlEncode(none.dump())},
                          {"payload", Base64UrlEncode("{}")},
                          {"signature", Base64UrlEncode("x")}}
                         .dump();
  EXPECT_EQ(ParseJwsRequest(body).status().reason(), "bad_signature_algorithm");

  // An ES384 header with a P-256 key.
  auto p256 = MakeKey("ES256");
  json header = kHeader;
  header["alg"] = "ES384";
  header["jwk"] = json::parse(p256->Public().canonical_json());
  std::string p = Base64UrlEncode(header.dump());
  std::string mismatch =
      json{{"protected", p}, {"payload", ""}, {"signature", Base64UrlEncode(std::string(96, 'x'))}}
          .dump();
  EXPECT_EQ(ParseJwsRequest(mismatch).status().reason(), "bad_signature_algorithm");
}

TEST(JwsTest, RefusesMalformedBodies) {
  for (const std::string body :
       {"", "[]", "not json", R"({"protected":"e30","payload":"","signature":"AA","header":{}})",
        R"({"protected":"e30=","payload":"","signature":"AA"})",
        R"({"protected":1,"payload":"","signature":"AA"})"}) {
    auto r = ParseJwsRequest(body);
    EXPECT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().reason(), "malformed") << body;
  }
}

TEST(JwsTest, DeeplyNestedJsonIsRefusedBeforeItIsParsed) {
  // A jwk of 200000 nested arrays: dump()ing it again for Jwk::Parse overflowed the stack.
  std::string deep = std::string(200000, '[') + std::string(200000, ']');
  std::string header = R"({"alg":"ES256","nonce":"n","url":"u","jwk":)" + deep + "}";
  std::string body = json{{"protected", Base64UrlEncode(header)},
                          {"payload", ""},
                          {"signature", Base64UrlEncode(std::string(64, 'x'))}}
                         .dump();
  auto r = ParseJwsRequest(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "malformed");
  // The same depth in the body itself.
  EXPECT_EQ(ParseJwsRequest(R"({"protected":)" + deep + "}").status().reason(), "malformed");
  EXPECT_FALSE(Jwk::Parse(deep).ok());
}

TEST(JwkTest, Rfc7638Thumbprint) {
  auto jwk = Jwk::Parse(
      R"({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"})");
  ASSERT_TRUE(jwk.ok()) << jwk.status().ToString();
  EXPECT_EQ(jwk->Thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(JwkTest, RefusesBadKeys) {
  EXPECT_EQ(Jwk::Parse(R"({"kty":"oct","k":"AAAA"})").status().reason(), "bad_public_key");
  EXPECT_EQ(Jwk::Parse(R"({"kty":"EC","crv":"P-521","x":"AA","y":"AA"})").status().reason(),
            "bad_public_key");
  // A point that is not on the curve.
  std::string zeros = Base64UrlEncode(std::string(32, '\x01'));
  EXPECT_EQ(
      Jwk::Parse(R"({"kty":"EC","crv":"P-256","x":")" + zeros + R"(","y":")" + zeros + R"("})")
          .status()
          .reason(),
      "bad_public_key");
  auto small = MakeKey("RS256");
  EVP_PKEY_free(small->pkey);
  small->pkey = EVP_RSA_gen(1024);
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(small->pkey, &der);
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  EXPECT_EQ(Jwk::FromSpkiDer(spki).status().reason(), "bad_public_key");
  auto ec = MakeKey("ES256");
  json with_private = json::parse(ec->Public().canonical_json());
  with_private["d"] = "AAAA";
  EXPECT_EQ(Jwk::Parse(with_private.dump()).status().reason(), "bad_public_key");
}

}  // namespace
}  // namespace signet::acme

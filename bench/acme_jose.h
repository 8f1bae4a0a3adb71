// The client side of ACME's JOSE for signet-bench acme: base64url, the ES256 account key with its
// JWK and RFC 7638 thumbprint, CSRs, and a check that a PEM chain parses. OpenSSL only, so the
// tool works against any ACME server. Private to bench/acme_bench.cc.
//
// Thread-safety: AccountKey is used by one worker; the functions are pure.
#pragma once

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace acme_bench {

using json = nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Encoding and keys

inline std::string Base64Url(const unsigned char* data, size_t size) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < size; i += 3) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == size) {
    uint32_t v = uint32_t{data[i]} << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == size) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

inline std::string Base64Url(const std::string& s) {
  return Base64Url(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

inline Pkey NewP256Key() { return Pkey(EVP_EC_gen("P-256")); }

// The account key: the JWK (members in RFC 7638 order, so its dump is the thumbprint input),
// the thumbprint, and ES256 signatures as R||S.
class AccountKey {
 public:
  AccountKey() : key_(NewP256Key()) {
    std::string x = Coordinate(OSSL_PKEY_PARAM_EC_PUB_X), y = Coordinate(OSSL_PKEY_PARAM_EC_PUB_Y);
    jwk_ = json{{"crv", "P-256"}, {"kty", "EC"}, {"x", x}, {"y", y}};
    std::string canonical = jwk_.dump();  // nlohmann sorts keys: crv, kty, x, y; no spaces
    unsigned char digest[32];
    SHA256Of(canonical, digest);
    thumbprint_ = Base64Url(digest, sizeof digest);
  }

  const json& jwk() const { return jwk_; }
  const std::string& thumbprint() const { return thumbprint_; }

  std::string SignEs256(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t der_len = 0;
    std::string der;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
        EVP_DigestSign(ctx, nullptr, &der_len, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) == 1) {
      der.resize(der_len);
      if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &der_len,
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
        der_len = 0;
      der.resize(der_len);
    }
    EVP_MD_CTX_free(ctx);
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    if (sig == nullptr) return "";
    unsigned char rs[64];
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), rs, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), rs + 32, 32);
    ECDSA_SIG_free(sig);
    return Base64Url(rs, sizeof rs);
  }

 private:
  static void SHA256Of(const std::string& s, unsigned char out[32]) {
    unsigned int n = 32;
    EVP_Digest(s.data(), s.size(), out, &n, EVP_sha256(), nullptr);
  }
  std::string Coordinate(const char* param) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), param, &bn);
    unsigned char buf[32];
    BN_bn2binpad(bn, buf, 32);
    BN_free(bn);
    return Base64Url(buf, sizeof buf);
  }

  Pkey key_;
  json jwk_;
  std::string thumbprint_;
};

// A PKCS#10 request for one DNS name (subject CN and subjectAltName), DER, base64url.
inline std::string CsrFor(const std::string& name, EVP_PKEY* key) {
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_version(req, 0);
  X509_NAME* subject = X509_NAME_new();
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509_REQ_set_subject_name(req, subject);
  X509_NAME_free(subject);
  GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
  GENERAL_NAME* dns = GENERAL_NAME_new();
  ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
  ASN1_STRING_set(ia5, name.data(), static_cast<int>(name.size()));
  GENERAL_NAME_set0_value(dns, GEN_DNS, ia5);
  sk_GENERAL_NAME_push(names, dns);
  STACK_OF(X509_EXTENSION)* extensions = sk_X509_EXTENSION_new_null();
  sk_X509_EXTENSION_push(extensions, X509V3_EXT_i2d(NID_subject_alt_name, 0, names));
  X509_REQ_add_extensions(req, extensions);
  sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
  GENERAL_NAMES_free(names);
  X509_REQ_set_pubkey(req, key);
  std::string out;
  if (X509_REQ_sign(req, key, EVP_sha256()) > 0) {
    unsigned char* der = nullptr;
    int n = i2d_X509_REQ(req, &der);
    if (n > 0) out = Base64Url(der, static_cast<size_t>(n));
    OPENSSL_free(der);
  }
  X509_REQ_free(req);
  return out;
}

// True when `pem` holds at least one certificate, and every PEM block in it parses.
inline bool IsPemCertificateChain(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  int count = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++count;
  }
  BIO_free(bio);
  ERR_clear_error();
  return count > 0 && count == [&] {
    int blocks = 0;
    for (size_t p = pem.find("-----BEGIN CERTIFICATE-----"); p != std::string::npos;
         p = pem.find("-----BEGIN CERTIFICATE-----", p + 1))
      ++blocks;
    return blocks;
  }();
}

}  // namespace acme_bench

#include "signet/ca/csr.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "ca/decoded_keys.h"
#include "ca/openssl_handles.h"
#include "signet/common/crypto.h"
#include "signet/common/encoding.h"

namespace signet::ca {

namespace {

Status BadCsr(const std::string& reason, const std::string& message) {
  return Status::Error(ErrorCode::kBadCsr, reason, message);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

constexpr unsigned kSmallPrimes[] = {
    3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,  47,  53,  59,  61,  67,  71,
    73,  79,  83,  89,  97,  101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271,
    277, 281, 283, 293, 307, 311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389,
    397, 401, 409, 419, 421, 431, 433, 439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503,
    509, 521, 523, 541, 547, 557, 563, 569, 571, 577, 587, 593, 599, 601, 607, 613, 617, 619, 631,
    641, 643, 647, 653, 659, 661, 673, 677, 683, 691, 701, 709, 719, 727, 733, 739, 743, 751};

Result<std::string> CheckRsa(const EVP_PKEY* key) {
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n);
  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e);
  BignumPtr n_owner(n), e_owner(e);
  if (!n || !e) return BadCsr("unsupported_key", "the RSA key cannot be read");
  int bits = BN_num_bits(n);
  if (bits < 2048) {
    return BadCsr("weak_key", "the RSA key has " + std::to_string(bits) +
                                  " bits; use at least 2048 (BR 6.1.5)");
  }
  if (bits % 8 != 0) {
    return BadCsr("weak_key", "the RSA modulus size must be divisible by 8 (BR 6.1.5)");
  }
  if (bits > 8192)
    return BadCsr("unsupported_key", "RSA keys larger than 8192 bits are not supported");
  if (!BN_is_odd(e) || BN_num_bits(e) < 17 || BN_num_bits(e) > 256) {
    return BadCsr("weak_key",
                  "the RSA public exponent must be odd and between 2^16+1 and 2^256-1 (BR 6.1.6); "
                  "use 65537");
  }
  for (unsigned p : kSmallPrimes) {
    if (BN_mod_word(n, p) == 0) {
      return BadCsr("weak_key", "the RSA modulus has a small factor (BR 6.1.6): the key is broken");
    }
  }
  if (!BN_is_odd(n)) return BadCsr("weak_key", "the RSA modulus is even: the key is broken");
  return "rsa-" + std::to_string(bits);
}

Result<std::string> CheckEc(EVP_PKEY* key) {
  char curve[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve, &len) !=
      1) {
    return BadCsr("unsupported_key", "the EC key has no named curve; use P-256 or P-384");
  }
  std::string name(curve, len);
  std::string algorithm;
  if (name == "prime256v1" || name == "P-256")
    algorithm = "ecdsa-p256";
  else if (name == "secp384r1" || name == "P-384")
    algorithm = "ecdsa-p384";
  else if (name == "secp521r1" || name == "P-521")
    algorithm = "ecdsa-p521";
  else {
    return BadCsr("unsupported_key",
                  "the EC curve " + name + " is not allowed; use P-256, P-384 or P-521 (BR 6.1.5)");
  }
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), &EVP_PKEY_CTX_free);
  // BR 6.1.6 allows the partial validation routine: on the curve and not the point at infinity
  // (the curves allowed have cofactor 1). The full one adds a scalar multiplication per check.
  if (!ctx || EVP_PKEY_public_check_quick(ctx.get()) != 1) {
    ERR_clear_error();
    return BadCsr("weak_key", "the EC public key is not a valid point on its curve");
  }
  return algorithm;
}

}  // namespace

namespace {

// The checks on a key already decoded from `spki_der`.
Result<SubscriberKey> CheckDecodedKey(EVP_PKEY* key, const std::vector<uint8_t>& spki_der) {
  SubscriberKey out;
  out.spki_der = spki_der;
  if (EVP_PKEY_is_a(key, "RSA")) {
    SIGNET_ASSIGN_OR_RETURN(out.algorithm, CheckRsa(key));
    out.is_rsa = true;
  } else if (EVP_PKEY_is_a(key, "EC")) {
    SIGNET_ASSIGN_OR_RETURN(out.algorithm, CheckEc(key));
  } else {
    return BadCsr("unsupported_key", "only RSA and ECDSA keys are accepted (BR 6.1.5)");
  }
  out.spki_sha256_hex = HexEncode(Sha256(spki_der));
  return out;
}

}  // namespace

Result<SubscriberKey> CheckSubscriberKey(const std::vector<uint8_t>& spki_der) {
  const unsigned char* p = spki_der.data();
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!key) {
    ERR_clear_error();
    return BadCsr("unsupported_key", "the public key cannot be parsed");
  }
  return CheckDecodedKey(key.get(), spki_der);
}

Result<SubscriberKey> CheckSubscriberKey(EVP_PKEY* key, const std::vector<uint8_t>& spki_der) {
  return CheckDecodedKey(key, spki_der);
}

Result<ParsedCsr> ParseCsr(const std::string& input) {
  if (input.empty() || input.size() > 64 * 1024) {
    return BadCsr("csr_unparseable", "the CSR is empty or larger than 64 KiB");
  }
  X509ReqPtr req;
  if (input.find("-----BEGIN") != std::string::npos) {
    BioPtr bio(BIO_new_mem_buf(input.data(), static_cast<int>(input.size())));
    req.reset(PEM_read_bio_X509_REQ(bio.get(), nullptr, pem::PasswordCallback, nullptr));
  } else {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(input.data());
    req.reset(d2i_X509_REQ(nullptr, &p, static_cast<long>(input.size())));
  }
  if (!req) {
    ERR_clear_error();
    return BadCsr("csr_unparseable",
                  "this is not a certificate signing request: paste the PEM block from "
                  "-----BEGIN CERTIFICATE REQUEST----- to -----END CERTIFICATE REQUEST-----");
  }
  EVP_PKEY* key = X509_REQ_get0_pubkey(req.get());
  if (!key) return BadCsr("csr_unparseable", "the CSR has no public key");
  if (X509_REQ_verify(req.get(), key) != 1) {
    ERR_clear_error();
    return BadCsr("csr_bad_signature",
                  "the CSR's signature does not verify: it was altered or signed with another key");
  }
  // The SPKI as the CSR carries it (no re-encoding through OpenSSL's encoders), and the key
  // already decoded with the request: decoding and encoding keys are OpenSSL 3's slow paths.
  unsigned char* der = nullptr;
  int len = i2d_X509_PUBKEY(X509_REQ_get_X509_PUBKEY(req.get()), &der);
  if (len <= 0) return BadCsr("csr_unparseable", "the CSR's public key cannot be encoded");
  std::vector<uint8_t> spki(der, der + len);
  OPENSSL_free(der);
  ParsedCsr out;
  SIGNET_ASSIGN_OR_RETURN(out.key, CheckDecodedKey(key, spki));
  RememberDecodedKey(spki, key);

  X509_NAME* subject = X509_REQ_get_subject_name(req.get());
  int idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (idx >= 0) {
    ASN1_STRING* cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, cn);
    if (n >= 0)
      out.common_name = Lower(std::string(reinterpret_cast<char*>(utf8), static_cast<size_t>(n)));
    OPENSSL_free(utf8);
  }
  STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(req.get());
  if (exts) {
    auto* names =
        static_cast<GENERAL_NAMES*>(X509V3_get_d2i(exts, NID_subject_alt_name, nullptr, nullptr));
    if (names) {
      for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type == GEN_DNS) {
          const ASN1_STRING* s = gn->d.dNSName;
          out.dns_names.push_back(
              Lower(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                static_cast<size_t>(ASN1_STRING_length(s)))));
        }
      }
      GENERAL_NAMES_free(names);
    }
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  }
  return out;
}

Status CheckCsrNames(const ParsedCsr& csr, const std::vector<std::string>& order_names) {
  auto in_order = [&](const std::string& name) {
    return std::find(order_names.begin(), order_names.end(), name) != order_names.end();
  };
  if (csr.common_name.empty() && csr.dns_names.empty()) {
    return BadCsr("csr_name_mismatch",
                  "the CSR names no domain: set its CN to one of the order's domains");
  }
  if (!csr.common_name.empty() && !in_order(csr.common_name)) {
    return BadCsr("csr_name_mismatch", "the CSR's common name " + csr.common_name +
                                           " is not one of the order's domains");
  }
  for (const std::string& name : csr.dns_names) {
    if (!in_order(name)) {
      return BadCsr("csr_name_mismatch",
                    "the CSR asks for " + name + ", which is not one of the order's domains");
    }
  }
  return Status::Ok();
}

}  // namespace signet::ca

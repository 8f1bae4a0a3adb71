#include "signer/evp_key_signer.h"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

namespace signet::signer {

namespace {
// BR 7.1.3.2 pairs P-384 with SHA-384 and P-256/RSA with SHA-256.
const EVP_MD* DigestFor(KeyAlgorithm a) {
  return a == KeyAlgorithm::kEcdsaP384 ? EVP_sha384() : EVP_sha256();
}
}  // namespace

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

Result<KeyAlgorithm> AlgorithmOf(const EVP_PKEY* key) {
  int bits = EVP_PKEY_get_bits(key);
  if (EVP_PKEY_is_a(key, "EC")) {
    if (bits == 256) return KeyAlgorithm::kEcdsaP256;
    if (bits == 384) return KeyAlgorithm::kEcdsaP384;
  } else if (EVP_PKEY_is_a(key, "RSA")) {
    if (bits == 2048) return KeyAlgorithm::kRsa2048;
    if (bits == 3072) return KeyAlgorithm::kRsa3072;
    if (bits == 4096) return KeyAlgorithm::kRsa4096;
  }
  return MalformedError("the CA key must be ECDSA P-256/P-384 or RSA 2048/3072/4096",
                        "unsupported_key");
}

Status EvpKeySigner::SignCertificate(X509* certificate) {
  if (X509_sign(certificate, key_.get(), DigestFor(algorithm_)) <= 0) {
    return InternalError("signing a certificate failed: " + OpenSslError());
  }
  return Status::Ok();
}

Status EvpKeySigner::SignCrl(X509_CRL* crl) {
  if (X509_CRL_sign(crl, key_.get(), DigestFor(algorithm_)) <= 0) {
    return InternalError("signing a CRL failed: " + OpenSslError());
  }
  return Status::Ok();
}

Status EvpKeySigner::SignOcspResponse(OCSP_BASICRESP* response, X509* responder_certificate) {
  // RESPID_KEY: identify the responder by key hash (smaller responses, RFC 6960 4.2.1).
  if (OCSP_basic_sign(response, responder_certificate, key_.get(), DigestFor(algorithm_), nullptr,
                      OCSP_NOCERTS | OCSP_RESPID_KEY) <= 0) {
    return InternalError("signing an OCSP response failed: " + OpenSslError());
  }
  return Status::Ok();
}

}  // namespace signet::signer

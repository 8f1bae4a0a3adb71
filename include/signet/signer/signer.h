// Signer: the only holder of a CA private key. Everything that needs a CA signature (certificates,
// CRLs, OCSP responses) hands the structure to a Signer, which signs it in place; no other code
// ever sees the private key. Implementations: an encrypted key file (here) and PKCS#11.
//
// Thread-safety: Sign* may be called concurrently (OpenSSL signing with one EVP_PKEY is safe).
#pragma once

#include <openssl/types.h>

// From <openssl/ocsp.h>, declared here to keep that header out of every includer.
typedef struct ocsp_basic_response_st OCSP_BASICRESP;

#include <memory>
#include <string>

#include "signet/common/random.h"
#include "signet/common/status.h"

namespace signet::signer {

enum class KeyAlgorithm { kEcdsaP256, kEcdsaP384, kRsa2048, kRsa3072, kRsa4096 };
const char* KeyAlgorithmName(KeyAlgorithm algorithm);  // "ecdsa-p256", "rsa-3072", ...
Result<KeyAlgorithm> ParseKeyAlgorithm(const std::string& name);

class Signer {
 public:
  virtual ~Signer() = default;
  virtual KeyAlgorithm algorithm() const = 0;
  // The public half only; owned by the signer, valid for its lifetime.
  virtual const EVP_PKEY* public_key() const = 0;
  // Signs with SHA-256 (P-256, RSA) or SHA-384 (P-384), as BR 7.1.3.2 pairs them.
  virtual Status SignCertificate(X509* certificate) = 0;
  virtual Status SignCrl(X509_CRL* crl) = 0;
  virtual Status SignOcspResponse(OCSP_BASICRESP* response, X509* responder_certificate) = 0;
};

// Generates a key and writes it as encrypted PKCS#8 (PBES2: AES-256-CBC, PBKDF2) to `path`
// with mode 0600. Fails if the file exists: a CA key is never overwritten.
Result<std::unique_ptr<Signer>> CreateKeyFileSigner(const std::string& path,
                                                    const std::string& passphrase,
                                                    KeyAlgorithm algorithm);
// A private key in a PKCS#11 token (an HSM, or SoftHSM2 in tests).
struct Pkcs11KeyReference {
  std::string module_path;  // e.g. /usr/lib/softhsm/libsofthsm2.so; empty: p11-kit's default
  std::string uri;          // RFC 7512, e.g. "pkcs11:token=signet;object=issuer-1;type=private"
  std::string pin;          // the user PIN; never logged
};

// Opens the key through OpenSSL's pkcs11 engine; signing then happens inside the token.
Result<std::unique_ptr<Signer>> LoadPkcs11Signer(const Pkcs11KeyReference& reference);

// Loads an encrypted key file; a wrong passphrase is an error that says so.
Result<std::unique_ptr<Signer>> LoadKeyFileSigner(const std::string& path,
                                                  const std::string& passphrase);

}  // namespace signet::signer

// EvpKeySigner: a Signer over an OpenSSL EVP_PKEY holding the private key, whether it came from an
// encrypted file or from a PKCS#11 token through the pkcs11 engine (then `owner` keeps the engine
// alive). Private to the signer module.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "signet/signer/signer.h"

namespace signet::signer {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The key's algorithm, if it is one a CA may use.
Result<KeyAlgorithm> AlgorithmOf(const EVP_PKEY* key);
std::string OpenSslError();

class EvpKeySigner final : public Signer {
 public:
  EvpKeySigner(PkeyPtr key, KeyAlgorithm algorithm, std::shared_ptr<void> owner = nullptr)
      : key_(std::move(key)), algorithm_(algorithm), owner_(std::move(owner)) {}
  ~EvpKeySigner() override { key_.reset(); }  // before the owner (the engine) goes

  KeyAlgorithm algorithm() const override { return algorithm_; }
  const EVP_PKEY* public_key() const override { return key_.get(); }
  Status SignCertificate(X509* certificate) override;
  Status SignCrl(X509_CRL* crl) override;
  Status SignOcspResponse(OCSP_BASICRESP* response, X509* responder_certificate) override;

 private:
  PkeyPtr key_;
  KeyAlgorithm algorithm_;
  std::shared_ptr<void> owner_;
};

}  // namespace signet::signer

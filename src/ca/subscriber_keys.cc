#include "signet/ca/subscriber_keys.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ca/openssl_handles.h"
#include "signet/common/encoding.h"

namespace signet::ca {

Result<GeneratedKey> GenerateSubscriberKey(const std::string& algorithm) {
  PkeyPtr key;
  if (algorithm == "ecdsa-p256")
    key.reset(EVP_EC_gen("P-256"));
  else if (algorithm == "ecdsa-p384")
    key.reset(EVP_EC_gen("P-384"));
  else if (algorithm == "rsa-2048")
    key.reset(EVP_RSA_gen(2048));
  else if (algorithm == "rsa-3072")
    key.reset(EVP_RSA_gen(3072));
  else if (algorithm == "rsa-4096")
    key.reset(EVP_RSA_gen(4096));
  else {
    return MalformedError(
        "algorithm must be one of ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, "
        "rsa-4096; got '" +
            algorithm + "'",
        "invalid_algorithm");
  }
  if (!key) return InternalError("key generation failed");
  GeneratedKey out;
  out.algorithm = algorithm;
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  out.private_key_pem = BioToString(bio.get());
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key.get(), &der);
  out.spki_der.assign(der, der + n);
  OPENSSL_free(der);
  return out;
}

Result<std::vector<uint8_t>> PublicKeyOfPrivateKeyPem(const std::string& pem) {
  auto read = pem::ReadPrivateKey(pem);
  if (!read.ok()) return InternalError("the stored private key is unreadable");
  PkeyPtr key = std::move(read).value();
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key.get(), &der);
  if (n <= 0) return InternalError("the stored private key has no public key");
  std::vector<uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

Result<std::string> ProtectPrivateKeyPem(const std::string& pem, const std::string& password) {
  if (password.empty()) return pem;
  auto read = pem::ReadPrivateKey(pem);
  if (!read.ok()) return InternalError("the stored private key is unreadable");
  PkeyPtr key = std::move(read).value();
  BioPtr out(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(), password.data(),
                                    static_cast<int>(password.size()), nullptr, nullptr) != 1) {
    return InternalError("encrypting the private key failed");
  }
  return BioToString(out.get());
}

}  // namespace signet::ca

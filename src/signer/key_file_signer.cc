#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "signer/evp_key_signer.h"
#include "signet/common/pem_input.h"
#include "signet/signer/signer.h"

namespace signet::signer {

namespace {

PkeyPtr Generate(KeyAlgorithm a) {
  switch (a) {
    case KeyAlgorithm::kEcdsaP256:
      return PkeyPtr(EVP_EC_gen("P-256"));
    case KeyAlgorithm::kEcdsaP384:
      return PkeyPtr(EVP_EC_gen("P-384"));
    case KeyAlgorithm::kRsa2048:
      return PkeyPtr(EVP_RSA_gen(2048));
    case KeyAlgorithm::kRsa3072:
      return PkeyPtr(EVP_RSA_gen(3072));
    case KeyAlgorithm::kRsa4096:
      return PkeyPtr(EVP_RSA_gen(4096));
  }
  return nullptr;
}

}  // namespace

const char* KeyAlgorithmName(KeyAlgorithm a) {
  switch (a) {
    case KeyAlgorithm::kEcdsaP256:
      return "ecdsa-p256";
    case KeyAlgorithm::kEcdsaP384:
      return "ecdsa-p384";
    case KeyAlgorithm::kRsa2048:
      return "rsa-2048";
    case KeyAlgorithm::kRsa3072:
      return "rsa-3072";
    case KeyAlgorithm::kRsa4096:
      return "rsa-4096";
  }
  return "unknown";
}

Result<KeyAlgorithm> ParseKeyAlgorithm(const std::string& name) {
  for (KeyAlgorithm a : {KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kEcdsaP384, KeyAlgorithm::kRsa2048,
                         KeyAlgorithm::kRsa3072, KeyAlgorithm::kRsa4096}) {
    if (name == KeyAlgorithmName(a)) return a;
  }
  return MalformedError(
      "algorithm must be one of ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, "
      "rsa-4096; got '" +
          name + "'",
      "invalid_algorithm");
}

Result<std::unique_ptr<Signer>> CreateKeyFileSigner(const std::string& path,
                                                    const std::string& passphrase,
                                                    KeyAlgorithm algorithm) {
  if (passphrase.size() < 16) {
    return MalformedError("a CA key passphrase must have at least 16 characters",
                          "weak_passphrase");
  }
  if (std::filesystem::exists(path)) {
    return ConflictError("refusing to overwrite the existing CA key " + path, "already_exists");
  }
  PkeyPtr key = Generate(algorithm);
  if (!key) return InternalError("CA key generation failed: " + OpenSslError());
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return UnavailableError("cannot write " + tmp);
  chmod(tmp.c_str(), 0600);
  bool ok = PEM_write_PKCS8PrivateKey(f, key.get(), EVP_aes_256_cbc(), passphrase.data(),
                                      static_cast<int>(passphrase.size()), nullptr, nullptr) == 1;
  ok = std::fflush(f) == 0 && ok;
  ok = fsync(fileno(f)) == 0 && ok;
  std::fclose(f);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return UnavailableError("cannot write the CA key to " + path);
  }
  return std::unique_ptr<Signer>(std::make_unique<EvpKeySigner>(std::move(key), algorithm));
}

Result<std::unique_ptr<Signer>> LoadKeyFileSigner(const std::string& path,
                                                  const std::string& passphrase) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return NotFoundError("cannot open the CA key file " + path);
  pem::PasswordSource source{passphrase};
  PkeyPtr key(PEM_read_PrivateKey(f, nullptr, pem::PasswordCallback, &source));
  std::fclose(f);
  if (!key) {
    ERR_clear_error();
    return Status::Error(
        ErrorCode::kUnauthorized, "wrong_passphrase",
        "cannot decrypt the CA key " + path + ": wrong passphrase, or not a PEM private key");
  }
  SIGNET_ASSIGN_OR_RETURN(KeyAlgorithm algorithm, AlgorithmOf(key.get()));
  return std::unique_ptr<Signer>(std::make_unique<EvpKeySigner>(std::move(key), algorithm));
}

}  // namespace signet::signer

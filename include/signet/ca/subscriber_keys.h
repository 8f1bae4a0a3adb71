// Subscriber keys generated online, and the vault that keeps them encrypted at rest.
//
// GenerateSubscriberKey makes RSA 2048/3072/4096 or ECDSA P-256/P-384 keys. KeyVault seals them
// with the service master key (AES-256-GCM, a fresh 96-bit nonce per seal, the owner's ids as
// associated data so a sealed key cannot be moved to another record). Only the owner's download
// unseals one, optionally re-encrypting it under the user's password.
//
// Thread-safety: KeyVault is immutable after Open; Seal/Unseal may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "signet/common/random.h"
#include "signet/common/status.h"

namespace signet::ca {

struct GeneratedKey {
  std::string private_key_pem;  // PKCS#8, unencrypted: keep in memory only, seal before storing
  std::vector<uint8_t> spki_der;
  std::string algorithm;
};

// algorithm: "ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072" or "rsa-4096".
Result<GeneratedKey> GenerateSubscriberKey(const std::string& algorithm);

// The SubjectPublicKeyInfo (DER) of a PEM private key.
Result<std::vector<uint8_t>> PublicKeyOfPrivateKeyPem(const std::string& private_key_pem);

// The key as PKCS#8 encrypted under `password` (PBES2, AES-256-CBC, PBKDF2), or unchanged when
// the password is empty.
Result<std::string> ProtectPrivateKeyPem(const std::string& private_key_pem,
                                         const std::string& password);

class KeyVault {
 public:
  // Loads the 32-byte master key from `path`, creating it (mode 0600) on first use.
  static Result<KeyVault> OpenOrCreate(const std::string& path, Random& random);
  static KeyVault FromKey(std::vector<uint8_t> key, Random& random);

  // "v1." + base64url(nonce | ciphertext | tag).
  std::string Seal(const std::string& plaintext, const std::string& associated_data) const;
  // Fails when the text was altered, sealed under another master key, or for other data.
  Result<std::string> Unseal(const std::string& sealed, const std::string& associated_data) const;

 private:
  KeyVault(std::vector<uint8_t> key, Random& random) : key_(std::move(key)), random_(&random) {}
  std::vector<uint8_t> key_;
  Random* random_;
};

}  // namespace signet::ca

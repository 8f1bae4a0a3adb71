// KeyVault: seals the secrets Signet stores (generated private keys, key passwords, TSIG
// secrets, webhook signing secrets, EAB HMAC keys) with the service master key.
//
// AES-256-GCM with a fresh 96-bit nonce per seal; the owner's ids are the associated data, so a
// sealed value cannot be moved to another record. The master key is `master_key_file` (32 random
// bytes, base64, mode 0600), the same file on every node.
//
// Thread-safety: immutable after OpenOrCreate; Seal/Unseal may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "signet/common/random.h"
#include "signet/common/status.h"

namespace signet {

class KeyVault {
 public:
  // Loads the 32-byte master key from `path`, creating it (mode 0600) on first use.
  static Result<KeyVault> OpenOrCreate(const std::string& path, Random& random);
  static KeyVault FromKey(std::vector<uint8_t> key, Random& random);

  // "v1." + base64url(nonce | ciphertext | tag).
  std::string Seal(const std::string& plaintext, const std::string& associated_data) const;
  // Whether `text` has the shape Seal gives (older rows may hold plaintext).
  static bool IsSealed(const std::string& text);
  // Fails when the text was altered, sealed under another master key, or for other data.
  Result<std::string> Unseal(const std::string& sealed, const std::string& associated_data) const;

 private:
  KeyVault(std::vector<uint8_t> key, Random& random) : key_(std::move(key)), random_(&random) {}
  std::vector<uint8_t> key_;
  Random* random_;
};

}  // namespace signet

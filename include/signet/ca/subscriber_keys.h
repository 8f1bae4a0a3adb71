// Subscriber keys generated online. GenerateSubscriberKey makes RSA 2048/3072/4096 or ECDSA
// P-256/P-384 keys; they are sealed with the master key (signet/common/key_vault.h) before they
// are stored, and only the owner's download unseals one, optionally re-encrypting it under the
// user's password.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "signet/common/key_vault.h"
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

// The vault moved to common (every sealed secret uses it); the old name stays for callers.
using KeyVault = signet::KeyVault;

}  // namespace signet::ca

// Subscriber public keys decoded lately, by their SubjectPublicKeyInfo bytes. Private to ca.
//
// An ACME finalize parses the CSR (which decodes its key) and then asks the CA to issue for the
// same key bytes, which decoded them again; decoding through OpenSSL 3's provider decoders is
// the slowest step of an issuance. The parser remembers the keys it decoded; the CA looks here
// first. The map is keyed by the exact bytes the key was decoded from, so a hit is the very key
// those bytes hold.
//
// Thread-safety: thread-safe. The keys are shared read-only (OpenSSL 3 allows concurrent use
// of an EVP_PKEY that nobody modifies).
#pragma once

#include <cstdint>
#include <vector>

#include "ca/openssl_handles.h"

namespace signet::ca {

// Remembers `key`, decoded from `spki_der` (a reference is taken). Only the last few are kept.
void RememberDecodedKey(const std::vector<uint8_t>& spki_der, EVP_PKEY* key);
// The key decoded from exactly `spki_der`, if remembered; nullptr otherwise.
PkeyPtr RecallDecodedKey(const std::vector<uint8_t>& spki_der);

}  // namespace signet::ca

// Certificate signing requests and subscriber public keys: parsing, the signature check, the key
// rules of BR 6.1.5/6.1.6, and the match between a CSR's names and an order's names.
// Every refusal is a Status with ErrorCode::kBadCsr and a reason naming what is wrong:
//   csr_unparseable, csr_bad_signature, weak_key, unsupported_key, csr_name_mismatch.
//
// Thread-safety: pure functions.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "signet/common/status.h"

namespace signet::ca {

struct SubscriberKey {
  std::vector<uint8_t> spki_der;  // SubjectPublicKeyInfo, DER
  std::string algorithm;          // "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", ...
  bool is_rsa = false;
  std::string spki_sha256_hex;  // identifies the key (blocklists, key reuse checks)
};

struct ParsedCsr {
  std::string common_name;             // lower-cased, empty when absent
  std::vector<std::string> dns_names;  // subjectAltName dNSName entries, lower-cased
  SubscriberKey key;
};

// Accepts PEM ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST") or DER.
Result<ParsedCsr> ParseCsr(const std::string& pem_or_der);

// BR 6.1.5/6.1.6: RSA modulus of at least 2048 bits and divisible by 8, odd exponent between
// 2^16+1 and 2^256-1, no prime factor below 752; ECDSA on P-256, P-384 or P-521 with a valid point.
Result<SubscriberKey> CheckSubscriberKey(const std::vector<uint8_t>& spki_der);
// The same checks on a key the caller has already decoded from exactly `spki_der` (decoding is
// OpenSSL 3's slowest step on the issuance path, so callers that need the key decode it once).
Result<SubscriberKey> CheckSubscriberKey(EVP_PKEY* key, const std::vector<uint8_t>& spki_der);

// The CSR's CN must be one of the order's names, and every SAN must be too (Signet puts the
// order's names, not the CSR's, in the certificate; a CSR asking for others is a mistake).
Status CheckCsrNames(const ParsedCsr& csr, const std::vector<std::string>& order_names);

}  // namespace signet::ca

// Builds to-be-signed X.509 certificates from a plain description; the Signer signs them after.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ca/openssl_handles.h"
#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/status.h"

namespace signet::ca {

struct CertificateTemplate {
  std::vector<std::pair<std::string, std::string>> subject;  // ("C","CN"), ("O","..."), ...
  X509* issuer = nullptr;  // nullptr: self-issued (issuer name = subject name)
  const EVP_PKEY* public_key = nullptr;
  // SubjectPublicKeyInfo DER, copied into the certificate as it is, instead of `public_key`.
  // The certificate's key is then not decoded (X509_get0_pubkey returns nullptr): that saves
  // OpenSSL 3 an encode and a decode per certificate.
  std::vector<uint8_t> public_key_spki;
  TimePoint not_before;
  TimePoint not_after;
  std::vector<uint8_t> serial;  // big-endian, positive
  // Extensions in OpenSSL's config syntax, e.g. {NID_basic_constraints, "critical,CA:TRUE"}.
  std::vector<std::pair<int, std::string>> extensions;
};

// BR 7.1: at least 64 CSPRNG bits, positive, below 2^159. We use 128 bits with the top bit clear.
std::vector<uint8_t> NewSerial(Random& random);

Result<X509Ptr> BuildUnsignedCertificate(const CertificateTemplate& t);

}  // namespace signet::ca

// Reading certificates Signet did not just sign: uploads to host, certificates sent for
// revocation (RFC 8555 section 7.6), ARI certificate ids (RFC 9773). The X.509 parsing stays in
// ca; callers get plain facts.
//
// Thread-safety: pure functions (the system trust store is read per call).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/status.h"

namespace signet::ca {

struct CertificateFacts {
  std::string der;
  std::string serial_hex;          // lower case, as Signet stores serials
  std::vector<std::string> names;  // the DNS SANs in lower case; the CN when there are none
  std::string issuer;              // the issuer's name on one line
  TimePoint not_before;
  TimePoint not_after;
  std::string spki_der;  // the public key (SubjectPublicKeyInfo)
  std::string ari_id;    // RFC 9773 section 4.1; empty without an authority key identifier
};

// One DER certificate, nothing after it; 400 invalid_certificate otherwise.
Result<CertificateFacts> ReadCertificateDer(std::string_view der);

// An upload, checked: exactly one leaf; a private key (optional; an encrypted one needs its
// password, never prompted for) that belongs to it; and a chain that builds to a root, either a
// self-signed certificate in `chain_pem` or one the system trusts, at `now`. Each refusal says
// what to change (invalid_certificate, key_mismatch, certificate_expired, chain_incomplete).
struct CheckedUpload {
  CertificateFacts leaf;
  std::string chain_pem;        // the chain's certificates, re-encoded
  std::string private_key_pem;  // decrypted PKCS#8; empty when none was given
};
Result<CheckedUpload> CheckUpload(const std::string& certificate_pem, const std::string& chain_pem,
                                  const std::string& private_key_pem,
                                  const std::string& private_key_password, TimePoint now);

// A stored base64 DER certificate in PEM.
Result<std::string> CertificatePemFromDerBase64(const std::string& der_base64);

}  // namespace signet::ca

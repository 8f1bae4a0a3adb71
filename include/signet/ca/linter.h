// The pre-issuance linter: every to-be-signed subscriber certificate is checked against the BR
// profile (BR 7.1.2.7) before the CA key signs it. A finding whose lint name starts with "e_" is
// an error and refuses issuance; "w_" findings are warnings, logged only.
//
// Thread-safety: pure functions.
#pragma once

#include <openssl/types.h>

#include <string>
#include <vector>

#include "signet/ca/profile.h"
#include "signet/common/clock.h"

namespace signet::ca {

struct LintContext {
  ProductType type = ProductType::kDv;
  std::vector<std::string> dns_names;     // exactly the names the certificate must carry
  std::vector<std::string> ip_addresses;  // private profile only
  TimePoint issuance_time;
  X509* issuer = nullptr;
  // The certificate's key, decoded by the caller from the certificate's own SubjectPublicKeyInfo
  // (the CA builds certificates without decoding it there); nullptr: taken from the certificate.
  EVP_PKEY* subject_key = nullptr;
};

struct LintFinding {
  std::string lint;  // e.g. "e_validity_period_too_long"
  std::string message;
  bool is_error() const { return lint.rfind("e_", 0) == 0; }
};

std::vector<LintFinding> LintSubscriberCertificate(X509* certificate, const LintContext& context);

}  // namespace signet::ca

// Small X.509 conversions shared by the certificate services. Private to ra.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "signet/common/status.h"

typedef struct x509_st X509;

namespace signet::ra {

// A certificate in PEM.
std::string CertificatePem(X509* certificate);

// A base64 DER certificate (as stored) in PEM.
Result<std::string> CertificatePemFromDerBase64(const std::string& der_base64);

}  // namespace signet::ra

// unique_ptr aliases for OpenSSL objects used by the CA, so every early return frees them.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "signet/common/openssl_ptr.h"
#include "signet/common/pem_input.h"

namespace signet::ca {

using signet::BignumPtr;
using signet::BioPtr;
using signet::OpenSslFree;
using signet::PkeyPtr;
using signet::X509CrlPtr;
using signet::X509Ptr;
using signet::X509ReqPtr;

inline std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

inline std::string CertificateToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return BioToString(bio.get());
}

inline X509Ptr CertificateFromPem(const std::string& pem) {
  auto cert = pem::ReadCertificate(pem);
  return cert.ok() ? std::move(cert).value() : nullptr;
}

}  // namespace signet::ca

#include "ra/x509_text.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "signet/common/encoding.h"

namespace signet::ra {

std::string CertificatePem(X509* certificate) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, certificate);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

Result<std::string> CertificatePemFromDerBase64(const std::string& der_base64) {
  auto der = Base64Decode(der_base64);
  // Stored by the CA from its own DER: a SEQUENCE. Not parsed again (OpenSSL 3 decodes the key).
  if (!der || der->empty() || (*der)[0] != 0x30) {
    return InternalError("a stored certificate is not base64 DER");
  }
  return PemEncode("CERTIFICATE", *der);
}

}  // namespace signet::ra

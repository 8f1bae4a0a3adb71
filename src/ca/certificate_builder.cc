#include "ca/certificate_builder.h"

#include <openssl/asn1.h>
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <memory>

namespace signet::ca {

std::vector<uint8_t> NewSerial(Random& random) {
  std::vector<uint8_t> serial = random.Bytes(16);
  serial[0] &= 0x7f;
  if (serial[0] == 0) serial[0] = 0x01;  // keep the full 16-byte length; never zero
  return serial;
}

namespace {

using AlgorPtr = std::unique_ptr<X509_ALGOR, decltype(&X509_ALGOR_free)>;
using BitStringPtr = std::unique_ptr<ASN1_BIT_STRING, decltype(&ASN1_BIT_STRING_free)>;

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
// (RFC 5280 4.1), read as two plain ASN.1 values so that no key is decoded.
Status SetSubjectPublicKeyInfo(X509* cert, const std::vector<uint8_t>& spki) {
  auto bad = [] { return InternalError("the subject public key info is not valid DER"); };
  const unsigned char* p = spki.data();
  const unsigned char* const end = spki.data() + spki.size();
  long len = 0;
  int tag = 0;
  int xclass = 0;
  int flags = ASN1_get_object(&p, &len, &tag, &xclass, static_cast<long>(spki.size()));
  if ((flags & 0x80) != 0 || tag != V_ASN1_SEQUENCE || p + len != end) return bad();
  AlgorPtr algorithm(d2i_X509_ALGOR(nullptr, &p, end - p), &X509_ALGOR_free);
  if (!algorithm) return bad();
  BitStringPtr bits(d2i_ASN1_BIT_STRING(nullptr, &p, end - p), &ASN1_BIT_STRING_free);
  if (!bits || p != end || bits->length <= 0) return bad();
  const ASN1_OBJECT* oid = nullptr;
  int parameter_type = 0;
  const void* parameter = nullptr;
  X509_ALGOR_get0(&oid, &parameter_type, &parameter, algorithm.get());
  // The keys Signet accepts have NULL (RSA), absent, or a named curve (EC) as parameters.
  void* parameter_copy = nullptr;
  if (parameter_type == V_ASN1_OBJECT) {
    parameter_copy = OBJ_dup(static_cast<const ASN1_OBJECT*>(parameter));
  } else if (parameter_type != V_ASN1_NULL && parameter_type != V_ASN1_UNDEF) {
    return InternalError("the subject public key has parameters Signet does not copy");
  }
  auto* key_bytes = static_cast<unsigned char*>(OPENSSL_memdup(bits->data, bits->length));
  ASN1_OBJECT* oid_copy = OBJ_dup(oid);
  if (X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), oid_copy, parameter_type, parameter_copy,
                             key_bytes, bits->length) != 1) {
    // Not taken over on failure.
    ASN1_OBJECT_free(oid_copy);
    if (parameter_type == V_ASN1_OBJECT)
      ASN1_OBJECT_free(static_cast<ASN1_OBJECT*>(parameter_copy));
    OPENSSL_free(key_bytes);
    return InternalError("setting the public key failed");
  }
  return Status::Ok();
}

}  // namespace

Result<X509Ptr> BuildUnsignedCertificate(const CertificateTemplate& t) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return InternalError("X509_new failed");
  }
  BignumPtr bn(BN_bin2bn(t.serial.data(), static_cast<int>(t.serial.size()), nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()))) {
    return InternalError("setting the serial failed");
  }
  auto to_time_t = [](TimePoint tp) {
    return static_cast<time_t>(
        std::chrono::duration_cast<std::chrono::seconds>(tp.time_since_epoch()).count());
  };
  if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), to_time_t(t.not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), to_time_t(t.not_after))) {
    return InternalError("setting the validity failed");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& [field, value] : t.subject) {
    if (value.empty()) continue;  // an absent field; the linter decides whether it was required
    if (X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                   0) != 1) {
      ERR_clear_error();
      return MalformedError("subject field " + field + " cannot hold '" + value + "'",
                            "invalid_subject");
    }
  }
  X509_set_issuer_name(cert.get(), t.issuer ? X509_get_subject_name(t.issuer) : name);
  if (!t.public_key_spki.empty()) {
    SIGNET_RETURN_IF_ERROR(SetSubjectPublicKeyInfo(cert.get(), t.public_key_spki));
  } else if (X509_set_pubkey(cert.get(), const_cast<EVP_PKEY*>(t.public_key)) != 1) {
    return InternalError("setting the public key failed");
  }
  X509* issuer = t.issuer ? t.issuer : cert.get();
  // Some extensions (certificatePolicies) insist on a config database, even an empty one.
  std::unique_ptr<CONF, decltype(&NCONF_free)> conf(NCONF_new(nullptr), &NCONF_free);
  for (const auto& [nid, value] : t.extensions) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert.get(), nullptr, nullptr, 0);
    X509V3_set_nconf(&ctx, conf.get());
    X509_EXTENSION* ext = X509V3_EXT_nconf_nid(conf.get(), &ctx, nid, value.c_str());
    if (!ext) {
      ERR_clear_error();
      return InternalError(std::string("building extension ") + OBJ_nid2sn(nid) + " failed");
    }
    int added = X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
    if (added != 1) return InternalError("adding an extension failed");
  }
  return cert;
}

}  // namespace signet::ca

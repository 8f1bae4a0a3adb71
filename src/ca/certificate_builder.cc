#include "ca/certificate_builder.h"

#include <openssl/conf.h>
#include <openssl/err.h>

namespace signet::ca {

std::vector<uint8_t> NewSerial(Random& random) {
  std::vector<uint8_t> serial = random.Bytes(16);
  serial[0] &= 0x7f;
  if (serial[0] == 0) serial[0] = 0x01;  // keep the full 16-byte length; never zero
  return serial;
}

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
  if (X509_set_pubkey(cert.get(), const_cast<EVP_PKEY*>(t.public_key)) != 1) {
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

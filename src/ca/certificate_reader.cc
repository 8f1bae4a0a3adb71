#include "signet/ca/certificate_reader.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "signet/common/encoding.h"
#include "signet/common/pem_input.h"

namespace signet::ca {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Der(X509* x) {
  unsigned char* der = nullptr;
  int n = i2d_X509(x, &der);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string Pem(X509* x) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

TimePoint AsnTime(const ASN1_TIME* t) {
  std::tm tm{};
  ASN1_TIME_to_tm(t, &tm);
  return TimePoint(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::seconds(timegm(&tm))));
}

std::vector<std::string> Names(X509* x) {
  std::vector<std::string> names;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type == GEN_DNS) {
      names.push_back(
          Lower(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)),
                            static_cast<size_t>(ASN1_STRING_length(g->d.dNSName)))));
    }
  }
  GENERAL_NAMES_free(sans);
  if (names.empty()) {
    char cn[256] = {0};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn) > 0) {
      names.push_back(Lower(cn));
    }
  }
  return names;
}

std::string SerialHex(X509* x) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr);
  char* hex = BN_bn2hex(bn);
  std::string out = Lower(hex);
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

std::string Spki(X509* x) {
  unsigned char* spki = nullptr;
  int n = i2d_PUBKEY(X509_get0_pubkey(x), &spki);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(spki), static_cast<size_t>(n));
  OPENSSL_free(spki);
  return out;
}

// RFC 9773 4.1: base64url(AKI keyIdentifier) "." base64url(the serial's DER content octets).
std::string AriId(X509* x) {
  const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(x);
  if (aki == nullptr) return "";
  unsigned char* der = nullptr;
  int n = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &der);
  if (n <= 2) return "";
  std::string encoded(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  size_t header = 2 + ((static_cast<unsigned char>(encoded[1]) & 0x80) ? (encoded[1] & 0x7f) : 0);
  if (header >= encoded.size()) return "";
  return Base64UrlEncode(std::span<const uint8_t>(ASN1_STRING_get0_data(aki),
                                                  static_cast<size_t>(ASN1_STRING_length(aki)))) +
         "." +
         Base64UrlEncode(std::span<const uint8_t>(
             reinterpret_cast<const uint8_t*>(encoded.data()) + header, encoded.size() - header));
}

CertificateFacts FactsOf(X509* x) {
  CertificateFacts f;
  f.der = Der(x);
  f.serial_hex = SerialHex(x);
  f.names = Names(x);
  char issuer[512] = {0};
  X509_NAME_oneline(X509_get_issuer_name(x), issuer, sizeof issuer);
  f.issuer = issuer;
  f.not_before = AsnTime(X509_get0_notBefore(x));
  f.not_after = AsnTime(X509_get0_notAfter(x));
  f.spki_der = Spki(x);
  f.ari_id = AriId(x);
  return f;
}

}  // namespace

Result<CertificateFacts> ReadCertificateDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (!cert || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return MalformedError("not one DER certificate", "invalid_certificate");
  }
  return FactsOf(cert.get());
}

Result<CheckedUpload> CheckUpload(const std::string& certificate_pem, const std::string& chain_pem,
                                  const std::string& private_key_pem,
                                  const std::string& private_key_password, TimePoint now) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<X509Ptr> leafs, pem::ReadCertificates(certificate_pem));
  if (leafs.size() != 1) {
    return MalformedError(
        "'certificate' must be exactly one PEM certificate (put the "
        "intermediates in 'chain')",
        "invalid_certificate");
  }
  X509* leaf = leafs.front().get();
  SIGNET_ASSIGN_OR_RETURN(std::vector<X509Ptr> chain, pem::ReadCertificates(chain_pem));
  if (!chain_pem.empty() && chain.empty()) {
    return MalformedError("'chain' has no readable PEM certificate", "invalid_certificate");
  }
  CheckedUpload out;
  if (!private_key_pem.empty()) {
    // Never prompts: an encrypted key without its password is refused at once (pem_input.h).
    SIGNET_ASSIGN_OR_RETURN(PkeyPtr key,
                            pem::ReadPrivateKey(private_key_pem, private_key_password));
    bool match = X509_check_private_key(leaf, key.get()) == 1;
    ERR_clear_error();
    if (!match) {
      return Status::Error(ErrorCode::kMalformed, "key_mismatch",
                           "the private key does not belong to this certificate (their public "
                           "keys differ); upload the key the certificate was issued for");
    }
    out.private_key_pem = pem::PrivateKeyToPem(key.get());
  } else if (!private_key_password.empty()) {
    return MalformedError("'private_key_password' goes with 'private_key'", "invalid_private_key");
  }
  // The chain must build to a root: a self-signed certificate in 'chain', or one the system
  // trusts.
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  X509_STORE_set_default_paths(store.get());
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
      sk_X509_new_null(), [](STACK_OF(X509) * s) { sk_X509_free(s); });
  for (auto& c : chain) {
    if (X509_check_issued(c.get(), c.get()) == X509_V_OK) {
      X509_STORE_add_cert(store.get(), c.get());
    } else {
      sk_X509_push(untrusted.get(), c.get());
    }
  }
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      X509_STORE_CTX_free);
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get());
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()),
                             std::chrono::system_clock::to_time_t(
                                 std::chrono::time_point_cast<std::chrono::seconds>(now)));
  int ok = X509_verify_cert(ctx.get());
  int error = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  if (ok != 1) {
    if (error == X509_V_ERR_CERT_HAS_EXPIRED) {
      return Status::Error(ErrorCode::kMalformed, "certificate_expired",
                           "the certificate has already expired; there is nothing to host");
    }
    return Status::Error(ErrorCode::kMalformed, "chain_incomplete",
                         "the chain does not build to a trusted root (" +
                             std::string(X509_verify_cert_error_string(error)) +
                             "); add the intermediate certificates (and your private root, if "
                             "it is one) to 'chain'");
  }
  out.leaf = FactsOf(leaf);
  for (auto& c : chain) out.chain_pem += Pem(c.get());
  return out;
}

Result<std::string> CertificatePemFromDerBase64(const std::string& der_base64) {
  auto der = Base64Decode(der_base64);
  // Stored by the CA from its own DER: a SEQUENCE. Not parsed again (OpenSSL 3 decodes the key).
  if (!der || der->empty() || (*der)[0] != 0x30) {
    return InternalError("a stored certificate is not base64 DER");
  }
  return PemEncode("CERTIFICATE", *der);
}

}  // namespace signet::ca

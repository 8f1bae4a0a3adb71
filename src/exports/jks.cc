// The Java KeyStore format (JKS, version 2) as keytool reads it: a private key entry protected
// with Sun's KeyProtector (SHA-1 keystream, OID 1.3.6.1.4.1.42.2.17.1.1) and its certificate
// chain, sealed by SHA-1 over the UTF-16BE password, "Mighty Aphrodite" and the store.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <vector>

#include "signet/common/crypto.h"
#include "signet/common/pem_input.h"
#include "signet/exports/certificate_exports.h"

namespace signet::exports {

namespace {

class Writer {
 public:
  void U16(uint32_t v) {
    out_.push_back(static_cast<char>(v >> 8));
    out_.push_back(static_cast<char>(v));
  }
  void U32(uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out_.push_back(static_cast<char>(v >> s));
  }
  void U64(uint64_t v) {
    for (int s = 56; s >= 0; s -= 8) out_.push_back(static_cast<char>(v >> s));
  }
  // Java's modified UTF-8 equals UTF-8 for the ASCII aliases and type names used here.
  void Utf(const std::string& s) {
    U16(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  void Bytes(const std::string& b) { out_ += b; }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

std::string Sha1(const std::string& data) {
  unsigned char md[20];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha1(), nullptr);
  return std::string(reinterpret_cast<char*>(md), len);
}

// Java chars are UTF-16; for the ASCII passwords Signet generates or accepts this is exact.
std::string PasswordBytes(const std::string& password) {
  std::string out;
  for (char c : password) {
    out.push_back('\0');
    out.push_back(c);
  }
  return out;
}

std::string ProtectKey(const std::string& pkcs8, const std::string& password, Random& random) {
  std::string pw = PasswordBytes(password);
  std::vector<uint8_t> salt = random.Bytes(20);
  std::string digest(salt.begin(), salt.end());
  std::string keystream;
  while (keystream.size() < pkcs8.size()) {
    digest = Sha1(pw + digest);
    keystream += digest;
  }
  std::string encrypted(salt.begin(), salt.end());
  for (size_t i = 0; i < pkcs8.size(); ++i)
    encrypted.push_back(static_cast<char>(pkcs8[i] ^ keystream[i]));
  encrypted += Sha1(pw + pkcs8);
  // EncryptedPrivateKeyInfo has X509_SIG's shape: SEQUENCE { AlgorithmIdentifier, OCTET STRING }.
  X509_SIG* info = X509_SIG_new();
  X509_ALGOR* algor = nullptr;
  ASN1_OCTET_STRING* data = nullptr;
  X509_SIG_getm(info, &algor, &data);
  X509_ALGOR_set0(algor, OBJ_txt2obj("1.3.6.1.4.1.42.2.17.1.1", 1), V_ASN1_NULL, nullptr);
  ASN1_OCTET_STRING_set(data, reinterpret_cast<const unsigned char*>(encrypted.data()),
                        static_cast<int>(encrypted.size()));
  unsigned char* der = nullptr;
  int n = i2d_X509_SIG(info, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(std::max(n, 0)));
  OPENSSL_free(der);
  X509_SIG_free(info);
  return out;
}

}  // namespace

Result<std::string> BuildJks(const std::string& private_key_pem, const std::string& chain_pem,
                             const std::string& alias, const std::string& password, Random& random,
                             int64_t timestamp_ms) {
  for (char c : password) {
    if (static_cast<unsigned char>(c) > 0x7e || static_cast<unsigned char>(c) < 0x20) {
      return MalformedError("a keystore password must be printable ASCII", "invalid_password");
    }
  }
  auto key = pem::ReadPrivateKey(private_key_pem);
  if (!key.ok()) return InternalError("the private key is unreadable");
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(key->get());
  unsigned char* p8der = nullptr;
  int p8len = i2d_PKCS8_PRIV_KEY_INFO(p8, &p8der);
  PKCS8_PRIV_KEY_INFO_free(p8);
  std::string pkcs8(reinterpret_cast<char*>(p8der), static_cast<size_t>(std::max(p8len, 0)));
  OPENSSL_clear_free(p8der, static_cast<size_t>(std::max(p8len, 0)));

  std::vector<std::string> certs;
  auto chain = pem::ReadCertificates(chain_pem);
  if (!chain.ok()) return InternalError("the certificate chain is unreadable");
  for (const X509Ptr& cert : *chain) {
    unsigned char* der = nullptr;
    int n = i2d_X509(cert.get(), &der);
    certs.emplace_back(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
  }
  if (certs.empty()) return InternalError("the certificate chain is empty");

  Writer w;
  w.U32(0xFEEDFEED);
  w.U32(2);
  w.U32(1);
  w.U32(1);  // private key entry
  w.Utf(alias);
  w.U64(static_cast<uint64_t>(timestamp_ms));
  std::string protected_key = ProtectKey(pkcs8, password, random);
  w.U32(static_cast<uint32_t>(protected_key.size()));
  w.Bytes(protected_key);
  w.U32(static_cast<uint32_t>(certs.size()));
  for (const std::string& der : certs) {
    w.Utf("X.509");
    w.U32(static_cast<uint32_t>(der.size()));
    w.Bytes(der);
  }
  std::string store = w.str();
  return store + Sha1(PasswordBytes(password) + "Mighty Aphrodite" + store);
}

}  // namespace signet::exports

// pem_input: outside PEM and DER read without ever prompting for a passphrase.
#include "signet/common/pem_input.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <string>

namespace signet::pem {
namespace {

std::string ToString(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

class PemInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_.reset(EVP_EC_gen("P-256"));
    ASSERT_TRUE(key_);
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("pem.test"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), key_.get());
    ASSERT_GT(X509_sign(cert.get(), key_.get(), EVP_sha256()), 0);
    BioPtr out(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(out.get(), cert.get());
    cert_pem_ = ToString(out.get());
  }

  std::string EncryptedPkcs8(const std::string& password) {
    BioPtr out(BIO_new(BIO_s_mem()));
    PEM_write_bio_PKCS8PrivateKey(out.get(), key_.get(), EVP_aes_256_cbc(), password.data(),
                                  static_cast<int>(password.size()), nullptr, nullptr);
    return ToString(out.get());
  }

  std::string LegacyEncrypted(const std::string& password) {
    BioPtr out(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey_traditional(out.get(), key_.get(), EVP_aes_128_cbc(),
                                         reinterpret_cast<const unsigned char*>(password.data()),
                                         static_cast<int>(password.size()), nullptr, nullptr);
    return ToString(out.get());
  }

  PkeyPtr key_;
  std::string cert_pem_;
};

// Runs `body` with standard input an open pipe nobody writes to: a read that prompted would
// block for ever (the test would time out) instead of failing at once.
template <typename Body>
void WithSilentStdin(Body body) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  int saved = dup(STDIN_FILENO);
  dup2(fds[0], STDIN_FILENO);
  body();
  dup2(saved, STDIN_FILENO);
  close(saved);
  close(fds[0]);
  close(fds[1]);
}

TEST_F(PemInputTest, EncryptedKeysWithoutAPasswordFailAtOnce) {
  WithSilentStdin([&] {
    for (const std::string& pem : {EncryptedPkcs8("secret pass"), LegacyEncrypted("secret pass")}) {
      auto read = ReadPrivateKey(pem);
      ASSERT_FALSE(read.ok());
      EXPECT_EQ(read.status().reason(), "key_encrypted") << pem.substr(0, 40);
      auto wrong = ReadPrivateKey(pem, "other pass");
      ASSERT_FALSE(wrong.ok());
      EXPECT_EQ(wrong.status().reason(), "wrong_key_password");
      auto right = ReadPrivateKey(pem, "secret pass");
      ASSERT_TRUE(right.ok()) << right.status().message();
      EXPECT_EQ(EVP_PKEY_eq(right->get(), key_.get()), 1);
    }
  });
}

TEST_F(PemInputTest, EvenACallWithoutCallbackCannotPromptOnceDisabled) {
  DisableTerminalPrompts();
  std::string pem = EncryptedPkcs8("secret pass");
  WithSilentStdin([&] {
    BioPtr in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EXPECT_EQ(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr), nullptr);
  });
}

TEST_F(PemInputTest, AKeyAskingForTooManyIterationsIsRefusedBeforeAnyAreRun) {
  // 2^31-1 PBKDF2 iterations would hold a thread for minutes (found with fuzz_pem); this key's
  // 1,000,001 are refused without being run, with or without a password.
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key_.get());
  X509_SIG* sig = PKCS8_encrypt(-1, EVP_aes_256_cbc(), "pw", 2, nullptr, 0, 1'000'001, info);
  PKCS8_PRIV_KEY_INFO_free(info);
  ASSERT_NE(sig, nullptr);
  BioPtr out(BIO_new(BIO_s_mem()));
  PEM_write_bio_PKCS8(out.get(), sig);
  unsigned char* der = nullptr;
  int n = i2d_X509_SIG(sig, &der);
  std::string der_text(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  X509_SIG_free(sig);
  for (const std::string& text : {ToString(out.get()), der_text}) {
    for (const char* password : {"", "pw"}) {
      auto read = ReadPrivateKey(text, password);
      ASSERT_FALSE(read.ok());
      EXPECT_EQ(read.status().reason(), "key_encryption_too_costly");
    }
  }
  // Ordinary settings (OpenSSL's default 2048 iterations) are fine.
  EXPECT_TRUE(ReadPrivateKey(EncryptedPkcs8("pw"), "pw").ok());
}

TEST_F(PemInputTest, PlainAndDerKeys) {
  std::string plain = PrivateKeyToPem(key_.get());
  ASSERT_TRUE(ReadPrivateKey(plain).ok());
  unsigned char* der = nullptr;
  int n = i2d_PrivateKey(key_.get(), &der);
  std::string der_text(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  ASSERT_TRUE(ReadPrivateKey(der_text).ok());
  auto junk = ReadPrivateKey("-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----");
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.status().reason(), "invalid_private_key");
}

TEST_F(PemInputTest, CertificatesAreReadInOrderAndDamageIsNamed) {
  auto two = ReadCertificates("text before\n" + cert_pem_ + "between\n" + cert_pem_);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
  EXPECT_TRUE(ReadCertificates("")->empty());
  // An "encrypted" certificate block is refused without asking for a password.
  std::string marked = cert_pem_;
  marked.insert(
      marked.find('\n') + 1,
      "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n");
  WithSilentStdin([&] {
    auto refused = ReadCertificates(marked);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().reason(), "invalid_certificate");
  });
  std::string damaged = cert_pem_;
  damaged[damaged.size() / 2] = '!';
  EXPECT_FALSE(ReadCertificates(damaged).ok());
  EXPECT_FALSE(ReadCertificate("no certificate here").ok());
}

}  // namespace
}  // namespace signet::pem

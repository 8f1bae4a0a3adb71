#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <filesystem>

#include "signet/signer/signer.h"

namespace signet::signer {
namespace {

std::string TempPath(const std::string& name) {
  auto dir = std::filesystem::path(::testing::TempDir()) / ("signer_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::filesystem::remove(p);
  return p.string();
}

TEST(KeyFileSignerTest, CreatesEncryptedKeyAndReloadsItOnlyWithThePassphrase) {
  std::string path = TempPath("ca.key");
  const std::string pass = "a long enough passphrase";
  auto created = CreateKeyFileSigner(path, pass, KeyAlgorithm::kEcdsaP256);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((std::filesystem::status(path).permissions() & std::filesystem::perms::group_read),
            std::filesystem::perms::none);
  EXPECT_EQ(CreateKeyFileSigner(path, pass, KeyAlgorithm::kEcdsaP256).status().reason(),
            "already_exists");
  EXPECT_EQ(LoadKeyFileSigner(path, "the wrong passphrase!").status().reason(), "wrong_passphrase");
  auto loaded = LoadKeyFileSigner(path, pass);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ((*loaded)->algorithm(), KeyAlgorithm::kEcdsaP256);
  EXPECT_EQ(EVP_PKEY_eq((*created)->public_key(), (*loaded)->public_key()), 1);
  EXPECT_EQ(CreateKeyFileSigner(TempPath("weak.key"), "short", KeyAlgorithm::kEcdsaP256)
                .status()
                .reason(),
            "weak_passphrase");
}

TEST(KeyFileSignerTest, SignaturesVerifyForEachAlgorithm) {
  for (KeyAlgorithm a :
       {KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kEcdsaP384, KeyAlgorithm::kRsa2048}) {
    auto s = CreateKeyFileSigner(TempPath(std::string(KeyAlgorithmName(a)) + ".key"),
                                 "a long enough passphrase", a);
    ASSERT_TRUE(s.ok());
    X509* cert = X509_new();
    X509_set_version(cert, X509_VERSION_3);
    X509_set_pubkey(cert, const_cast<EVP_PKEY*>((*s)->public_key()));
    ASN1_TIME_set(X509_getm_notBefore(cert), 0);
    ASN1_TIME_set(X509_getm_notAfter(cert), 1000);
    ASSERT_TRUE((*s)->SignCertificate(cert).ok());
    EXPECT_EQ(X509_verify(cert, const_cast<EVP_PKEY*>((*s)->public_key())), 1)
        << KeyAlgorithmName(a);
    X509_free(cert);
  }
  EXPECT_EQ(ParseKeyAlgorithm("rsa-1024").status().reason(), "invalid_algorithm");
}

}  // namespace
}  // namespace signet::signer

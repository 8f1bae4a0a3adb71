#include "signet/ca/subscriber_keys.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace signet::ca {
namespace {

TEST(SubscriberKeysTest, GeneratesEveryOfferedAlgorithmAndRefusesOthers) {
  for (const char* a : {"ecdsa-p256", "ecdsa-p384", "rsa-2048"}) {
    auto key = GenerateSubscriberKey(a);
    ASSERT_TRUE(key.ok()) << a;
    EXPECT_NE(key->private_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
    EXPECT_FALSE(key->spki_der.empty());
  }
  EXPECT_EQ(GenerateSubscriberKey("rsa-1024").status().reason(), "invalid_algorithm");
  auto key = GenerateSubscriberKey("ecdsa-p256");
  auto locked = ProtectPrivateKeyPem(key->private_key_pem, "user password");
  ASSERT_TRUE(locked.ok());
  EXPECT_NE(locked->find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(*ProtectPrivateKeyPem(key->private_key_pem, ""), key->private_key_pem);
}

TEST(SubscriberKeysTest, VaultSealsWithGcmBoundToItsRecord) {
  SystemRandom random;
  auto path = std::filesystem::path(::testing::TempDir()) / ("master_" + std::to_string(getpid()));
  std::filesystem::remove(path);
  auto vault = KeyVault::OpenOrCreate(path.string(), random);
  ASSERT_TRUE(vault.ok());
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  std::string sealed = vault->Seal("secret key", "cert:1");
  EXPECT_EQ(sealed.find("secret"), std::string::npos);
  EXPECT_NE(vault->Seal("secret key", "cert:1"), sealed);  // fresh nonce each time
  EXPECT_EQ(*vault->Unseal(sealed, "cert:1"), "secret key");
  EXPECT_FALSE(vault->Unseal(sealed, "cert:2").ok());  // moved to another record
  std::string altered = sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(vault->Unseal(altered, "cert:1").ok());
  auto reopened = KeyVault::OpenOrCreate(path.string(), random);  // same master key
  EXPECT_EQ(*reopened->Unseal(sealed, "cert:1"), "secret key");
  auto other = KeyVault::FromKey(random.Bytes(32), random);
  EXPECT_FALSE(other.Unseal(sealed, "cert:1").ok());
}

}  // namespace
}  // namespace signet::ca

#include "ca/decoded_keys.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace signet::ca {
namespace {

std::vector<uint8_t> SpkiOf(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  std::vector<uint8_t> out(der, der + len);
  OPENSSL_free(der);
  return out;
}

TEST(DecodedKeysTest, RecallsOnlyTheKeyOfTheSameBytesAndOnlyTheLatest) {
  PkeyPtr first(EVP_EC_gen("P-256"));
  std::vector<uint8_t> first_spki = SpkiOf(first.get());
  EXPECT_EQ(RecallDecodedKey(first_spki), nullptr);
  RememberDecodedKey(first_spki, first.get());
  PkeyPtr recalled = RecallDecodedKey(first_spki);
  ASSERT_NE(recalled, nullptr);
  EXPECT_EQ(EVP_PKEY_eq(recalled.get(), first.get()), 1);
  std::vector<uint8_t> altered = first_spki;
  altered.back() ^= 1;
  EXPECT_EQ(RecallDecodedKey(altered), nullptr);
  // Older keys give way to newer ones.
  for (int i = 0; i < 100; ++i) {
    PkeyPtr other(EVP_EC_gen("P-256"));
    RememberDecodedKey(SpkiOf(other.get()), other.get());
  }
  EXPECT_EQ(RecallDecodedKey(first_spki), nullptr);
  // The recalled reference outlives its eviction.
  EXPECT_EQ(EVP_PKEY_is_a(recalled.get(), "EC"), 1);
}

}  // namespace
}  // namespace signet::ca

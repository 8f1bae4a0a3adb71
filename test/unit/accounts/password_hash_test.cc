#include "signet/accounts/password_hash.h"

#include <gtest/gtest.h>

namespace signet::accounts {
namespace {

TEST(PasswordHashTest, VerifiesOnlyTheRightPassword) {
  SystemRandom random;
  ScryptParams fast{10, 8, 1};
  auto hash = HashPassword("correct horse battery", random, fast);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("scrypt$10$8$1$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *hash));
  EXPECT_NE(*HashPassword("correct horse battery", random, fast), *hash);  // salted
  EXPECT_FALSE(VerifyPassword("x", "garbage"));
  EXPECT_FALSE(VerifyPassword("x", "scrypt$99$8$1$AA$AA"));
}

}  // namespace
}  // namespace signet::accounts

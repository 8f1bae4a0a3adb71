#include "signet/accounts/password_hash.h"

#include <openssl/evp.h>

#include <sstream>
#include <vector>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"

namespace signet::accounts {

namespace {

constexpr size_t kHashLength = 32;

bool Derive(const std::string& password, const std::vector<uint8_t>& salt, const ScryptParams& p,
            std::vector<uint8_t>* out) {
  out->assign(kHashLength, 0);
  uint64_t n = uint64_t{1} << p.log2_n;
  uint64_t maxmem = 128 * n * static_cast<uint64_t>(p.r) * 2 + (1 << 20);
  return EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n,
                        static_cast<uint64_t>(p.r), static_cast<uint64_t>(p.p), maxmem, out->data(),
                        out->size()) == 1;
}

}  // namespace

Result<std::string> HashPassword(const std::string& password, Random& random,
                                 const ScryptParams& params) {
  std::vector<uint8_t> salt = random.Bytes(16);
  std::vector<uint8_t> hash;
  if (!Derive(password, salt, params, &hash)) return InternalError("password hashing failed");
  return "scrypt$" + std::to_string(params.log2_n) + "$" + std::to_string(params.r) + "$" +
         std::to_string(params.p) + "$" + Base64UrlEncode(salt) + "$" + Base64UrlEncode(hash);
}

bool VerifyPassword(const std::string& password, const std::string& encoded) {
  std::vector<std::string> parts;
  std::stringstream ss(encoded);
  std::string part;
  while (std::getline(ss, part, '$')) parts.push_back(part);
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  ScryptParams p;
  try {
    p.log2_n = std::stoi(parts[1]);
    p.r = std::stoi(parts[2]);
    p.p = std::stoi(parts[3]);
  } catch (const std::exception&) {
    return false;
  }
  if (p.log2_n < 1 || p.log2_n > 22 || p.r < 1 || p.r > 32 || p.p < 1 || p.p > 16) return false;
  auto salt = Base64UrlDecode(parts[4]);
  auto expected = Base64UrlDecode(parts[5]);
  if (!salt || !expected) return false;
  std::vector<uint8_t> actual;
  if (!Derive(password, *salt, p, &actual)) return false;
  return ConstantTimeEquals(
      std::string_view(reinterpret_cast<const char*>(actual.data()), actual.size()),
      std::string_view(reinterpret_cast<const char*>(expected->data()), expected->size()));
}

}  // namespace signet::accounts

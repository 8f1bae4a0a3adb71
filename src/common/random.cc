#include "signet/common/random.h"

#include <openssl/rand.h>

#include <cstdlib>

#include "signet/common/encoding.h"

namespace signet {

std::vector<uint8_t> Random::Bytes(size_t n) {
  std::vector<uint8_t> out(n);
  Fill(out.data(), n);
  return out;
}

std::string Random::Token(size_t n) { return Base64UrlEncode(Bytes(n)); }

void SystemRandom::Fill(uint8_t* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) std::abort();
}

}  // namespace signet

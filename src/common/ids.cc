#include "signet/common/ids.h"

#include <cstdint>

namespace signet {

namespace {
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kBodyLength = 26;
}  // namespace

std::string IdGenerator::New(std::string_view prefix) {
  uint64_t ms = static_cast<uint64_t>(ToUnixMicros(clock_.Now()) / 1000);
  uint8_t bytes[16];
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  random_.Fill(bytes + 6, 10);
  // 128 bits as 26 base32 digits, most significant first; the first digit holds 3 bits
  // (130 bit positions, the top two always zero).
  std::string body(kBodyLength, '0');
  for (size_t digit = 0; digit < kBodyLength; ++digit) {
    unsigned value = 0;
    for (int k = 0; k < 5; ++k) {
      int pos = static_cast<int>(digit) * 5 + k - 2;  // bit index from the most significant
      unsigned bit = 0;
      if (pos >= 0) bit = (bytes[pos / 8] >> (7 - pos % 8)) & 1u;
      value = (value << 1) | bit;
    }
    body[digit] = kCrockford[value];
  }
  std::string id(prefix);
  id += '_';
  id += body;
  return id;
}

bool IsWellFormedId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + kBodyLength) return false;
  if (id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') return false;
  for (char c : id.substr(prefix.size() + 1)) {
    bool found = false;
    for (const char* p = kCrockford; *p; ++p) found |= (*p == c);
    if (!found) return false;
  }
  return true;
}

}  // namespace signet

// Random: the CSPRNG interface for secrets, serials, tokens and identifiers.
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace signet {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with `n` cryptographically secure random bytes. Aborts if the system CSPRNG fails:
  // there is no safe way to continue issuing secrets without randomness.
  virtual void Fill(uint8_t* out, size_t n) = 0;

  std::vector<uint8_t> Bytes(size_t n);
  // n random bytes, base64url without padding.
  std::string Token(size_t n);
};

// OpenSSL's RAND_bytes.
class SystemRandom final : public Random {
 public:
  void Fill(uint8_t* out, size_t n) override;
};

}  // namespace signet

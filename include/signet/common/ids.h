// Public object identifiers: a type prefix and 26 Crockford base32 characters holding a 48-bit
// millisecond timestamp and 80 random bits (ULID layout), e.g. "org_01JD3...". They sort by
// creation time, which keyset pagination relies on, and cannot be guessed.
//
// Thread-safety: IdGenerator is safe to share if its Clock and Random are.
#pragma once

#include <string>
#include <string_view>

#include "signet/common/clock.h"
#include "signet/common/random.h"

namespace signet {

class IdGenerator {
 public:
  IdGenerator(const Clock& clock, Random& random) : clock_(clock), random_(random) {}
  std::string New(std::string_view prefix);

 private:
  const Clock& clock_;
  Random& random_;
};

// True when `id` has the given prefix and a well-formed body; used to reject junk early.
bool IsWellFormedId(std::string_view id, std::string_view prefix);

}  // namespace signet

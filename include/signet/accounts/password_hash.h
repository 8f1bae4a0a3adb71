// Password hashing for console logins: scrypt (RFC 7914) through OpenSSL, a memory-hard slow hash.
// Encoded as "scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>" so parameters can grow later.
//
// Thread-safety: pure functions (Random must be thread-safe, as SystemRandom is).
#pragma once

#include <string>

#include "signet/common/random.h"
#include "signet/common/status.h"

namespace signet::accounts {

struct ScryptParams {
  int log2_n = 15;  // 32 MiB with r = 8
  int r = 8;
  int p = 1;
};

Result<std::string> HashPassword(const std::string& password, Random& random,
                                 const ScryptParams& params = {});
// False for a wrong password or an unparseable encoding; never throws.
bool VerifyPassword(const std::string& password, const std::string& encoded);

}  // namespace signet::accounts

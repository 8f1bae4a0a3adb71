// The audit log's hash chain: each event's hash covers its fields and the previous event's hash,
// so editing or deleting a stored event breaks every later link.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "signet/sa/types.h"

namespace signet::sa {

// The hash of the event before the first one.
inline constexpr char kAuditGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 (hex) over a length-prefixed encoding of every field but `hash`.
std::string ComputeAuditHash(const AuditEvent& event);

}  // namespace signet::sa

// The state of a domain validation (a proof of control of one name, BR 3.2.2.4): the one place
// its names are parsed and printed.
//
//   pending  → valid    the check saw the random value (or the approval)
//   pending  → invalid  a check failed for good (an ACME challenge fails once, RFC 8555 8.2)
//   pending  → expired  the random value outlived its lifetime before it was seen
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string_view>

namespace signet::core {

enum class ValidationStatus { kPending, kValid, kInvalid, kExpired };

std::string_view Name(ValidationStatus status);
std::optional<ValidationStatus> ParseValidationStatus(std::string_view name);

}  // namespace signet::core

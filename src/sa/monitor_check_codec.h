// How a monitor check's addresses are stored: a JSON array in monitor_checks.addresses. Only sa
// reads and writes that text.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "signet/sa/types.h"

namespace signet::sa {

std::string EncodeAddressChecks(const std::vector<AddressCheck>& addresses);
// Unknown or mistyped fields read as empty; an unknown status reads as unreachable.
std::vector<AddressCheck> DecodeAddressChecks(std::string_view text);

}  // namespace signet::sa

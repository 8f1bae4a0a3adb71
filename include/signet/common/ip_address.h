// IP address parsing and the reserved-range check that keeps validation away from loopback,
// private and special-use networks (IANA special-purpose registries, RFC 6890).
// Used by validation (va) and by webhook delivery (notify).
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace signet {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // v4 uses the first 4
  std::string ToString() const;
};

std::optional<IpAddress> ParseIpAddress(const std::string& text);

// Loopback, private, link-local, CGNAT, multicast, documentation, benchmarking, unspecified,
// IPv4-mapped private addresses, unique-local and the like: never a public web server.
bool IsReservedAddress(const IpAddress& ip);

}  // namespace signet

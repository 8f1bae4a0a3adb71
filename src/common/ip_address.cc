#include "signet/common/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace signet {

namespace {

struct Range {
  const char* prefix;
  int bits;
};

// IANA IPv4 and IPv6 Special-Purpose Address Registries, plus multicast and the reserved class E.
constexpr Range kReservedV4[] = {
    {"0.0.0.0", 8},      {"10.0.0.0", 8},     {"100.64.0.0", 10}, {"127.0.0.0", 8},
    {"169.254.0.0", 16}, {"172.16.0.0", 12},  {"192.0.0.0", 24},  {"192.0.2.0", 24},
    {"192.88.99.0", 24}, {"192.168.0.0", 16}, {"198.18.0.0", 15}, {"198.51.100.0", 24},
    {"203.0.113.0", 24}, {"224.0.0.0", 4},    {"240.0.0.0", 4},
};
constexpr Range kReservedV6[] = {
    {"::", 128},   {"::1", 128},   {"::ffff:0:0", 96}, {"64:ff9b:1::", 48},
    {"100::", 64}, {"2001::", 23}, {"2001:db8::", 32}, {"2002::", 16},
    {"fc00::", 7}, {"fe80::", 10}, {"ff00::", 8},      {"3fff::", 20},
};

bool InPrefix(const uint8_t* addr, const uint8_t* prefix, int bits) {
  int full = bits / 8;
  if (std::memcmp(addr, prefix, full) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (addr[full] & mask) == (prefix[full] & mask);
}

}  // namespace

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

std::optional<IpAddress> ParseIpAddress(const std::string& text) {
  IpAddress ip;
  if (inet_pton(AF_INET, text.c_str(), ip.bytes.data()) == 1) return ip;
  ip.v6 = true;
  if (inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) == 1) return ip;
  return std::nullopt;
}

bool IsReservedAddress(const IpAddress& ip) {
  if (!ip.v6) {
    for (const Range& r : kReservedV4) {
      uint8_t prefix[4];
      inet_pton(AF_INET, r.prefix, prefix);
      if (InPrefix(ip.bytes.data(), prefix, r.bits)) return true;
    }
    return false;
  }
  // An IPv4-mapped address is as reserved as the IPv4 address it maps.
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(ip.bytes.data(), kMapped, 12) == 0) return true;
  for (const Range& r : kReservedV6) {
    uint8_t prefix[16];
    inet_pton(AF_INET6, r.prefix, prefix);
    if (InPrefix(ip.bytes.data(), prefix, r.bits)) return true;
  }
  return false;
}

}  // namespace signet

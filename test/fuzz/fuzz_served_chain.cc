// libFuzzer target: what a server's TLS handshake hands monitoring, on arbitrary bytes. The input
// is certificates, each as a 2-byte big-endian length and that many DER bytes (the leaf first),
// then the rest as the name asked for. ChainJudge (src/monitor/chain_judge.cc) reads names, times,
// keys and the chain of whatever a hostile server sends; the stored form of its judgement
// (src/sa/monitor_check_codec.h) must read back to the same text.
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "sa/monitor_check_codec.h"
#include "signet/monitor/chain_judge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<signet::monitor::ChainJudge> judge = [] {
    auto made = signet::monitor::ChainJudge::Create({});
    if (!made.ok()) __builtin_trap();
    return std::move(*made);
  }();
  signet::probe::ServedChain served;
  served.address = "192.0.2.1";
  served.leaf_serial_hex = "01";
  served.tls_version = "TLSv1.1";
  size_t at = 0;
  while (at + 2 <= size && served.certificates_der.size() < 4) {
    size_t n = (static_cast<size_t>(data[at]) << 8) | data[at + 1];
    at += 2;
    if (n == 0 || at + n > size) break;
    served.certificates_der.emplace_back(reinterpret_cast<const char*>(data + at), n);
    at += n;
  }
  std::string name = signet::fuzz::AsString(data + at, size - at);
  if (name.size() > 255) name.resize(255);
  auto check = judge->Judge(served, name.empty() ? "www.example.com" : name,
                            signet::FromUnixMicros(1800000000000000), 30);
  std::string stored = signet::sa::EncodeAddressChecks({check});
  if (signet::sa::EncodeAddressChecks(signet::sa::DecodeAddressChecks(stored)) != stored) {
    __builtin_trap();
  }
  (void)signet::sa::DecodeAddressChecks(signet::fuzz::AsString(data, size));
  return 0;
}

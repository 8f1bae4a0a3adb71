// libFuzzer target: CAA (include/signet/va/caa_checker.h, ParseCaaRdata in dns_resolver.h) on
// record data as a name server could send it: RDATA parsing, the issue/issuewild value grammar
// with RFC 8657's accounturi and validationmethods, and the decision. No DNS is asked: a scripted
// resolver answers from the fuzz input.
//
// Input: one control byte, then records, each a length byte and that many bytes of CAA RDATA
// (flags, tag length, tag, value). A length of 0 moves on from the name's own RRset to its
// parent's. Control bits: 0 wildcard request, 1-2 the validation method, 3 the account URI.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "signet/va/caa_checker.h"
#include "signet/va/dns_resolver.h"

namespace {

using signet::Result;
using signet::va::DnsAnswer;

constexpr char kName[] = "www.example.com";
constexpr char kParent[] = "example.com";

class ScriptedResolver final : public signet::va::DnsResolver {
 public:
  std::map<std::string, std::vector<std::string>> rrsets;
  Result<DnsAnswer> Resolve(const std::string& name, signet::va::DnsType) override {
    DnsAnswer answer;
    answer.query = answer.canonical = name;
    if (auto it = rrsets.find(name); it != rrsets.end()) answer.rdata = it->second;
    return answer;
  }
  bool Validating() const override { return true; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t control = data[0];
  ScriptedResolver dns;
  std::vector<std::string>* rrset = &dns.rrsets[kName];
  for (size_t i = 1; i < size;) {
    size_t length = data[i++];
    if (length == 0) {
      rrset = &dns.rrsets[kParent];
      continue;
    }
    length = std::min(length, size - i);
    std::string rdata(reinterpret_cast<const char*>(data + i), length);
    i += length;
    auto record = signet::va::ParseCaaRdata(rdata);
    if (record.ok()) {
      // The record is the RDATA's own bytes: flags first, then the tag (lower-cased), the rest
      // is the value.
      if (record->flags != static_cast<uint8_t>(rdata[0]) || record->tag.empty() ||
          2 + record->tag.size() + record->value.size() != rdata.size()) {
        __builtin_trap();
      }
    }
    rrset->push_back(std::move(rdata));
  }

  static const char* const kMethods[] = {"dns-01", "http-01", "ca-dns-txt", "ca-email"};
  signet::va::CaaChecker checker(dns, {"signet.test", "ca.example.net"}, {"test"});
  signet::va::CaaRequest request;
  request.name = kName;
  request.wildcard = (control & 1) != 0;
  request.method_label = kMethods[(control >> 1) & 3];
  request.account_uri = (control & 8) != 0 ? "https://signet.test/acme/acct/1" : "";
  auto result = checker.Check(request);
  if (result.ok() && !result->permitted && result->detail.empty()) __builtin_trap();
  return 0;
}

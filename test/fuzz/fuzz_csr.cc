// libFuzzer target: signet::ca::ParseCsr (include/signet/ca/csr.h) on arbitrary bytes, the PEM or
// DER CSR an applicant pastes or an ACME client sends to finalize; then the checks that run on
// what it returns (the key rules and the name match), as issuance would.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "signet/ca/csr.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  signet::fuzz::TrapPassphrasePrompts();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto csr = signet::ca::ParseCsr(signet::fuzz::AsString(data, size));
  if (!csr.ok()) return 0;
  // A parsed CSR's key has passed the key rules; checking its SPKI again must agree.
  auto key = signet::ca::CheckSubscriberKey(csr->key.spki_der);
  if (!key.ok() || key->algorithm != csr->key.algorithm) __builtin_trap();
  std::vector<std::string> order = csr->dns_names;
  if (!csr->common_name.empty()) order.push_back(csr->common_name);
  // A CSR always matches an order made of its own names, and never an order of none.
  if (!signet::ca::CheckCsrNames(*csr, order).ok() && !order.empty()) __builtin_trap();
  (void)signet::ca::CheckCsrNames(*csr, {"example.com"});
  return 0;
}

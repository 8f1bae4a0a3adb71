// libFuzzer target: the domain name rules of include/signet/va/domain_name.h (normalisation,
// IDNs, wildcards, public suffixes, internal names) on arbitrary bytes, one name per line as an
// order form or an ACME newOrder would carry several, then the coverage rule on those accepted.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "signet/va/domain_name.h"

namespace {

using signet::va::Identifier;

const signet::va::NamePolicy* policy = nullptr;

bool IsCertificateName(const std::string& name) {
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '*';
  });
}

// What an accepted identifier must look like, whatever the input was.
void CheckAccepted(std::string_view input, const Identifier& id) {
  // A NUL ends the name for the C libraries that check it (libidn2, libpsl), so a name with one
  // would be checked only in part.
  if (input.find('\0') != std::string_view::npos) __builtin_trap();
  if (id.name.empty() || id.name.size() > 253 || !IsCertificateName(id.name)) __builtin_trap();
  if (id.base != (id.wildcard ? id.name.substr(2) : id.name)) __builtin_trap();
  if (id.base.find('*') != std::string::npos) __builtin_trap();
  if (!id.registrable.empty() && !signet::va::ValidationCovers(id.registrable, id.base, true)) {
    __builtin_trap();
  }
  // Normalisation is idempotent: the normalised name is accepted as itself.
  auto again = policy->Parse(id.name);
  if (!again.ok() || again->name != id.name || again->base != id.base ||
      again->wildcard != id.wildcard || again->registrable != id.registrable) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // As in the unit tests and a private PKI: "test" and "internal" count as public suffixes; the
  // list is Debian's publicsuffix (libpsl's built-in copy when missing).
  auto created = signet::va::NamePolicy::Create({{"test", "internal"}, ""});
  if (!created.ok()) __builtin_trap();
  policy = created->release();  // kept until exit
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  std::vector<Identifier> accepted;
  for (size_t start = 0, lines = 0; start <= all.size() && lines < 16; ++lines) {
    size_t end = all.find('\n', start);
    std::string_view line = all.substr(start, end == std::string_view::npos ? end : end - start);
    auto id = policy->Parse(line);
    if (id.ok()) {
      CheckAccepted(line, *id);
      accepted.push_back(*id);
    }
    (void)policy->IsPublicSuffix(std::string(line));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  std::vector<Identifier> covered = signet::va::WithCoveredNames(accepted, *policy);
  // The coverage rule keeps every requested name and repeats none.
  for (const Identifier& id : accepted) {
    if (std::none_of(covered.begin(), covered.end(),
                     [&](const Identifier& c) { return c.name == id.name; })) {
      __builtin_trap();
    }
  }
  for (size_t i = 0; i < covered.size(); ++i) {
    for (size_t j = i + 1; j < covered.size(); ++j) {
      if (covered[i].name == covered[j].name) __builtin_trap();
    }
  }
  return 0;
}

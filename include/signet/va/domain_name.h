// Domain names as applicants type them, turned into the identifiers a certificate may carry:
// normalisation (lower case, IDNs to A-labels, no trailing dot), length and character rules,
// wildcard rules, refusal of internal names, public suffixes and reserved IP addresses, and the
// product's coverage rule (a certificate for `*.a.com` or `www.a.com` also covers `a.com`).
// Every refusal is a kRejectedIdentifier Status whose message says what to change.
//
// Thread-safety: NamePolicy is immutable after construction; share it freely.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signet/common/status.h"

namespace signet::va {

// One requested name after normalisation.
struct Identifier {
  std::string name;  // as it goes into the certificate, e.g. "*.example.com"
  bool wildcard = false;
  // The name whose control is proven: `name` without the "*." of a wildcard.
  std::string base;
  // The registrable domain (public suffix plus one label), e.g. "example.com" for
  // "www.example.com"; empty for names under an internal suffix without one.
  std::string registrable;
};

struct NamePolicyOptions {
  // Suffixes treated as if they were public top-level domains, for a private PKI or tests
  // (e.g. "test", "internal"). Names under any other suffix missing from the Public Suffix List
  // are internal names and refused (BR 4.2.2, 7.1.4.3).
  std::vector<std::string> internal_suffixes;
  // The Public Suffix List in libpsl's DAFSA or text format; empty uses the system's list
  // (Debian's `publicsuffix` package), falling back to libpsl's built-in copy.
  std::string public_suffix_list_file;
};

class NamePolicy {
 public:
  static Result<std::unique_ptr<NamePolicy>> Create(const NamePolicyOptions& options);
  ~NamePolicy();
  NamePolicy(const NamePolicy&) = delete;
  NamePolicy& operator=(const NamePolicy&) = delete;

  // Normalises and checks one name (a DNS name, possibly a wildcard "*.x"). IP addresses are
  // refused: reserved ones as such, public ones because no IP validation method is offered.
  Result<Identifier> Parse(std::string_view input) const;

  // True when `name` (normalised) is itself a public suffix such as "com" or "co.uk".
  bool IsPublicSuffix(const std::string& name) const;

 private:
  struct Impl;
  explicit NamePolicy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The seed's coverage rule: the names a certificate for `requested` should carry. For `*.a.com`
// and for `www.a.com` the bare `a.com` is added (once, after the names that imply it), unless
// that bare name is a public suffix. `*.p.a.com` adds nothing. Order is kept; duplicates go.
std::vector<Identifier> WithCoveredNames(const std::vector<Identifier>& requested,
                                         const NamePolicy& policy);

// Whether a validation of `validated` (a base name) proves control of `name`'s base: the same
// name, or (for methods suitable for it) a parent domain. BR 3.2.2.4.7 lets a DNS validation of
// an Authorization Domain Name cover names below it.
bool ValidationCovers(const std::string& validated, const std::string& base, bool allow_parent);

}  // namespace signet::va

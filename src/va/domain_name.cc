#include "signet/va/domain_name.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <libpsl.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "signet/common/ip_address.h"

namespace signet::va {

namespace {

Status Rejected(const std::string& reason, std::string message) {
  return Status::Error(ErrorCode::kRejectedIdentifier, reason, std::move(message));
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::vector<std::string> SplitLabels(const std::string& name) {
  std::vector<std::string> labels;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    labels.push_back(
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return labels;
}

// One label of a host name: letters, digits and hyphens (BR 7.1.4.2: no underscores), not
// starting or ending with a hyphen; "??--" only as an IDN "xn--" label that decodes.
Status CheckLabel(const std::string& label, const std::string& name) {
  if (label.empty()) {
    return Rejected("empty_label", Quote(name) +
                                       " has an empty label (two dots in a row, or a "
                                       "leading dot); remove the extra dot");
  }
  if (label.size() > 63) {
    return Rejected("label_too_long", "the label " + Quote(label.substr(0, 20) + "...") + " of " +
                                          Quote(name) + " is " + std::to_string(label.size()) +
                                          " characters; a label may have at most 63");
  }
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      std::string what = c == '_'   ? "an underscore, which certificates may not carry (BR 7.1.4.2)"
                         : c == ' ' ? "a space"
                                    : "the character " + Quote(std::string(1, c));
      return Rejected("invalid_character", Quote(name) + " contains " + what +
                                               "; use only letters, digits, hyphens and dots");
    }
  }
  if (label.front() == '-' || label.back() == '-') {
    return Rejected("invalid_hyphen", "the label " + Quote(label) + " of " + Quote(name) +
                                          " starts or ends with a hyphen, which is not allowed");
  }
  if (label.size() >= 4 && label[2] == '-' && label[3] == '-') {
    if (label.compare(0, 4, "xn--") != 0) {
      return Rejected("reserved_label", "the label " + Quote(label) + " of " + Quote(name) +
                                            " has '--' in the third and fourth positions, which "
                                            "is reserved for IDN A-labels (xn--)");
    }
    // An A-label is valid only if it is what IDNA2008 makes of its own U-label: decoding
    // alone accepts junk (xn--a) and labels whose U-label IDNA2008 disallows (emoji), which
    // the same name typed as a U-label is refused for.
    char* unicode = nullptr;
    int rc = idn2_to_unicode_8z8z(label.c_str(), &unicode, 0);
    std::string again;
    if (rc == IDN2_OK) {
      char* ascii = nullptr;
      rc = idn2_to_ascii_8z(unicode, &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
      if (rc == IDN2_OK) again = ascii;
      std::free(ascii);
    }
    std::free(unicode);
    if (rc != IDN2_OK || again != label) {
      return Rejected("invalid_idn",
                      "the label " + Quote(label) + " of " + Quote(name) +
                          " is not a valid IDN A-label (IDNA2008" +
                          (rc != IDN2_OK ? std::string(": ") + idn2_strerror(rc) : std::string()) +
                          "); type the name in its own script, or check the xn-- label");
    }
  }
  return Status::Ok();
}

}  // namespace

struct NamePolicy::Impl {
  const psl_ctx_t* psl = nullptr;
  bool owned = false;
  std::set<std::string> internal_suffixes;

  ~Impl() {
    if (owned) psl_free(const_cast<psl_ctx_t*>(psl));
  }

  // The internal suffix `name` is equal to or under, or empty.
  std::string InternalSuffixOf(const std::string& name) const {
    std::string best;
    for (const std::string& s : internal_suffixes) {
      bool under = name == s || (name.size() > s.size() && name.ends_with("." + s));
      if (under && s.size() > best.size()) best = s;
    }
    return best;
  }
};

NamePolicy::NamePolicy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NamePolicy::~NamePolicy() = default;

Result<std::unique_ptr<NamePolicy>> NamePolicy::Create(const NamePolicyOptions& options) {
  auto impl = std::make_unique<Impl>();
  if (!options.public_suffix_list_file.empty()) {
    impl->psl = psl_load_file(options.public_suffix_list_file.c_str());
    if (impl->psl == nullptr) {
      return MalformedError("cannot read the Public Suffix List " + options.public_suffix_list_file,
                            "bad_setting");
    }
    impl->owned = true;
  } else {
    impl->psl = psl_latest(nullptr);
    impl->owned = impl->psl != nullptr;
    if (impl->psl == nullptr) impl->psl = psl_builtin();
    if (impl->psl == nullptr) {
      return InternalError("no Public Suffix List: install Debian's publicsuffix package");
    }
  }
  for (std::string s : options.internal_suffixes) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    while (!s.empty() && s.front() == '.') s.erase(0, 1);
    while (!s.empty() && s.back() == '.') s.pop_back();
    if (!s.empty()) impl->internal_suffixes.insert(s);
  }
  return std::unique_ptr<NamePolicy>(new NamePolicy(std::move(impl)));
}

bool NamePolicy::IsPublicSuffix(const std::string& name) const {
  if (impl_->internal_suffixes.count(name) > 0) return true;
  return psl_is_public_suffix2(impl_->psl, name.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

Result<Identifier> NamePolicy::Parse(std::string_view input) const {
  std::string name(input);
  // Surrounding blanks are usually a copy-and-paste accident, but a name is taken exactly as
  // given or refused: silently changing it would validate and certify something else than
  // what was sent.
  if (!name.empty() && (std::isspace(static_cast<unsigned char>(name.front())) ||
                        std::isspace(static_cast<unsigned char>(name.back())))) {
    return Rejected("surrounding_space", Quote(name) +
                                             " has spaces (or tabs, line breaks) before or "
                                             "after it; remove them");
  }
  if (name.empty())
    return Rejected("empty_name", "a domain name is empty; enter a name such as www.example.com");
  if (name.size() > 1024)
    return Rejected("name_too_long", "a domain name may have at most 253 characters");
  // libidn2 reads a C string: an IDN followed by a NUL would be converted without the rest,
  // so "ü.com\0anything" became the certificate name xn--tda.com (found by fuzz_domain_name).
  if (name.find('\0') != std::string::npos) {
    return Rejected("invalid_character", "a domain name contains a NUL character; remove it");
  }

  std::string literal = name;
  if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']') {
    literal = literal.substr(1, literal.size() - 2);
  }
  if (auto ip = ParseIpAddress(literal)) {
    if (IsReservedAddress(*ip)) {
      return Rejected("reserved_ip", Quote(name) +
                                         " is a reserved (private, loopback or special-use) IP "
                                         "address; publicly trusted certificates cannot name it");
    }
    return Rejected("ip_address_unsupported",
                    Quote(name) +
                        " is an IP address; Signet validates domain names only, so "
                        "request a certificate for a domain name that points to it");
  }

  if (name.back() == '.') name.pop_back();  // the root's dot is implied in certificates
  if (!IsAscii(name)) {
    char* ascii = nullptr;
    int rc = idn2_to_ascii_8z(name.c_str(), &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (rc != IDN2_OK) {
      std::free(ascii);
      return Rejected("invalid_idn", Quote(name) +
                                         " is not a valid internationalized domain "
                                         "name (" +
                                         idn2_strerror(rc) + ")");
    }
    name = ascii;
    std::free(ascii);
  }
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });

  Identifier id;
  std::string base = name;
  if (name.starts_with("*.")) {
    id.wildcard = true;
    base = name.substr(2);
  }
  if (base.find('*') != std::string::npos) {
    if (id.wildcard && base.starts_with("*.")) {
      return Rejected("invalid_wildcard", Quote(name) +
                                              " has more than one wildcard label; only "
                                              "one '*.' at the very left is allowed, "
                                              "e.g. *.example.com");
    }
    return Rejected("invalid_wildcard",
                    Quote(name) +
                        " has '*' in the wrong place; a wildcard must be the whole "
                        "leftmost label, e.g. *.example.com");
  }
  if (name.size() > 253) {
    return Rejected("name_too_long", Quote(name.substr(0, 40) + "...") + " is " +
                                         std::to_string(name.size()) +
                                         " characters long; a domain name may have at most 253");
  }
  std::vector<std::string> labels = SplitLabels(base);
  for (const std::string& label : labels) SIGNET_RETURN_IF_ERROR(CheckLabel(label, name));
  if (labels.size() < 2 && !IsPublicSuffix(base)) {
    return Rejected("not_fully_qualified",
                    Quote(name) +
                        " is a single label; use the fully qualified domain name, e.g. "
                        "www.example.com");
  }
  const std::string& tld = labels.back();
  if (std::all_of(tld.begin(), tld.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Rejected("invalid_tld", Quote(name) +
                                       " ends in a numeric label, which is not a "
                                       "top-level domain (an incomplete IP address?)");
  }

  std::string internal = impl_->InternalSuffixOf(base);
  if (internal.empty() &&
      !psl_is_public_suffix2(impl_->psl, tld.c_str(), PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE)) {
    return Rejected("internal_name",
                    Quote(name) + " is an internal name: '." + tld +
                        "' is not a public top-level domain. Publicly trusted certificates may "
                        "only name registered domains (BR 7.1.4.3)");
  }
  if (IsPublicSuffix(base)) {
    if (id.wildcard) {
      return Rejected("wildcard_on_public_suffix",
                      Quote(name) + " is a wildcard directly on the public suffix '" + base +
                          "'; request a wildcard under your own domain, e.g. *.example." + base);
    }
    return Rejected("public_suffix", Quote(name) +
                                         " is a public suffix, not a domain someone "
                                         "registers; request a name under it, e.g. "
                                         "example." +
                                         base);
  }
  if (!internal.empty()) {
    // The label just left of the internal suffix, plus the suffix.
    std::string rest = base.substr(0, base.size() - internal.size() - 1);
    size_t dot = rest.rfind('.');
    id.registrable = (dot == std::string::npos ? rest : rest.substr(dot + 1)) + "." + internal;
  } else if (const char* reg = psl_registrable_domain(impl_->psl, base.c_str())) {
    id.registrable = reg;
  }
  id.name = name;
  id.base = base;
  return id;
}

std::vector<Identifier> WithCoveredNames(const std::vector<Identifier>& requested,
                                         const NamePolicy& policy) {
  std::vector<Identifier> out;
  std::set<std::string> seen;
  auto add = [&](const Identifier& id) {
    if (seen.insert(id.name).second) out.push_back(id);
  };
  for (const Identifier& id : requested) add(id);
  for (const Identifier& id : requested) {
    std::string bare;
    if (id.wildcard) {
      bare = id.base;
    } else if (id.base.starts_with("www.")) {
      bare = id.base.substr(4);
    }
    if (bare.empty() || seen.count(bare) > 0 || policy.IsPublicSuffix(bare)) continue;
    auto parsed = policy.Parse(bare);
    if (parsed.ok()) add(*parsed);
  }
  return out;
}

bool ValidationCovers(const std::string& validated, const std::string& base, bool allow_parent) {
  if (validated == base) return true;
  return allow_parent && base.size() > validated.size() && base.ends_with("." + validated);
}

}  // namespace signet::va

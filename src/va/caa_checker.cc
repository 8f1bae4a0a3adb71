#include "signet/va/caa_checker.h"

#include <algorithm>
#include <set>

namespace signet::va {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Tags this CA understands (RFC 8659 section 4, RFC 9495's contact tags, and the CA/Browser
// Forum's issuemail/issuevmc which simply do not concern TLS certificates).
const std::set<std::string> kKnownTags = {"issue",        "issuewild", "iodef",   "contactemail",
                                          "contactphone", "issuemail", "issuevmc"};

struct IssueValue {
  bool well_formed = true;
  std::string issuer;  // empty: nobody may issue
  std::vector<std::pair<std::string, std::string>> parameters;
};

// issue-value = *WSP [issuer-domain-name *WSP] [";" *WSP [parameters *WSP]]   (RFC 8659 4.2)
IssueValue ParseIssueValue(const std::string& value) {
  IssueValue out;
  size_t semi = value.find(';');
  out.issuer = Lower(Trim(value.substr(0, semi)));
  while (!out.issuer.empty() && out.issuer.back() == '.') out.issuer.pop_back();
  for (char c : out.issuer) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
      out.well_formed = false;
    }
  }
  if (semi == std::string::npos) return out;
  std::string rest = value.substr(semi + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t end = rest.find(';', start);
    std::string p =
        Trim(rest.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (!p.empty()) {
      size_t eq = p.find('=');
      if (eq == std::string::npos || eq == 0) {
        out.well_formed = false;
      } else {
        out.parameters.emplace_back(Lower(Trim(p.substr(0, eq))), Trim(p.substr(eq + 1)));
      }
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string Presentation(const CaaRecord& r) {
  return std::to_string(r.flags) + " " + r.tag + " \"" + r.value + "\"";
}

}  // namespace

std::string CaaMethodLabel(const std::string& method) {
  if (method == "http-01" || method == "dns-01" || method == "tls-alpn-01") return method;
  if (method.rfind("acme_", 0) == 0) {  // Signet's names for the ACME methods: acme_http_01
    std::string label = method.substr(5);
    std::replace(label.begin(), label.end(), '_', '-');
    return label;
  }
  std::string label = "ca-" + method;
  std::replace(label.begin(), label.end(), '_', '-');
  return label;
}

CaaChecker::CaaChecker(DnsResolver& resolver, std::vector<std::string> issuer_domains,
                       std::vector<std::string> unqueried_suffixes)
    : resolver_(resolver) {
  for (auto& d : issuer_domains) issuer_domains_.push_back(Lower(d));
  for (auto& d : unqueried_suffixes) unqueried_suffixes_.push_back(Lower(d));
}

Result<CaaResult> CaaChecker::Check(const CaaRequest& request) const {
  CaaResult result;
  // RFC 8659 section 3: climb from the name towards the root, stopping at the first non-empty
  // CAA RRset (the resolver follows CNAMEs at each step). The root itself is not queried.
  std::string name = Lower(request.name);
  std::vector<CaaRecord> relevant;
  while (!name.empty()) {
    if (std::find(unqueried_suffixes_.begin(), unqueried_suffixes_.end(), name) !=
        unqueried_suffixes_.end()) {
      break;
    }
    SIGNET_ASSIGN_OR_RETURN(DnsAnswer answer, resolver_.Resolve(name, DnsType::kCaa));
    if (answer.dnssec == DnssecState::kBogus) {
      return Status::Error(ErrorCode::kDns, "dnssec_bogus",
                           "the CAA lookup of " + name + " failed DNSSEC validation (" +
                               answer.why_bogus + "); fix the zone's signatures");
    }
    if (!answer.rdata.empty()) {
      result.relevant_name = name;
      result.dnssec = answer.dnssec;
      for (const std::string& rd : answer.rdata) {
        auto rec = ParseCaaRdata(rd);
        if (!rec.ok()) {
          return Status::Error(ErrorCode::kCaa, "caa_malformed",
                               "a CAA record at " + name + " cannot be parsed; fix or remove it");
        }
        relevant.push_back(*rec);
        result.records.push_back(Presentation(*rec));
      }
      break;
    }
    size_t dot = name.find('.');
    if (dot == std::string::npos) break;
    name = name.substr(dot + 1);
  }
  if (relevant.empty()) {
    result.permitted = true;
    result.detail = "no CAA records for " + request.name + " or its parents: any CA may issue";
    return result;
  }
  for (const CaaRecord& r : relevant) {
    if (r.critical() && kKnownTags.count(r.tag) == 0) {
      result.detail = "the CAA record '" + Presentation(r) + "' at " + result.relevant_name +
                      " has the critical flag on a property Signet does not understand, which "
                      "forbids issuance (RFC 8659 4.1); remove the flag or the record";
      return result;
    }
  }
  // For a wildcard, issuewild properties (if any) replace issue properties (RFC 8659 4.3).
  std::string tag = "issue";
  if (request.wildcard && std::any_of(relevant.begin(), relevant.end(),
                                      [](const CaaRecord& r) { return r.tag == "issuewild"; })) {
    tag = "issuewild";
  }
  std::vector<const CaaRecord*> properties;
  for (const CaaRecord& r : relevant) {
    if (r.tag == tag) properties.push_back(&r);
  }
  if (properties.empty()) {
    result.permitted = true;
    result.detail = "the CAA records at " + result.relevant_name + " do not restrict issuance";
    return result;
  }
  std::string refusals;
  for (const CaaRecord* r : properties) {
    IssueValue v = ParseIssueValue(r->value);
    if (!v.well_formed || v.issuer.empty()) continue;
    if (std::find(issuer_domains_.begin(), issuer_domains_.end(), v.issuer) ==
        issuer_domains_.end()) {
      continue;
    }
    bool ok = true;
    for (const auto& [key, val] : v.parameters) {
      if (key == "accounturi" && val != request.account_uri) {
        ok = false;
        refusals += " The record '" + Presentation(*r) + "' is for another account (" + val +
                    "; yours is " + request.account_uri + ").";
      }
      if (key == "validationmethods") {
        std::set<std::string> methods;
        size_t s = 0;
        while (s <= val.size()) {
          size_t c = val.find(',', s);
          methods.insert(Lower(Trim(val.substr(s, c == std::string::npos ? c : c - s))));
          if (c == std::string::npos) break;
          s = c + 1;
        }
        if (methods.count(request.method_label) == 0) {
          ok = false;
          refusals += " The record '" + Presentation(*r) +
                      "' allows only the validation "
                      "methods " +
                      val + ", not " + request.method_label + ".";
        }
      }
    }
    if (ok) {
      result.permitted = true;
      result.detail =
          "CAA at " + result.relevant_name + " authorizes this CA ('" + Presentation(*r) + "')";
      return result;
    }
  }
  std::string ours = issuer_domains_.empty() ? "" : issuer_domains_.front();
  result.detail = "CAA records at " + result.relevant_name + " do not authorize this CA to issue " +
                  (tag == "issuewild" ? "wildcard " : "") + "certificates for " +
                  (request.wildcard ? "*." : "") + request.name + "." + refusals +
                  " To allow it, add: " + result.relevant_name + " CAA 0 " + tag + " \"" + ours +
                  "\"";
  return result;
}

}  // namespace signet::va

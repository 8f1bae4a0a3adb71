#include <algorithm>

#include "signet/va/perspective.h"
#include "va/tls_alpn_check.h"

namespace signet::va {

namespace {

const char* DnssecName(DnssecState s) {
  switch (s) {
    case DnssecState::kSecure:
      return "secure";
    case DnssecState::kBogus:
      return "bogus";
    case DnssecState::kInsecure:
      break;
  }
  return "insecure";
}

PerspectiveResult Failed(PerspectiveResult r, std::string reason, std::string error) {
  r.ok = false;
  r.reason = std::move(reason);
  r.error = std::move(error);
  return r;
}

std::string Shown(const std::string& value) {
  std::string out;
  for (char c : value.substr(0, 120)) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += '?';
    else
      out += c;
  }
  if (value.size() > 120) out += "...";
  return "'" + out + "'";
}

// Why `got` is not `expected`, in words that point at the usual mistake.
std::string Mismatch(const std::string& got, const std::string& expected) {
  if (got.size() > expected.size() && got.compare(0, expected.size(), expected) == 0) {
    std::string extra = got.substr(expected.size());
    if (extra.find_first_not_of("\r\n \t") == std::string::npos) {
      return "the content is the value followed by " + Shown(extra) +
             " (a trailing newline or spaces); the body must be exactly the value, with "
             "nothing after it";
    }
  }
  return "found " + Shown(got) + " but expected " + Shown(expected);
}

}  // namespace

LocalPerspective::LocalPerspective(std::string name, DnsResolver& resolver,
                                   FileFetcherOptions fetch,
                                   std::vector<std::string> caa_issuer_domains,
                                   std::vector<std::string> internal_suffixes)
    : name_(std::move(name)),
      resolver_(resolver),
      fetch_options_(fetch),
      fetcher_(resolver, fetch),
      caa_(resolver, std::move(caa_issuer_domains), std::move(internal_suffixes)) {}

PerspectiveResult LocalPerspective::Check(const CheckRequest& request) {
  if (request.kind == "dns_txt") return CheckTxt(request);
  if (request.kind == "file") return CheckFile(request);
  if (request.kind == "caa") return CheckCaa(request);
  if (request.kind == "http_01") return CheckHttp01(request);
  if (request.kind == "tls_alpn_01") return CheckTlsAlpn01(request);
  PerspectiveResult r;
  r.perspective = name_;
  return Failed(r, "unknown_check", "unknown check kind '" + request.kind + "'");
}

PerspectiveResult LocalPerspective::CheckTxt(const CheckRequest& request) {
  PerspectiveResult r;
  r.perspective = name_;
  auto answer = resolver_.Resolve(request.name, DnsType::kTxt);
  if (!answer.ok()) {
    r.seen = "lookup failed";
    return Failed(r, answer.status().reason(), answer.status().message());
  }
  r.dnssec = DnssecName(answer->dnssec);
  std::string via = answer->canonical != request.name && answer->canonical + "." != request.name &&
                            answer->canonical != request.name + "."
                        ? " (via CNAME to " + answer->canonical + ")"
                        : "";
  if (answer->dnssec == DnssecState::kBogus) {
    r.seen = "DNSSEC bogus" + via;
    return Failed(r, "dnssec_bogus",
                  "the TXT lookup of " + request.name + " failed DNSSEC validation (" +
                      answer->why_bogus + "); fix the zone's DNSSEC signatures or DS record");
  }
  if (answer->nxdomain) {
    r.seen = "NXDOMAIN" + via;
    return Failed(r, "nxdomain",
                  request.name + " does not exist (NXDOMAIN)" + via +
                      "; add a TXT record there with the value " + Shown(request.expected));
  }
  std::vector<std::string> values;
  for (const std::string& rd : answer->rdata) values.push_back(TxtRdataToString(rd));
  if (values.empty()) {
    r.seen = "no TXT records" + via;
    return Failed(r, "no_record",
                  "there is no TXT record at " + request.name + via + "; add one with the value " +
                      Shown(request.expected));
  }
  for (size_t i = 0; i < values.size(); ++i) {
    r.seen += (i ? ", " : "TXT ") + Shown(values[i]);
  }
  r.seen += via;
  if (std::find(values.begin(), values.end(), request.expected) != values.end()) {
    r.ok = true;
    return r;
  }
  return Failed(r, "wrong_value",
                "the TXT record at " + request.name + via + ": " +
                    Mismatch(values.front(), request.expected));
}

PerspectiveResult LocalPerspective::CheckFile(const CheckRequest& request) {
  PerspectiveResult r;
  r.perspective = name_;
  const std::string path = "/.well-known/pki-validation/fileauth.txt";
  std::string errors;
  std::string first_reason;
  for (const char* scheme : {"http", "https"}) {
    auto fetched = fetcher_.Fetch(scheme, request.name, path);
    std::string where = std::string(scheme) + "://" + request.name + path;
    if (!fetched.ok()) {
      r.seen += (r.seen.empty() ? "" : "; ") + where + ": " + fetched.status().message();
      errors += (errors.empty() ? "" : "; ") + fetched.status().message();
      if (first_reason.empty()) first_reason = fetched.status().reason();
      continue;
    }
    std::string hops;
    for (const auto& h : fetched->hops) hops += (hops.empty() ? "" : ", ") + h;
    r.seen += (r.seen.empty() ? "" : "; ") + hops + " body " + Shown(fetched->body);
    if (fetched->status < 200 || fetched->status > 299) {
      errors += (errors.empty() ? "" : "; ") + where + " answered HTTP " +
                std::to_string(fetched->status) +
                (fetched->status == 404 ? " (not found): put the file at exactly this path" : "");
      if (first_reason.empty()) first_reason = "http_" + std::to_string(fetched->status);
      continue;
    }
    if (fetched->body == request.expected) {
      r.ok = true;
      r.error.clear();
      return r;
    }
    errors +=
        (errors.empty() ? "" : "; ") + where + ": " + Mismatch(fetched->body, request.expected);
    if (first_reason.empty()) first_reason = "wrong_value";
  }
  return Failed(r, first_reason.empty() ? "file_not_found" : first_reason, errors);
}

PerspectiveResult LocalPerspective::CheckHttp01(const CheckRequest& request) {
  PerspectiveResult r;
  r.perspective = name_;
  // RFC 8555 8.3: the token is base64url, so it cannot smuggle a path or query into the URL.
  if (request.token.empty() ||
      request.token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_") != std::string::npos) {
    return Failed(r, "malformed", "the challenge token is not base64url");
  }
  const std::string path = "/.well-known/acme-challenge/" + request.token;
  auto fetched = fetcher_.Fetch("http", request.name, path);
  std::string where = "http://" + request.name + path;
  if (!fetched.ok()) {
    r.seen = where + ": " + fetched.status().message();
    return Failed(r, fetched.status().reason(), fetched.status().message());
  }
  std::string hops;
  for (const auto& h : fetched->hops) hops += (hops.empty() ? "" : ", ") + h;
  r.seen = hops + " body " + Shown(fetched->body);
  if (fetched->status < 200 || fetched->status > 299) {
    return Failed(r, "http_" + std::to_string(fetched->status),
                  where + " answered HTTP " + std::to_string(fetched->status));
  }
  // RFC 8555 8.3: whitespace at the end of the body is ignored.
  std::string body = fetched->body;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.pop_back();
  if (body != request.expected) {
    return Failed(r, "wrong_value", where + ": " + Mismatch(body, request.expected));
  }
  r.ok = true;
  return r;
}

PerspectiveResult LocalPerspective::CheckTlsAlpn01(const CheckRequest& request) {
  PerspectiveResult r;
  r.perspective = name_;
  std::string where = request.name + ":" + std::to_string(fetch_options_.tls_alpn_port);
  auto address = ResolveValidationAddress(resolver_, request.name,
                                          fetch_options_.allow_private_addresses, where);
  if (!address.ok()) {
    r.seen = where + ": " + address.status().message();
    return Failed(r, address.status().reason(), address.status().message());
  }
  auto probe = ProbeTlsAlpn(*address, fetch_options_.tls_alpn_port, request.name,
                            fetch_options_.timeout_ms);
  if (!probe.ok()) {
    r.seen = where + ": " + probe.status().message();
    return Failed(r, probe.status().reason(), probe.status().message());
  }
  r.seen = where + " [" + *address + "] selected '" + probe->alpn + "'";
  Status judged = JudgeTlsAlpn(*probe, request.name, request.expected);
  if (!judged.ok()) return Failed(r, judged.reason(), judged.message());
  r.ok = true;
  return r;
}

PerspectiveResult LocalPerspective::CheckCaa(const CheckRequest& request) {
  PerspectiveResult r;
  r.perspective = name_;
  CaaRequest caa{request.name, request.wildcard, request.account_uri, request.method_label};
  auto result = caa_.Check(caa);
  if (!result.ok()) {
    r.seen = "CAA lookup failed";
    if (result.status().reason() == "dnssec_bogus") r.dnssec = "bogus";
    return Failed(r,
                  result.status().reason() == "dnssec_bogus" ? "dnssec_bogus" : "caa_lookup_failed",
                  result.status().message() + "; a CAA lookup that fails is never permission");
  }
  r.dnssec = DnssecName(result->dnssec);
  if (result->records.empty()) {
    r.seen = "no CAA records";
  } else {
    r.seen = "CAA at " + result->relevant_name + ":";
    for (const auto& rec : result->records) r.seen += " [" + rec + "]";
  }
  if (!result->permitted) return Failed(r, "caa_forbidden", result->detail);
  r.ok = true;
  return r;
}

}  // namespace signet::va

#include "sa/validation_codec.h"

#include <nlohmann/json.hpp>

#include "sa/json_fields.h"
#include "signet/common/json_depth.h"

namespace signet::sa {

namespace {

using nlohmann::json;

constexpr auto Get = json_fields::GetString;
constexpr auto GetInt = json_fields::GetInt;
constexpr auto GetBool = json_fields::GetBool;

json EncodeQuorum(const QuorumOutcome& q) {
  json list = json::array();
  for (const auto& p : q.results) {
    list.push_back({{"perspective", p.perspective},
                    {"ok", p.ok},
                    {"seen", p.seen},
                    {"reason", p.reason},
                    {"error", p.error},
                    {"dnssec", p.dnssec}});
  }
  return {{"results", list},
          {"summary", q.summary},
          {"corroborating", q.corroborating},
          {"remote", q.remote},
          {"allowed_non_corroborations", q.allowed_non_corroborations}};
}

QuorumOutcome DecodeQuorum(const json& in) {
  QuorumOutcome q;
  if (auto it = in.find("results"); it != in.end() && it->is_array()) {
    for (const auto& p : *it) {
      if (!p.is_object()) continue;
      q.results.push_back({Get(p, "perspective"), GetBool(p, "ok"), Get(p, "seen"),
                           Get(p, "reason"), Get(p, "error"), Get(p, "dnssec")});
    }
  }
  q.summary = Get(in, "summary");
  q.corroborating = GetInt(in, "corroborating");
  q.remote = GetInt(in, "remote");
  q.allowed_non_corroborations = GetInt(in, "allowed_non_corroborations");
  return q;
}

}  // namespace

std::string EncodeValidationDetails(const ValidationDetails& d) {
  json out = {{"requested", d.requested}, {"wildcard", d.wildcard}};
  if (!d.record_name.empty()) out["record_name"] = d.record_name;
  if (!d.cname_target.empty()) out["cname_target"] = d.cname_target;
  if (d.dns_auto) {
    out["dns_auto"] = {{"server", d.dns_auto->server},
                       {"zone", d.dns_auto->zone},
                       {"key_name", d.dns_auto->key_name},
                       {"algorithm", d.dns_auto->algorithm}};
  }
  if (!d.email.empty()) out["email"] = d.email;
  if (!d.key_authorization.empty()) out["key_authorization"] = d.key_authorization;
  if (!d.upstream_challenge.empty()) out["upstream_challenge"] = d.upstream_challenge;
  if (!d.upstream_authorization.empty()) out["upstream_authorization"] = d.upstream_authorization;
  if (!d.upstream_token.empty()) out["upstream_token"] = d.upstream_token;
  if (!d.perspectives.empty()) out["perspectives"] = d.perspectives;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

ValidationDetails DecodeValidationDetails(std::string_view text) {
  ValidationDetails d;
  if (!JsonNestsAtMost(text, kMaxRequestJsonDepth)) return d;
  json in = json::parse(text, nullptr, false);
  if (!in.is_object()) return d;
  d.requested = Get(in, "requested");
  d.wildcard = GetBool(in, "wildcard");
  d.record_name = Get(in, "record_name");
  d.cname_target = Get(in, "cname_target");
  if (auto it = in.find("dns_auto"); it != in.end() && it->is_object()) {
    core::DnsAutoSettings a;
    a.server = Get(*it, "server");
    a.zone = Get(*it, "zone");
    a.key_name = Get(*it, "key_name");
    a.algorithm = Get(*it, "algorithm");
    d.dns_auto = a;
  }
  d.email = Get(in, "email");
  d.key_authorization = Get(in, "key_authorization");
  d.upstream_challenge = Get(in, "upstream_challenge");
  d.upstream_authorization = Get(in, "upstream_authorization");
  d.upstream_token = Get(in, "upstream_token");
  d.perspectives = Get(in, "perspectives");
  return d;
}

std::string EncodeAttemptEvidence(const AttemptEvidence& e) {
  json out = json::object();
  if (e.dcv) out["dcv"] = EncodeQuorum(*e.dcv);
  if (e.caa) out["caa"] = EncodeQuorum(*e.caa);
  if (!e.summary.empty()) out["summary"] = e.summary;
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

AttemptEvidence DecodeAttemptEvidence(std::string_view text) {
  AttemptEvidence e;
  if (!JsonNestsAtMost(text, kMaxRequestJsonDepth)) return e;
  json in = json::parse(text, nullptr, false);
  if (!in.is_object()) return e;
  if (auto it = in.find("dcv"); it != in.end() && it->is_object()) e.dcv = DecodeQuorum(*it);
  if (auto it = in.find("caa"); it != in.end() && it->is_object()) e.caa = DecodeQuorum(*it);
  e.summary = Get(in, "summary");
  return e;
}

}  // namespace signet::sa

#include "sa/monitor_check_codec.h"

#include "sa/json_fields.h"

namespace signet::sa {

using json_fields::GetString;
using json_fields::PutNonEmpty;

namespace {

int64_t GetMicros(const nlohmann::json& in, const char* field) {
  auto it = in.find(field);
  return it != in.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

std::string EncodeAddressChecks(const std::vector<AddressCheck>& addresses) {
  nlohmann::json out = nlohmann::json::array();
  for (const AddressCheck& a : addresses) {
    nlohmann::json j = {{"address", a.address}, {"status", std::string(core::Name(a.status))}};
    PutNonEmpty(j, "certificate_id", a.certificate_id);
    PutNonEmpty(j, "tls_version", a.tls_version);
    if (a.certificate) {
      const ServedCertificate& c = *a.certificate;
      j["certificate"] = {{"serial", c.serial_hex},
                          {"names", c.names},
                          {"subject", c.subject},
                          {"issuer", c.issuer},
                          {"not_before", ToUnixMicros(c.not_before)},
                          {"not_after", ToUnixMicros(c.not_after)},
                          {"sha256", c.sha256_hex},
                          {"key", c.key}};
    }
    nlohmann::json problems = nlohmann::json::array();
    for (const MonitorProblem& p : a.problems) {
      problems.push_back({{"code", p.code}, {"detail", p.detail}});
    }
    j["problems"] = problems;
    out.push_back(std::move(j));
  }
  // Text from certificates is cleaned by the judge; replace anything that is still not UTF-8
  // rather than lose the check.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<AddressCheck> DecodeAddressChecks(std::string_view text) {
  std::vector<AddressCheck> out;
  auto in = nlohmann::json::parse(text, nullptr, false);
  if (!in.is_array()) return out;
  for (const auto& j : in) {
    if (!j.is_object()) continue;
    AddressCheck a;
    a.address = GetString(j, "address");
    a.status = core::ParseMonitorStatus(GetString(j, "status"))
                   .value_or(core::MonitorStatus::kUnreachable);
    a.certificate_id = GetString(j, "certificate_id");
    a.tls_version = GetString(j, "tls_version");
    auto c = j.find("certificate");
    if (c != j.end() && c->is_object()) {
      ServedCertificate sc;
      sc.serial_hex = GetString(*c, "serial");
      auto names = c->find("names");
      if (names != c->end() && names->is_array()) {
        for (const auto& n : *names) {
          if (n.is_string()) sc.names.push_back(n.get<std::string>());
        }
      }
      sc.subject = GetString(*c, "subject");
      sc.issuer = GetString(*c, "issuer");
      sc.not_before = FromUnixMicros(GetMicros(*c, "not_before"));
      sc.not_after = FromUnixMicros(GetMicros(*c, "not_after"));
      sc.sha256_hex = GetString(*c, "sha256");
      sc.key = GetString(*c, "key");
      a.certificate = std::move(sc);
    }
    auto problems = j.find("problems");
    if (problems != j.end() && problems->is_array()) {
      for (const auto& p : *problems) {
        if (p.is_object()) a.problems.push_back({GetString(p, "code"), GetString(p, "detail")});
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace signet::sa

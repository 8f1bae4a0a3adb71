#include "sa/application_codec.h"

#include <nlohmann/json.hpp>

#include "sa/json_fields.h"
#include "signet/common/json_depth.h"

namespace signet::sa {

namespace {

using nlohmann::json;

// Fields are stored only when set, as the format always did.
constexpr auto Put = json_fields::PutNonEmpty;
constexpr auto Get = json_fields::GetString;
constexpr auto GetInt = json_fields::GetInt;

json EncodePerson(const core::Person& p) {
  json out = json::object();
  Put(out, "name", p.name);
  Put(out, "position", p.position);
  Put(out, "phone", p.phone);
  Put(out, "email", p.email);
  return out;
}

core::Person DecodePerson(const json& in) {
  return {Get(in, "name"), Get(in, "position"), Get(in, "phone"), Get(in, "email")};
}

}  // namespace

std::string EncodeApplication(const core::Application& a) {
  json out = json::object();
  if (a.domains) out["domains"] = *a.domains;
  if (a.key) {
    if (a.key->Generates()) {
      json g = {{"algorithm", a.key->algorithm}};
      Put(g, "password", a.key->password);
      Put(g, "password_sealed", a.key->password_sealed);
      out["key"] = {{"generate", g}};
    } else {
      out["key"] = {{"csr", a.key->csr_pem}};
    }
  }
  Put(out, "applicant_type", a.applicant_type);
  if (a.organization) {
    const core::OrganizationInfo& o = *a.organization;
    json org = json::object();
    for (const auto& [field, member] : core::kOrganizationFields) {
      Put(org, field, o.*member);
    }
    out["organization"] = org;
  }
  Put(out, "organization_id", a.organization_id);
  if (a.administrator) out["administrator"] = EncodePerson(*a.administrator);
  Put(out, "administrator_id", a.administrator_id);
  if (a.contact_same_as_administrator) {
    out["contact"] = "same_as_administrator";
  } else if (a.contact) {
    out["contact"] = EncodePerson(*a.contact);
  }
  Put(out, "validation_method", a.validation_method);
  if (a.dns_auto) {
    json d = json::object();
    Put(d, "server", a.dns_auto->server);
    Put(d, "zone", a.dns_auto->zone);
    Put(d, "key_name", a.dns_auto->key_name);
    Put(d, "algorithm", a.dns_auto->algorithm);
    Put(d, "secret", a.dns_auto->secret);
    Put(d, "secret_sealed", a.dns_auto->secret_sealed);
    out["dns_auto"] = d;
  }
  if (a.allowance) {
    out["allowance"] = {{"common", a.allowance->common},
                        {"wildcard", a.allowance->wildcard},
                        {"any", a.allowance->any}};
  }
  if (a.term_ends_at_micros) out["term_ends_at"] = *a.term_ends_at_micros;
  if (a.exact_names) out["exact_names"] = true;
  if (a.from_acme) out["source"] = "acme";
  Put(out, "review_reused_from", a.review_reused_from);
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

core::Application DecodeApplication(std::string_view text) {
  core::Application a;
  if (!JsonNestsAtMost(text, kMaxRequestJsonDepth)) return a;
  json in = json::parse(text, nullptr, false);
  if (!in.is_object()) return a;
  if (auto it = in.find("domains"); it != in.end() && it->is_array()) {
    a.domains.emplace();
    for (const auto& d : *it) {
      if (d.is_string()) a.domains->push_back(d.get<std::string>());
    }
  }
  if (auto it = in.find("key"); it != in.end() && it->is_object()) {
    core::KeyChoice key;
    if (auto g = it->find("generate"); g != it->end() && g->is_object()) {
      key.algorithm = Get(*g, "algorithm");
      key.password = Get(*g, "password");
      key.password_sealed = Get(*g, "password_sealed");
    } else {
      key.csr_pem = Get(*it, "csr");
    }
    a.key = key;
  }
  a.applicant_type = Get(in, "applicant_type");
  if (auto it = in.find("organization"); it != in.end() && it->is_object()) {
    const json& o = *it;
    core::OrganizationInfo org;
    for (const auto& [field, member] : core::kOrganizationFields) {
      org.*member = Get(o, field);
    }
    a.organization = org;
  }
  a.organization_id = Get(in, "organization_id");
  if (auto it = in.find("administrator"); it != in.end() && it->is_object()) {
    a.administrator = DecodePerson(*it);
  }
  a.administrator_id = Get(in, "administrator_id");
  if (auto it = in.find("contact"); it != in.end()) {
    if (it->is_object()) a.contact = DecodePerson(*it);
    if (it->is_string()) a.contact_same_as_administrator = true;
  }
  a.validation_method = Get(in, "validation_method");
  if (auto it = in.find("dns_auto"); it != in.end() && it->is_object()) {
    a.dns_auto =
        core::DnsAutoSettings{Get(*it, "server"),    Get(*it, "zone"),   Get(*it, "key_name"),
                              Get(*it, "algorithm"), Get(*it, "secret"), Get(*it, "secret_sealed")};
  }
  if (auto it = in.find("allowance"); it != in.end() && it->is_object()) {
    a.allowance =
        core::DomainAllowance{GetInt(*it, "common"), GetInt(*it, "wildcard"), GetInt(*it, "any")};
  }
  if (auto it = in.find("term_ends_at"); it != in.end() && it->is_number_integer()) {
    a.term_ends_at_micros = it->get<int64_t>();
  }
  a.exact_names = json_fields::GetBool(in, "exact_names");
  a.from_acme = Get(in, "source") == "acme";
  a.review_reused_from = Get(in, "review_reused_from");
  return a;
}

}  // namespace signet::sa

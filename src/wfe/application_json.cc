#include "wfe/application_json.h"

#include <set>
#include <string>

namespace signet::wfe {

namespace {

using nlohmann::json;

const std::set<std::string> kApplicationFields = {
    "domains",           "key",           "applicant_type",   "organization",
    "organization_id",   "administrator", "administrator_id", "contact",
    "validation_method", "dns_auto"};
const std::set<std::string> kOrganizationFieldNames = [] {
  std::set<std::string> names;
  for (const auto& [field, member] : core::kOrganizationFields) names.emplace(field);
  return names;
}();
const std::set<std::string> kPersonFields = {"name", "position", "phone", "email"};
const std::set<std::string> kDnsAutoFields = {"server", "zone", "key_name", "algorithm", "secret"};

Status Invalid(const std::string& message) { return MalformedError(message, "invalid_field"); }

Status CheckKnownFields(const json& object, const std::set<std::string>& allowed,
                        const std::string& where) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (allowed.count(it.key()) == 0) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return MalformedError("unknown field '" + where + it.key() + "'; allowed: " + list,
                            "unknown_field");
    }
  }
  return Status::Ok();
}

// A string member; absent and null read as empty.
Status ReadString(const json& object, const std::string& where, const std::string& field,
                  std::string* out) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return Invalid("'" + where + field + "' must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Result<core::Person> PersonFromJson(const json& input, const std::string& where) {
  if (!input.is_object()) return Invalid("'" + where + "' must be an object");
  SIGNET_RETURN_IF_ERROR(CheckKnownFields(input, kPersonFields, where + "."));
  core::Person p;
  SIGNET_RETURN_IF_ERROR(ReadString(input, where + ".", "name", &p.name));
  SIGNET_RETURN_IF_ERROR(ReadString(input, where + ".", "position", &p.position));
  SIGNET_RETURN_IF_ERROR(ReadString(input, where + ".", "phone", &p.phone));
  SIGNET_RETURN_IF_ERROR(ReadString(input, where + ".", "email", &p.email));
  return p;
}

Result<core::OrganizationInfo> OrganizationFromJson(const json& input) {
  if (!input.is_object()) return Invalid("'organization' must be an object");
  SIGNET_RETURN_IF_ERROR(CheckKnownFields(input, kOrganizationFieldNames, "organization."));
  core::OrganizationInfo o;
  for (const auto& [field, member] : core::kOrganizationFields) {
    SIGNET_RETURN_IF_ERROR(ReadString(input, "organization.", std::string(field), &(o.*member)));
  }
  return o;
}

json PersonJson(const core::Person& p) {
  json out = {{"name", p.name}};
  if (!p.position.empty()) out["position"] = p.position;
  out["phone"] = p.phone;
  out["email"] = p.email;
  return out;
}

}  // namespace

const std::set<std::string>& ApplicationFieldNames() { return kApplicationFields; }

Result<core::KeyChoice> KeyChoiceFromJson(const json& key, const std::string& where) {
  if (!key.is_object() || key.size() != 1 || !(key.contains("generate") || key.contains("csr"))) {
    return Invalid("'" + where +
                   "' must be {\"generate\": {\"algorithm\": ...}} or {\"csr\": PEM}");
  }
  core::KeyChoice choice;
  if (key.contains("generate")) {
    const json& g = key["generate"];
    if (!g.is_object()) return Invalid("'" + where + ".generate' must be an object");
    SIGNET_RETURN_IF_ERROR(CheckKnownFields(g, {"algorithm", "password"}, where + ".generate."));
    SIGNET_RETURN_IF_ERROR(ReadString(g, where + ".generate.", "algorithm", &choice.algorithm));
    SIGNET_RETURN_IF_ERROR(ReadString(g, where + ".generate.", "password", &choice.password));
    if (choice.algorithm.empty()) {
      return MalformedError("'" + where + ".generate.algorithm' is required", "missing_field");
    }
  } else {
    if (!key["csr"].is_string() || key["csr"].get<std::string>().empty()) {
      return Invalid("'" + where + ".csr' must be a PEM string");
    }
    choice.csr_pem = key["csr"].get<std::string>();
  }
  return choice;
}

Result<core::Application> ApplicationFromJson(const json& input) {
  if (!input.is_object()) return Invalid("the application must be a JSON object");
  SIGNET_RETURN_IF_ERROR(CheckKnownFields(input, kApplicationFields, ""));
  core::Application a;
  if (input.contains("domains")) {
    if (!input["domains"].is_array()) return Invalid("'domains' must be an array of names");
    a.domains.emplace();
    for (const auto& d : input["domains"]) {
      if (!d.is_string()) return Invalid("'domains' must contain only strings");
      a.domains->push_back(d.get<std::string>());
    }
  }
  if (input.contains("applicant_type")) {
    if (!input["applicant_type"].is_string()) return Invalid("'applicant_type' must be a string");
    a.applicant_type = input["applicant_type"].get<std::string>();
    if (a.applicant_type.empty()) return Invalid("'applicant_type' must be company or individual");
  }
  if (input.contains("key")) {
    SIGNET_ASSIGN_OR_RETURN(a.key, KeyChoiceFromJson(input["key"], "key"));
  }
  if (input.contains("organization")) {
    SIGNET_ASSIGN_OR_RETURN(a.organization, OrganizationFromJson(input["organization"]));
  }
  if (input.contains("organization_id")) {
    if (!input["organization_id"].is_string() || input["organization_id"].empty()) {
      return Invalid("'organization_id' must be a string");
    }
    a.organization_id = input["organization_id"].get<std::string>();
  }
  if (input.contains("administrator")) {
    SIGNET_ASSIGN_OR_RETURN(a.administrator,
                            PersonFromJson(input["administrator"], "administrator"));
  }
  if (input.contains("administrator_id")) {
    if (!input["administrator_id"].is_string() || input["administrator_id"].empty()) {
      return Invalid("'administrator_id' must be a string");
    }
    a.administrator_id = input["administrator_id"].get<std::string>();
  }
  if (input.contains("contact")) {
    const json& c = input["contact"];
    if (c.is_string()) {
      if (c.get<std::string>() != "same_as_administrator") {
        return Invalid("'contact' must be an object or \"same_as_administrator\"");
      }
      a.contact_same_as_administrator = true;
    } else {
      SIGNET_ASSIGN_OR_RETURN(a.contact, PersonFromJson(c, "contact"));
    }
  }
  if (input.contains("validation_method")) {
    const json& m = input["validation_method"];
    if (!m.is_string() || m.get<std::string>().empty()) {
      return Invalid("'validation_method' must be dns_txt, dns_cname, dns_auto, file or email");
    }
    a.validation_method = m.get<std::string>();
  }
  if (input.contains("dns_auto")) {
    const json& d = input["dns_auto"];
    if (!d.is_object()) return Invalid("'dns_auto' must be an object");
    SIGNET_RETURN_IF_ERROR(CheckKnownFields(d, kDnsAutoFields, "dns_auto."));
    core::DnsAutoSettings s;
    SIGNET_RETURN_IF_ERROR(ReadString(d, "dns_auto.", "server", &s.server));
    SIGNET_RETURN_IF_ERROR(ReadString(d, "dns_auto.", "zone", &s.zone));
    SIGNET_RETURN_IF_ERROR(ReadString(d, "dns_auto.", "key_name", &s.key_name));
    SIGNET_RETURN_IF_ERROR(ReadString(d, "dns_auto.", "algorithm", &s.algorithm));
    SIGNET_RETURN_IF_ERROR(ReadString(d, "dns_auto.", "secret", &s.secret));
    a.dns_auto = s;
  }
  return a;
}

json ApplicationJson(const core::Application& a) {
  json out = json::object();
  if (a.domains) out["domains"] = *a.domains;
  if (a.key) {
    if (a.key->Generates()) {
      out["key"] = {
          {"generate",
           {{"algorithm", a.key->algorithm}, {"password_set", !a.key->password_sealed.empty()}}}};
    } else {
      out["key"] = {{"csr", a.key->csr_pem}};
    }
  }
  if (!a.applicant_type.empty()) out["applicant_type"] = a.applicant_type;
  if (a.organization) {
    const core::OrganizationInfo& o = *a.organization;
    json org = json::object();
    for (const auto& [field, member] : core::kOrganizationFields) {
      if (!(o.*member).empty()) org[std::string(field)] = o.*member;
    }
    out["organization"] = org;
  }
  if (!a.organization_id.empty()) out["organization_id"] = a.organization_id;
  if (a.administrator) out["administrator"] = PersonJson(*a.administrator);
  if (!a.administrator_id.empty()) out["administrator_id"] = a.administrator_id;
  if (a.contact_same_as_administrator) {
    out["contact"] = "same_as_administrator";
  } else if (a.contact) {
    out["contact"] = PersonJson(*a.contact);
  }
  if (!a.validation_method.empty()) out["validation_method"] = a.validation_method;
  if (a.dns_auto) {
    json d = json::object();
    if (!a.dns_auto->server.empty()) d["server"] = a.dns_auto->server;
    if (!a.dns_auto->zone.empty()) d["zone"] = a.dns_auto->zone;
    if (!a.dns_auto->key_name.empty()) d["key_name"] = a.dns_auto->key_name;
    if (!a.dns_auto->algorithm.empty()) d["algorithm"] = a.dns_auto->algorithm;
    out["dns_auto"] = d;  // the TSIG secret never leaves
  }
  if (a.allowance) {
    out["allowance"] = {{"common", a.allowance->common},
                        {"wildcard", a.allowance->wildcard},
                        {"any", a.allowance->any}};
  }
  if (a.term_ends_at_micros) out["term_ends_at"] = *a.term_ends_at_micros;
  if (a.exact_names) out["exact_names"] = true;
  if (a.from_acme) out["source"] = "acme";
  if (!a.review_reused_from.empty()) out["review_reused_from"] = a.review_reused_from;
  return out;
}

}  // namespace signet::wfe

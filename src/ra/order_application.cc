#include "ra/order_application.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "signet/ca/csr.h"
#include "signet/ra/contact_rules.h"

namespace signet::ra {

namespace {

using nlohmann::json;

Status Invalid(const std::string& message, const std::string& reason = "invalid_field") {
  return MalformedError(message, reason);
}
Status Rejected(const std::string& reason, const std::string& message) {
  return Status::Error(ErrorCode::kRejectedIdentifier, reason, message);
}

const std::set<std::string> kApplicationFields = {
    "domains",           "key",           "applicant_type",   "organization",
    "organization_id",   "administrator", "administrator_id", "contact",
    "validation_method", "dns_auto"};
const std::set<std::string> kOrganizationFields = {"name",
                                                   "department",
                                                   "country",
                                                   "province",
                                                   "city",
                                                   "address",
                                                   "phone",
                                                   "registration_number",
                                                   "business_category",
                                                   "jurisdiction_country"};
const std::set<std::string> kPersonFields = {"name", "position", "phone", "email"};
const std::set<std::string> kAlgorithms = {"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072",
                                           "rsa-4096"};
const std::set<std::string> kMethods = {"dns_txt", "dns_cname", "dns_auto", "file", "email"};

Result<std::string> StringField(const json& object, const std::string& where,
                                const std::string& field, size_t max, bool required) {
  if (!object.contains(field) || object[field].is_null()) {
    if (required) return Invalid("'" + where + field + "' is required", "missing_field");
    return std::string();
  }
  if (!object[field].is_string()) return Invalid("'" + where + field + "' must be a string");
  std::string value = object[field].get<std::string>();
  if (value.size() > max) {
    return Invalid("'" + where + field + "' may be at most " + std::to_string(max) + " characters");
  }
  if (required && value.empty()) return Invalid("'" + where + field + "' must not be empty");
  return value;
}

Status CheckKnownFields(const json& object, const std::set<std::string>& allowed,
                        const std::string& where) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (allowed.count(it.key()) == 0) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return Invalid("unknown field '" + where + it.key() + "'; allowed: " + list, "unknown_field");
    }
  }
  return Status::Ok();
}

Result<json> Person(const json& input, const std::string& where, bool require_position) {
  if (!input.is_object()) return Invalid("'" + where + "' must be an object");
  SIGNET_RETURN_IF_ERROR(CheckKnownFields(input, kPersonFields, where + "."));
  json out = json::object();
  SIGNET_ASSIGN_OR_RETURN(std::string name, StringField(input, where + ".", "name", 100, true));
  SIGNET_ASSIGN_OR_RETURN(std::string position,
                          StringField(input, where + ".", "position", 100, require_position));
  SIGNET_ASSIGN_OR_RETURN(std::string phone, StringField(input, where + ".", "phone", 32, true));
  SIGNET_ASSIGN_OR_RETURN(std::string email, StringField(input, where + ".", "email", 254, true));
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!ValidPhone(phone)) {
    return Invalid("'" + where +
                   ".phone' must be a phone number of 6 to 20 digits (+, -, "
                   "spaces and parentheses allowed), e.g. +86 10 1234 5678");
  }
  if (!ValidEmail(email)) {
    return Invalid("'" + where + ".email' must be an email address such as it@example.com");
  }
  out["name"] = name;
  if (!position.empty()) out["position"] = position;
  out["phone"] = phone;
  out["email"] = email;
  return out;
}

Result<json> Organization(const json& input, ca::ProductType type) {
  if (!input.is_object()) return Invalid("'organization' must be an object");
  SIGNET_RETURN_IF_ERROR(CheckKnownFields(input, kOrganizationFields, "organization."));
  json out = json::object();
  for (const auto& [field, max, required] :
       std::vector<std::tuple<std::string, size_t, bool>>{{"name", 200, true},
                                                          {"department", 200, false},
                                                          {"country", 2, true},
                                                          {"province", 128, false},
                                                          {"city", 128, false},
                                                          {"address", 400, false},
                                                          {"phone", 32, false},
                                                          {"registration_number", 64, false},
                                                          {"business_category", 64, false},
                                                          {"jurisdiction_country", 2, false}}) {
    SIGNET_ASSIGN_OR_RETURN(std::string value,
                            StringField(input, "organization.", field, max, required));
    if (!value.empty()) out[field] = value;
  }
  std::string country = out.value("country", "");
  std::transform(country.begin(), country.end(), country.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
      !std::isalpha(static_cast<unsigned char>(country[1]))) {
    return Invalid("'organization.country' must be a two-letter ISO 3166 code such as CN");
  }
  out["country"] = country;
  if (out.value("province", "").empty() && out.value("city", "").empty()) {
    return Invalid(
        "'organization.city' or 'organization.province' is required: the "
        "certificate names the organization's locality (BR 7.1.2.7.4)",
        "missing_field");
  }
  if (out.contains("phone") && !ValidPhone(out["phone"].get<std::string>())) {
    return Invalid("'organization.phone' must be a phone number of 6 to 20 digits");
  }
  if (type == ca::ProductType::kEv) {
    if (out.value("registration_number", "").empty()) {
      return Invalid(
          "'organization.registration_number' is required for EV (the business "
          "license's registration number, EVG 7.1.4.2.5)",
          "missing_field");
    }
    if (!out.contains("business_category")) out["business_category"] = "Private Organization";
    static const std::set<std::string> kCategories = {"Private Organization", "Government Entity",
                                                      "Business Entity", "Non-Commercial Entity"};
    if (kCategories.count(out["business_category"].get<std::string>()) == 0) {
      return Invalid(
          "'organization.business_category' must be Private Organization, "
          "Government Entity, Business Entity or Non-Commercial Entity (EVG 7.1.4.2.3)");
    }
    if (!out.contains("jurisdiction_country")) out["jurisdiction_country"] = country;
  }
  return out;
}

}  // namespace

const std::set<std::string>& ApplicationFieldNames() { return kApplicationFields; }

bool IsFreeMailDomain(const std::string& domain) {
  static const std::set<std::string> kFree = {
      "gmail.com",    "googlemail.com", "qq.com",    "vip.qq.com",     "foxmail.com",
      "163.com",      "126.com",        "yeah.net",  "sina.com",       "sina.cn",
      "sohu.com",     "aliyun.com",     "139.com",   "189.cn",         "outlook.com",
      "hotmail.com",  "live.com",       "msn.com",   "yahoo.com",      "yahoo.co.jp",
      "icloud.com",   "me.com",         "aol.com",   "gmx.com",        "gmx.net",
      "mail.ru",      "yandex.ru",      "proton.me", "protonmail.com", "zoho.com",
      "tutanota.com", "web.de"};
  return kFree.count(domain) > 0;
}

Result<json> NormalizeApplication(const json& input, const Product& product,
                                  const va::NamePolicy& names, sa::Storage& storage,
                                  const std::string& account_id, const json& allowance) {
  if (!input.is_object()) return Invalid("the application must be a JSON object");
  SIGNET_RETURN_IF_ERROR(CheckKnownFields(input, kApplicationFields, ""));
  json out = json::object();
  bool ev = product.type == ca::ProductType::kEv;
  bool needs_org = product.type != ca::ProductType::kDv;

  // Domains: the seed's rules.
  std::vector<va::Identifier> domains;
  if (input.contains("domains")) {
    if (!input["domains"].is_array()) return Invalid("'domains' must be an array of names");
    std::set<std::string> seen;
    for (const auto& d : input["domains"]) {
      if (!d.is_string()) return Invalid("'domains' must contain only strings");
      SIGNET_ASSIGN_OR_RETURN(va::Identifier id, names.Parse(d.get<std::string>()));
      if (!seen.insert(id.name).second) {
        return Rejected("duplicate_domain",
                        "'" + id.name + "' is listed twice" +
                            (domains.empty() || domains.front().name != id.name
                                 ? ""
                                 : "; further domains may not repeat the common name"));
      }
      domains.push_back(id);
    }
    if (domains.empty()) return Invalid("'domains' must name at least one domain", "missing_field");
    int wildcards = static_cast<int>(
        std::count_if(domains.begin(), domains.end(), [](const auto& d) { return d.wildcard; }));
    int count = static_cast<int>(domains.size());
    const std::string& cov = product.coverage;
    if (allowance.is_object()) {
      // A merged order: the sum of its orders' common and wildcard names (PRODUCT.md, merge).
      int common = allowance.value("common", 0), wild = allowance.value("wildcard", 0),
          any = allowance.value("any", 0);
      int commons = count - wildcards;
      int over_common = std::max(0, commons - common), over_wild = std::max(0, wildcards - wild);
      if (over_common + over_wild > any) {
        return Rejected("domain_allowance",
                        "this merged order covers " + std::to_string(common) + " common and " +
                            std::to_string(wild) + " wildcard names" +
                            (any ? " plus " + std::to_string(any) + " of either" : "") +
                            "; you listed " + std::to_string(commons) + " common and " +
                            std::to_string(wildcards) + " wildcard names");
      }
      if (domains.front().wildcard) {
        return Rejected("wildcard_first",
                        "the first domain of a merged order must be a common "
                        "(non-wildcard) domain");
      }
    } else if (cov == "single" && (count != 1 || wildcards != 0)) {
      return Rejected("domain_allowance", "product " + product.id +
                                              " covers exactly one non-wildcard domain; choose a "
                                              "multi-domain or wildcard product for more");
    } else if (cov == "wildcard" && (count != 1 || wildcards != 1)) {
      return Rejected("domain_allowance", "product " + product.id +
                                              " covers exactly one wildcard name such as "
                                              "*.example.com (the bare example.com is included)");
    } else if (cov == "multi" && wildcards > 0) {
      return Rejected("domain_allowance", "product " + product.id +
                                              " does not cover wildcards; choose a product with "
                                              "wildcards");
    } else if (count > product.max_domains) {
      return Rejected("domain_allowance", "product " + product.id + " covers at most " +
                                              std::to_string(product.max_domains) +
                                              " domains (a wildcard counts as "
                                              "one); you listed " +
                                              std::to_string(count));
    }
    if (wildcards > 0 && wildcards < count && domains.front().wildcard) {
      return Rejected("wildcard_first",
                      "when wildcards are mixed with other names, the first domain (the common "
                      "name) must not be a wildcard; put e.g. " +
                          domains.front().base + " first");
    }
    json list = json::array();
    for (const auto& d : domains) list.push_back(d.name);
    out["domains"] = list;
  }

  if (input.contains("applicant_type")) {
    if (!input["applicant_type"].is_string()) return Invalid("'applicant_type' must be a string");
    std::string t = input["applicant_type"].get<std::string>();
    if (t != "company" && t != "individual") {
      return Invalid("'applicant_type' must be company or individual");
    }
    if (t == "individual" && needs_org) {
      return Status::Error(ErrorCode::kForbidden, "individual_not_allowed",
                           "individuals may apply for DV certificates only; OV and EV "
                           "certificates name an organization");
    }
    out["applicant_type"] = t;
  }

  if (input.contains("key")) {
    const json& key = input["key"];
    if (!key.is_object() || key.size() != 1 || !(key.contains("generate") || key.contains("csr"))) {
      return Invalid("'key' must be {\"generate\": {\"algorithm\": ...}} or {\"csr\": PEM}");
    }
    if (key.contains("generate")) {
      const json& g = key["generate"];
      if (!g.is_object()) return Invalid("'key.generate' must be an object");
      SIGNET_RETURN_IF_ERROR(CheckKnownFields(g, {"algorithm", "password"}, "key.generate."));
      SIGNET_ASSIGN_OR_RETURN(std::string algorithm,
                              StringField(g, "key.generate.", "algorithm", 16, true));
      if (kAlgorithms.count(algorithm) == 0) {
        return Invalid(
            "'key.generate.algorithm' must be ecdsa-p256, ecdsa-p384, rsa-2048, "
            "rsa-3072 or rsa-4096");
      }
      SIGNET_ASSIGN_OR_RETURN(std::string password,
                              StringField(g, "key.generate.", "password", 128, false));
      if (!password.empty() && password.size() < 8) {
        return Invalid("'key.generate.password' must have at least 8 characters");
      }
      json gen = {{"algorithm", algorithm}};
      if (!password.empty()) gen["password"] = password;
      out["key"] = {{"generate", gen}};
    } else {
      if (!key["csr"].is_string()) return Invalid("'key.csr' must be a PEM string");
      std::string pem = key["csr"].get<std::string>();
      SIGNET_ASSIGN_OR_RETURN(ca::ParsedCsr csr, ca::ParseCsr(pem));
      if (!domains.empty()) {
        std::vector<std::string> all;
        for (const auto& n : va::WithCoveredNames(domains, names)) all.push_back(n.name);
        SIGNET_RETURN_IF_ERROR(ca::CheckCsrNames(csr, all));
      }
      out["key"] = {{"csr", pem}};
    }
  }

  if (input.contains("organization") && input.contains("organization_id")) {
    return Invalid("give 'organization' or 'organization_id', not both");
  }
  if (input.contains("organization_id")) {
    if (!input["organization_id"].is_string()) return Invalid("'organization_id' must be a string");
    SIGNET_ASSIGN_OR_RETURN(
        sa::Organization saved,
        storage.GetOrganization(account_id, input["organization_id"].get<std::string>()));
    json o = {{"name", saved.name},       {"department", saved.department},
              {"country", saved.country}, {"province", saved.province},
              {"city", saved.city},       {"address", saved.address},
              {"phone", saved.phone}};
    for (auto it = o.begin(); it != o.end();) {
      it = it.value().get<std::string>().empty() ? o.erase(it) : std::next(it);
    }
    SIGNET_ASSIGN_OR_RETURN(out["organization"], Organization(o, product.type));
    out["organization_id"] = saved.id;
  } else if (input.contains("organization")) {
    SIGNET_ASSIGN_OR_RETURN(out["organization"], Organization(input["organization"], product.type));
  }

  if (input.contains("administrator") && input.contains("administrator_id")) {
    return Invalid("give 'administrator' or 'administrator_id', not both");
  }
  json administrator = input.value("administrator", json());
  if (input.contains("administrator_id")) {
    if (!input["administrator_id"].is_string()) {
      return Invalid("'administrator_id' must be a string");
    }
    SIGNET_ASSIGN_OR_RETURN(
        sa::Administrator saved,
        storage.GetAdministrator(account_id, input["administrator_id"].get<std::string>()));
    administrator = {{"name", saved.name}, {"phone", saved.phone}, {"email", saved.email}};
    if (!saved.position.empty()) administrator["position"] = saved.position;
    out["administrator_id"] = saved.id;
  }
  if (!administrator.is_null()) {
    SIGNET_ASSIGN_OR_RETURN(out["administrator"],
                            Person(administrator, "administrator", needs_org));
    std::string email = out["administrator"]["email"].get<std::string>();
    if (ev && IsFreeMailDomain(email.substr(email.find('@') + 1))) {
      return Status::Error(ErrorCode::kForbidden, "free_email",
                           "EV applications need the administrator's business email address; " +
                               email.substr(email.find('@') + 1) +
                               " is a free mailbox provider. Use an address at your "
                               "organization's own domain");
    }
  }
  if (input.contains("contact")) {
    if (input["contact"].is_string()) {
      if (input["contact"].get<std::string>() != "same_as_administrator") {
        return Invalid("'contact' must be an object or \"same_as_administrator\"");
      }
      out["contact"] = "same_as_administrator";
    } else {
      SIGNET_ASSIGN_OR_RETURN(out["contact"], Person(input["contact"], "contact", false));
    }
  }

  if (input.contains("validation_method")) {
    if (!input["validation_method"].is_string() ||
        kMethods.count(input["validation_method"].get<std::string>()) == 0) {
      return Invalid("'validation_method' must be dns_txt, dns_cname, dns_auto, file or email");
    }
    std::string method = input["validation_method"].get<std::string>();
    bool any_wildcard =
        std::any_of(domains.begin(), domains.end(), [](const auto& d) { return d.wildcard; });
    if (method == "file" && any_wildcard) {
      return Rejected("method_not_allowed",
                      "file validation cannot prove control of a wildcard (BR 3.2.2.4.18); "
                      "use dns_txt, dns_cname, dns_auto or email");
    }
    out["validation_method"] = method;
  }
  if (input.contains("dns_auto")) {
    if (out.value("validation_method", "") != "dns_auto") {
      return Invalid("'dns_auto' goes with \"validation_method\": \"dns_auto\"");
    }
    if (!input["dns_auto"].is_object()) return Invalid("'dns_auto' must be an object");
    out["dns_auto"] = input["dns_auto"];
  }
  return out;
}

std::vector<std::string> MissingForSubmit(const json& app, const Product& product) {
  std::vector<std::string> missing;
  if (!app.contains("domains")) missing.push_back("domains");
  if (!app.contains("key")) missing.push_back("key");
  if (product.type != ca::ProductType::kDv && !app.contains("organization")) {
    missing.push_back("organization");
  }
  if (!app.contains("administrator")) missing.push_back("administrator");
  if (app.value("validation_method", "") == "dns_auto" && !app.contains("dns_auto")) {
    missing.push_back("dns_auto");
  }
  return missing;
}

std::vector<va::Identifier> RequestedDomains(const json& app, const va::NamePolicy& names) {
  std::vector<va::Identifier> out;
  if (!app.contains("domains")) return out;
  for (const auto& d : app["domains"]) {
    auto id = names.Parse(d.get<std::string>());
    if (id.ok()) out.push_back(*id);
  }
  return out;
}

ca::SubjectIdentity SubjectFromApplication(const json& app, ca::ProductType type) {
  ca::SubjectIdentity s;
  if (type == ca::ProductType::kDv || !app.contains("organization")) return s;
  const json& o = app["organization"];
  s.organization = o.value("name", "");
  s.locality = o.value("city", "");
  s.state = o.value("province", "");
  s.country = o.value("country", "");
  if (type == ca::ProductType::kEv) {
    s.business_category = o.value("business_category", "Private Organization");
    s.jurisdiction_country = o.value("jurisdiction_country", s.country);
    s.registration_number = o.value("registration_number", "");
  }
  return s;
}

}  // namespace signet::ra

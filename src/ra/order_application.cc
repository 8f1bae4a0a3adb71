#include "ra/order_application.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "signet/ca/csr.h"
#include "signet/ra/contact_rules.h"

namespace signet::ra {

namespace {

Status Invalid(const std::string& message, const std::string& reason = "invalid_field") {
  return MalformedError(message, reason);
}
Status Rejected(const std::string& reason, const std::string& message) {
  return Status::Error(ErrorCode::kRejectedIdentifier, reason, message);
}

const std::set<std::string> kAlgorithms = {"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072",
                                           "rsa-4096"};
const std::set<std::string> kMethods = {"dns_txt", "dns_cname", "dns_auto", "file", "email"};

// A text field's rules: required (absent and empty are the same here) and a length limit.
Status CheckText(const std::string& value, const std::string& field, size_t max, bool required) {
  if (required && value.empty()) return Invalid("'" + field + "' is required", "missing_field");
  if (value.size() > max) {
    return Invalid("'" + field + "' may be at most " + std::to_string(max) + " characters");
  }
  return Status::Ok();
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Result<core::Person> CheckPerson(core::Person p, const std::string& where, bool require_position) {
  SIGNET_RETURN_IF_ERROR(CheckText(p.name, where + ".name", 100, true));
  SIGNET_RETURN_IF_ERROR(CheckText(p.position, where + ".position", 100, require_position));
  SIGNET_RETURN_IF_ERROR(CheckText(p.phone, where + ".phone", 32, true));
  SIGNET_RETURN_IF_ERROR(CheckText(p.email, where + ".email", 254, true));
  p.email = Lower(p.email);
  if (!ValidPhone(p.phone)) {
    return Invalid("'" + where +
                   ".phone' must be a phone number of 6 to 20 digits (+, -, "
                   "spaces and parentheses allowed), e.g. +86 10 1234 5678");
  }
  if (!ValidEmail(p.email)) {
    return Invalid("'" + where + ".email' must be an email address such as it@example.com");
  }
  return p;
}

Result<core::OrganizationInfo> CheckOrganization(core::OrganizationInfo o, ca::ProductType type) {
  for (const auto& [value, field, max, required] :
       std::vector<std::tuple<const std::string*, std::string, size_t, bool>>{
           {&o.name, "name", 200, true},
           {&o.department, "department", 200, false},
           {&o.country, "country", 2, true},
           {&o.province, "province", 128, false},
           {&o.city, "city", 128, false},
           {&o.address, "address", 400, false},
           {&o.phone, "phone", 32, false},
           {&o.registration_number, "registration_number", 64, false},
           {&o.business_category, "business_category", 64, false},
           {&o.jurisdiction_country, "jurisdiction_country", 2, false}}) {
    SIGNET_RETURN_IF_ERROR(CheckText(*value, "organization." + field, max, required));
  }
  std::transform(o.country.begin(), o.country.end(), o.country.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (o.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(o.country[0])) ||
      !std::isalpha(static_cast<unsigned char>(o.country[1]))) {
    return Invalid("'organization.country' must be a two-letter ISO 3166 code such as CN");
  }
  if (o.province.empty() && o.city.empty()) {
    return Invalid(
        "'organization.city' or 'organization.province' is required: the "
        "certificate names the organization's locality (BR 7.1.2.7.4)",
        "missing_field");
  }
  if (!o.phone.empty() && !ValidPhone(o.phone)) {
    return Invalid("'organization.phone' must be a phone number of 6 to 20 digits");
  }
  if (type == ca::ProductType::kEv) {
    if (o.registration_number.empty()) {
      return Invalid(
          "'organization.registration_number' is required for EV (the business "
          "license's registration number, EVG 7.1.4.2.5)",
          "missing_field");
    }
    if (o.business_category.empty()) o.business_category = "Private Organization";
    static const std::set<std::string> kCategories = {"Private Organization", "Government Entity",
                                                      "Business Entity", "Non-Commercial Entity"};
    if (kCategories.count(o.business_category) == 0) {
      return Invalid(
          "'organization.business_category' must be Private Organization, "
          "Government Entity, Business Entity or Non-Commercial Entity (EVG 7.1.4.2.3)");
    }
    if (o.jurisdiction_country.empty()) o.jurisdiction_country = o.country;
  }
  return o;
}

}  // namespace

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

Result<core::Application> NormalizeApplication(
    const core::Application& input, const Product& product, const va::NamePolicy& names,
    sa::Storage& storage, const std::string& account_id,
    const std::optional<core::DomainAllowance>& allowance) {
  core::Application out;
  bool ev = product.type == ca::ProductType::kEv;
  bool needs_org = product.type != ca::ProductType::kDv;

  // Domains: the seed's rules.
  std::vector<va::Identifier> domains;
  if (input.domains) {
    std::set<std::string> seen;
    for (const auto& d : *input.domains) {
      SIGNET_ASSIGN_OR_RETURN(va::Identifier id, names.Parse(d));
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
    if (allowance) {
      // A merged order: the sum of its orders' common and wildcard names (PRODUCT.md, merge).
      int common = allowance->common, wild = allowance->wildcard, any = allowance->any;
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
    out.domains.emplace();
    for (const auto& d : domains) out.domains->push_back(d.name);
  }

  if (!input.applicant_type.empty()) {
    const std::string& t = input.applicant_type;
    if (t != "company" && t != "individual") {
      return Invalid("'applicant_type' must be company or individual");
    }
    if (t == "individual" && needs_org) {
      return Status::Error(ErrorCode::kForbidden, "individual_not_allowed",
                           "individuals may apply for DV certificates only; OV and EV "
                           "certificates name an organization");
    }
    out.applicant_type = t;
  }

  if (input.key) {
    const core::KeyChoice& key = *input.key;
    core::KeyChoice checked;
    if (key.Generates()) {
      SIGNET_RETURN_IF_ERROR(CheckText(key.algorithm, "key.generate.algorithm", 16, true));
      if (kAlgorithms.count(key.algorithm) == 0) {
        return Invalid(
            "'key.generate.algorithm' must be ecdsa-p256, ecdsa-p384, rsa-2048, "
            "rsa-3072 or rsa-4096");
      }
      SIGNET_RETURN_IF_ERROR(CheckText(key.password, "key.generate.password", 128, false));
      if (!key.password.empty() && key.password.size() < 8) {
        return Invalid("'key.generate.password' must have at least 8 characters");
      }
      checked.algorithm = key.algorithm;
      checked.password = key.password;
    } else {
      SIGNET_ASSIGN_OR_RETURN(ca::ParsedCsr csr, ca::ParseCsr(key.csr_pem));
      if (!domains.empty()) {
        std::vector<std::string> all;
        for (const auto& n : va::WithCoveredNames(domains, names)) all.push_back(n.name);
        SIGNET_RETURN_IF_ERROR(ca::CheckCsrNames(csr, all));
      }
      checked.csr_pem = key.csr_pem;
    }
    out.key = checked;
  }

  if (input.organization && !input.organization_id.empty()) {
    return Invalid("give 'organization' or 'organization_id', not both");
  }
  if (!input.organization_id.empty()) {
    SIGNET_ASSIGN_OR_RETURN(sa::Organization saved,
                            storage.GetOrganization(account_id, input.organization_id));
    core::OrganizationInfo o;
    o.name = saved.name;
    o.department = saved.department;
    o.country = saved.country;
    o.province = saved.province;
    o.city = saved.city;
    o.address = saved.address;
    o.phone = saved.phone;
    SIGNET_ASSIGN_OR_RETURN(out.organization, CheckOrganization(o, product.type));
    out.organization_id = saved.id;
  } else if (input.organization) {
    SIGNET_ASSIGN_OR_RETURN(out.organization, CheckOrganization(*input.organization, product.type));
  }

  if (input.administrator && !input.administrator_id.empty()) {
    return Invalid("give 'administrator' or 'administrator_id', not both");
  }
  std::optional<core::Person> administrator = input.administrator;
  if (!input.administrator_id.empty()) {
    SIGNET_ASSIGN_OR_RETURN(sa::Administrator saved,
                            storage.GetAdministrator(account_id, input.administrator_id));
    administrator = core::Person{saved.name, saved.position, saved.phone, saved.email};
    out.administrator_id = saved.id;
  }
  if (administrator) {
    SIGNET_ASSIGN_OR_RETURN(out.administrator,
                            CheckPerson(*administrator, "administrator", needs_org));
    const std::string& email = out.administrator->email;
    std::string domain = email.substr(email.find('@') + 1);
    if (ev && IsFreeMailDomain(domain)) {
      return Status::Error(ErrorCode::kForbidden, "free_email",
                           "EV applications need the administrator's business email address; " +
                               domain +
                               " is a free mailbox provider. Use an address at your "
                               "organization's own domain");
    }
  }
  if (input.contact_same_as_administrator) {
    out.contact_same_as_administrator = true;
  } else if (input.contact) {
    SIGNET_ASSIGN_OR_RETURN(out.contact, CheckPerson(*input.contact, "contact", false));
  }

  if (!input.validation_method.empty()) {
    const std::string& method = input.validation_method;
    if (kMethods.count(method) == 0) {
      return Invalid("'validation_method' must be dns_txt, dns_cname, dns_auto, file or email");
    }
    bool any_wildcard =
        std::any_of(domains.begin(), domains.end(), [](const auto& d) { return d.wildcard; });
    if (method == "file" && any_wildcard) {
      return Rejected("method_not_allowed",
                      "file validation cannot prove control of a wildcard (BR 3.2.2.4.18); "
                      "use dns_txt, dns_cname, dns_auto or email");
    }
    if (method == "email" && product.upstream) {
      // An ACME CA proves control by dns-01 or http-01 (RFC 8555 section 8); no email.
      return Rejected("method_not_allowed",
                      "the product " + product.id +
                          " is issued by a public CA over ACME, which validates by DNS or a "
                          "file: use dns_txt, dns_cname, dns_auto or file");
    }
    out.validation_method = method;
  }
  if (input.dns_auto) {
    if (out.validation_method != "dns_auto") {
      return Invalid("'dns_auto' goes with \"validation_method\": \"dns_auto\"");
    }
    // Checked in full (server address, zone) when the validation starts.
    const core::DnsAutoSettings& d = *input.dns_auto;
    SIGNET_RETURN_IF_ERROR(CheckText(d.server, "dns_auto.server", 64, false));
    SIGNET_RETURN_IF_ERROR(CheckText(d.zone, "dns_auto.zone", 253, false));
    SIGNET_RETURN_IF_ERROR(CheckText(d.key_name, "dns_auto.key_name", 253, false));
    SIGNET_RETURN_IF_ERROR(CheckText(d.algorithm, "dns_auto.algorithm", 32, false));
    SIGNET_RETURN_IF_ERROR(CheckText(d.secret, "dns_auto.secret", 1024, false));
    out.dns_auto = d;
    out.dns_auto->secret_sealed.clear();
  }
  return out;
}

std::vector<std::string> MissingForSubmit(const core::Application& app, const Product& product) {
  std::vector<std::string> missing;
  if (!app.domains) missing.push_back("domains");
  if (!app.key) missing.push_back("key");
  if (product.type != ca::ProductType::kDv && !app.organization) {
    missing.push_back("organization");
  }
  if (!app.administrator) missing.push_back("administrator");
  if (app.validation_method == "dns_auto" && !app.dns_auto) missing.push_back("dns_auto");
  return missing;
}

std::vector<va::Identifier> RequestedDomains(const core::Application& app,
                                             const va::NamePolicy& names) {
  std::vector<va::Identifier> out;
  if (!app.domains) return out;
  for (const auto& d : *app.domains) {
    auto id = names.Parse(d);
    if (id.ok()) out.push_back(*id);
  }
  return out;
}

ca::SubjectIdentity SubjectFromApplication(const core::Application& app, ca::ProductType type) {
  ca::SubjectIdentity s;
  if (type == ca::ProductType::kDv || !app.organization) return s;
  const core::OrganizationInfo& o = *app.organization;
  s.organization = o.name;
  s.locality = o.city;
  s.state = o.province;
  s.country = o.country;
  if (type == ca::ProductType::kEv) {
    s.business_category =
        o.business_category.empty() ? "Private Organization" : o.business_category;
    s.jurisdiction_country = o.jurisdiction_country.empty() ? o.country : o.jurisdiction_country;
    s.registration_number = o.registration_number;
  }
  return s;
}

}  // namespace signet::ra

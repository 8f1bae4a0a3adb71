#include "signet/ca/profile.h"

#include <nlohmann/json.hpp>

#include "signet/common/encoding.h"

namespace signet::ca {

const char* ProductTypeName(ProductType t) {
  switch (t) {
    case ProductType::kDv:
      return "dv";
    case ProductType::kOv:
      return "ov";
    case ProductType::kEv:
      return "ev";
    case ProductType::kPrivate:
      return "private";
  }
  return "dv";
}

Result<ProductType> ParseProductType(const std::string& name) {
  for (ProductType t :
       {ProductType::kDv, ProductType::kOv, ProductType::kEv, ProductType::kPrivate}) {
    if (name == ProductTypeName(t)) return t;
  }
  return MalformedError("product type must be dv, ov, ev or private; got '" + name + "'",
                        "invalid_product_type");
}

const char* PolicyOidFor(ProductType t) {
  switch (t) {
    case ProductType::kDv:
      return "2.23.140.1.2.1";
    case ProductType::kOv:
      return "2.23.140.1.2.2";
    case ProductType::kEv:
      return "2.23.140.1.1";
    case ProductType::kPrivate:
      return "1.3.6.1.4.1.99999.1.1";  // a private-PKI arc, not BR
  }
  return "2.23.140.1.2.1";
}

std::string IssuanceRequestToJson(const IssuanceRequest& r) {
  nlohmann::json j = {{"issuance_id", r.issuance_id},
                      {"account_id", r.account_id},
                      {"type", ProductTypeName(r.type)},
                      {"dns_names", r.dns_names},
                      {"ip_addresses", r.ip_addresses},
                      {"public_key", Base64Encode(r.public_key_der)},
                      {"validity_days", r.validity_days},
                      {"issuer", r.issuer},
                      {"subject",
                       {{"organization", r.subject.organization},
                        {"locality", r.subject.locality},
                        {"state", r.subject.state},
                        {"country", r.subject.country},
                        {"business_category", r.subject.business_category},
                        {"jurisdiction_country", r.subject.jurisdiction_country},
                        {"registration_number", r.subject.registration_number}}}};
  return j.dump();
}

Result<IssuanceRequest> IssuanceRequestFromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return InternalError("stored issuance request is not JSON");
  try {
    IssuanceRequest r;
    r.issuance_id = j.at("issuance_id").get<std::string>();
    r.account_id = j.at("account_id").get<std::string>();
    SIGNET_ASSIGN_OR_RETURN(r.type, ParseProductType(j.at("type").get<std::string>()));
    r.dns_names = j.at("dns_names").get<std::vector<std::string>>();
    r.ip_addresses = j.value("ip_addresses", std::vector<std::string>{});
    auto key = Base64Decode(j.at("public_key").get<std::string>());
    if (!key) return InternalError("stored issuance request has a bad key");
    r.public_key_der = *key;
    r.validity_days = j.at("validity_days").get<int>();
    r.issuer = j.value("issuer", std::string());
    const auto& s = j.at("subject");
    r.subject = {s.at("organization"),
                 s.at("locality"),
                 s.at("state"),
                 s.at("country"),
                 s.at("business_category"),
                 s.at("jurisdiction_country"),
                 s.at("registration_number")};
    return r;
  } catch (const std::exception& e) {
    return InternalError(std::string("stored issuance request is incomplete: ") + e.what());
  }
}

}  // namespace signet::ca

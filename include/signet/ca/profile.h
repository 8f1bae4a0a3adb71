// Certificate profiles: what a subscriber certificate of each product type contains (BR 7.1.2.7),
// and the description from which the CA builds one.
//
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/status.h"

namespace signet::ca {

enum class ProductType { kDv, kOv, kEv, kPrivate };
const char* ProductTypeName(ProductType type);  // "dv", "ov", "ev", "private"
Result<ProductType> ParseProductType(const std::string& name);
// BR 7.1.6.1 reserved policy identifiers (the private profile uses Signet's own arc).
const char* PolicyOidFor(ProductType type);

// Subject fields for OV/EV (BR 7.1.2.7.4, EVG 7.1.4.2); DV certificates carry only the CN.
struct SubjectIdentity {
  std::string organization;
  std::string locality;
  std::string state;
  std::string country;  // ISO 3166-1 alpha-2
  // EV only.
  std::string business_category;  // "Private Organization", "Government Entity", ...
  std::string jurisdiction_country;
  std::string registration_number;  // subject:serialNumber
};

// Everything the CA needs to issue one certificate. Names are already validated and normalised.
struct IssuanceRequest {
  std::string issuance_id;  // idempotency key: one certificate per issuance, ever
  std::string account_id;
  ProductType type = ProductType::kDv;
  std::vector<std::string> dns_names;  // the first is the common name
  // IP address SANs ("127.0.0.1", "::1"): the private profile only (BR 7.1.2.7.12 forbids
  // reserved addresses in publicly-trusted certificates).
  std::vector<std::string> ip_addresses;
  std::vector<uint8_t> public_key_der;  // SubjectPublicKeyInfo
  SubjectIdentity subject;
  int validity_days = 0;  // 0: the BR default for the issuance date; never above the BR maximum
  std::string issuer;     // a named issuer (a product's brand); empty: by the key's type
};

// The issuance request as JSON, for storage with the reserved serial, and back.
std::string IssuanceRequestToJson(const IssuanceRequest& request);
Result<IssuanceRequest> IssuanceRequestFromJson(const std::string& json);

}  // namespace signet::ca

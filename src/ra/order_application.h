// The order application: checking and normalising what the applicant sends (domains, key or CSR,
// organization, administrator, contact, validation method) against the product and the seed's
// rules, with errors that name the field and say what to change. Private to ra.
//
// Thread-safety: pure functions (storage is only read).
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "signet/ca/profile.h"
#include "signet/ra/product_catalog.h"
#include "signet/sa/storage.h"
#include "signet/va/domain_name.h"

namespace signet::ra {

// The top-level fields an application may have.
const std::set<std::string>& ApplicationFieldNames();

// Checks `input` and returns the application as stored: names normalised, saved profiles
// (organization_id) copied in, secrets (the key password, a dns_auto secret) kept as given for
// the caller to seal. Fields may be missing (a draft); MissingForSubmit lists what is.
// `allowance` (a merged order's {"common", "wildcard", "any"}) replaces the product's coverage.
Result<nlohmann::json> NormalizeApplication(const nlohmann::json& input, const Product& product,
                                            const va::NamePolicy& names, sa::Storage& storage,
                                            const std::string& account_id,
                                            const nlohmann::json& allowance = nullptr);

// What must still be filled in before submitting; empty when complete.
std::vector<std::string> MissingForSubmit(const nlohmann::json& application,
                                          const Product& product);

// The requested domains, parsed (they were checked when the application was saved).
std::vector<va::Identifier> RequestedDomains(const nlohmann::json& application,
                                             const va::NamePolicy& names);

// The subject of an OV/EV certificate, from the application's organization.
ca::SubjectIdentity SubjectFromApplication(const nlohmann::json& application, ca::ProductType type);

// Well-known free mailbox providers: EV administrators need a business address (EVG 11.5).
bool IsFreeMailDomain(const std::string& domain);

}  // namespace signet::ra

// The order application: checking and normalising what the applicant sends (domains, key or CSR,
// organization, administrator, contact, validation method) against the product and the seed's
// rules, with errors that name the field and say what to change. Private to ra.
//
// Thread-safety: pure functions (storage is only read).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "signet/ca/profile.h"
#include "signet/core/application.h"
#include "signet/ra/product_catalog.h"
#include "signet/sa/storage.h"
#include "signet/va/domain_name.h"

namespace signet::ra {

// Checks `input` (as the front end decoded it: types are right, unknown fields were refused) and
// returns the application as stored: names normalised, saved profiles (organization_id,
// administrator_id) copied in, secrets (the key password, a dns_auto secret) kept as given for
// the caller to seal. Parts may be missing (a draft); MissingForSubmit lists what is.
// `allowance` (a merged order's) replaces the product's coverage.
Result<core::Application> NormalizeApplication(
    const core::Application& input, const Product& product, const va::NamePolicy& names,
    sa::Storage& storage, const std::string& account_id,
    const std::optional<core::DomainAllowance>& allowance = std::nullopt);

// What must still be filled in before submitting; empty when complete.
std::vector<std::string> MissingForSubmit(const core::Application& application,
                                          const Product& product);

// The requested domains, parsed (they were checked when the application was saved).
std::vector<va::Identifier> RequestedDomains(const core::Application& application,
                                             const va::NamePolicy& names);

// The subject of an OV/EV certificate, from the application's organization.
ca::SubjectIdentity SubjectFromApplication(const core::Application& application,
                                           ca::ProductType type);

// Well-known free mailbox providers: EV administrators need a business address (EVG 11.5).
bool IsFreeMailDomain(const std::string& domain);

}  // namespace signet::ra

#include "signet/core/acme_state.h"

#include "core/name_table.h"

namespace signet::core {

namespace {
constexpr NameTable<AcmeAccountStatus, 3> kAccounts = {{
    {AcmeAccountStatus::kValid, "valid"},
    {AcmeAccountStatus::kDeactivated, "deactivated"},
    {AcmeAccountStatus::kRevoked, "revoked"},
}};
constexpr NameTable<AcmeOrderStatus, 5> kOrders = {{
    {AcmeOrderStatus::kPending, "pending"},
    {AcmeOrderStatus::kReady, "ready"},
    {AcmeOrderStatus::kProcessing, "processing"},
    {AcmeOrderStatus::kValid, "valid"},
    {AcmeOrderStatus::kInvalid, "invalid"},
}};
constexpr NameTable<AcmeAuthorizationStatus, 6> kAuthorizations = {{
    {AcmeAuthorizationStatus::kPending, "pending"},
    {AcmeAuthorizationStatus::kValid, "valid"},
    {AcmeAuthorizationStatus::kInvalid, "invalid"},
    {AcmeAuthorizationStatus::kDeactivated, "deactivated"},
    {AcmeAuthorizationStatus::kExpired, "expired"},
    {AcmeAuthorizationStatus::kRevoked, "revoked"},
}};
constexpr NameTable<AcmeChallengeStatus, 4> kChallenges = {{
    {AcmeChallengeStatus::kPending, "pending"},
    {AcmeChallengeStatus::kProcessing, "processing"},
    {AcmeChallengeStatus::kValid, "valid"},
    {AcmeChallengeStatus::kInvalid, "invalid"},
}};
}  // namespace

std::string_view Name(AcmeAccountStatus status) { return NameIn(kAccounts, status); }
std::string_view Name(AcmeOrderStatus status) { return NameIn(kOrders, status); }
std::string_view Name(AcmeAuthorizationStatus status) { return NameIn(kAuthorizations, status); }
std::string_view Name(AcmeChallengeStatus status) { return NameIn(kChallenges, status); }
std::optional<AcmeAccountStatus> ParseAcmeAccountStatus(std::string_view name) {
  return ParseIn(kAccounts, name);
}

}  // namespace signet::core

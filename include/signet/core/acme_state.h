// The states of ACME's objects (RFC 8555 7.1.6): accounts, orders, authorizations and
// challenges. The one place their names are parsed and printed; the names are the RFC's.
//
// Orders, authorizations and challenges are not stored with a state of their own: ra derives
// them from the domain validations behind them and the clock (ra/acme_service.cc).
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string_view>

namespace signet::core {

enum class AcmeAccountStatus { kValid, kDeactivated, kRevoked };
enum class AcmeOrderStatus { kPending, kReady, kProcessing, kValid, kInvalid };
enum class AcmeAuthorizationStatus { kPending, kValid, kInvalid, kDeactivated, kExpired, kRevoked };
enum class AcmeChallengeStatus { kPending, kProcessing, kValid, kInvalid };

std::string_view Name(AcmeAccountStatus status);
std::string_view Name(AcmeOrderStatus status);
std::string_view Name(AcmeAuthorizationStatus status);
std::string_view Name(AcmeChallengeStatus status);
std::optional<AcmeAccountStatus> ParseAcmeAccountStatus(std::string_view name);

}  // namespace signet::core

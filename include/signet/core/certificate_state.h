// The state of a certificate as users see it: the one place its names are parsed and printed.
// Storage records only active or revoked; expired is active past its not_after.
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string_view>

namespace signet::core {

enum class CertificateStatus { kActive, kRevoked, kExpired };

std::string_view Name(CertificateStatus status);
std::optional<CertificateStatus> ParseCertificateStatus(std::string_view name);

// Where a certificate of the inventory comes from: issued here through an order, uploaded to be
// hosted (its reminders, downloads and deployment, but not its revocation, are Signet's), or
// discovered on a server by monitoring (seen, not managed: no key, nothing to revoke or renew).
// issued: by Signet's own CA through an order; uploaded; discovered by monitoring; upstream: by a
// brand's upstream CA through an order (docs/BRANDS.md).
enum class CertificateSource { kIssued, kUploaded, kDiscovered, kUpstream };
std::string_view Name(CertificateSource source);
std::optional<CertificateSource> ParseCertificateSource(std::string_view name);

}  // namespace signet::core

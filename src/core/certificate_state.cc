#include "signet/core/certificate_state.h"

#include "core/name_table.h"

namespace signet::core {

namespace {
constexpr NameTable<CertificateStatus, 3> kNames = {{
    {CertificateStatus::kActive, "active"},
    {CertificateStatus::kRevoked, "revoked"},
    {CertificateStatus::kExpired, "expired"},
}};
}  // namespace

std::string_view Name(CertificateStatus status) { return NameIn(kNames, status); }
std::optional<CertificateStatus> ParseCertificateStatus(std::string_view name) {
  return ParseIn(kNames, name);
}

}  // namespace signet::core

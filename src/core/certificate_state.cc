#include "signet/core/certificate_state.h"

#include "core/name_table.h"

namespace signet::core {

namespace {
constexpr NameTable<CertificateStatus, 3> kNames = {{
    {CertificateStatus::kActive, "active"},
    {CertificateStatus::kRevoked, "revoked"},
    {CertificateStatus::kExpired, "expired"},
}};
constexpr NameTable<CertificateSource, 4> kSources = {{
    {CertificateSource::kIssued, "issued"},
    {CertificateSource::kUploaded, "uploaded"},
    {CertificateSource::kDiscovered, "discovered"},
    {CertificateSource::kUpstream, "upstream"},
}};
}  // namespace

std::string_view Name(CertificateSource source) { return NameIn(kSources, source); }
std::optional<CertificateSource> ParseCertificateSource(std::string_view name) {
  return ParseIn(kSources, name);
}

std::string_view Name(CertificateStatus status) { return NameIn(kNames, status); }
std::optional<CertificateStatus> ParseCertificateStatus(std::string_view name) {
  return ParseIn(kNames, name);
}

}  // namespace signet::core

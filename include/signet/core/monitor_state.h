// What a monitor found (issue 17): the one place its status names are parsed and printed.
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string_view>

namespace signet::core {

// ok: serves a good certificate; warning: something to act on soon (expires within the
// reminder days, a newer certificate of its lineage is not deployed, a weak key or protocol);
// critical: users see errors now (expired, wrong name, untrusted or incomplete chain, revoked);
// unreachable: no TLS endpoint answered.
enum class MonitorStatus { kOk, kWarning, kCritical, kUnreachable };
std::string_view Name(MonitorStatus status);
std::optional<MonitorStatus> ParseMonitorStatus(std::string_view name);
// How bad a status is, for "the worst of the addresses" and "changed for the worse":
// ok < warning < unreachable < critical.
int Severity(MonitorStatus status);

}  // namespace signet::core

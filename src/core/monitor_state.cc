#include "signet/core/monitor_state.h"

#include "core/name_table.h"

namespace signet::core {

namespace {
constexpr NameTable<MonitorStatus, 4> kNames = {{
    {MonitorStatus::kOk, "ok"},
    {MonitorStatus::kWarning, "warning"},
    {MonitorStatus::kCritical, "critical"},
    {MonitorStatus::kUnreachable, "unreachable"},
}};
}  // namespace

std::string_view Name(MonitorStatus status) { return NameIn(kNames, status); }
std::optional<MonitorStatus> ParseMonitorStatus(std::string_view name) {
  return ParseIn(kNames, name);
}

int Severity(MonitorStatus status) {
  switch (status) {
    case MonitorStatus::kOk:
      return 0;
    case MonitorStatus::kWarning:
      return 1;
    case MonitorStatus::kUnreachable:
      return 2;
    case MonitorStatus::kCritical:
      return 3;
  }
  return 3;
}

}  // namespace signet::core

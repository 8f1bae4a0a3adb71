#include "signet/core/validation_state.h"

#include "core/name_table.h"

namespace signet::core {

namespace {
constexpr NameTable<ValidationStatus, 4> kNames = {{
    {ValidationStatus::kPending, "pending"},
    {ValidationStatus::kValid, "valid"},
    {ValidationStatus::kInvalid, "invalid"},
    {ValidationStatus::kExpired, "expired"},
}};
}  // namespace

std::string_view Name(ValidationStatus status) { return NameIn(kNames, status); }
std::optional<ValidationStatus> ParseValidationStatus(std::string_view name) {
  return ParseIn(kNames, name);
}

}  // namespace signet::core

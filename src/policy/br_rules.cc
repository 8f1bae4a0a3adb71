#include "signet/policy/br_rules.h"

namespace signet::policy {

TimePoint UtcDate(int year, int month, int day) {
  std::chrono::sys_days d = std::chrono::year{year} /
                            std::chrono::month{static_cast<unsigned>(month)} /
                            std::chrono::day{static_cast<unsigned>(day)};
  return std::chrono::time_point_cast<std::chrono::microseconds>(d);
}

int MaxValidityDays(TimePoint t) {
  if (t < UtcDate(2026, 3, 15)) return 398;
  if (t < UtcDate(2027, 3, 15)) return 200;
  if (t < UtcDate(2029, 3, 15)) return 100;
  return 47;
}

int DefaultValidityDays(TimePoint t) { return MaxValidityDays(t) - 1; }

int DcvReuseDays(TimePoint t) {
  if (t < UtcDate(2026, 3, 15)) return 398;
  if (t < UtcDate(2027, 3, 15)) return 200;
  if (t < UtcDate(2029, 3, 15)) return 100;
  return 10;
}

bool ConstructedEmailValidationAllowed(TimePoint t) { return t < UtcDate(2028, 3, 15); }

}  // namespace signet::policy

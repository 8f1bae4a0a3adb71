// The CA/Browser Forum Baseline Requirements' dated rules, decided by the date they are applied
// on (the issuance or validation clock), never by a constant.
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>

#include "signet/common/clock.h"

namespace signet::policy {

// BR 6.3.2: the longest validity period a subscriber certificate issued at `t` may have, in
// days (398, 200, 100, 47). Signet issues one day less than the MUST NOT limit, as the SHOULD
// NOT limit recommends: see DefaultValidityDays.
int MaxValidityDays(TimePoint t);
int DefaultValidityDays(TimePoint t);

// BR 4.2.1: how long a completed domain validation may be reused for issuance at `t` (days).
int DcvReuseDays(TimePoint t);

// BR 3.2.2.4.4 (email to constructed addresses): MUST NOT be used on or after 2028-03-15.
bool ConstructedEmailValidationAllowed(TimePoint t);

// BR 3.2.2.4: random values for validation are valid at most 30 days.
inline constexpr std::chrono::hours kRandomValueLifetime{30 * 24};

// Midnight UTC of a calendar date, for the rule tables and tests.
TimePoint UtcDate(int year, int month, int day);

}  // namespace signet::policy

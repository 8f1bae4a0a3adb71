#include "signet/common/clock.h"

#include <ctime>

namespace signet {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()) +
         offset_;
}

TimePoint ManualClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void ManualClock::Advance(std::chrono::microseconds by) {
  std::lock_guard lock(mu_);
  now_ += by;
}

void ManualClock::Set(TimePoint to) {
  std::lock_guard lock(mu_);
  now_ = to;
}

int64_t ToUnixMicros(TimePoint t) { return t.time_since_epoch().count(); }

TimePoint FromUnixMicros(int64_t micros) { return TimePoint(std::chrono::microseconds(micros)); }

std::string FormatRfc3339(TimePoint t) {
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace signet

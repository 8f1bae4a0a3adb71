// Clock: the source of "now" for everything that depends on dates (BR deadlines, expiry, backoff).
// Injected so tests can move time, e.g. to exercise the 2027-03-15 validity change.
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace signet {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// The real wall clock, optionally shifted by a fixed offset (setting `clock.offset_seconds`),
// so integration tests can run the real binary "in the future" without faketime.
class SystemClock final : public Clock {
 public:
  explicit SystemClock(std::chrono::seconds offset = std::chrono::seconds(0)) : offset_(offset) {}
  TimePoint Now() const override;

 private:
  std::chrono::seconds offset_;
};

// A clock that only moves when told; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override;
  void Advance(std::chrono::microseconds by);
  void Set(TimePoint to);

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

// Microseconds since the Unix epoch; the storage representation of time.
int64_t ToUnixMicros(TimePoint t);
TimePoint FromUnixMicros(int64_t micros);
// RFC 3339 in UTC with second precision, e.g. "2026-11-22T10:00:00Z".
std::string FormatRfc3339(TimePoint t);
// Parses "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (UTC only); nullopt otherwise.
std::optional<TimePoint> ParseRfc3339(const std::string& text);

}  // namespace signet

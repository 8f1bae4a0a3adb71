// Structured logging: one JSON object per line on standard error, e.g.
//   {"ts":"2026-11-22T10:00:00.123Z","level":"info","msg":"listening","address":"127.0.0.1:8443"}
// Secrets (keys, passwords, tokens) must never be passed as fields.
//
// Thread-safety: all functions are safe to call from any thread.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace signet::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// A field value is always rendered as a JSON string or number.
struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v), is_number(false) {}
  Field(std::string_view k, const char* v) : key(k), value(v), is_number(false) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v), is_number(false) {}
  Field(std::string_view k, long long v) : key(k), value(std::to_string(v)), is_number(true) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)), is_number(true) {}
  Field(std::string_view k, long v) : key(k), value(std::to_string(v)), is_number(true) {}
  Field(std::string_view k, unsigned long v) : key(k), value(std::to_string(v)), is_number(true) {}
  Field(std::string_view k, double v) : key(k), value(std::to_string(v)), is_number(true) {}
  std::string_view key;
  std::string value;
  bool is_number;
};

void SetLevel(Level level);
bool ParseLevel(std::string_view name, Level* out);
void Write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void Debug(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, msg, f);
}
inline void Info(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, msg, f);
}
inline void Warn(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, msg, f);
}
inline void Error(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kError, msg, f);
}

}  // namespace signet::log

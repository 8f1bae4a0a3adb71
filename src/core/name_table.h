// The name tables behind core's Name/Parse functions: each state enum is printed and parsed
// through one constant table of (value, name) pairs. Private to core.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace signet::core {

template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <typename E, size_t N>
std::string_view NameIn(const NameTable<E, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ParseIn(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace signet::core

// Reading and writing the fields of stored JSON objects, forgivingly: a field that is missing or
// of another type reads as empty (stored text written by another version must still read), and
// empty fields are not written. Private to sa; only its codecs include it.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace signet::sa::json_fields {

inline std::string GetString(const nlohmann::json& in, std::string_view field) {
  auto it = in.find(field);
  return it != in.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline int GetInt(const nlohmann::json& in, std::string_view field) {
  auto it = in.find(field);
  return it != in.end() && it->is_number_integer() ? it->get<int>() : 0;
}

inline bool GetBool(const nlohmann::json& in, std::string_view field) {
  auto it = in.find(field);
  return it != in.end() && it->is_boolean() && it->get<bool>();
}

inline void PutNonEmpty(nlohmann::json& out, std::string_view field, const std::string& value) {
  if (!value.empty()) out[std::string(field)] = value;
}

}  // namespace signet::sa::json_fields

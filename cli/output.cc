#include "cli/output.h"

#include <algorithm>
#include <iostream>

namespace signet::cli {

namespace {

// Terminal columns taken by UTF-8 text, counting each code point as one: close enough for the
// Latin and CJK names that appear here, and never cutting a character in two.
size_t DisplayWidth(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void Pad(std::string& out, const std::string& cell, size_t width) {
  out += cell;
  for (size_t w = DisplayWidth(cell); w < width; ++w) out += ' ';
}

}  // namespace

void PrintJson(std::ostream& out, const nlohmann::json& document) {
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

std::string Text(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) {
      std::string t = Text(item);
      if (!t.empty()) out += (out.empty() ? "" : ", ") + t;
    }
    return out;
  }
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Field(const nlohmann::json& object, const std::string& key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it == object.end() ? "" : Text(*it);
}

std::string Printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\t' || c == '\r') {
      out += ' ';
    } else if (u < 0x20 || u == 0x7F) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

void NoteNextPage(const nlohmann::json& list) {
  std::string token = Field(list, "next_page_token");
  if (!token.empty()) std::cerr << "(more: repeat with --page-token " << Printable(token) << ")\n";
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& c : cells) c = Printable(c);
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out, const std::string& indent) const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t i = 0; i < headers_.size(); ++i) widths[i] = DisplayWidth(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text = indent;
    for (size_t i = 0; i < cells.size(); ++i) {
      Pad(text, cells[i], i + 1 == cells.size() ? 0 : widths[i] + 2);
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << "\n";
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
}

Fields& Fields::Add(const std::string& label, const std::string& value) {
  if (!value.empty()) lines_.emplace_back(label, Printable(value));
  return *this;
}

void Fields::Print(std::ostream& out, const std::string& indent) const {
  size_t width = 0;
  for (const auto& [label, value] : lines_) width = std::max(width, DisplayWidth(label) + 1);
  for (const auto& [label, value] : lines_) {
    std::string text = indent;
    Pad(text, label + ":", width + 2);
    out << text << value << "\n";
  }
}

const nlohmann::json& Items(const nlohmann::json& list) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  auto it = list.find("items");
  return it != list.end() && it->is_array() ? *it : kEmpty;
}

const nlohmann::json& Object(const nlohmann::json& parent, const std::string& key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  if (!parent.is_object()) return kEmpty;
  auto it = parent.find(key);
  return it != parent.end() && it->is_object() ? *it : kEmpty;
}

const nlohmann::json& Array(const nlohmann::json& parent, const std::string& key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (!parent.is_object()) return kEmpty;
  auto it = parent.find(key);
  return it != parent.end() && it->is_array() ? *it : kEmpty;
}

}  // namespace signet::cli

// Rendering for `--output json|table`. JSON is the API's document itself, pretty-printed by
// nlohmann::json, whose objects keep their keys sorted, so the same document always prints the
// same bytes and scripts can diff or parse it. Tables are for people: aligned columns and
// "Label: value" blocks, with control characters from the server neutralised so that a name or
// an error message cannot drive the terminal.
//
// Thread-safety: Table and Fields are plain values; printing writes to the stream it is given.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace signet::cli {

enum class OutputFormat { kTable, kJson };

// Two-space indentation, sorted keys, a final newline; invalid UTF-8 is replaced, not fatal.
void PrintJson(std::ostream& out, const nlohmann::json& document);

// A value as one line of text: "" for null or missing, strings as they are, booleans as yes/no,
// arrays joined with ", ", objects as compact JSON.
std::string Text(const nlohmann::json& value);

// Text(object[key]) when object is an object holding key, else "".
std::string Field(const nlohmann::json& object, const std::string& key);

// A list document's "items", and an object's member that is an object or an array; an empty one
// when absent or of another type, so views never throw on an unexpected document.
const nlohmann::json& Items(const nlohmann::json& list);
const nlohmann::json& Object(const nlohmann::json& parent, const std::string& key);
const nlohmann::json& Array(const nlohmann::json& parent, const std::string& key);

// The text with newlines, tabs and other control characters replaced by spaces or '?'.
std::string Printable(const std::string& text);

// For lists: tells a person on stderr how to fetch the next page when there is one.
void NoteNextPage(const nlohmann::json& list);

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  // Columns two spaces apart, each line starting with indent; no trailing spaces.
  void Print(std::ostream& out, const std::string& indent = "") const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "Label:  value" lines with the values aligned; lines with an empty value are left out.
class Fields {
 public:
  Fields& Add(const std::string& label, const std::string& value);
  void Print(std::ostream& out, const std::string& indent = "") const;

 private:
  std::vector<std::pair<std::string, std::string>> lines_;
};

}  // namespace signet::cli

#include "signet/common/settings.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace signet {

namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<std::string> RealGetenv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

// Replaces "${key}" with that key's value (one level, applied after all sources merged).
std::string Expand(const std::string& value, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t start = value.find("${", pos);
    if (start == std::string::npos) break;
    size_t end = value.find('}', start);
    if (end == std::string::npos) break;
    out += value.substr(pos, start - pos);
    auto it = values.find(value.substr(start + 2, end - start - 2));
    if (it != values.end()) out += it->second;
    pos = end + 1;
  }
  out += value.substr(pos);
  return out;
}

}  // namespace

std::string EnvironmentNameFor(const std::string& key) {
  std::string name = "SIGNET_";
  for (char c : key) {
    name += (c == '.' || c == '-') ? '_'
                                   : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

Result<Settings> Settings::Load(const std::vector<SettingDefinition>& definitions,
                                const Sources& sources) {
  Settings s;
  std::set<std::string> known;
  for (const auto& d : definitions) {
    known.insert(d.key);
    s.values_[d.key] = d.default_value;
    s.sources_[d.key] = "default";
  }
  auto unknown = [&](const std::string& key, const std::string& where) {
    return MalformedError("unknown setting '" + key + "' in " + where +
                              "; see `signetd serve --help-settings` for the list",
                          "unknown_setting");
  };

  if (sources.config_file) {
    std::ifstream in(*sources.config_file);
    if (!in) {
      return MalformedError("cannot read configuration file " + *sources.config_file,
                            "config_unreadable");
    }
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::string t = Trim(line);
      if (t.empty() || t[0] == '#') continue;
      size_t eq = t.find('=');
      if (eq == std::string::npos) {
        return MalformedError(
            *sources.config_file + ":" + std::to_string(number) + ": expected `key = value`",
            "config_syntax");
      }
      std::string key = Trim(t.substr(0, eq));
      std::string value = Trim(t.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (!known.count(key))
        return unknown(key, *sources.config_file + ":" + std::to_string(number));
      s.values_[key] = value;
      s.sources_[key] = "file";
    }
  }

  auto getenv = sources.getenv ? sources.getenv : &RealGetenv;
  for (const auto& key : known) {
    if (auto v = getenv(EnvironmentNameFor(key))) {
      s.values_[key] = *v;
      s.sources_[key] = "environment";
    }
  }

  for (const auto& o : sources.overrides) {
    size_t eq = o.find('=');
    if (eq == std::string::npos) {
      return MalformedError("--set expects key=value, got '" + o + "'", "config_syntax");
    }
    std::string key = Trim(o.substr(0, eq));
    if (!known.count(key)) return unknown(key, "--set");
    s.values_[key] = o.substr(eq + 1);
    s.sources_[key] = "flag";
  }

  std::map<std::string, std::string> raw = s.values_;
  for (auto& [key, value] : s.values_) value = Expand(value, raw);
  return s;
}

const std::string& Settings::Get(const std::string& key) const {
  static const std::string kEmpty;
  auto it = values_.find(key);
  return it == values_.end() ? kEmpty : it->second;
}

Result<int64_t> Settings::GetInt(const std::string& key) const {
  const std::string& v = Get(key);
  try {
    size_t used = 0;
    int64_t n = std::stoll(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    return MalformedError("setting " + key + " must be a whole number, got '" + v + "'",
                          "invalid_setting");
  }
}

Result<bool> Settings::GetBool(const std::string& key) const {
  const std::string& v = Get(key);
  if (v == "true") return true;
  if (v == "false") return false;
  return MalformedError("setting " + key + " must be true or false, got '" + v + "'",
                        "invalid_setting");
}

std::vector<std::string> Settings::GetList(const std::string& key) const {
  std::vector<std::string> out;
  std::stringstream ss(Get(key));
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = Trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string Settings::SourceOf(const std::string& key) const {
  auto it = sources_.find(key);
  return it == sources_.end() ? "" : it->second;
}

void Settings::Override(const std::string& key, std::string value) {
  values_[key] = std::move(value);
}

}  // namespace signet

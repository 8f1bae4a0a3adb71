// Settings: the service configuration as flat dotted keys ("database.url"), merged from defaults,
// a file, the environment (SIGNET_DATABASE_URL) and --set flags, in increasing precedence, as
// INTERFACES.md specifies. The file format is one `key = value` per line, `#` comments.
//
// Thread-safety: immutable after Load(); share freely.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "signet/common/status.h"

namespace signet {

struct SettingDefinition {
  std::string key;
  std::string default_value;  // may reference another key as "${key}"; empty means unset
  std::string help;
};

class Settings {
 public:
  struct Sources {
    std::optional<std::string> config_file;
    std::vector<std::string> overrides;  // "key=value" from --set
    // Environment lookup; injectable for tests. Defaults to getenv.
    std::optional<std::string> (*getenv)(const std::string&) = nullptr;
  };

  // Merges the sources over the definitions' defaults. Unknown keys in any source are an error,
  // so a typo never silently falls back to a default.
  static Result<Settings> Load(const std::vector<SettingDefinition>& definitions,
                               const Sources& sources);

  // Raw value, empty when unset.
  const std::string& Get(const std::string& key) const;
  bool Has(const std::string& key) const { return !Get(key).empty(); }
  Result<int64_t> GetInt(const std::string& key) const;
  Result<bool> GetBool(const std::string& key) const;
  std::vector<std::string> GetList(const std::string& key) const;
  // Where the effective value came from ("default", "file", "environment", "flag").
  std::string SourceOf(const std::string& key) const;

  // Replaces a value after load, e.g. to resolve a listen port of 0 to the bound port.
  void Override(const std::string& key, std::string value);

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> sources_;
};

// SIGNET_ + key upper-cased with dots (and dashes) as underscores.
std::string EnvironmentNameFor(const std::string& key);

}  // namespace signet

#include "cli/agent_config.h"

#include <nlohmann/json.hpp>
#include <set>

#include "cli/config.h"
#include "cli/files.h"

namespace signet::cli {

namespace {

bool Refuse(const std::string& path, const std::string& what, std::string* error) {
  *error = path + ": " + what;
  return false;
}

// A string field, absent meaning empty.
bool ReadString(const nlohmann::json& in, const char* field, const std::string& path,
                std::string* out, std::string* error) {
  auto it = in.find(field);
  if (it == in.end() || it->is_null()) return true;
  if (!it->is_string()) return Refuse(path, std::string("'") + field + "' must be a string", error);
  *out = it->get<std::string>();
  return true;
}

bool Known(const nlohmann::json& in, const std::set<std::string>& fields, const std::string& where,
           const std::string& path, std::string* error) {
  for (const auto& [key, value] : in.items()) {
    if (!fields.count(key)) {
      std::string list;
      for (const auto& f : fields) list += (list.empty() ? "" : ", ") + f;
      return Refuse(path, "unknown field '" + where + key + "'; known: " + list, error);
    }
  }
  return true;
}

bool AbsolutePath(const std::string& value, const char* field, const std::string& path,
                  std::string* error) {
  if (value.empty() || value.front() == '/') return true;
  return Refuse(path, std::string("'") + field + "' must be an absolute path", error);
}

}  // namespace

std::optional<AgentConfig> LoadAgentConfig(const std::string& path, std::string* error) {
  auto text = ReadWholeFile(path, error);
  if (!text) return std::nullopt;
  auto in = nlohmann::json::parse(*text, nullptr, false);
  if (!in.is_object()) {
    *error = path + ": not a JSON object (see `signet agent --help` for an example)";
    return std::nullopt;
  }
  AgentConfig c;
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& files = in.contains("files") ? in["files"] : empty;
  const nlohmann::json& verify = in.contains("verify") ? in["verify"] : empty;
  bool ok = Known(in,
                  {"url", "ca_file", "credential_file", "files", "keystore_password_file",
                   "reload_command", "verify"},
                  "", path, error) &&
            ReadString(in, "url", path, &c.url, error) &&
            ReadString(in, "ca_file", path, &c.ca_file, error) &&
            ReadString(in, "credential_file", path, &c.credential_file, error) &&
            ReadString(in, "keystore_password_file", path, &c.keystore_password_file, error) &&
            ReadString(in, "reload_command", path, &c.reload_command, error);
  if (ok && (!files.is_object() || !verify.is_object())) {
    ok = Refuse(path, "'files' and 'verify' must be objects", error);
  }
  ok = ok &&
       Known(files, {"fullchain", "private_key", "certificate", "chain", "pfx"}, "files.", path,
             error) &&
       ReadString(files, "fullchain", path, &c.fullchain, error) &&
       ReadString(files, "private_key", path, &c.private_key, error) &&
       ReadString(files, "certificate", path, &c.certificate, error) &&
       ReadString(files, "chain", path, &c.chain, error) &&
       ReadString(files, "pfx", path, &c.pfx, error) &&
       Known(verify, {"host", "port", "server_name", "protocol"}, "verify.", path, error) &&
       ReadString(verify, "host", path, &c.verify_host, error) &&
       ReadString(verify, "server_name", path, &c.verify_server_name, error) &&
       ReadString(verify, "protocol", path, &c.verify_protocol, error);
  if (!ok) return std::nullopt;
  if (verify.contains("port")) {
    if (!verify["port"].is_number_integer() || verify["port"].get<int>() < 1 ||
        verify["port"].get<int>() > 65535) {
      Refuse(path, "'verify.port' must be 1-65535", error);
      return std::nullopt;
    }
    c.verify_port = verify["port"].get<int>();
  }
  auto normalized = NormalizeServerUrl(c.url, error);
  if (!normalized) {
    *error = path + ": 'url': " + *error;
    return std::nullopt;
  }
  c.url = *normalized;
  if (c.credential_file.empty()) {
    Refuse(path,
           "'credential_file' is required: where `signet agent register` keeps the "
           "agent's credential (mode 0600)",
           error);
    return std::nullopt;
  }
  if (c.fullchain.empty() && c.certificate.empty() && c.pfx.empty()) {
    Refuse(path, "'files' must name fullchain, certificate or pfx", error);
    return std::nullopt;
  }
  if (!c.pfx.empty() && c.keystore_password_file.empty()) {
    Refuse(path, "'keystore_password_file' is needed for files.pfx", error);
    return std::nullopt;
  }
  for (const auto& [value, field] : {std::pair{&c.fullchain, "files.fullchain"},
                                     {&c.private_key, "files.private_key"},
                                     {&c.certificate, "files.certificate"},
                                     {&c.chain, "files.chain"},
                                     {&c.pfx, "files.pfx"},
                                     {&c.credential_file, "credential_file"}}) {
    if (!AbsolutePath(*value, field, path, error)) return std::nullopt;
  }
  return c;
}

}  // namespace signet::cli

#include "sa/deployment_target_codec.h"

#include "sa/json_fields.h"

namespace signet::sa {

using json_fields::GetInt;
using json_fields::GetString;
using json_fields::PutNonEmpty;

std::string EncodeTargetSettings(const DeploymentTarget& t) {
  nlohmann::json out = nlohmann::json::object();
  PutNonEmpty(out, "host", t.host);
  if (t.type == core::TargetType::kSsh) out["port"] = t.port;
  PutNonEmpty(out, "username", t.username);
  PutNonEmpty(out, "host_key", t.host_key);
  PutNonEmpty(out, "sealed_private_key", t.sealed_private_key);
  PutNonEmpty(out, "sealed_password", t.sealed_password);
  nlohmann::json files = nlohmann::json::object();
  PutNonEmpty(files, "fullchain", t.files.fullchain);
  PutNonEmpty(files, "private_key", t.files.private_key);
  PutNonEmpty(files, "certificate", t.files.certificate);
  PutNonEmpty(files, "chain", t.files.chain);
  PutNonEmpty(files, "pfx", t.files.pfx);
  PutNonEmpty(files, "jks", t.files.jks);
  if (!files.empty()) out["files"] = files;
  PutNonEmpty(out, "reload_command", t.reload_command);
  PutNonEmpty(out, "sealed_keystore_password", t.sealed_keystore_password);
  PutNonEmpty(out, "url", t.url);
  PutNonEmpty(out, "sealed_webhook_secret", t.sealed_webhook_secret);
  return out.dump();
}

void DecodeTargetSettings(std::string_view text, DeploymentTarget& t) {
  auto in = nlohmann::json::parse(text, nullptr, false);
  if (!in.is_object()) in = nlohmann::json::object();
  t.host = GetString(in, "host");
  t.port = GetInt(in, "port");
  t.username = GetString(in, "username");
  t.host_key = GetString(in, "host_key");
  t.sealed_private_key = GetString(in, "sealed_private_key");
  t.sealed_password = GetString(in, "sealed_password");
  auto files = in.find("files");
  nlohmann::json f = files != in.end() && files->is_object() ? *files : nlohmann::json::object();
  t.files.fullchain = GetString(f, "fullchain");
  t.files.private_key = GetString(f, "private_key");
  t.files.certificate = GetString(f, "certificate");
  t.files.chain = GetString(f, "chain");
  t.files.pfx = GetString(f, "pfx");
  t.files.jks = GetString(f, "jks");
  t.reload_command = GetString(in, "reload_command");
  t.sealed_keystore_password = GetString(in, "sealed_keystore_password");
  t.url = GetString(in, "url");
  t.sealed_webhook_secret = GetString(in, "sealed_webhook_secret");
}

}  // namespace signet::sa

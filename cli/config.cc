#include "cli/config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/files.h"

namespace signet::cli {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::optional<std::string> CredentialsPath(std::string* error) {
  if (std::string explicit_path = Env("SIGNET_CONFIG"); !explicit_path.empty()) {
    return explicit_path;
  }
  if (std::string xdg = Env("XDG_CONFIG_HOME"); !xdg.empty()) {
    return (std::filesystem::path(xdg) / "signet" / "credentials").string();
  }
  if (std::string home = Env("HOME"); !home.empty()) {
    return (std::filesystem::path(home) / ".config" / "signet" / "credentials").string();
  }
  *error = "cannot tell where the credentials file is: set SIGNET_CONFIG (or HOME)";
  return std::nullopt;
}

std::optional<Credentials> LoadCredentialsFile(const std::string& path, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Credentials{};
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if ((st.st_mode & 077) != 0) {
    std::cerr << "signet: warning: " << path << " is readable by other users; run: chmod 600 "
              << path << "\n";
  }
  auto text = ReadWholeFile(path, error);
  if (!text) return std::nullopt;
  auto doc = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    *error = path + " is not a signet credentials file; run `signet login` again";
    return std::nullopt;
  }
  Credentials c;
  for (auto [field, target] : {std::pair{"url", &c.url}, std::pair{"api_key", &c.api_key},
                               std::pair{"ca_file", &c.ca_file}}) {
    auto it = doc.find(field);
    if (it != doc.end() && it->is_string()) *target = it->get<std::string>();
  }
  return c;
}

bool SaveCredentialsFile(const std::string& path, const Credentials& credentials,
                         std::string* error) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !MakePrivateDirectories(parent.string(), error)) return false;
  nlohmann::json doc = {{"url", credentials.url}, {"api_key", credentials.api_key}};
  if (!credentials.ca_file.empty()) doc["ca_file"] = credentials.ca_file;
  return WritePrivateFile(path, doc.dump(2) + "\n", error);
}

bool RemoveCredentialsFile(const std::string& path, bool* removed, std::string* error) {
  *removed = false;
  if (::unlink(path.c_str()) == 0) {
    *removed = true;
    return true;
  }
  if (errno == ENOENT) return true;
  *error = "cannot remove " + path + ": " + std::strerror(errno);
  return false;
}

Credentials CredentialsFromEnvironment() {
  return {Env("SIGNET_URL"), Env("SIGNET_API_KEY"), Env("SIGNET_CA_FILE")};
}

Credentials Overlay(Credentials base, const Credentials& over) {
  if (!over.url.empty()) base.url = over.url;
  if (!over.api_key.empty()) base.api_key = over.api_key;
  if (!over.ca_file.empty()) base.ca_file = over.ca_file;
  return base;
}

std::optional<std::string> NormalizeServerUrl(const std::string& url, std::string* error) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  const std::string scheme = "https://";
  if (u.rfind("http://", 0) == 0) {
    *error = "refusing " + url + ": the API key would travel unencrypted; use https://";
    return std::nullopt;
  }
  if (u.rfind(scheme, 0) != 0 || u.size() == scheme.size()) {
    *error = "'" + url + "' is not a server URL such as https://signet.example.com:8443";
    return std::nullopt;
  }
  if (u.find_first_of("?#", scheme.size()) != std::string::npos) {
    *error = "'" + url + "' must be only the server's address, without a query or fragment";
    return std::nullopt;
  }
  return u;
}

}  // namespace signet::cli

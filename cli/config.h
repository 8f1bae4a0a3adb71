// Where the CLI finds its server and API key. `signet login` writes a credentials file (mode
// 0600, in a 0700 directory); SIGNET_URL, SIGNET_API_KEY and SIGNET_CA_FILE override it field by
// field, and the global --url, --api-key and --ca-file flags override both.
//
// Thread-safety: reads the environment, so call from the main thread before any other threads
// exist; otherwise free functions without shared state.
#pragma once

#include <optional>
#include <string>

namespace signet::cli {

struct Credentials {
  std::string url;      // https://host:port of signetd
  std::string api_key;  // never printed
  std::string ca_file;  // trust anchor for the server's certificate; empty: the system's
};

// SIGNET_CONFIG, else $XDG_CONFIG_HOME/signet/credentials, else ~/.config/signet/credentials.
std::optional<std::string> CredentialsPath(std::string* error);

// The file's values; a missing file is not an error and gives empty values. Warns on stderr
// when the file is readable by other users, as ssh does for keys.
std::optional<Credentials> LoadCredentialsFile(const std::string& path, std::string* error);

// Replaces the file whole with mode 0600, creating missing parent directories with 0700.
bool SaveCredentialsFile(const std::string& path, const Credentials& credentials,
                         std::string* error);

// *removed says whether there was a file; false is returned only when removal failed.
bool RemoveCredentialsFile(const std::string& path, bool* removed, std::string* error);

// SIGNET_URL, SIGNET_API_KEY and SIGNET_CA_FILE (unset ones empty).
Credentials CredentialsFromEnvironment();

// Each non-empty field of `over` replaces the one of `base`.
Credentials Overlay(Credentials base, const Credentials& over);

// A URL is usable when it is https:// with a host; the key travels in every request, so plain
// http is refused. Returns the URL without a trailing slash, or std::nullopt with *error.
std::optional<std::string> NormalizeServerUrl(const std::string& url, std::string* error);

}  // namespace signet::cli

// The deployment agent's configuration (`signet agent --config FILE`), kept on the agent's own
// host: where Signet is, the agent's credential file, and — only here, never from Signet — the
// files it writes, the command it runs after writing them, and where it checks the result. A
// Signet server that is taken over can hand an agent a certificate, but cannot make it write
// elsewhere or run anything else.
//
//   {
//     "url": "https://signet.example.com:8443",
//     "ca_file": "/etc/signet-agent/signet-ca.pem",
//     "credential_file": "/var/lib/signet-agent/credential",
//     "files": {"fullchain": "/etc/nginx/tls/site.pem", "private_key": "/etc/nginx/tls/site.key"},
//     "keystore_password_file": "/etc/signet-agent/pfx-password",
//     "reload_command": "nginx -t && systemctl reload nginx",
//     "verify": {"host": "127.0.0.1", "port": 443, "server_name": "www.example.com"}
//   }
//
// files may name fullchain, private_key, certificate, chain and pfx (IIS: PKCS#12 under the
// keystore password). Unknown fields are refused with their name.
//
// Thread-safety: plain values and a pure function.
#pragma once

#include <optional>
#include <string>

namespace signet::cli {

struct AgentConfig {
  std::string url;
  std::string ca_file;
  std::string credential_file;
  std::string fullchain, private_key, certificate, chain, pfx;
  std::string keystore_password_file;
  std::string reload_command;
  std::string verify_host;
  int verify_port = 443;
  std::string verify_server_name;
  std::string verify_protocol = "https";
};

// The configuration in `path`, or std::nullopt with what to change in *error.
std::optional<AgentConfig> LoadAgentConfig(const std::string& path, std::string* error);

}  // namespace signet::cli

// The body of PUT /api/v1/orders/{id}/application, built from `signet order application`'s
// flags on top of an optional JSON file. The server checks every field; this only shapes them,
// so a draft may be as partial as the server allows.
//
// Thread-safety: pure functions (reading the files named by the flags).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace signet::cli {

struct ApplicationFlags {
  std::string file;  // a JSON object: the whole body, or the base the flags change
  std::vector<std::string> domains;
  std::string generate_key;  // algorithm, e.g. ecdsa-p256
  std::string key_password;
  std::string csr_file;
  std::string organization_id;
  std::string administrator_id;
  std::string admin_name;
  std::string admin_email;
  std::string admin_phone;
  std::string admin_position;
  bool individual = false;
  std::string method;  // dns_txt, dns_cname, dns_auto, file or email
};

// True when neither a file nor any field flag was given.
bool NothingGiven(const ApplicationFlags& flags);

// The file's object with each given flag's field set; std::nullopt with *error when a file
// cannot be read or is not a JSON object.
std::optional<nlohmann::json> BuildApplication(const ApplicationFlags& flags, std::string* error);

}  // namespace signet::cli

#include "signet/common/job_payload.h"

#include <nlohmann/json.hpp>

namespace signet {

std::string EncodeJobPayload(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : fields) out[std::string(name)] = std::string(value);
  return out.dump();
}

Result<std::string> JobPayloadField(std::string_view payload, std::string_view field) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_object()) {
    auto it = j.find(field);
    if (it != j.end() && it->is_string()) return it->get<std::string>();
  }
  return MalformedError("the job payload has no '" + std::string(field) + "'", "bad_job_payload");
}

}  // namespace signet

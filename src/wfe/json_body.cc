#include "wfe/json_body.h"

#include "signet/common/json_depth.h"

namespace signet::wfe {

Result<nlohmann::json> ParseJsonObject(const HttpRequest& request,
                                       const std::set<std::string>& allowed_fields) {
  const std::string& type = request.Header("content-type");
  std::string media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (media != "application/json") {
    return Status::Error(ErrorCode::kUnsupportedMediaType, "unsupported_media_type",
                         "send the body as JSON with Content-Type: application/json" +
                             (media.empty() ? std::string() : " (got " + media + ")"));
  }
  if (!JsonNestsAtMost(request.body, kMaxRequestJsonDepth)) {
    return MalformedError("the body nests arrays or objects more than " +
                              std::to_string(kMaxRequestJsonDepth) + " deep",
                          "malformed_json");
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return MalformedError("the body is not valid JSON", "malformed_json");
  }
  if (!body.is_object()) return MalformedError("the body must be a JSON object", "malformed_json");
  for (const auto& [key, value] : body.items()) {
    if (!allowed_fields.count(key)) {
      std::string known;
      for (const auto& f : allowed_fields) known += (known.empty() ? "" : ", ") + f;
      return MalformedError("unknown field '" + key + "'; this request accepts: " + known,
                            "unknown_field");
    }
  }
  return body;
}

Result<std::string> OptionalString(const nlohmann::json& body, const std::string& field,
                                   size_t max_length) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return MalformedError("'" + field + "' must be a string", "invalid_field");
  std::string value = it->get<std::string>();
  if (value.size() > max_length) {
    return MalformedError(
        "'" + field + "' is longer than " + std::to_string(max_length) + " characters",
        "invalid_field");
  }
  return value;
}

Result<std::string> RequiredString(const nlohmann::json& body, const std::string& field,
                                   size_t max_length) {
  SIGNET_ASSIGN_OR_RETURN(std::string value, OptionalString(body, field, max_length));
  if (value.empty()) return MalformedError("'" + field + "' is required", "missing_field");
  return value;
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace signet::wfe

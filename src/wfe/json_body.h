// Strict JSON request bodies: the content type must be JSON, the body an object, every field
// known to the route, and each field of the expected type; each refusal names the field.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "signet/common/status.h"
#include "signet/wfe/http_message.h"

namespace signet::wfe {

// Checks Content-Type and parses. 415 (reason unsupported_media_type) or 400 on failure.
Result<nlohmann::json> ParseJsonObject(const HttpRequest& request,
                                       const std::set<std::string>& allowed_fields);

// Reads an optional string field; an error names the field when it has another type or is too long.
Result<std::string> OptionalString(const nlohmann::json& body, const std::string& field,
                                   size_t max_length);
Result<std::string> RequiredString(const nlohmann::json& body, const std::string& field,
                                   size_t max_length);

HttpResponse JsonResponse(int status, const nlohmann::json& body);

}  // namespace signet::wfe

// Builds the OpenAPI 3.1 document for GET /api/v1/openapi.json from the route table.
#pragma once

#include <nlohmann/json.hpp>

#include "wfe/router.h"

namespace signet::wfe {

nlohmann::json BuildOpenApi(const Router& router, const std::string& server_url);
// The named request/response schemas routes may refer to.
const nlohmann::json& ComponentSchemas();

}  // namespace signet::wfe

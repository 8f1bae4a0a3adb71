#include "wfe/openapi.h"

#include <cctype>
#include <string>

namespace signet::wfe {

// The component schemas as JSON text, generated at build time from api/schemas/*.json by
// scripts/gen-api.py (generated/component_schemas.cc in the build directory).
std::string ComponentSchemasJson();

const nlohmann::json& ComponentSchemas() {
  static const nlohmann::json kSchemas = nlohmann::json::parse(ComponentSchemasJson());
  return kSchemas;
}

nlohmann::json BuildOpenApi(const Router& router, const std::string& server_url) {
  nlohmann::json doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", "Signet API"}, {"version", "1"}};
  doc["servers"] = {{{"url", server_url}}};
  doc["components"]["schemas"] = ComponentSchemas();
  doc["components"]["securitySchemes"] = {
      {"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
      {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "signet_session"}}}};
  nlohmann::json paths = nlohmann::json::object();
  for (const Route& r : router.routes()) {
    if (r.pattern.rfind("/api/", 0) != 0) continue;
    nlohmann::json op;
    op["summary"] = r.summary;
    op["tags"] = {r.tag};
    op["operationId"] = r.method + " " + r.pattern;
    nlohmann::json params = nlohmann::json::array();
    size_t pos = 0;
    while ((pos = r.pattern.find('{', pos)) != std::string::npos) {
      size_t end = r.pattern.find('}', pos);
      params.push_back({{"name", r.pattern.substr(pos + 1, end - pos - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
      pos = end;
    }
    if (r.paginated) {
      params.push_back({{"name", "page_size"},
                        {"in", "query"},
                        {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}}}});
      params.push_back({{"name", "page_token"}, {"in", "query"}, {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r.request_schema.empty()) {
      op["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/json",
             {{"schema", {{"$ref", "#/components/schemas/" + r.request_schema}}}}}}}};
    }
    nlohmann::json ok = {{"description", "success"}};
    if (!r.response_schema.empty()) {
      ok["content"] = {{"application/json",
                        {{"schema", {{"$ref", "#/components/schemas/" + r.response_schema}}}}}};
    }
    op["responses"][std::to_string(r.success_status)] = ok;
    op["responses"]["default"] = {
        {"description", "problem"},
        {"content",
         {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
    if (r.access == Access::kPublic) {
      op["security"] = nlohmann::json::array();
    } else {
      op["security"] = {{{"bearer", nlohmann::json::array()}},
                        {{"session", nlohmann::json::array()}}};
    }
    std::string method = r.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[r.pattern][method] = op;
  }
  doc["paths"] = paths;
  return doc;
}

}  // namespace signet::wfe

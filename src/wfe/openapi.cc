#include "wfe/openapi.h"

namespace signet::wfe {

namespace {

nlohmann::json Str(const std::string& description = "") {
  nlohmann::json s = {{"type", "string"}};
  if (!description.empty()) s["description"] = description;
  return s;
}

nlohmann::json ListOf(const std::string& item) {
  return {{"type", "object"},
          {"properties",
           {{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/" + item}}}}},
            {"next_page_token", {{"type", {"string", "null"}}}}}}};
}

}  // namespace

const nlohmann::json& ComponentSchemas() {
  static const nlohmann::json kSchemas = {
      {"Problem",
       {{"type", "object"},
        {"description", "RFC 9457 problem document"},
        {"properties",
         {{"type", Str()},
          {"title", Str()},
          {"status", {{"type", "integer"}}},
          {"detail", Str()},
          {"code", Str("stable machine-readable reason")},
          {"request_id", Str()}}}}},
      {"LoginRequest",
       {{"type", "object"},
        {"required", {"email", "password"}},
        {"additionalProperties", false},
        {"properties", {{"email", Str()}, {"password", Str()}}}}},
      {"Session",
       {{"type", "object"},
        {"properties",
         {{"user", {{"$ref", "#/components/schemas/User"}}},
          {"account", {{"$ref", "#/components/schemas/Account"}}},
          {"csrf_token", Str("send as X-CSRF-Token on unsafe requests made with the cookie")}}}}},
      {"Account",
       {{"type", "object"},
        {"properties", {{"id", Str()}, {"name", Str()}, {"created_at", Str()}}}}},
      {"User",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"email", Str()},
          {"role", {{"enum", {"owner", "member", "reviewer", "admin"}}}},
          {"account_id", Str()},
          {"created_at", Str()}}}}},
      {"UserList", ListOf("User")},
      {"NewUser",
       {{"type", "object"},
        {"required", {"email", "role"}},
        {"additionalProperties", false},
        {"properties",
         {{"email", Str()},
          {"role", Str()},
          {"password", Str()},
          {"account", Str("staff only: account name")}}}}},
      {"ApiKey",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"name", Str()},
          {"prefix", Str()},
          {"user_id", Str()},
          {"created_at", Str()},
          {"last_used_at", {{"type", {"string", "null"}}}},
          {"revoked_at", {{"type", {"string", "null"}}}},
          {"key", Str("only in the response that creates it")}}}}},
      {"ApiKeyList", ListOf("ApiKey")},
      {"NewApiKey",
       {{"type", "object"}, {"additionalProperties", false}, {"properties", {{"name", Str()}}}}},
      {"Organization",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"name", Str("full name exactly as on the business license")},
          {"department", Str()},
          {"country", Str("ISO 3166-1 alpha-2")},
          {"province", Str()},
          {"city", Str()},
          {"address", Str()},
          {"phone", Str()},
          {"created_at", Str()},
          {"updated_at", Str()}}}}},
      {"OrganizationInput",
       {{"type", "object"},
        {"required", {"name"}},
        {"additionalProperties", false},
        {"properties",
         {{"name", Str()},
          {"department", Str()},
          {"country", Str()},
          {"province", Str()},
          {"city", Str()},
          {"address", Str()},
          {"phone", Str()}}}}},
      {"OrganizationList", ListOf("Organization")},
      {"Administrator",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"name", Str()},
          {"position", Str()},
          {"phone", Str()},
          {"email", Str()},
          {"created_at", Str()},
          {"updated_at", Str()}}}}},
      {"AdministratorInput",
       {{"type", "object"},
        {"required", {"name", "phone", "email"}},
        {"additionalProperties", false},
        {"properties",
         {{"name", Str()}, {"position", Str()}, {"phone", Str()}, {"email", Str()}}}}},
      {"AdministratorList", ListOf("Administrator")},
      {"DomainValidationInput",
       {{"type", "object"},
        {"required", {"domain", "method"}},
        {"additionalProperties", false},
        {"properties",
         {{"domain", Str("e.g. www.example.com or *.example.com")},
          {"method", {{"enum", {"dns_txt", "dns_cname", "dns_auto", "file", "email"}}}},
          {"email", Str("email method: admin@, administrator@, webmaster@, hostmaster@ or "
                        "postmaster@ the domain")},
          {"dns_auto",
           {{"type", "object"},
            {"properties",
             {{"server", Str("ip:port of the zone's primary")},
              {"zone", Str()},
              {"key_name", Str()},
              {"algorithm", Str("hmac-sha256 (default), hmac-sha384, hmac-sha512")},
              {"secret", Str("base64 TSIG secret; stored encrypted, never shown again")}}}}}}}}},
      {"DomainValidation",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"domain", Str("the name whose control is proven")},
          {"requested", Str()},
          {"wildcard", {{"type", "boolean"}}},
          {"method", Str()},
          {"br_method", Str("the Baseline Requirements section, e.g. 3.2.2.4.7")},
          {"status", {{"enum", {"pending", "valid", "invalid", "expired"}}}},
          {"instructions", {{"type", "object"}, {"description", "what to publish, and where"}}},
          {"checks", {{"type", "integer"}}},
          {"last_error", {{"type", {"string", "null"}}}},
          {"last_reason", {{"type", {"string", "null"}}}},
          {"perspectives", Str("the quorum summary of the last check")},
          {"created_at", Str()},
          {"expires_at", Str("the random value's expiry (30 days)")},
          {"validated_at", {{"type", {"string", "null"}}}},
          {"reusable_until", Str()},
          {"last_checked_at", {{"type", {"string", "null"}}}}}}}},
      {"DomainValidationList", ListOf("DomainValidation")},
      {"ValidationAttempt",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"at", Str()},
          {"method", Str()},
          {"br_method", Str()},
          {"valid", {{"type", "boolean"}}},
          {"seen", Str("what the primary perspective observed")},
          {"reason", Str()},
          {"error", Str()},
          {"perspectives", {{"type", "object"}}}}}}},
      {"ValidationAttemptList", ListOf("ValidationAttempt")},
      {"PrevalidatedDomain",
       {{"type", "object"},
        {"properties",
         {{"domain", Str()},
          {"method", Str()},
          {"validation_id", Str()},
          {"validated_at", Str()},
          {"valid_until", Str()},
          {"covers_subdomains", {{"type", "boolean"}}}}}}},
      {"PrevalidatedDomainList", ListOf("PrevalidatedDomain")},
      {"Product",
       {{"type", "object"},
        {"properties",
         {{"id", Str("e.g. dv-single, dv-wildcard, ov-multi, ev-single")},
          {"name", Str()},
          {"type", {{"enum", {"dv", "ov", "ev"}}}},
          {"coverage", {{"enum", {"single", "multi", "wildcard", "mixed"}}}},
          {"max_domains", {{"type", "integer"}}},
          {"issuer", {{"type", {"string", "null"}}}},
          {"term_months", {{"type", "integer"}}}}}}},
      {"ProductList", ListOf("Product")},
      {"OrderInput",
       {{"type", "object"},
        {"required", {"product"}},
        {"additionalProperties", false},
        {"properties", {{"product", Str("a product id")}}}}},
      {"Application",
       {{"type", "object"},
        {"additionalProperties", false},
        {"description", "see docs/ORDERS.md; every field optional until submission"},
        {"properties",
         {{"domains", {{"type", "array"}, {"items", Str()}}},
          {"key",
           {{"type", "object"}, {"description", "{generate: {algorithm, password?}} or {csr}"}}},
          {"applicant_type", {{"enum", {"company", "individual"}}}},
          {"organization", {{"type", "object"}}},
          {"organization_id", Str()},
          {"administrator", {{"type", "object"}}},
          {"administrator_id", Str()},
          {"contact", {{"description", "an object, or \"same_as_administrator\""}}},
          {"validation_method", {{"enum", {"dns_txt", "dns_cname", "dns_auto", "file", "email"}}}},
          {"dns_auto", {{"type", "object"}}}}}}},
      {"Order",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"product", Str()},
          {"type", Str()},
          {"status",
           {{"enum",
             {"pending_information", "processing", "review_failed", "issued", "cancelled"}}}},
          {"sub_status", Str("e.g. PENDING-DCV, PRE-REVIEWING, CA-REVIEWING, WAIT-ISSUE")},
          {"progress",
           {{"type", "object"},
            {"properties",
             {{"dcv", {{"enum", {"pending", "valid", "failed"}}}},
              {"review",
               {{"enum",
                 {"not_required", "pending_attachments", "pre_reviewing", "ca_reviewing",
                  "approved", "rejected"}}}}}}}},
          {"application", {{"type", "object"}}},
          {"names", {{"type", "array"}, {"items", Str()}}},
          {"validations",
           {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/DomainValidation"}}}}},
          {"review", {{"type", "object"}}},
          {"attachments",
           {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Attachment"}}}}},
          {"timeline", {{"type", "array"}, {"items", {{"type", "object"}}}}},
          {"certificate_id", {{"type", {"string", "null"}}}},
          {"created_at", Str()},
          {"submitted_at", {{"type", {"string", "null"}}}},
          {"issued_at", {{"type", {"string", "null"}}}}}}}},
      {"OrderList", ListOf("Order")},
      {"Attachment",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"kind", Str()},
          {"content_type", {{"enum", {"image/jpeg", "image/png", "application/pdf"}}}},
          {"size", {{"type", "integer"}}},
          {"sha256", Str()},
          {"uploaded_at", Str()}}}}},
      {"AttachmentList", ListOf("Attachment")},
      {"ReviewDecision",
       {{"type", "object"},
        {"required", {"decision"}},
        {"additionalProperties", false},
        {"properties",
         {{"decision", {{"enum", {"approve", "reject"}}}},
          {"reason", Str("required to reject; the applicant sees it")},
          {"checks", {{"type", "object"}}}}}}},
      {"Certificate",
       {{"type", "object"},
        {"properties",
         {{"id", Str("the serial number, hex")},
          {"serial", Str()},
          {"names", {{"type", "array"}, {"items", Str()}}},
          {"issuer", Str()},
          {"status", {{"enum", {"active", "revoked", "expired"}}}},
          {"not_before", Str()},
          {"not_after", Str()},
          {"revoked_at", {{"type", {"string", "null"}}}},
          {"order_id", {{"type", {"string", "null"}}}},
          {"private_key_held", {{"type", "boolean"}}},
          {"certificate", Str("PEM")},
          {"chain", Str("PEM: issuer, then root")}}}}},
      {"AuditEvent",
       {{"type", "object"},
        {"properties",
         {{"seq", {{"type", "integer"}}},
          {"at", Str()},
          {"actor", Str()},
          {"account_id", Str()},
          {"action", Str()},
          {"target_type", Str()},
          {"target_id", Str()},
          {"source", Str()},
          {"request_id", Str()},
          {"details", {{"type", "object"}}},
          {"hash", Str()}}}}},
      {"AuditEventList", ListOf("AuditEvent")},
      {"Job",
       {{"type", "object"},
        {"properties",
         {{"id", Str()},
          {"kind", Str()},
          {"state", {{"enum", {"queued", "running", "done", "failed"}}}},
          {"attempts", {{"type", "integer"}}},
          {"max_attempts", {{"type", "integer"}}},
          {"run_at", Str()},
          {"last_error", Str()}}}}},
      {"JobList", ListOf("Job")},
  };
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

#include "cli/application_body.h"

#include "cli/files.h"

namespace signet::cli {

bool NothingGiven(const ApplicationFlags& f) {
  return f.file.empty() && f.domains.empty() && f.generate_key.empty() && f.csr_file.empty() &&
         f.organization_id.empty() && f.administrator_id.empty() && f.admin_name.empty() &&
         f.admin_email.empty() && f.admin_phone.empty() && f.admin_position.empty() &&
         !f.individual && f.method.empty();
}

std::optional<nlohmann::json> BuildApplication(const ApplicationFlags& f, std::string* error) {
  nlohmann::json body = nlohmann::json::object();
  if (!f.file.empty()) {
    auto text = ReadWholeFile(f.file, error);
    if (!text) return std::nullopt;
    body = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) {
      *error = f.file + " is not a JSON object such as {\"domains\": [\"www.example.com\"]}";
      return std::nullopt;
    }
  }
  if (!f.domains.empty()) body["domains"] = f.domains;
  if (!f.generate_key.empty()) {
    nlohmann::json generate = {{"algorithm", f.generate_key}};
    if (!f.key_password.empty()) generate["password"] = f.key_password;
    body["key"] = {{"generate", generate}};
  }
  if (!f.csr_file.empty()) {
    auto csr = ReadWholeFile(f.csr_file, error);
    if (!csr) return std::nullopt;
    body["key"] = {{"csr", *csr}};
  }
  if (!f.organization_id.empty()) body["organization_id"] = f.organization_id;
  if (!f.administrator_id.empty()) body["administrator_id"] = f.administrator_id;
  // Administrator flags change the file's administrator field by field rather than replace it.
  for (auto [field, value] :
       {std::pair{"name", &f.admin_name}, std::pair{"email", &f.admin_email},
        std::pair{"phone", &f.admin_phone}, std::pair{"position", &f.admin_position}}) {
    if (value->empty()) continue;
    if (!body.contains("administrator") || !body["administrator"].is_object()) {
      body["administrator"] = nlohmann::json::object();
    }
    body["administrator"][field] = *value;
  }
  if (f.individual) body["applicant_type"] = "individual";
  if (!f.method.empty()) body["validation_method"] = f.method;
  return body;
}

}  // namespace signet::cli

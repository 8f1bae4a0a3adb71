#include "cli/session.h"

#include <iostream>

namespace signet::cli {

Session::Session(Credentials credentials, OutputFormat format)
    : client_(std::move(credentials)), format_(format) {}

std::optional<ApiResponse> Session::Send(const ApiRequest& request) {
  std::string error;
  auto response = client_.Send(request, &error);
  if (!response) {
    PrintError(error);
    return std::nullopt;
  }
  if (!response->ok()) {
    ReportFailure(request, *response);
    return std::nullopt;
  }
  return response;
}

std::optional<nlohmann::json> Session::Call(const std::string& method, const std::string& path,
                                            const std::optional<nlohmann::json>& body) {
  ApiRequest request{method, path, "", ""};
  if (body) {
    request.body = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    request.content_type = "application/json";
  }
  auto response = Send(request);
  if (!response) return std::nullopt;
  if (response->status == 204) return nlohmann::json::object();
  auto doc = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (!response->IsJson() || doc.is_discarded()) {
    PrintError("unexpected answer from " + base_url() + path + ": HTTP " +
               std::to_string(response->status) + " with " +
               (response->content_type.empty() ? "no content type" : response->content_type) +
               ", not JSON; is this URL a signetd?");
    return std::nullopt;
  }
  return doc;
}

void Session::Print(const nlohmann::json& document, const TableView& view) const {
  if (json_output()) {
    PrintJson(std::cout, document);
  } else {
    view(std::cout, document);
  }
  std::cout.flush();
}

int Session::CallAndPrint(const std::string& method, const std::string& path,
                          const std::optional<nlohmann::json>& body, const TableView& view) {
  auto doc = Call(method, path, body);
  if (!doc) return kExitFailure;
  Print(*doc, view);
  return kExitOk;
}

void Session::ReportFailure(const ApiRequest& request, const ApiResponse& response) const {
  auto doc = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (response.IsProblem() && doc.is_object()) {
    std::string detail = Field(doc, "detail");
    if (detail.empty()) detail = Field(doc, "title");
    PrintError(Printable(detail) + " (" + Printable(Field(doc, "code")) + ", HTTP " +
               std::to_string(response.status) + ")");
    if (response.status == 401) {
      PrintError("check the API key: run `signet login` again, or set SIGNET_API_KEY or --api-key");
    } else if (response.status >= 500 && !Field(doc, "request_id").empty()) {
      PrintError("request id " + Printable(Field(doc, "request_id")) +
                 "; quote it to the operator");
    }
    return;
  }
  std::string excerpt;
  if (response.content_type.rfind("text/", 0) == 0 || response.IsJson()) {
    excerpt = ": " + Printable(response.body.substr(0, 200));
  }
  PrintError(request.method + " " + base_url() + request.path + " answered HTTP " +
             std::to_string(response.status) + excerpt);
}

void PrintError(const std::string& message) { std::cerr << "signet: " << message << "\n"; }

}  // namespace signet::cli

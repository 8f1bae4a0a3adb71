#include "wfe/problem.h"

#include <nlohmann/json.hpp>

namespace signet::wfe {

namespace {
const char* TitleFor(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}
}  // namespace

int HttpStatusFor(const Status& s) {
  // Reasons with an HTTP status of their own, more precise than their code's.
  if (s.reason() == "unsupported_media_type") return 415;
  if (s.reason() == "payload_too_large") return 413;
  switch (s.code()) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kMalformed:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kRejectedIdentifier:
    case ErrorCode::kBadCsr:
    case ErrorCode::kCaa:
      return 422;
    case ErrorCode::kDns:
    case ErrorCode::kConnection:
      return 502;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ProblemResponse(int http_status, const std::string& code, const std::string& detail,
                             const std::string& request_id) {
  HttpResponse r;
  r.status = http_status;
  r.content_type = "application/problem+json";
  nlohmann::ordered_json doc;
  doc["type"] = "urn:signet:problem:" + code;
  doc["title"] = TitleFor(http_status);
  doc["status"] = http_status;
  doc["detail"] = detail;
  doc["code"] = code;
  if (!request_id.empty()) doc["request_id"] = request_id;
  r.body = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (http_status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"signet\"");
  return r;
}

HttpResponse ProblemResponse(const Status& status, const std::string& request_id) {
  int http = HttpStatusFor(status);
  // Internal details never reach a client.
  std::string detail = http >= 500 && status.code() == ErrorCode::kInternal
                           ? "an internal error occurred; quote the request id to the operator"
                           : status.message();
  return ProblemResponse(
      http, status.reason().empty() ? std::string(ErrorCodeName(status.code())) : status.reason(),
      detail, request_id);
}

}  // namespace signet::wfe

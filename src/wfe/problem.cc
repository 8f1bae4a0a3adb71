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

// The one mapping from the typed error to what each protocol shows: the REST API's HTTP status
// (its problem's `code` is the Status reason) and the ACME problem type with its HTTP status
// (RFC 8555 section 6.7).
struct ProblemMapping {
  int http;
  std::string_view acme_type;
  int acme_http;
};

ProblemMapping MappingFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return {200, "", 200};
    case ErrorCode::kMalformed:
      return {400, "malformed", 400};
    case ErrorCode::kUnauthorized:
      return {401, "unauthorized", 401};
    case ErrorCode::kForbidden:
      return {403, "unauthorized", 403};
    case ErrorCode::kNotFound:
      return {404, "malformed", 404};
    case ErrorCode::kConflict:
      return {409, "malformed", 409};
    case ErrorCode::kRateLimited:
      return {429, "rateLimited", 429};
    case ErrorCode::kRejectedIdentifier:
      return {422, "rejectedIdentifier", 400};
    case ErrorCode::kBadCsr:
      return {422, "badCSR", 400};
    case ErrorCode::kCaa:
      return {422, "caa", 400};
    case ErrorCode::kDns:
      return {502, "dns", 400};
    case ErrorCode::kConnection:
      return {502, "connection", 400};
    case ErrorCode::kUnavailable:
      return {503, "serverInternal", 500};
    case ErrorCode::kInternal:
      return {500, "serverInternal", 500};
    case ErrorCode::kUnsupportedMediaType:
      return {415, "malformed", 415};
    case ErrorCode::kPayloadTooLarge:
      return {413, "malformed", 413};
    case ErrorCode::kBadNonce:
      return {400, "badNonce", 400};
    case ErrorCode::kBadSignatureAlgorithm:
      return {400, "badSignatureAlgorithm", 400};
    case ErrorCode::kBadPublicKey:
      return {400, "badPublicKey", 400};
    case ErrorCode::kAccountDoesNotExist:
      return {404, "accountDoesNotExist", 400};
    case ErrorCode::kExternalAccountRequired:
      return {400, "externalAccountRequired", 400};
    case ErrorCode::kInvalidContact:
      return {400, "invalidContact", 400};
    case ErrorCode::kUnsupportedContact:
      return {400, "unsupportedContact", 400};
    case ErrorCode::kUnsupportedIdentifier:
      return {422, "unsupportedIdentifier", 400};
    case ErrorCode::kInvalidProfile:
      return {400, "invalidProfile", 400};
    case ErrorCode::kOrderNotReady:
      return {409, "orderNotReady", 403};
    case ErrorCode::kBadRevocationReason:
      return {400, "badRevocationReason", 400};
    case ErrorCode::kAlreadyRevoked:
      return {409, "alreadyRevoked", 400};
    case ErrorCode::kAlreadyReplaced:
      return {409, "alreadyReplaced", 409};
    case ErrorCode::kIncorrectResponse:
      return {422, "incorrectResponse", 400};
    case ErrorCode::kTls:
      return {502, "tls", 400};
    case ErrorCode::kUserActionRequired:
      return {403, "userActionRequired", 403};
  }
  return {500, "serverInternal", 500};
}

}  // namespace

int HttpStatusFor(const Status& s) { return MappingFor(s.code()).http; }

AcmeProblemKind AcmeProblemFor(ErrorCode code) {
  ProblemMapping m = MappingFor(code);
  return {m.acme_type, m.acme_http};
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

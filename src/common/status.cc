#include "signet/common/status.h"

namespace signet {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kMalformed:
      return "malformed";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kRejectedIdentifier:
      return "rejected_identifier";
    case ErrorCode::kBadCsr:
      return "bad_csr";
    case ErrorCode::kCaa:
      return "caa";
    case ErrorCode::kDns:
      return "dns";
    case ErrorCode::kConnection:
      return "connection";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(ErrorCodeName(code_)) + " (" + reason_ + "): " + message_;
}

Status MalformedError(std::string message, std::string reason) {
  return Status::Error(ErrorCode::kMalformed, std::move(reason), std::move(message));
}
Status UnauthorizedError(std::string message) {
  return Status::Error(ErrorCode::kUnauthorized, "unauthorized", std::move(message));
}
Status ForbiddenError(std::string message) {
  return Status::Error(ErrorCode::kForbidden, "forbidden", std::move(message));
}
Status NotFoundError(std::string message) {
  return Status::Error(ErrorCode::kNotFound, "not_found", std::move(message));
}
Status ConflictError(std::string message, std::string reason) {
  return Status::Error(ErrorCode::kConflict, std::move(reason), std::move(message));
}
Status UnavailableError(std::string message) {
  return Status::Error(ErrorCode::kUnavailable, "unavailable", std::move(message));
}
Status InternalError(std::string message) {
  return Status::Error(ErrorCode::kInternal, "internal", std::move(message));
}

}  // namespace signet

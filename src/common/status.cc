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
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kBadNonce:
      return "bad_nonce";
    case ErrorCode::kBadSignatureAlgorithm:
      return "bad_signature_algorithm";
    case ErrorCode::kBadPublicKey:
      return "bad_public_key";
    case ErrorCode::kAccountDoesNotExist:
      return "account_does_not_exist";
    case ErrorCode::kExternalAccountRequired:
      return "external_account_required";
    case ErrorCode::kInvalidContact:
      return "invalid_contact";
    case ErrorCode::kUnsupportedContact:
      return "unsupported_contact";
    case ErrorCode::kUnsupportedIdentifier:
      return "unsupported_identifier";
    case ErrorCode::kInvalidProfile:
      return "invalid_profile";
    case ErrorCode::kOrderNotReady:
      return "order_not_ready";
    case ErrorCode::kBadRevocationReason:
      return "bad_revocation_reason";
    case ErrorCode::kAlreadyRevoked:
      return "already_revoked";
    case ErrorCode::kAlreadyReplaced:
      return "already_replaced";
    case ErrorCode::kIncorrectResponse:
      return "incorrect_response";
    case ErrorCode::kTls:
      return "tls";
    case ErrorCode::kUserActionRequired:
      return "user_action_required";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(ErrorCodeName(code_)) + " (" + reason_ + "): " + message_;
}

Status Status::Of(ErrorCode code, std::string message) {
  return Status(code, std::string(ErrorCodeName(code)), std::move(message));
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

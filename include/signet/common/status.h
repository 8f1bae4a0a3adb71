// Status and Result<T>: how every Signet module reports failure without exceptions.
//
// A Status carries a domain error code, a stable machine reason (e.g. "unknown_field") and a
// message that is safe to show a user. Only the web front end maps codes to HTTP. Internal
// details belong in the log, never in the message.
//
// Thread-safety: value types; distinct objects may be used from different threads freely.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace signet {

enum class ErrorCode {
  kOk = 0,
  kMalformed,           // the request or input cannot be parsed or is invalid
  kUnauthorized,        // no or bad credentials
  kForbidden,           // authenticated, but not allowed
  kNotFound,            // absent, or not visible to this account
  kConflict,            // the state does not allow it (duplicate, wrong status)
  kRateLimited,         // too many requests
  kRejectedIdentifier,  // a name policy refusal
  kBadCsr,              // the CSR cannot be used
  kCaa,                 // CAA forbids issuance
  kDns,                 // a DNS problem
  kConnection,          // could not connect to the applicant's server
  kUnavailable,         // a dependency is down; retry later
  kInternal,            // a bug or an unexpected failure
  // Finer kinds that clients act on differently (RFC 8555 section 6.7 names each one; the REST
  // API shows them by reason). The front end maps every code to its HTTP status and ACME
  // problem type in one place (wfe/problem.cc), so no module writes a protocol's names.
  kUnsupportedMediaType,     // the request's Content-Type is not one the endpoint takes
  kPayloadTooLarge,          // the request or upload is larger than allowed
  kBadNonce,                 // a replay nonce that is unknown, used or expired
  kBadSignatureAlgorithm,    // a JWS algorithm that is not supported
  kBadPublicKey,             // a public key (JWK) that is not acceptable
  kAccountDoesNotExist,      // no ACME account for this key
  kExternalAccountRequired,  // the ACME server requires external account binding
  kInvalidContact,           // a contact that is not a valid address
  kUnsupportedContact,       // a contact scheme that is not supported
  kUnsupportedIdentifier,    // an identifier type that is not supported
  kInvalidProfile,           // an unknown certificate profile
  kOrderNotReady,            // the order is not in the state the request needs
  kBadRevocationReason,      // a revocation reason that is not allowed
  kAlreadyRevoked,           // the certificate is already revoked
  kAlreadyReplaced,          // the certificate was already replaced by another order
  kIncorrectResponse,        // a validation found a response other than the expected one
  kTls,                      // a TLS error during validation
  kUserActionRequired,       // the user must act (e.g. accept new terms) before going on
};

std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return {}; }
  static Status Error(ErrorCode code, std::string reason, std::string message) {
    return Status(code, std::move(reason), std::move(message));
  }
  // An error whose reason is its code's name (ErrorCodeName).
  static Status Of(ErrorCode code, std::string message);

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  // A stable snake_case reason for machines, e.g. "unknown_field", "not_found".
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Status(ErrorCode code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  ErrorCode code_ = ErrorCode::kOk;
  std::string reason_;
  std::string message_;
};

// Shorthands for the common codes; the reason defaults to the code's name.
Status MalformedError(std::string message, std::string reason = "malformed");
Status UnauthorizedError(std::string message);
Status ForbiddenError(std::string message);
Status NotFoundError(std::string message);
Status ConflictError(std::string message, std::string reason = "conflict");
Status UnavailableError(std::string message);
Status InternalError(std::string message);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace signet

#define SIGNET_CONCAT_INNER(a, b) a##b
#define SIGNET_CONCAT(a, b) SIGNET_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` fails.
#define SIGNET_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::signet::Status signet_status_ = (expr);        \
    if (!signet_status_.ok()) return signet_status_; \
  } while (0)

// Declares `lhs` from a Result<T>, returning its Status from the enclosing function on failure.
#define SIGNET_ASSIGN_OR_RETURN(lhs, expr) \
  SIGNET_ASSIGN_OR_RETURN_IMPL(SIGNET_CONCAT(signet_result_, __LINE__), lhs, expr)
#define SIGNET_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

// Problem documents (RFC 9457): the one place a Status becomes an HTTP error.
#pragma once

#include <string>
#include <string_view>

#include "signet/common/status.h"
#include "signet/wfe/http_message.h"

namespace signet::wfe {

// The REST API's HTTP status for an error.
int HttpStatusFor(const Status& status);
// The ACME problem type ("urn:ietf:params:acme:error:<type>") and HTTP status for an error.
struct AcmeProblemKind {
  std::string_view type;
  int http;
};
AcmeProblemKind AcmeProblemFor(ErrorCode code);
// {"type","title","status","detail","code","request_id"} as application/problem+json.
HttpResponse ProblemResponse(const Status& status, const std::string& request_id);
HttpResponse ProblemResponse(int http_status, const std::string& code, const std::string& detail,
                             const std::string& request_id);

}  // namespace signet::wfe

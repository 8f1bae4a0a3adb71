// ApiClient: one HTTPS request at a time to signetd's REST API with libcurl. The server's
// certificate is always verified (against the given CA file, else the system's trust store);
// there is deliberately no switch to turn that off. The API key goes in an Authorization header
// and nowhere else.
//
// Thread-safety: an ApiClient is used by one thread at a time (it owns one curl handle, reused
// so that polling keeps its TLS connection). curl_global_init must have run before the first
// ApiClient is made.
#pragma once

#include <curl/curl.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"

namespace signet::cli {

struct ApiRequest {
  std::string method = "GET";
  std::string path;          // /api/v1/..., query included
  std::string body;          // sent when non-empty, or always for POST/PUT/PATCH
  std::string content_type;  // of the body; empty sends none
};

struct ApiResponse {
  long status = 0;
  std::string content_type;                    // media type only, lower case
  std::map<std::string, std::string> headers;  // names lower case; the last value wins
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
  bool IsJson() const;
  bool IsProblem() const { return content_type == "application/problem+json"; }
  std::string Header(const std::string& lower_case_name) const;
};

class ApiClient {
 public:
  // credentials.url must have passed NormalizeServerUrl.
  explicit ApiClient(Credentials credentials);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // Any HTTP answer, whatever its status, is a response; std::nullopt means there was none, and
  // *error says which URL failed and why, with a hint when there is an obvious fix.
  std::optional<ApiResponse> Send(const ApiRequest& request, std::string* error);

  const std::string& base_url() const { return credentials_.url; }

 private:
  Credentials credentials_;
  CURL* curl_;
};

// Percent-encodes a path segment or query value (everything but RFC 3986 unreserved bytes).
std::string UrlEscape(const std::string& s);

// "?a=1&b=2" from the pairs whose value is non-empty, or "" when there are none.
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace signet::cli

// One outgoing HTTP(S) request as Signet makes them: a POST of a JSON document (account webhooks,
// remote validation perspectives) or of another body (an OCSP request), or a GET (a CRL), with a
// bounded time, no signals, optionally only public addresses. libcurl stays out of this header.
//
// Thread-safety: PostJson may be called from any thread (each call has its own handle).
#pragma once

#include <string>
#include <vector>

namespace signet {

struct JsonPostRequest {
  std::string url;
  std::string body;  // sent as content_type
  std::string content_type = "application/json";
  bool get = false;                  // a GET (body unused) instead of a POST
  std::vector<std::string> headers;  // extra "Name: value" lines
  std::string protocols = "https";   // libcurl's list, e.g. "http,https"
  std::string ca_file;               // trust these roots instead of the system's
  bool no_proxy = false;             // ignore proxy settings from the environment
  // Refuse to connect to loopback, private and other reserved addresses (checked on the address
  // actually connected to, after DNS): for URLs an account chose.
  bool public_addresses_only = false;
  int timeout_ms = 10000;
  bool keep_response = false;  // its first max_response bytes; else the body is read and dropped
  size_t max_response = 1 << 20;
  // With keep_response: a longer answer fails ("too large") instead of being cut.
  bool refuse_longer = false;
};

// One response header, its name in lower case.
struct HttpHeader {
  std::string name;
  std::string value;
};

struct JsonPostResult {
  bool reached = false;  // an HTTP answer came back; else `error` says why not
  std::string error;     // libcurl's description of the failure
  long status = 0;       // the HTTP status when reached
  std::string response;  // when keep_response
  std::vector<HttpHeader> headers;  // of the final response (always kept; at most 100)

  // The first header named `name` (lower case), or "".
  std::string Header(const std::string& name) const;
};

// Whether `url` may be an account's webhook: https://host[:port][/path], printable ASCII, at most
// 500 characters, no credentials in it (webhooks are always TLS).
bool IsAcceptableWebhookUrl(const std::string& url);

JsonPostResult PostJson(const JsonPostRequest& request);

}  // namespace signet

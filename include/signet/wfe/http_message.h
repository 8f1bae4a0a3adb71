// HttpRequest and HttpResponse: the web front end's own light message types. Handlers see these,
// never Beast types, so that handler code compiles without Boost headers and is easy to test.
//
// Thread-safety: value types.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace signet::wfe {

struct HttpRequest {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // as received, path and query
  std::string path;    // percent-decoded path without the query
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;

  // The header's value, or empty.
  const std::string& Header(const std::string& lower_name) const;
  // The first query parameter of that name, or empty.
  std::string Query(const std::string& name) const;
  bool HasQuery(const std::string& name) const { return query.count(name) > 0; }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The route pattern that handled the request, for metrics and logs ("unmatched" otherwise).
  std::string route = "unmatched";
  // Close the connection after this response (e.g. after a framing error).
  bool close = false;
};

// Splits a target into path and query, percent-decoding both. False for malformed encodings.
bool ParseTarget(const std::string& target, std::string* path,
                 std::multimap<std::string, std::string>* query);

}  // namespace signet::wfe

// libFuzzer target: the web front end's request parsing that needs no server, on arbitrary
// bytes: the request target (ParseTarget, signet/wfe/http_message.h) and the strict JSON body
// (ParseJsonObject and the field readers, src/wfe/json_body.h), then the JSON response made from
// what was read. Input: "target\ncontent-type\nbody".
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "signet/wfe/http_message.h"
#include "wfe/json_body.h"

namespace {

// Reads one line off the front of `rest`; the last line is whatever remains.
std::string NextLine(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string line(rest.substr(0, nl));
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  signet::wfe::HttpRequest request;
  request.method = "POST";
  request.target = NextLine(rest);
  request.headers["content-type"] = NextLine(rest);
  request.body = std::string(rest);
  if (signet::wfe::ParseTarget(request.target, &request.path, &request.query)) {
    // A decoded path always starts at the root.
    if (request.path.empty() || request.path[0] != '/') __builtin_trap();
    (void)request.Query("page_token");
  }

  // The fields of an order form (the set only decides which names are unknown).
  static const std::set<std::string> kFields = {"names",         "product", "csr",
                                                "validity_days", "contact", "comment"};
  auto body = signet::wfe::ParseJsonObject(request, kFields);
  if (!body.ok()) return 0;
  if (!body->is_object()) __builtin_trap();
  nlohmann::json echo = nlohmann::json::object();
  for (const char* field : {"product", "csr", "comment"}) {
    auto optional = signet::wfe::OptionalString(*body, field, 64);
    if (optional.ok() && optional->size() > 64) __builtin_trap();
    if (optional.ok()) echo[field] = *optional;
    (void)signet::wfe::RequiredString(*body, field, 64);
  }
  // Echoing the fields read, as handlers do, must give JSON that reads back the same.
  signet::wfe::HttpResponse response = signet::wfe::JsonResponse(200, echo);
  if (nlohmann::json::parse(response.body, nullptr, false) != echo) __builtin_trap();
  return 0;
}

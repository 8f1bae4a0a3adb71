// libFuzzer target: the order application on arbitrary bytes, as an applicant's PUT body would
// carry it: the REST reading (ApplicationFromJson, src/wfe/application_json.h), the view made from
// what was read, and the stored form (src/sa/application_codec.h), which must read back to the
// same text: a value the API accepts is never changed or lost by storing it.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "sa/application_codec.h"
#include "signet/common/json_depth.h"
#include "wfe/application_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = signet::fuzz::AsString(data, size);
  // Stored text that is not what Signet wrote must still read as something.
  (void)signet::sa::DecodeApplication(text);
  // As ParseJsonObject does for every request body, deep nesting is refused before parsing.
  if (!signet::JsonNestsAtMost(text, signet::kMaxRequestJsonDepth)) return 0;
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) return 0;
  auto application = signet::wfe::ApplicationFromJson(json);
  if (!application.ok()) return 0;
  (void)signet::wfe::ApplicationJson(*application)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string stored = signet::sa::EncodeApplication(*application);
  if (signet::sa::EncodeApplication(signet::sa::DecodeApplication(stored)) != stored) {
    __builtin_trap();
  }
  return 0;
}

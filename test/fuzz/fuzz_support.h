// Helpers shared by the libFuzzer targets in test/fuzz (docs/FUZZING.md).
#pragma once

#include <openssl/ui.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

namespace signet::fuzz {

// Makes any passphrase prompt a crash. Outside input must never reach OpenSSL's terminal prompt
// (in signetd it would block a thread for ever; pem_input.h), and a prompt under the fuzzer
// would only read stdin or fail quietly, hiding the bug. So the default UI method, which
// OpenSSL uses whenever a read was given no password callback, aborts with a clear message.
inline void TrapPassphrasePrompts() {
  static UI_METHOD* trap = [] {
    UI_METHOD* m = UI_create_method("signet-fuzz: passphrase prompt trap");
    auto abort_on_prompt = [](UI*, UI_STRING*) -> int {
      std::fputs("signet-fuzz: OpenSSL tried to prompt for a passphrase on outside input\n",
                 stderr);
      std::abort();
    };
    UI_method_set_reader(m, abort_on_prompt);
    UI_method_set_writer(m, abort_on_prompt);
    return m;
  }();
  UI_set_default_method(trap);
}

inline std::string AsString(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Splits "first\0rest" at the first NUL byte: one fuzz input carries two strings (e.g. a
// password and a key). Without a NUL, `first` is empty and everything is `rest`.
inline std::pair<std::string, std::string> SplitAtNul(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t nul = all.find('\0');
  if (nul == std::string_view::npos) return {std::string(), std::string(all)};
  return {std::string(all.substr(0, nul)), std::string(all.substr(nul + 1))};
}

}  // namespace signet::fuzz

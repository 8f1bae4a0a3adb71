// How deeply a JSON text nests, counted on the text before it is parsed.
//
// nlohmann::json parses deep input without trouble, but copying, comparing and dump()ing a value
// recurse once per level: a request body of a few hundred kilobytes of "[[[[..." would overflow
// the stack of whichever thread touches it. Every JSON that comes from outside (REST bodies, JWS
// bodies, headers and payloads) is refused beyond a small depth before it is parsed.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

namespace signet {

// The deepest any request body of Signet's needs (an application with nested profiles is 4).
inline constexpr int kMaxRequestJsonDepth = 32;

// True when no array or object in `text` is nested more than `max_depth` deep (brackets inside
// strings do not count). Says nothing about whether the text is valid JSON.
bool JsonNestsAtMost(std::string_view text, int max_depth);

}  // namespace signet

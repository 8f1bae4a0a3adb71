// Byte encodings used across Signet: hex, base64, base64url (RFC 4648).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signet {

std::string HexEncode(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> HexDecode(std::string_view hex);
std::string Base64Encode(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> Base64Decode(std::string_view text);
// URL-safe alphabet, no padding (JWS, tokens).
std::string Base64UrlEncode(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> Base64UrlDecode(std::string_view text);
// RFC 7468 text: "-----BEGIN <label>-----", base64 in lines of 64, "-----END <label>-----".
// Made from the bytes alone, without parsing them (OpenSSL's PEM writers decode keys first).
std::string PemEncode(std::string_view label, std::span<const uint8_t> der);

// Text from outside (a served certificate's names, a remote command's output), safe to show and
// to put in JSON: valid UTF-8 is kept, control characters other than newline and tab and broken
// sequences become '?'.
std::string DisplayableUtf8(std::string_view text);

inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace signet

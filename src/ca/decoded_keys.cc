#include "ca/decoded_keys.h"

#include <deque>
#include <mutex>
#include <utility>

namespace signet::ca {
namespace {

// About as many as finalizes run at once; a miss only costs the decode.
constexpr size_t kRemembered = 64;

struct DecodedKeys {
  std::mutex mu;
  std::deque<std::pair<std::vector<uint8_t>, PkeyPtr>> keys;  // oldest first
};

DecodedKeys& Keys() {
  static DecodedKeys* keys = new DecodedKeys();  // never destroyed: used until exit
  return *keys;
}

}  // namespace

void RememberDecodedKey(const std::vector<uint8_t>& spki_der, EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_up_ref(key) != 1) return;
  PkeyPtr held(key);
  DecodedKeys& k = Keys();
  std::lock_guard lock(k.mu);
  k.keys.emplace_back(spki_der, std::move(held));
  if (k.keys.size() > kRemembered) k.keys.pop_front();
}

PkeyPtr RecallDecodedKey(const std::vector<uint8_t>& spki_der) {
  DecodedKeys& k = Keys();
  std::lock_guard lock(k.mu);
  for (auto it = k.keys.rbegin(); it != k.keys.rend(); ++it) {
    if (it->first == spki_der && EVP_PKEY_up_ref(it->second.get()) == 1) {
      return PkeyPtr(it->second.get());
    }
  }
  return nullptr;
}

}  // namespace signet::ca

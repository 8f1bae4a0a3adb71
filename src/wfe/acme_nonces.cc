#include "wfe/acme_nonces.h"

#include <array>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace signet::wfe {

namespace {

class DatabaseNonceStore final : public NonceStore {
 public:
  DatabaseNonceStore(sa::AcmeStore& storage, const Clock& clock, Random& random,
                     std::chrono::seconds lifetime)
      : storage_(storage), clock_(clock), random_(random), lifetime_(lifetime) {}

  std::string Issue() override {
    std::string nonce = random_.Token(16);
    return storage_.StoreNonce(nonce, clock_.Now() + lifetime_).ok() ? nonce : "";
  }

  Result<bool> Redeem(const std::string& nonce) override {
    return storage_.RedeemNonce(nonce, clock_.Now());
  }

 private:
  sa::AcmeStore& storage_;
  const Clock& clock_;
  Random& random_;
  std::chrono::seconds lifetime_;
};

class MemoryNonceStore final : public NonceStore {
 public:
  MemoryNonceStore(const Clock& clock, Random& random, std::chrono::seconds lifetime)
      : clock_(clock), random_(random), lifetime_(lifetime) {}

  std::string Issue() override {
    std::string nonce = random_.Token(16);
    TimePoint now = clock_.Now();
    Shard& shard = ShardOf(nonce);
    std::lock_guard<std::mutex> lock(shard.mu);
    if (++shard.inserts % 4096 == 0 || shard.nonces.size() >= kMaxPerShard) {
      std::erase_if(shard.nonces, [now](const auto& e) { return e.second <= now; });
      // Still full of live nonces: start over rather than grow without bound. Clients holding
      // the dropped ones get badNonce and a fresh nonce.
      if (shard.nonces.size() >= kMaxPerShard) shard.nonces.clear();
    }
    shard.nonces.emplace(nonce, now + lifetime_);
    return nonce;
  }

  Result<bool> Redeem(const std::string& nonce) override {
    Shard& shard = ShardOf(nonce);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.nonces.find(nonce);
    if (it == shard.nonces.end()) return false;
    bool fresh = it->second > clock_.Now();
    shard.nonces.erase(it);
    return fresh;
  }

 private:
  static constexpr size_t kShards = 16;
  static constexpr size_t kMaxPerShard = 1 << 16;
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, TimePoint> nonces;
    uint64_t inserts = 0;
  };
  Shard& ShardOf(const std::string& nonce) {
    return shards_[std::hash<std::string>()(nonce) % kShards];
  }

  const Clock& clock_;
  Random& random_;
  std::chrono::seconds lifetime_;
  std::array<Shard, kShards> shards_;
};

}  // namespace

std::unique_ptr<NonceStore> MakeNonceStore(sa::AcmeStore& storage, bool single_node,
                                           const Clock& clock, Random& random,
                                           std::chrono::seconds lifetime) {
  if (single_node) {
    return std::make_unique<MemoryNonceStore>(clock, random, lifetime);
  }
  return std::make_unique<DatabaseNonceStore>(storage, clock, random, lifetime);
}

}  // namespace signet::wfe

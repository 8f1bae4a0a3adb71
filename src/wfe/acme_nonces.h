// Replay nonces for ACME (RFC 8555 6.5). Two stores, chosen by the database:
// - PostgreSQL, where several nodes may share one database: nonces are rows, redeemed by one
//   DELETE, so a nonce from any node is good on every node, exactly once.
// - SQLite, which serves one node only (docs/OPERATIONS.md): nonces live in this process's
//   memory, which spares two disk-synced commits per request. A restart forgets them; clients
//   then get badNonce with a fresh nonce and retry, as RFC 8555 6.5 provides.
// Private to wfe.
//
// Thread-safety: Issue and Redeem may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet::wfe {

class NonceStore {
 public:
  virtual ~NonceStore() = default;
  // A fresh nonce, or "" when none could be stored.
  virtual std::string Issue() = 0;
  // True exactly once for an issued, unexpired nonce.
  virtual Result<bool> Redeem(const std::string& nonce) = 0;
};

// `single_node` (SQLite: one process) keeps nonces in memory; otherwise they are in the database,
// so every node redeems every node's nonces.
std::unique_ptr<NonceStore> MakeNonceStore(sa::AcmeStore& storage, bool single_node,
                                           const Clock& clock, Random& random,
                                           std::chrono::seconds lifetime);

}  // namespace signet::wfe

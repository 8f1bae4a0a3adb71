// AcmeAccounts: the write side of ACME accounts (RFC 8555 §7.3): registration without external
// binding, contact and status updates, key change. The web front end reads accounts through
// sa::StorageView and changes them only here (bound registrations go through AcmeService, which
// checks the EAB key).
//
// Thread-safety: safe from many threads (storage is); calls block.
#pragma once

#include <string>

#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet::ra {

class AcmeAccounts {
 public:
  explicit AcmeAccounts(sa::AcmeStore& store) : store_(store) {}

  // `created` is false when an account with the key exists already (it is returned).
  Result<sa::AcmeAccount> Register(const sa::AcmeAccount& account, bool* created,
                                   const sa::Actor& actor) {
    return store_.CreateAcmeAccount(account, created, actor);
  }
  Result<sa::AcmeAccount> Update(const sa::AcmeAccount& account, const sa::Actor& actor) {
    return store_.UpdateAcmeAccount(account, actor);
  }
  Status ChangeKey(const std::string& id, const std::string& old_thumbprint,
                   const std::string& new_thumbprint, const std::string& new_spki_base64,
                   const sa::Actor& actor) {
    return store_.ChangeAcmeAccountKey(id, old_thumbprint, new_thumbprint, new_spki_base64, actor);
  }

 private:
  sa::AcmeStore& store_;
};

}  // namespace signet::ra

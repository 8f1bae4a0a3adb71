// UpstreamClients: Signet's accounts at the upstream CAs of its brands, one per ACME directory
// and EAB key id, each registered on first use and kept in storage (the key sealed with the
// master key), and an AcmeClient for each, shared by every order of those brands.
//
// Thread-safety: For may be called from many threads at once; two nodes registering at the same
// moment both succeed upstream, and the first stored account is the one every node uses.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "signet/common/key_vault.h"
#include "signet/common/status.h"
#include "signet/sa/storage.h"
#include "signet/upstream/acme_client.h"

namespace signet::upstream {

// A brand issued by an upstream public CA over ACME (docs/BRANDS.md): the products.file entry's
// "upstream".
struct UpstreamCa {
  std::string acme_directory;  // https URL of the CA's ACME directory
  std::string ca_file;         // roots for the directory's TLS; empty: the system store
  std::string eab_kid;         // external account binding, when the CA requires one
  std::string eab_hmac_key;    // its MAC key (base64url), read from eab_hmac_key_file at start
  std::string profile;         // the CA's ACME profile (e.g. "shortlived"); empty: its default
  std::vector<std::string> contact;  // mailto: URLs for the upstream account
};

class UpstreamClients {
 public:
  // `allow_private_addresses`: upstream.allow_private_addresses, for a CA on the local network.
  UpstreamClients(sa::Storage& storage, const KeyVault& vault, bool allow_private_addresses);

  // The client for the brand's account at `ca`; for an applicant account with its own EAB
  // credentials at that CA (PutApplicantEab), the account made with them instead.
  Result<std::shared_ptr<AcmeClient>> For(const UpstreamCa& ca, const std::string& account_id = "");

  // Stores an applicant account's own EAB for the CA of `product_id` (its HMAC key sealed).
  Status PutApplicantEab(const std::string& account_id, const std::string& product_id,
                         const UpstreamCa& ca, const std::string& eab_kid,
                         const std::string& eab_hmac_key, const sa::Actor& actor);

 private:
  sa::Storage& storage_;
  const KeyVault& vault_;
  bool allow_private_addresses_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<AcmeClient>> clients_;  // by directory + "\n" + kid
};

}  // namespace signet::upstream

// Signet's accounts at upstream CAs (upstream_clients.h).
#include "signet/upstream/upstream_clients.h"

namespace signet::upstream {

UpstreamClients::UpstreamClients(sa::Storage& storage, const KeyVault& vault,
                                 bool allow_private_addresses)
    : storage_(storage), vault_(vault), allow_private_addresses_(allow_private_addresses) {}

namespace {

std::string ApplicantEabContext(const std::string& account_id, const std::string& directory) {
  return "upstream-eab:" + account_id + "\n" + directory;
}

}  // namespace

Status UpstreamClients::PutApplicantEab(const std::string& account_id,
                                        const std::string& product_id, const UpstreamCa& ca,
                                        const std::string& eab_kid, const std::string& eab_hmac_key,
                                        const sa::Actor& actor) {
  sa::UpstreamEabCredential c;
  c.account_id = account_id;
  c.directory_url = ca.acme_directory;
  c.product_id = product_id;
  c.eab_kid = eab_kid;
  c.sealed_hmac_key = vault_.Seal(eab_hmac_key, ApplicantEabContext(account_id, ca.acme_directory));
  return storage_.PutUpstreamEabCredential(c, actor);
}

Result<std::shared_ptr<AcmeClient>> UpstreamClients::For(const UpstreamCa& brand,
                                                         const std::string& account_id) {
  UpstreamCa ca = brand;
  // Whose account at the CA: the brand's (keyed by its EAB key id), or an applicant's own, keyed
  // by the account too, so that naming another account's key id never reaches its account.
  std::string owner = ca.eab_kid;
  if (!account_id.empty()) {
    SIGNET_ASSIGN_OR_RETURN(auto own, storage_.ListUpstreamEabCredentials(account_id));
    for (const sa::UpstreamEabCredential& c : own) {
      if (c.directory_url != ca.acme_directory) continue;
      ca.eab_kid = c.eab_kid;
      SIGNET_ASSIGN_OR_RETURN(
          ca.eab_hmac_key,
          vault_.Unseal(c.sealed_hmac_key, ApplicantEabContext(account_id, ca.acme_directory)));
      owner = c.eab_kid + "\naccount:" + account_id;
    }
  }
  std::string cache_key = ca.acme_directory + "\n" + owner;
  // One registration at a time on this node: the first makes the account, the rest use it.
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto found = clients_.find(cache_key); found != clients_.end()) return found->second;
  AcmeClientOptions options{ca.acme_directory, ca.ca_file, std::chrono::seconds(30),
                            allow_private_addresses_};
  // The key is sealed with the directory URL as context: a row copied to another directory's
  // does not open.
  const std::string context = "upstream:" + ca.acme_directory + "\n" + owner;
  SIGNET_ASSIGN_OR_RETURN(auto stored, storage_.GetUpstreamAccount(ca.acme_directory, owner));
  if (!stored) {
    SIGNET_ASSIGN_OR_RETURN(AcmeAccountKey key, AcmeAccountKey::Generate());
    std::string pem = key.Pem();
    AcmeClient client(options, std::move(key));
    SIGNET_ASSIGN_OR_RETURN(std::string url,
                            client.RegisterAccount(ca.contact, ca.eab_kid, ca.eab_hmac_key));
    SIGNET_ASSIGN_OR_RETURN(
        stored, storage_.RecordUpstreamAccount(
                    {ca.acme_directory, owner, url, vault_.Seal(pem, context), TimePoint{}}));
  }
  SIGNET_ASSIGN_OR_RETURN(std::string pem, vault_.Unseal(stored->sealed_key, context));
  SIGNET_ASSIGN_OR_RETURN(AcmeAccountKey key, AcmeAccountKey::FromPem(pem));
  auto client = std::make_shared<AcmeClient>(options, std::move(key), stored->account_url);
  clients_[cache_key] = client;
  return client;
}

}  // namespace signet::upstream

// Signet's accounts at upstream CAs (upstream_clients.h).
#include "signet/upstream/upstream_clients.h"

namespace signet::upstream {

UpstreamClients::UpstreamClients(sa::Storage& storage, const KeyVault& vault,
                                 bool allow_private_addresses)
    : storage_(storage), vault_(vault), allow_private_addresses_(allow_private_addresses) {}

Result<std::shared_ptr<AcmeClient>> UpstreamClients::For(const UpstreamCa& ca) {
  std::string cache_key = ca.acme_directory + "\n" + ca.eab_kid;
  // One registration at a time on this node: the first makes the account, the rest use it.
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto found = clients_.find(cache_key); found != clients_.end()) return found->second;
  AcmeClientOptions options{ca.acme_directory, ca.ca_file, std::chrono::seconds(30),
                            allow_private_addresses_};
  // The key is sealed with the directory URL as context: a row copied to another directory's
  // does not open.
  const std::string context = "upstream:" + ca.acme_directory + "\n" + ca.eab_kid;
  SIGNET_ASSIGN_OR_RETURN(auto stored, storage_.GetUpstreamAccount(ca.acme_directory, ca.eab_kid));
  if (!stored) {
    SIGNET_ASSIGN_OR_RETURN(AcmeAccountKey key, AcmeAccountKey::Generate());
    std::string pem = key.Pem();
    AcmeClient client(options, std::move(key));
    SIGNET_ASSIGN_OR_RETURN(std::string url,
                            client.RegisterAccount(ca.contact, ca.eab_kid, ca.eab_hmac_key));
    SIGNET_ASSIGN_OR_RETURN(
        stored, storage_.RecordUpstreamAccount(
                    {ca.acme_directory, ca.eab_kid, url, vault_.Seal(pem, context), TimePoint{}}));
  }
  SIGNET_ASSIGN_OR_RETURN(std::string pem, vault_.Unseal(stored->sealed_key, context));
  SIGNET_ASSIGN_OR_RETURN(AcmeAccountKey key, AcmeAccountKey::FromPem(pem));
  auto client = std::make_shared<AcmeClient>(options, std::move(key), stored->account_url);
  clients_[cache_key] = client;
  return client;
}

}  // namespace signet::upstream

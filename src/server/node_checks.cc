#include "server/node_checks.h"

#include <openssl/x509.h>

#include <filesystem>

#include "signet/common/crypto.h"

namespace signet::server {

namespace {

namespace fs = std::filesystem;

constexpr char kMasterKeyFact[] = "master_key_check";
constexpr char kRootFact[] = "ca_root_sha256";
// Sealed under the master key with this associated data; opening it proves the same key.
constexpr char kCheckText[] = "signet master key check";
constexpr char kCheckContext[] = "master-key-check";

fs::path RootCertificatePath(const Settings& settings) {
  return fs::path(settings.Get("data_dir")) / "ca" / "root" / "cert.pem";
}

std::string RootSha256(const ca::CaHierarchy& hierarchy) {
  unsigned char* der = nullptr;
  int n = i2d_X509(hierarchy.root(), &der);
  std::string hex =
      Sha256Hex(std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(n)));
  OPENSSL_free(der);
  return hex;
}

Status Missing(const std::string& what, const std::string& path, const std::string& why) {
  return Status::Error(ErrorCode::kUnavailable, "node_file_missing",
                       what + " " + path + " is missing. " + why);
}

}  // namespace

std::string MasterKeyPath(const Settings& settings) {
  if (settings.Has("master_key_file") && !settings.Get("master_key_file").empty()) {
    return settings.Get("master_key_file");
  }
  return (fs::path(settings.Get("data_dir")) / "master.key").string();
}

Status CheckNodeFilesPresent(const Settings& settings, sa::Storage& storage) {
  std::error_code ec;
  SIGNET_ASSIGN_OR_RETURN(std::string key_check, storage.GetServiceFact(kMasterKeyFact));
  std::string key_path = MasterKeyPath(settings);
  if (!key_check.empty() && !fs::exists(key_path, ec)) {
    return Missing("the master key (master_key_file)", key_path,
                   "This database's secrets (generated private keys, TSIG and webhook secrets, "
                   "EAB keys) are sealed with the master key of the node that created it: copy "
                   "that file here (every node needs the same one), or restore it from backup. A "
                   "new key would leave them unreadable, so none is made.");
  }
  SIGNET_ASSIGN_OR_RETURN(std::string root, storage.GetServiceFact(kRootFact));
  fs::path root_path = RootCertificatePath(settings);
  if (!root.empty() && !fs::exists(root_path, ec)) {
    return Missing("the CA root certificate", root_path.string(),
                   "This database's certificates were issued by the CA whose root has SHA-256 " +
                       root +
                       ": copy the data_dir/ca folder (and the CA passphrase) from the node "
                       "that created it. A second CA would be made otherwise, so none is.");
  }
  return Status::Ok();
}

Status RecordOrVerifyNodeIdentity(const Settings& settings, const KeyVault& vault,
                                  const ca::CaHierarchy& hierarchy, sa::Storage& storage) {
  SIGNET_ASSIGN_OR_RETURN(
      std::string key_check,
      storage.RecordServiceFact(kMasterKeyFact, vault.Seal(kCheckText, kCheckContext)));
  auto opened = vault.Unseal(key_check, kCheckContext);
  if (!opened.ok() || *opened != kCheckText) {
    return Status::Error(ErrorCode::kUnavailable, "wrong_master_key",
                         "the master key " + MasterKeyPath(settings) +
                             " is not the one this database's secrets are sealed with; use "
                             "the same file as the other nodes (or the backup's)");
  }
  std::string mine = RootSha256(hierarchy);
  SIGNET_ASSIGN_OR_RETURN(std::string root, storage.RecordServiceFact(kRootFact, mine));
  if (root != mine) {
    return Status::Error(ErrorCode::kUnavailable, "wrong_ca",
                         "this node's CA (root SHA-256 " + mine + ", in " +
                             RootCertificatePath(settings).parent_path().parent_path().string() +
                             ") is not the database's (root SHA-256 " + root +
                             "); copy data_dir/ca from the node that created it");
  }
  return Status::Ok();
}

}  // namespace signet::server

// What a node needs before it may serve, checked against the database at start: the master key
// that sealed the database's secrets and the CA whose certificates the database holds.
//
// The first node to start records a check value of each (service_facts). A later node, or a
// restart, whose master.key or CA files are missing refuses to start and names the missing
// file, instead of quietly making a new key (every sealed secret would then fail to open, as
// bare 500s) or a second CA. A node with a different key or CA refuses too.
//
// Thread-safety: call once, at start, before serving.
#pragma once

#include <string>

#include "signet/ca/ca_hierarchy.h"
#include "signet/common/key_vault.h"
#include "signet/common/settings.h"
#include "signet/sa/storage.h"

namespace signet::server {

// master_key_file, or <data_dir>/master.key.
std::string MasterKeyPath(const Settings& settings);

// Before the master key and the CA are opened (which would create missing ones): fails, naming
// the file, when the database already belongs to a master key or a CA and this node lacks it.
Status CheckNodeFilesPresent(const Settings& settings, sa::Storage& storage);

// After they are opened: records their check values on the first start, and otherwise fails
// when this node's master key or CA root is not the database's.
Status RecordOrVerifyNodeIdentity(const Settings& settings, const KeyVault& vault,
                                  const ca::CaHierarchy& hierarchy, sa::Storage& storage);

}  // namespace signet::server

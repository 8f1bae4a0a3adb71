// Loads (or on first start creates) Signet's CA hierarchy with the configured passphrase.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "signet/ca/ca_hierarchy.h"
#include "signet/common/random.h"
#include "signet/common/settings.h"
#include "signet/wfe/web_front_end.h"

namespace signet::server {

// The passphrase encrypting CA key files: SIGNET_CA_KEY_PASSPHRASE, ca.key_passphrase_file, or
// one generated into <data_dir>/ca/passphrase.
Result<std::string> CaPassphrase(const Settings& settings, Random& random);

Result<std::unique_ptr<ca::CaHierarchy>> LoadCaHierarchy(const Settings& settings,
                                                         const std::string& public_url,
                                                         const Clock& clock, Random& random,
                                                         bool sign_root_crl = false);

// /ca/root.pem, /ca/root.der, /ca/<issuer>.pem, /ca/<issuer>.der, /ca/<issuer>-chain.pem and
// /ca/chain.pem (the default ECDSA issuer followed by the root).
std::vector<wfe::PublicFile> CaPublicFiles(const ca::CaHierarchy& hierarchy);

}  // namespace signet::server

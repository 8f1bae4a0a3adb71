// The HTTPS listener's certificate. Unless tls.cert/tls.key are configured, the first start
// creates a local trust anchor (<data_dir>/ca.pem) and a listener certificate it signs, valid for
// 127.0.0.1, ::1, localhost and the configured host. The anchor's key is discarded right after
// signing: nothing else can ever be signed by it, so there is no key to protect.
#pragma once

#include <string>

#include "signet/common/clock.h"
#include "signet/common/status.h"

namespace signet::server {

struct ListenerTlsFiles {
  std::string cert_chain;
  std::string private_key;
  std::string trust_anchor;  // empty when operator-provided
};

// Returns existing files, or creates them (again when the certificate is near expiry or the host
// names changed).
Result<ListenerTlsFiles> EnsureListenerCertificate(const std::string& data_dir,
                                                   const std::string& host, const Clock& clock);

}  // namespace signet::server

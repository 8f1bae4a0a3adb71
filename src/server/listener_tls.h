// The HTTPS listener's certificate. Unless tls.cert/tls.key are configured, signetd issues one
// from its own CA (private profile: localhost, 127.0.0.1, ::1 and the listen host) with a key
// generated here, and writes the root to <data_dir>/ca.pem as the trust anchor for clients.
// It is issued again at start when it is missing, within 30 days of expiry, for another host,
// or from another CA.
#pragma once

#include <string>
#include <vector>

#include "signet/ca/ca_hierarchy.h"
#include "signet/ca/certificate_authority.h"
#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/status.h"

namespace signet::server {

struct ListenerTlsFiles {
  std::string cert_chain;
  std::string private_key;
  std::string trust_anchor;  // empty when operator-provided
};

// The listener certificate names localhost, the loopback addresses and every one of `hosts`
// (the listen host and public_url's host); it is issued again when one of them is not named
// (public_url changed), when it expires within 30 days, or when the CA changed.
Result<ListenerTlsFiles> EnsureListenerCertificate(const std::string& data_dir,
                                                   const std::vector<std::string>& hosts,
                                                   const ca::CaHierarchy& hierarchy,
                                                   ca::CertificateAuthority& authority,
                                                   const Clock& clock, Random& random);

}  // namespace signet::server

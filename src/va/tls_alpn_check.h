// The TLS-ALPN-01 check (RFC 8737, BR 3.2.2.4.20): connect to the applicant's TLS port with the
// "acme-tls/1" protocol and the name as SNI, and judge the self-signed certificate it presents.
// Private to va.
//
// Thread-safety: pure functions; each call uses its own connection.
#pragma once

#include <string>

#include "signet/common/status.h"

namespace signet::va {

struct TlsAlpnProbe {
  std::string alpn;             // the protocol the server selected
  std::string certificate_der;  // the server's certificate
};

// Handshakes with address:port (an IP literal), offering only "acme-tls/1". Errors are
// connection failures and handshake failures, with words naming the endpoint.
Result<TlsAlpnProbe> ProbeTlsAlpn(const std::string& address, int port, const std::string& sni,
                                  int timeout_ms);

// Whether the probe proves `key_authorization` for `name`: ALPN "acme-tls/1", exactly one
// dNSName SAN equal to `name`, and a critical id-pe-acmeIdentifier extension holding
// SHA-256(key_authorization). The error says what was wrong.
Status JudgeTlsAlpn(const TlsAlpnProbe& probe, const std::string& name,
                    const std::string& key_authorization);

}  // namespace signet::va

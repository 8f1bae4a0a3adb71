// Probe: what a TLS endpoint actually serves. It connects to host:port (directly, or after the
// STARTTLS dialogue of SMTP, IMAP or POP3), sends SNI, completes a handshake and reports the
// certificates exactly as the server sent them, leaf first. It does not verify the chain or the
// name: the callers judge (deployment verification compares the leaf with the certificate just
// deployed; monitoring, issue 17, checks each address of a host and reports the served chain).
//
// Every step is bounded by the endpoint's timeout, and the STARTTLS dialogue by a byte limit, so
// a server that never speaks or never stops speaking ends the probe with an error.
//
// Refusals (ErrorCode::kConnection, by reason): tls_unreachable (no address, DNS failure or
// timeout, connection refused or timed out), probe_timeout (connected, but the server did not
// finish the dialogue or handshake in time), starttls_refused (the server's line is quoted),
// tls_handshake_failed (OpenSSL's reason is named); a bad Endpoint field is 400 invalid_field.
//
// Thread-safety: pure functions; any number of probes may run at once from different threads.
// Name resolution that outlives its timeout finishes in a detached thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signet/common/status.h"

namespace signet::probe {

// How the TLS handshake is reached: kTls and kHttps start it at once; the others first ask for
// it in their protocol (SMTP STARTTLS, RFC 3207; IMAP STARTTLS, RFC 9051; POP3 STLS, RFC 2595).
enum class Protocol { kTls, kHttps, kSmtp, kImap, kPop3 };

// "tls", "https", "smtp", "imap", "pop3"; ParseProtocol takes exactly these.
std::string_view Name(Protocol p);
std::optional<Protocol> ParseProtocol(std::string_view name);

struct Endpoint {
  std::string host;  // a name or an IP literal (IPv6 without brackets)
  int port = 443;
  // SNI, without a trailing dot; empty: host when it is a name, and none for an IP literal.
  std::string server_name;
  Protocol protocol = Protocol::kHttps;
  // An IP literal to connect to instead of resolving host (one address of a host; a new server
  // before DNS points at it). Without it, host's addresses are tried in the resolver's order.
  std::string address;
  // The whole probe (DNS, connect, STARTTLS, handshake); at most an hour.
  std::chrono::milliseconds timeout{10000};
};

struct ServedChain {
  std::string address;                        // the IP address connected to
  std::vector<std::string> certificates_der;  // as served, leaf first (raw DER bytes)
  std::string leaf_serial_hex;                // lower-case hex, as Signet stores serial_hex
  std::string tls_version;                    // OpenSSL's name, e.g. "TLSv1.3"
  std::string cipher;                         // OpenSSL's name, e.g. "TLS_AES_256_GCM_SHA384"
};

Result<ServedChain> Probe(const Endpoint& endpoint);

// A chain someone else read (an agent, in its own network), as Probe would have returned it:
// the certificates must parse; at most 10. invalid_chain says which does not.
Result<ServedChain> ServedChainFromDer(const std::string& address,
                                       std::vector<std::string> certificates_der,
                                       const std::string& tls_version);

// Every A and AAAA address of host, in the resolver's order without repeats (an IP literal gives
// itself): for checking each address of a host. tls_unreachable when there is none or the
// lookup fails or takes longer than timeout.
Result<std::vector<std::string>> ResolveAddresses(const std::string& host,
                                                  std::chrono::milliseconds timeout);

}  // namespace signet::probe

#include "va/tls_alpn_check.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "signet/common/crypto.h"

namespace signet::va {

namespace {

constexpr unsigned char kAlpn[] = {10, 'a', 'c', 'm', 'e', '-', 't', 'l', 's', '/', '1'};

Status ConnectionError(const std::string& reason, std::string message) {
  return Status::Error(ErrorCode::kConnection, reason, std::move(message));
}

struct SslDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
  void operator()(SSL* s) const { SSL_free(s); }
  void operator()(X509* x) const { X509_free(x); }
};

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

Result<int> Connect(const std::string& address, int port, int timeout_ms, const std::string& where) {
  sockaddr_storage storage{};
  socklen_t len = 0;
  int family = AF_INET;
  if (address.find(':') != std::string::npos) {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&storage);
    a6->sin6_family = family = AF_INET6;
    a6->sin6_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET6, address.c_str(), &a6->sin6_addr) != 1) {
      return ConnectionError("connection_failed", "bad address " + address);
    }
    len = sizeof(sockaddr_in6);
  } else {
    auto* a4 = reinterpret_cast<sockaddr_in*>(&storage);
    a4->sin_family = AF_INET;
    a4->sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &a4->sin_addr) != 1) {
      return ConnectionError("connection_failed", "bad address " + address);
    }
    len = sizeof(sockaddr_in);
  }
  int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return ConnectionError("connection_failed", "no socket: " + std::string(strerror(errno)));
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&storage), len);
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    rc = poll(&p, 1, timeout_ms);
    int err = 0;
    socklen_t err_len = sizeof(err);
    if (rc == 1) getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
    if (rc != 1 || err != 0) {
      close(fd);
      return ConnectionError("connection_failed",
                             "could not connect to " + where + ": " +
                                 (rc == 0 ? std::string("timed out") : std::string(strerror(err))));
    }
  } else if (rc != 0) {
    int err = errno;
    close(fd);
    return ConnectionError("connection_failed",
                           "could not connect to " + where + ": " + std::string(strerror(err)));
  }
  // The handshake below is blocking, bounded by socket timeouts.
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return fd;
}

}  // namespace

Result<TlsAlpnProbe> ProbeTlsAlpn(const std::string& address, int port, const std::string& sni,
                                  int timeout_ms) {
  std::string where = (address.find(':') != std::string::npos ? "[" + address + "]" : address) +
                      ":" + std::to_string(port) + " (" + sni + ")";
  SIGNET_ASSIGN_OR_RETURN(int fd, Connect(address, port, timeout_ms, where));
  Socket socket(fd);
  std::unique_ptr<SSL_CTX, SslDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return InternalError("TLS context");
  // RFC 8737 section 4: TLS 1.2 or later; the certificate is self-signed, so no chain check.
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  SSL_set_tlsext_host_name(ssl.get(), sni.c_str());
  SSL_set_alpn_protos(ssl.get(), kAlpn, sizeof(kAlpn));
  SSL_set_fd(ssl.get(), socket.fd());
  ERR_clear_error();
  if (SSL_connect(ssl.get()) != 1) {
    unsigned long e = ERR_get_error();
    char buf[256] = "the connection closed";
    if (e) ERR_error_string_n(e, buf, sizeof(buf));
    return ConnectionError("tls_handshake_failed",
                           "the TLS handshake with " + where + " offering acme-tls/1 failed: " +
                               buf);
  }
  TlsAlpnProbe probe;
  const unsigned char* selected = nullptr;
  unsigned int selected_len = 0;
  SSL_get0_alpn_selected(ssl.get(), &selected, &selected_len);
  probe.alpn.assign(reinterpret_cast<const char*>(selected), selected_len);
  std::unique_ptr<X509, SslDeleter> cert(SSL_get1_peer_certificate(ssl.get()));
  if (cert) {
    unsigned char* der = nullptr;
    int n = i2d_X509(cert.get(), &der);
    if (n > 0) probe.certificate_der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
  }
  SSL_shutdown(ssl.get());
  return probe;
}

Status JudgeTlsAlpn(const TlsAlpnProbe& probe, const std::string& name,
                    const std::string& key_authorization) {
  auto wrong = [](std::string message) {
    return Status::Error(ErrorCode::kUnauthorized, "wrong_value", std::move(message));
  };
  if (probe.alpn != "acme-tls/1") {
    return wrong("the server did not select the acme-tls/1 protocol (selected '" + probe.alpn +
                 "'); configure it to answer TLS-ALPN-01 (RFC 8737)");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(probe.certificate_der.data());
  std::unique_ptr<X509, SslDeleter> cert(
      d2i_X509(nullptr, &p, static_cast<long>(probe.certificate_der.size())));
  if (!cert) return wrong("the server presented no readable certificate");
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  int count = sans ? sk_GENERAL_NAME_num(sans) : 0;
  std::string san;
  bool only_dns = true;
  for (int i = 0; i < count; ++i) {
    GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type != GEN_DNS) {
      only_dns = false;
      continue;
    }
    san.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)),
               static_cast<size_t>(ASN1_STRING_length(g->d.dNSName)));
  }
  GENERAL_NAMES_free(sans);
  std::string lowered = san;
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (count != 1 || !only_dns || lowered != name) {
    return wrong("the acme-tls/1 certificate must carry exactly one subjectAltName, the dNSName " +
                 name + (count == 1 && only_dns ? "; it carries " + san : ""));
  }
  // id-pe-acmeIdentifier, 1.3.6.1.5.5.7.1.31 (RFC 8737 section 6.1).
  std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> oid(
      OBJ_txt2obj("1.3.6.1.5.5.7.1.31", 1), &ASN1_OBJECT_free);
  int index = X509_get_ext_by_OBJ(cert.get(), oid.get(), -1);
  if (index < 0) {
    return wrong("the acme-tls/1 certificate has no acmeIdentifier extension (1.3.6.1.5.5.7.1.31)");
  }
  X509_EXTENSION* ext = X509_get_ext(cert.get(), index);
  if (!X509_EXTENSION_get_critical(ext)) {
    return wrong("the acmeIdentifier extension must be critical (RFC 8737 section 3)");
  }
  ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
  // The extension value is DER: OCTET STRING (32 bytes) of SHA-256(key authorization).
  Sha256Digest digest = Sha256(std::string_view(key_authorization));
  std::string expected = std::string("\x04\x20", 2) +
                         std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
  std::string got(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                  static_cast<size_t>(ASN1_STRING_length(data)));
  if (got != expected) {
    return wrong("the acmeIdentifier extension does not hold SHA-256 of the key authorization; "
                 "check the token and the account key thumbprint");
  }
  return Status::Ok();
}

}  // namespace signet::va

#include "signet/probe/tls_probe.h"

#include <netdb.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "signet/common/encoding.h"
#include "signet/common/openssl_ptr.h"

namespace signet::probe {

namespace {

using Clock = std::chrono::steady_clock;

// A STARTTLS dialogue is a few short lines. These bounds end one with a server that never stops
// talking. RFC 5321 caps SMTP reply lines at 512 bytes; IMAP greetings that list capabilities
// are longer, so a line may have 4 KiB and the whole dialogue 32 KiB.
constexpr size_t kMaxLine = 4096;
constexpr size_t kMaxDialogue = 32 * 1024;
constexpr size_t kMaxQuoted = 200;
// Far above any useful probe; it keeps the deadline's arithmetic from overflowing.
constexpr std::chrono::hours kMaxTimeout{1};

Status Unreachable(std::string message) {
  return Status::Error(ErrorCode::kConnection, "tls_unreachable", std::move(message));
}

// status.h has no timeout code: a server too slow to answer is a connection problem.
Status TimedOut(std::string message) {
  return Status::Error(ErrorCode::kConnection, "probe_timeout", std::move(message));
}

Status Refused(std::string message) {
  return Status::Error(ErrorCode::kConnection, "starttls_refused", std::move(message));
}

Status HandshakeFailed(std::string message) {
  return Status::Error(ErrorCode::kConnection, "tls_handshake_failed", std::move(message));
}

Status InvalidField(std::string message) {
  return MalformedError(std::move(message), "invalid_field");
}

std::string ErrnoText(int error) {
  char buf[256];
  return strerror_r(error, buf, sizeof buf);  // GNU form: thread-safe, returns the text
}

// Up to kMaxQuoted characters of what a server sent, quoted, with anything unprintable shown as
// '?': the text goes into messages and logs, so it must not carry control characters.
std::string Quote(std::string_view text) {
  std::string out = "'";
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == kMaxQuoted) {
      out += "...";
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  return out + "'";
}

bool Printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c > 0x20 && c < 0x7f;
  });
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::toupper(static_cast<unsigned char>(a)) ==
                  std::toupper(static_cast<unsigned char>(b));
         });
}

std::string HostPort(const std::string& host, int port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds timeout)
      : at_(Clock::now() + timeout), timeout_(timeout) {}
  Clock::time_point at() const { return at_; }
  // What is left, for poll(2): rounded up, so that a wait never ends before the deadline.
  int RemainingMs() const {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(at_ - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
  }
  std::string Text() const { return std::to_string(timeout_.count()) + " ms"; }

 private:
  Clock::time_point at_;
  std::chrono::milliseconds timeout_;
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Waits until fd is ready for `events` (or has an error, which the next read or write reports).
// `during` completes the timeout message: "... did not answer within 500 ms (<during>)".
Status Wait(int fd, short events, const Deadline& deadline, const std::string& where,
            std::string_view during) {
  for (;;) {
    int ms = deadline.RemainingMs();
    pollfd p{fd, events, 0};
    int rc = ms > 0 ? poll(&p, 1, ms) : 0;
    if (rc > 0) return Status::Ok();
    if (rc == 0) {
      return TimedOut("the server at " + where + " did not answer within " + deadline.Text() +
                      " (" + std::string(during) + ")");
    }
    if (errno != EINTR) return InternalError("poll: " + ErrnoText(errno));
  }
}

// ---- Addresses ----

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string text;  // the numeric form, e.g. "192.0.2.1", "2001:db8::1"
};

std::vector<Address> Addresses(const addrinfo* list) {
  std::vector<Address> out;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
        ai->ai_addrlen > sizeof(sockaddr_storage)) {
      continue;
    }
    Address a;
    std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
    a.length = ai->ai_addrlen;
    char text[NI_MAXHOST];
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) !=
        0) {
      continue;
    }
    a.text = text;
    if (std::none_of(out.begin(), out.end(), [&](const Address& b) { return b.text == a.text; })) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

// The address an IP literal stands for, found without any lookup; nullopt for a name.
std::optional<Address> Literal(const std::string& text) {
  if (text.empty()) return std::nullopt;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* list = nullptr;
  if (getaddrinfo(text.c_str(), nullptr, &hints, &list) != 0) return std::nullopt;
  std::vector<Address> found = Addresses(list);
  freeaddrinfo(list);
  if (found.empty()) return std::nullopt;
  return found.front();
}

void SetPort(Address& a, int port) {
  if (a.storage.ss_family == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&a.storage)->sin_port = htons(static_cast<uint16_t>(port));
  } else {
    reinterpret_cast<sockaddr_in6*>(&a.storage)->sin6_port = htons(static_cast<uint16_t>(port));
  }
}

// getaddrinfo(3) has no timeout, so it runs in a thread of its own that the caller stops waiting
// for at the deadline; a lookup that takes longer finishes on its own and is dropped.
Result<std::vector<Address>> Lookup(const std::string& host, const Deadline& deadline) {
  if (std::optional<Address> literal = Literal(host)) return std::vector<Address>{*literal};
  struct Pending {
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    int rc = 0;
    int error = 0;  // errno, for EAI_SYSTEM
    std::vector<Address> addresses;
  };
  auto pending = std::make_shared<Pending>();
  try {
    std::thread([pending, host] {
      addrinfo hints{};
      hints.ai_family = AF_UNSPEC;  // both A and AAAA, whatever this machine's own addresses are
      hints.ai_socktype = SOCK_STREAM;
      addrinfo* list = nullptr;
      int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
      int error = errno;
      std::vector<Address> addresses;
      if (rc == 0) {
        addresses = Addresses(list);
        freeaddrinfo(list);
      }
      std::lock_guard<std::mutex> lock(pending->mu);
      pending->rc = rc;
      pending->error = error;
      pending->addresses = std::move(addresses);
      pending->done = true;
      pending->done_cv.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    return Unreachable("cannot resolve " + host + ": " + e.what());
  }
  std::unique_lock<std::mutex> lock(pending->mu);
  if (!pending->done_cv.wait_until(lock, deadline.at(), [&] { return pending->done; })) {
    return Unreachable("cannot resolve " + host + ": no answer within " + deadline.Text());
  }
  if (pending->rc != 0) {
    return Unreachable("cannot resolve " + host + ": " +
                       (pending->rc == EAI_SYSTEM ? ErrnoText(pending->error)
                                                  : std::string(gai_strerror(pending->rc))));
  }
  if (pending->addresses.empty()) {
    return Unreachable("cannot resolve " + host + ": it has no A or AAAA address");
  }
  return std::move(pending->addresses);
}

// Connects without blocking past the deadline; the socket stays non-blocking, and every later
// step waits for it with poll(2) until the same deadline.
Result<Fd> Connect(const Address& a, const Deadline& deadline, const std::string& where) {
  auto failed = [&](const std::string& why) {
    return Unreachable("cannot connect to " + where + ": " + why);
  };
  Fd fd(socket(a.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return failed(ErrnoText(errno));
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&a.storage), a.length) == 0) return fd;
  if (errno != EINPROGRESS) return failed(ErrnoText(errno));
  for (;;) {
    int ms = deadline.RemainingMs();
    pollfd p{fd.get(), POLLOUT, 0};
    int rc = ms > 0 ? poll(&p, 1, ms) : 0;
    if (rc == 0) return failed(ErrnoText(ETIMEDOUT) + " (after " + deadline.Text() + ")");
    if (rc > 0) break;
    if (errno != EINTR) return failed(ErrnoText(errno));
  }
  int error = 0;
  socklen_t length = sizeof error;
  if (getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error != 0) return failed(ErrnoText(error));
  return fd;
}

// ---- STARTTLS ----

// Lines to and from a server before TLS, bounded by the deadline and by kMaxLine/kMaxDialogue.
class Dialogue {
 public:
  Dialogue(int fd, const Deadline& deadline, std::string where)
      : fd_(fd), deadline_(deadline), where_(std::move(where)) {}

  const std::string& where() const { return where_; }

  // A refusal at `step` ("EHLO", "STARTTLS"...), quoting the server's line.
  Status RefusedAt(std::string_view step, std::string_view line) const {
    return Refused("STARTTLS with the server at " + where_ + " failed at " + std::string(step) +
                   ": the server said " + Quote(line));
  }

  Status Send(std::string_view command) {
    std::string data = std::string(command) + "\r\n";
    std::string during = "sending " + std::string(command);
    size_t sent = 0;
    while (sent < data.size()) {
      // MSG_NOSIGNAL: a server that has closed must not raise SIGPIPE in this process.
      ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n >= 0) {
        sent += static_cast<size_t>(n);
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        SIGNET_RETURN_IF_ERROR(Wait(fd_, POLLOUT, deadline_, where_, during));
      } else if (errno != EINTR) {
        return FailedWhile(during, ErrnoText(errno));
      }
    }
    return Status::Ok();
  }

  // One line, without its CR LF (a bare LF ends one too). `during` names what is awaited.
  Result<std::string> ReadLine(std::string_view during) {
    for (;;) {
      size_t end = buffer_.find('\n');
      if (end != std::string::npos && end <= kMaxLine) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        last_line_ = line;
        return line;
      }
      if (buffer_.size() > kMaxLine) {
        return FailedWhile(during, "the server sent a line longer than " +
                                       std::to_string(kMaxLine) + " bytes: " + Quote(buffer_));
      }
      if (received_ >= kMaxDialogue) {
        return FailedWhile(
            during, "the server sent more than " + std::to_string(kMaxDialogue) +
                        " bytes without finishing its answer; its last line: " + Quote(last_line_));
      }
      SIGNET_RETURN_IF_ERROR(Wait(fd_, POLLIN, deadline_, where_, during));
      std::array<char, 2048> chunk;
      size_t room = std::min(chunk.size(), kMaxDialogue - received_);
      ssize_t n = recv(fd_, chunk.data(), room, 0);
      if (n > 0) {
        buffer_.append(chunk.data(), static_cast<size_t>(n));
        received_ += static_cast<size_t>(n);
      } else if (n == 0) {
        return FailedWhile(
            during,
            std::string("the server closed the connection") +
                (last_line_.empty() ? std::string() : "; its last line: " + Quote(last_line_)));
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return FailedWhile(during, ErrnoText(errno));
      }
    }
  }

  // The server must wait for the TLS ClientHello after agreeing to STARTTLS. Bytes it sent
  // before would be taken as TLS (or, worse, as protected data: the STARTTLS command injection
  // of CVE-2011-0411), so they end the probe.
  Status CheckNothingUnread() const {
    if (buffer_.empty()) return Status::Ok();
    return Refused("STARTTLS with the server at " + where_ +
                   " failed: the server sent more after agreeing to STARTTLS: " + Quote(buffer_));
  }

 private:
  Status FailedWhile(std::string_view during, const std::string& why) const {
    return Refused("STARTTLS with the server at " + where_ + " failed while " +
                   std::string(during) + ": " + why);
  }

  int fd_;
  const Deadline& deadline_;
  std::string where_;
  std::string buffer_;  // received, not yet returned as lines
  size_t received_ = 0;
  std::string last_line_;
};

// One SMTP reply (RFC 5321 section 4.2): lines "ddd-text" and a last line "ddd text" or "ddd".
// `step` names it in a refusal ("EHLO"), `during` in a timeout ("waiting for the EHLO reply").
Result<std::vector<std::string>> ReadSmtpReply(Dialogue& d, std::string_view step,
                                               std::string_view during) {
  std::vector<std::string> lines;
  for (;;) {
    SIGNET_ASSIGN_OR_RETURN(std::string line, d.ReadLine(during));
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    bool well_formed = line.size() >= 3 && digit(line[0]) && digit(line[1]) && digit(line[2]) &&
                       (line.size() == 3 || line[3] == '-' || line[3] == ' ') &&
                       (lines.empty() || line.compare(0, 3, lines.front(), 0, 3) == 0);
    if (!well_formed) return d.RefusedAt(step, line);
    lines.push_back(line);
    if (line.size() == 3 || line[3] == ' ') return lines;
  }
}

// RFC 3207.
Status SmtpStartTls(Dialogue& d) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<std::string> greeting,
                          ReadSmtpReply(d, "the greeting", "waiting for the greeting"));
  if (greeting.front().compare(0, 3, "220") != 0) return d.RefusedAt("the greeting", greeting[0]);
  SIGNET_RETURN_IF_ERROR(d.Send("EHLO signet.probe"));
  SIGNET_ASSIGN_OR_RETURN(std::vector<std::string> ehlo,
                          ReadSmtpReply(d, "EHLO", "waiting for the EHLO reply"));
  if (ehlo.front().compare(0, 3, "250") != 0) return d.RefusedAt("EHLO", ehlo[0]);
  // The first line greets; each further line names an extension, keyword first.
  bool offered = std::any_of(ehlo.begin() + 1, ehlo.end(), [](const std::string& line) {
    std::string_view keyword = std::string_view(line).substr(std::min<size_t>(4, line.size()));
    keyword = keyword.substr(0, keyword.find(' '));
    return keyword.size() == 8 && StartsWithNoCase(keyword, "STARTTLS");
  });
  if (!offered) {
    return Refused("STARTTLS with the server at " + d.where() +
                   " failed at EHLO: the server does not offer STARTTLS; its reply begins " +
                   Quote(ehlo[0]));
  }
  SIGNET_RETURN_IF_ERROR(d.Send("STARTTLS"));
  SIGNET_ASSIGN_OR_RETURN(std::vector<std::string> go,
                          ReadSmtpReply(d, "STARTTLS", "waiting for the STARTTLS reply"));
  if (go.front().compare(0, 3, "220") != 0) return d.RefusedAt("STARTTLS", go[0]);
  return Status::Ok();
}

// RFC 9051 section 6.2.1 (and RFC 3501): only in the not-authenticated state, so the greeting
// must be "* OK" (a PREAUTH greeting rules STARTTLS out).
Status ImapStartTls(Dialogue& d) {
  SIGNET_ASSIGN_OR_RETURN(std::string greeting, d.ReadLine("waiting for the greeting"));
  if (!StartsWithNoCase(greeting, "* OK")) return d.RefusedAt("the greeting", greeting);
  SIGNET_RETURN_IF_ERROR(d.Send("a1 STARTTLS"));
  for (;;) {
    SIGNET_ASSIGN_OR_RETURN(std::string line, d.ReadLine("waiting for the STARTTLS reply"));
    if (line.compare(0, 2, "* ") == 0) continue;  // untagged data, e.g. a CAPABILITY list
    if (StartsWithNoCase(line, "a1 OK")) return Status::Ok();
    return d.RefusedAt("STARTTLS", line);
  }
}

// RFC 2595 section 4.
Status Pop3StartTls(Dialogue& d) {
  SIGNET_ASSIGN_OR_RETURN(std::string greeting, d.ReadLine("waiting for the greeting"));
  if (!StartsWithNoCase(greeting, "+OK")) return d.RefusedAt("the greeting", greeting);
  SIGNET_RETURN_IF_ERROR(d.Send("STLS"));
  SIGNET_ASSIGN_OR_RETURN(std::string reply, d.ReadLine("waiting for the STLS reply"));
  if (!StartsWithNoCase(reply, "+OK")) return d.RefusedAt("STLS", reply);
  return Status::Ok();
}

// ---- TLS ----

struct SslFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
  void operator()(SSL* s) const { SSL_free(s); }
};

// OpenSSL writes to the socket with write(2), so a server that closes during the handshake
// raises SIGPIPE, which ends a process that has not ignored it (signetd has; the CLI need not).
// The signal is blocked in this thread while OpenSSL runs, and one raised meanwhile is taken.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlocked() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      timespec now{0, 0};
      sigtimedwait(&pipe_, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

// Why a handshake failed, in OpenSSL's words ("wrong version number", "sslv3 alert handshake
// failure") or the socket's.
std::string HandshakeError(int ssl_error, int saved_errno) {
  unsigned long e = ERR_get_error();  // the first error queued: the cause
  std::string why;
  if (e != 0) {
    const char* reason = ERR_reason_error_string(e);
    if (reason != nullptr) {
      why = reason;
    } else {
      char buf[256];
      ERR_error_string_n(e, buf, sizeof buf);
      why = buf;
    }
  } else if (ssl_error == SSL_ERROR_SYSCALL && saved_errno != 0) {
    why = ErrnoText(saved_errno);
  } else {
    why = "the server closed the connection";
  }
  ERR_clear_error();
  return why;
}

std::string Der(X509* cert) {
  unsigned char* der = nullptr;
  int n = i2d_X509(cert, &der);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

// The leaf's serial in the form Signet stores as serial_hex. ca/certificate_reader.cc's SerialHex
// (file-local there) is BN_bn2hex in lower case: the big-endian magnitude without leading zero
// bytes, "0" for zero, "-" before a negative one; ca/certificate_authority.cc hex-encodes the 16
// bytes it drew, whose first byte is never zero: the same string. Made here with HexEncode.
std::string SerialHex(X509* cert) {
  if (cert == nullptr) return "";
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  if (bn == nullptr) return "";
  std::string out = "0";
  if (!BN_is_zero(bn)) {
    std::vector<uint8_t> magnitude(static_cast<size_t>(BN_num_bytes(bn)));
    BN_bn2bin(bn, magnitude.data());
    out = std::string(BN_is_negative(bn) ? "-" : "") + HexEncode(magnitude);
  }
  BN_free(bn);
  return out;
}

Result<ServedChain> Handshake(int fd, const std::string& server_name, const Deadline& deadline,
                              const std::string& where) {
  std::unique_ptr<SSL_CTX, SslFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return InternalError("cannot create a TLS context");
  // The probe reports what is served and trusts none of it, so it accepts any chain and, sending
  // nothing secret, every protocol version and key OpenSSL still knows: an old server's chain is
  // reported too (with its version), rather than a handshake failure that hides it.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return InternalError("cannot create a TLS session");
  if (!server_name.empty() && SSL_set_tlsext_host_name(ssl.get(), server_name.c_str()) != 1) {
    ERR_clear_error();
    return InvalidField("'server_name' cannot be sent as SNI: " + Quote(server_name));
  }
  std::string with = where + (server_name.empty() ? "" : ", server name " + server_name);
  SigpipeBlocked sigpipe_blocked;
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int rc = SSL_connect(ssl.get());
    if (rc == 1) break;
    int saved_errno = errno;
    int error = SSL_get_error(ssl.get(), rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      SIGNET_RETURN_IF_ERROR(Wait(fd, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline,
                                  where, "during the TLS handshake"));
      continue;
    }
    return HandshakeFailed("the TLS handshake with the server at " + with +
                           " failed: " + HandshakeError(error, saved_errno));
  }
  ServedChain served;
  // On the client side this is the chain as sent, leaf first (SSL_get_peer_cert_chain(3)).
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get());
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    served.certificates_der.push_back(Der(sk_X509_value(chain, i)));
  }
  if (served.certificates_der.empty() || served.certificates_der.front().empty()) {
    return HandshakeFailed("the server at " + with + " sent no certificate");
  }
  served.leaf_serial_hex = SerialHex(sk_X509_value(chain, 0));
  served.tls_version = SSL_get_version(ssl.get());
  served.cipher = SSL_get_cipher_name(ssl.get());
  SSL_shutdown(ssl.get());  // one close_notify, if the socket takes it now; no waiting for a reply
  ERR_clear_error();
  return served;
}

Status ValidateEndpoint(const Endpoint& e) {
  if (e.host.empty()) return InvalidField("'host' must not be empty");
  if (!Printable(e.host)) return InvalidField("'host' must be a name or an IP address");
  if (e.port < 1 || e.port > 65535) return InvalidField("'port' must be between 1 and 65535");
  if (e.timeout.count() <= 0 || e.timeout > kMaxTimeout) {
    return InvalidField("'timeout' must be positive and at most an hour");
  }
  if (!Printable(e.server_name) || e.server_name.size() > 253) {
    return InvalidField("'server_name' must be a DNS name");
  }
  if (!e.address.empty() && !Literal(e.address)) {
    return InvalidField("'address' must be an IP address, not " + Quote(e.address));
  }
  return Status::Ok();
}

}  // namespace

std::string_view Name(Protocol p) {
  switch (p) {
    case Protocol::kTls:
      return "tls";
    case Protocol::kHttps:
      return "https";
    case Protocol::kSmtp:
      return "smtp";
    case Protocol::kImap:
      return "imap";
    case Protocol::kPop3:
      return "pop3";
  }
  return "tls";
}

std::optional<Protocol> ParseProtocol(std::string_view name) {
  for (Protocol p :
       {Protocol::kTls, Protocol::kHttps, Protocol::kSmtp, Protocol::kImap, Protocol::kPop3}) {
    if (Name(p) == name) return p;
  }
  return std::nullopt;
}

Result<ServedChain> Probe(const Endpoint& endpoint) {
  SIGNET_RETURN_IF_ERROR(ValidateEndpoint(endpoint));
  Deadline deadline(endpoint.timeout);
  const std::string target = HostPort(endpoint.host, endpoint.port);

  std::vector<Address> addresses;
  if (!endpoint.address.empty()) {
    addresses.push_back(*Literal(endpoint.address));
  } else {
    Result<std::vector<Address>> found = Lookup(endpoint.host, deadline);
    if (!found.ok()) {
      return Unreachable("cannot connect to " + target + ": " + found.status().message());
    }
    addresses = std::move(found).value();
  }

  // RFC 6066 section 3: SNI carries a name, never an address, and no trailing dot.
  std::string server_name = endpoint.server_name;
  if (server_name.empty() && !Literal(endpoint.host)) server_name = endpoint.host;
  if (server_name.size() > 1 && server_name.back() == '.') server_name.pop_back();

  Status last = Unreachable("cannot connect to " + target + ": no address to try");
  for (Address& address : addresses) {
    SetPort(address, endpoint.port);
    std::string where = address.text == endpoint.host ? target : target + " (" + address.text + ")";
    Result<Fd> fd = Connect(address, deadline, where);
    if (!fd.ok()) {
      last = fd.status();
      if (deadline.RemainingMs() == 0) break;
      continue;  // the next address, as a client would
    }
    Dialogue dialogue(fd->get(), deadline, where);
    switch (endpoint.protocol) {
      case Protocol::kTls:
      case Protocol::kHttps:
        break;
      case Protocol::kSmtp:
        SIGNET_RETURN_IF_ERROR(SmtpStartTls(dialogue));
        break;
      case Protocol::kImap:
        SIGNET_RETURN_IF_ERROR(ImapStartTls(dialogue));
        break;
      case Protocol::kPop3:
        SIGNET_RETURN_IF_ERROR(Pop3StartTls(dialogue));
        break;
    }
    SIGNET_RETURN_IF_ERROR(dialogue.CheckNothingUnread());
    SIGNET_ASSIGN_OR_RETURN(ServedChain served, Handshake(fd->get(), server_name, deadline, where));
    served.address = address.text;
    return served;
  }
  return last;
}

Result<std::vector<std::string>> ResolveAddresses(const std::string& host,
                                                  std::chrono::milliseconds timeout) {
  if (host.empty()) return InvalidField("'host' must not be empty");
  if (!Printable(host)) return InvalidField("'host' must be a name or an IP address");
  if (timeout.count() <= 0 || timeout > kMaxTimeout) {
    return InvalidField("'timeout' must be positive and at most an hour");
  }
  SIGNET_ASSIGN_OR_RETURN(std::vector<Address> addresses, Lookup(host, Deadline(timeout)));
  std::vector<std::string> out;
  out.reserve(addresses.size());
  for (Address& a : addresses) out.push_back(std::move(a.text));
  return out;
}

Result<ServedChain> ServedChainFromDer(const std::string& address,
                                       std::vector<std::string> certificates_der,
                                       const std::string& tls_version) {
  if (certificates_der.empty() || certificates_der.size() > 10) {
    return MalformedError("a served chain has 1 to 10 certificates, leaf first", "invalid_chain");
  }
  ServedChain served;
  served.address = address;
  served.tls_version = tls_version;
  for (size_t i = 0; i < certificates_der.size(); ++i) {
    const auto* p = reinterpret_cast<const unsigned char*>(certificates_der[i].data());
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(certificates_der[i].size())));
    if (!cert || p != reinterpret_cast<const unsigned char*>(certificates_der[i].data()) +
                          certificates_der[i].size()) {
      return MalformedError(
          "certificate " + std::to_string(i + 1) + " of the served chain is not a DER certificate",
          "invalid_chain");
    }
    if (i == 0) served.leaf_serial_hex = SerialHex(cert.get());
  }
  served.certificates_der = std::move(certificates_der);
  return served;
}

}  // namespace signet::probe

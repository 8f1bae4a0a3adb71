// Probe against servers run by the test on 127.0.0.1 (one thread each, one connection each): the
// served chain, leaf serial and version over direct TLS, SNI, the SMTP, IMAP and POP3 STARTTLS
// dialogues, and the failures: silence, a plain-text server, a closed port, a refused or
// never-ending STARTTLS dialogue. The certificates are made here with OpenSSL.
#include "signet/probe/tls_probe.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace signet::probe {
namespace {

using std::chrono::milliseconds;

// The leaf's serial: a first byte below 0x10 shows that the hex keeps whole bytes.
constexpr uint8_t kLeafSerial[] = {0x0a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78,
                                   0x9a, 0xbc, 0xde, 0xf0, 0x00, 0x11, 0x22, 0x33};
constexpr char kLeafSerialHex[] = "0abcdef0123456789abcdef000112233";

// A bound on how long a test server waits for the probe, so that a broken probe fails the test
// instead of hanging it. No test waits for it to pass.
constexpr int kGuardMs = 20000;

std::string Der(X509* cert) {
  unsigned char* der = nullptr;
  int n = i2d_X509(cert, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

X509* MakeCertificate(const std::string& common_name, EVP_PKEY* key, const uint8_t* serial,
                      size_t serial_size, X509* issuer, EVP_PKEY* issuer_key) {
  X509* cert = X509_new();
  X509_set_version(cert, X509_VERSION_3);
  BIGNUM* bn = BN_bin2bn(serial, static_cast<int>(serial_size), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert, key);
  X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256());
  return cert;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// One line, a byte at a time: nothing after it (a ClientHello after STARTTLS) is consumed.
std::string ReadLine(int fd) {
  std::string line;
  char c;
  while (recv(fd, &c, 1, 0) == 1 && c != '\n') line.push_back(c);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Until the probe closes its end.
void DrainUntilClosed(int fd) {
  char buf[4096];
  while (recv(fd, buf, sizeof buf, 0) > 0) {
  }
}

// Listens on 127.0.0.1, port chosen by the system, and hands the first connection to `handle`
// in a thread of its own. Join() waits for `handle` to return, so what it recorded may be read.
class TestServer {
 public:
  explicit TestServer(std::function<void(int)> handle) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(listen_fd_, 4), 0);
    socklen_t length = sizeof a;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &length);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, handle = std::move(handle)] {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, kGuardMs) != 1) return;
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      timeval guard{kGuardMs / 1000, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &guard, sizeof guard);
      handle(fd);
      close(fd);
    });
  }
  ~TestServer() {
    Join();
    close(listen_fd_);
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

class ProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The test servers write with OpenSSL after the probe may have closed (a failed probe).
    signal(SIGPIPE, SIG_IGN);
    const uint8_t ca_serial[] = {0x01, 0x02};
    ca_key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    ca_ = MakeCertificate("Probe Test CA", ca_key_, ca_serial, sizeof ca_serial, nullptr, nullptr);
    leaf_key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    leaf_ = MakeCertificate("www.example.test", leaf_key_, kLeafSerial, sizeof kLeafSerial, ca_,
                            ca_key_);
  }
  static void TearDownTestSuite() {
    X509_free(leaf_);
    X509_free(ca_);
    EVP_PKEY_free(leaf_key_);
    EVP_PKEY_free(ca_key_);
  }

  void SetUp() override {
    ctx_ = SSL_CTX_new(TLS_server_method());
    ASSERT_EQ(SSL_CTX_use_certificate(ctx_, leaf_), 1);
    ASSERT_EQ(SSL_CTX_use_PrivateKey(ctx_, leaf_key_), 1);
    ASSERT_EQ(SSL_CTX_add1_chain_cert(ctx_, ca_), 1);
    SSL_CTX_set_num_tickets(ctx_, 0);  // nothing to write after the probe has what it needs
    SSL_CTX_set_tlsext_servername_callback(ctx_, &ProbeTest::RecordServerName);
    SSL_CTX_set_tlsext_servername_arg(ctx_, this);
  }
  void TearDown() override { SSL_CTX_free(ctx_); }

  static int RecordServerName(SSL* ssl, int*, void* arg) {
    auto* self = static_cast<ProbeTest*>(arg);
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    std::lock_guard<std::mutex> lock(self->mu_);
    self->server_names_.push_back(name != nullptr ? name : "");
    return SSL_TLSEXT_ERR_OK;
  }

  std::vector<std::string> ServerNames() {
    std::lock_guard<std::mutex> lock(mu_);
    return server_names_;
  }

  void ServeTls(int fd) {
    SSL* ssl = SSL_new(ctx_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      char buf[256];
      while (SSL_read(ssl, buf, sizeof buf) > 0) {
      }
    }
    SSL_free(ssl);
  }

  static Endpoint Local(int port, Protocol protocol = Protocol::kTls) {
    Endpoint e;
    e.host = "127.0.0.1";
    e.port = port;
    e.protocol = protocol;
    return e;
  }

  static inline EVP_PKEY* ca_key_ = nullptr;
  static inline X509* ca_ = nullptr;
  static inline EVP_PKEY* leaf_key_ = nullptr;
  static inline X509* leaf_ = nullptr;
  SSL_CTX* ctx_ = nullptr;
  std::mutex mu_;
  std::vector<std::string> server_names_;
};

TEST_F(ProbeTest, DirectTlsReportsTheServedChainLeafFirst) {
  TestServer server([this](int fd) { ServeTls(fd); });
  auto served = Probe(Local(server.port()));
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  server.Join();
  EXPECT_EQ(served->address, "127.0.0.1");
  ASSERT_EQ(served->certificates_der.size(), 2u);
  EXPECT_EQ(served->certificates_der[0], Der(leaf_));
  EXPECT_EQ(served->certificates_der[1], Der(ca_));
  EXPECT_EQ(served->leaf_serial_hex, kLeafSerialHex);
  EXPECT_EQ(served->tls_version, "TLSv1.3");
  EXPECT_FALSE(served->cipher.empty());
  // An IP literal is never sent as SNI (RFC 6066 section 3).
  EXPECT_EQ(ServerNames(), std::vector<std::string>{""});
}

TEST_F(ProbeTest, SendsTheHostAsServerNameWhileConnectingToTheGivenAddress) {
  TestServer server([this](int fd) { ServeTls(fd); });
  Endpoint e = Local(server.port(), Protocol::kHttps);
  e.host = "www.example.test.";  // not in DNS: only the address is connected to
  e.address = "127.0.0.1";
  auto served = Probe(e);
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  server.Join();
  EXPECT_EQ(served->address, "127.0.0.1");
  EXPECT_EQ(served->leaf_serial_hex, kLeafSerialHex);
  EXPECT_EQ(ServerNames(), std::vector<std::string>{"www.example.test"});
}

TEST_F(ProbeTest, SendsTheGivenServerName) {
  TestServer server([this](int fd) { ServeTls(fd); });
  Endpoint e = Local(server.port());
  e.server_name = "other.example.test";
  auto served = Probe(e);
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  server.Join();
  EXPECT_EQ(ServerNames(), std::vector<std::string>{"other.example.test"});
}

TEST_F(ProbeTest, SmtpStartTls) {
  std::vector<std::string> commands;
  TestServer server([&](int fd) {
    WriteAll(fd, "220-mail.example.test ESMTP\r\n220 ready\r\n");
    commands.push_back(ReadLine(fd));
    WriteAll(fd, "250-mail.example.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
    commands.push_back(ReadLine(fd));
    WriteAll(fd, "220 2.0.0 Ready to start TLS\r\n");
    ServeTls(fd);
  });
  auto served = Probe(Local(server.port(), Protocol::kSmtp));
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  server.Join();
  EXPECT_EQ(commands, (std::vector<std::string>{"EHLO signet.probe", "STARTTLS"}));
  EXPECT_EQ(served->leaf_serial_hex, kLeafSerialHex);
  EXPECT_EQ(served->certificates_der.size(), 2u);
}

TEST_F(ProbeTest, ImapStartTls) {
  std::string command;
  TestServer server([&](int fd) {
    WriteAll(fd, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n");
    command = ReadLine(fd);
    WriteAll(fd, "* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK Begin TLS negotiation now\r\n");
    ServeTls(fd);
  });
  auto served = Probe(Local(server.port(), Protocol::kImap));
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  server.Join();
  EXPECT_EQ(command, "a1 STARTTLS");
  EXPECT_EQ(served->leaf_serial_hex, kLeafSerialHex);
}

TEST_F(ProbeTest, Pop3Stls) {
  std::string command;
  TestServer server([&](int fd) {
    WriteAll(fd, "+OK POP3 ready\r\n");
    command = ReadLine(fd);
    WriteAll(fd, "+OK Begin TLS negotiation\r\n");
    ServeTls(fd);
  });
  auto served = Probe(Local(server.port(), Protocol::kPop3));
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  server.Join();
  EXPECT_EQ(command, "STLS");
  EXPECT_EQ(served->leaf_serial_hex, kLeafSerialHex);
}

TEST_F(ProbeTest, SmtpWithoutStartTlsIsRefused) {
  TestServer server([](int fd) {
    WriteAll(fd, "220 mail.example.test ESMTP\r\n");
    ReadLine(fd);
    WriteAll(fd, "250-mail.example.test\r\n250 8BITMIME\r\n");
    DrainUntilClosed(fd);
  });
  auto served = Probe(Local(server.port(), Protocol::kSmtp));
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.status().reason(), "starttls_refused");
  EXPECT_NE(served.status().message().find("does not offer STARTTLS"), std::string::npos)
      << served.status().message();
}

TEST_F(ProbeTest, ARefusedStartTlsQuotesTheServer) {
  TestServer server([](int fd) {
    WriteAll(fd, "* OK ready\r\n");
    ReadLine(fd);
    WriteAll(fd, "a1 BAD \x01unknown command\r\n");
    DrainUntilClosed(fd);
  });
  auto served = Probe(Local(server.port(), Protocol::kImap));
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.status().reason(), "starttls_refused");
  EXPECT_NE(served.status().message().find("'a1 BAD ?unknown command'"), std::string::npos)
      << served.status().message();
}

TEST_F(ProbeTest, AServerThatNeverAnswersTimesOut) {
  for (Protocol protocol : {Protocol::kTls, Protocol::kSmtp}) {
    TestServer server([](int fd) { DrainUntilClosed(fd); });
    Endpoint e = Local(server.port(), protocol);
    e.timeout = milliseconds(500);
    auto served = Probe(e);
    ASSERT_FALSE(served.ok()) << Name(protocol);
    EXPECT_EQ(served.status().reason(), "probe_timeout") << served.status().ToString();
  }
}

TEST_F(ProbeTest, APlainTextServerFailsTheHandshake) {
  TestServer server([](int fd) {
    char hello[16];
    recv(fd, hello, sizeof hello, 0);  // the start of the ClientHello: then answer as HTTP does
    WriteAll(fd, "HTTP/1.0 400\r\n\r\n");
    shutdown(fd, SHUT_WR);
    DrainUntilClosed(fd);
  });
  auto served = Probe(Local(server.port()));
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.status().reason(), "tls_handshake_failed") << served.status().ToString();
  EXPECT_NE(served.status().message().find("127.0.0.1:" + std::to_string(server.port())),
            std::string::npos)
      << served.status().message();
}

TEST_F(ProbeTest, AClosedPortIsUnreachable) {
  // A socket bound and not listening: its port stays ours, and connecting to it is refused.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t length = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
  auto served = Probe(Local(ntohs(a.sin_port)));
  close(fd);
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.status().reason(), "tls_unreachable");
  EXPECT_EQ(served.status().code(), ErrorCode::kConnection);
  EXPECT_NE(served.status().message().find("Connection refused"), std::string::npos)
      << served.status().message();
}

TEST_F(ProbeTest, EndlessStartTlsLinesAreCutOff) {
  TestServer server([](int fd) {
    const std::string line = "220-" + std::string(70, 'x') + "\r\n";
    while (WriteAll(fd, line)) {
    }
  });
  auto served = Probe(Local(server.port(), Protocol::kSmtp));
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.status().reason(), "starttls_refused") << served.status().ToString();
  EXPECT_NE(served.status().message().find("more than 32768 bytes"), std::string::npos)
      << served.status().message();
}

TEST_F(ProbeTest, AnEndlessStartTlsLineIsCutOff) {
  TestServer server([](int fd) {
    const std::string chunk(1000, 'x');
    while (WriteAll(fd, chunk)) {
    }
  });
  auto served = Probe(Local(server.port(), Protocol::kPop3));
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.status().reason(), "starttls_refused") << served.status().ToString();
  EXPECT_NE(served.status().message().find("longer than 4096 bytes"), std::string::npos)
      << served.status().message();
}

TEST_F(ProbeTest, ARejectedEndpointNamesTheField) {
  Endpoint e = Local(0);
  EXPECT_EQ(Probe(e).status().reason(), "invalid_field");
  e = Local(443);
  e.address = "not-an-address";
  EXPECT_EQ(Probe(e).status().reason(), "invalid_field");
  e = Local(443);
  e.host = "";
  EXPECT_EQ(Probe(e).status().reason(), "invalid_field");
}

TEST(ProtocolTest, NamesRoundTrip) {
  for (Protocol p :
       {Protocol::kTls, Protocol::kHttps, Protocol::kSmtp, Protocol::kImap, Protocol::kPop3}) {
    EXPECT_EQ(ParseProtocol(Name(p)), p);
  }
  EXPECT_EQ(Name(Protocol::kPop3), "pop3");
  EXPECT_FALSE(ParseProtocol("ftp"));
  EXPECT_FALSE(ParseProtocol(""));
}

TEST(ResolveAddressesTest, ALiteralGivesItself) {
  auto v4 = ResolveAddresses("127.0.0.1", milliseconds(2000));
  ASSERT_TRUE(v4.ok()) << v4.status().ToString();
  EXPECT_EQ(*v4, std::vector<std::string>{"127.0.0.1"});
  auto v6 = ResolveAddresses("::1", milliseconds(2000));
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_EQ(*v6, std::vector<std::string>{"::1"});
}

TEST(ResolveAddressesTest, LocalhostIsLoopback) {
  auto found = ResolveAddresses("localhost", milliseconds(5000));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_FALSE(found->empty());
  for (const std::string& a : *found) {
    EXPECT_TRUE(a == "::1" || a.rfind("127.", 0) == 0) << a;
  }
}

TEST(ResolveAddressesTest, AnUnknownNameIsUnreachable) {
  // Whether the resolver says "no such name" or does not answer in time, the reason is the same.
  auto found = ResolveAddresses("no-such-host.invalid", milliseconds(3000));
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().reason(), "tls_unreachable") << found.status().ToString();
}

}  // namespace
}  // namespace signet::probe

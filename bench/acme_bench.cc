// signet-bench acme: an RFC 8555 load generator.
//
// C workers; each creates its own ES256 account once, then takes order numbers from a shared
// counter until N orders are done. One order: newOrder for one new DNS name, POST-as-GET of the
// authorization, POST {} to its http-01 challenge, polling of the authorization until it is
// valid or invalid, finalize with a CSR, polling of the order until it is valid, and
// POST-as-GET of the certificate (which must parse as PEM). The latency of an order runs from
// newOrder to the certificate downloaded; orders_per_s counts successful orders only. The
// http-01 key authorizations are served by a small poll(2)-driven HTTP/1.1 server on
// --http-port.
//
// Only OpenSSL, libcurl and nlohmann-json: the tool must work against any ACME server.
#include "acme_bench.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// ---------------------------------------------------------------------------------------------
// Encoding and keys

std::string Base64Url(const unsigned char* data, size_t size) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < size; i += 3) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == size) {
    uint32_t v = uint32_t{data[i]} << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == size) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::string Base64Url(const std::string& s) {
  return Base64Url(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Pkey NewP256Key() { return Pkey(EVP_EC_gen("P-256")); }

// The account key: the JWK (members in RFC 7638 order, so its dump is the thumbprint input),
// the thumbprint, and ES256 signatures as R||S.
class AccountKey {
 public:
  AccountKey() : key_(NewP256Key()) {
    std::string x = Coordinate(OSSL_PKEY_PARAM_EC_PUB_X), y = Coordinate(OSSL_PKEY_PARAM_EC_PUB_Y);
    jwk_ = json{{"crv", "P-256"}, {"kty", "EC"}, {"x", x}, {"y", y}};
    std::string canonical = jwk_.dump();  // nlohmann sorts keys: crv, kty, x, y; no spaces
    unsigned char digest[32];
    SHA256Of(canonical, digest);
    thumbprint_ = Base64Url(digest, sizeof digest);
  }

  const json& jwk() const { return jwk_; }
  const std::string& thumbprint() const { return thumbprint_; }

  std::string SignEs256(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t der_len = 0;
    std::string der;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
        EVP_DigestSign(ctx, nullptr, &der_len, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) == 1) {
      der.resize(der_len);
      if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &der_len,
                         reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
        der_len = 0;
      der.resize(der_len);
    }
    EVP_MD_CTX_free(ctx);
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    if (sig == nullptr) return "";
    unsigned char rs[64];
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), rs, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), rs + 32, 32);
    ECDSA_SIG_free(sig);
    return Base64Url(rs, sizeof rs);
  }

 private:
  static void SHA256Of(const std::string& s, unsigned char out[32]) {
    unsigned int n = 32;
    EVP_Digest(s.data(), s.size(), out, &n, EVP_sha256(), nullptr);
  }
  std::string Coordinate(const char* param) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), param, &bn);
    unsigned char buf[32];
    BN_bn2binpad(bn, buf, 32);
    BN_free(bn);
    return Base64Url(buf, sizeof buf);
  }

  Pkey key_;
  json jwk_;
  std::string thumbprint_;
};

// A PKCS#10 request for one DNS name (subject CN and subjectAltName), DER, base64url.
std::string CsrFor(const std::string& name, EVP_PKEY* key) {
  X509_REQ* req = X509_REQ_new();
  X509_REQ_set_version(req, 0);
  X509_NAME* subject = X509_NAME_new();
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509_REQ_set_subject_name(req, subject);
  X509_NAME_free(subject);
  GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
  GENERAL_NAME* dns = GENERAL_NAME_new();
  ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
  ASN1_STRING_set(ia5, name.data(), static_cast<int>(name.size()));
  GENERAL_NAME_set0_value(dns, GEN_DNS, ia5);
  sk_GENERAL_NAME_push(names, dns);
  STACK_OF(X509_EXTENSION)* extensions = sk_X509_EXTENSION_new_null();
  sk_X509_EXTENSION_push(extensions, X509V3_EXT_i2d(NID_subject_alt_name, 0, names));
  X509_REQ_add_extensions(req, extensions);
  sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
  GENERAL_NAMES_free(names);
  X509_REQ_set_pubkey(req, key);
  std::string out;
  if (X509_REQ_sign(req, key, EVP_sha256()) > 0) {
    unsigned char* der = nullptr;
    int n = i2d_X509_REQ(req, &der);
    if (n > 0) out = Base64Url(der, static_cast<size_t>(n));
    OPENSSL_free(der);
  }
  X509_REQ_free(req);
  return out;
}

// True when `pem` holds at least one certificate, and every PEM block in it parses.
bool IsPemCertificateChain(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  int count = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++count;
  }
  BIO_free(bio);
  ERR_clear_error();
  return count > 0 && count == [&] {
    int blocks = 0;
    for (size_t p = pem.find("-----BEGIN CERTIFICATE-----"); p != std::string::npos;
         p = pem.find("-----BEGIN CERTIFICATE-----", p + 1))
      ++blocks;
    return blocks;
  }();
}

// ---------------------------------------------------------------------------------------------
// The http-01 responder: one thread, poll(2), HTTP/1.1 keep-alive and pipelining.

class ChallengeResponder {
 public:
  ~ChallengeResponder() { Stop(); }

  bool Start(const std::string& address, int port, std::string* error) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1) {
      *error = "bad --http-address " + address;
      return false;
    }
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        listen(listen_fd_, 512) != 0) {
      *error = "cannot listen on " + address + ":" + std::to_string(port) + ": " +
               std::strerror(errno);
      return false;
    }
    if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
      *error = "pipe: " + std::string(std::strerror(errno));
      return false;
    }
    thread_ = std::thread([this] { Loop(); });
    return true;
  }

  void Stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    char c = 0;
    (void)!write(wake_[1], &c, 1);
    thread_.join();
    for (int fd : {listen_fd_, wake_[0], wake_[1]}) close(fd);
  }

  void Put(const std::string& token, const std::string& value) {
    std::lock_guard lock(mu_);
    answers_[token] = value;
  }
  void Remove(const std::string& token) {
    std::lock_guard lock(mu_);
    answers_.erase(token);
  }
  uint64_t served() const { return served_; }
  uint64_t not_found() const { return not_found_; }
  uint64_t connections() const { return connections_; }

 private:
  struct Connection {
    int fd;
    std::string in, out;
    bool close_after_write = false;
  };

  std::string Respond(const std::string& request, bool* close) {
    size_t line_end = request.find("\r\n");
    std::string line = request.substr(0, line_end);
    std::string lower = request;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool http10 = line.ends_with("HTTP/1.0");
    *close = lower.find("\r\nconnection: close") != std::string::npos ||
             (http10 && lower.find("\r\nconnection: keep-alive") == std::string::npos);
    static const std::string kPrefix = "GET /.well-known/acme-challenge/";
    std::optional<std::string> body;
    if (line.starts_with(kPrefix)) {
      size_t end = line.find(' ', kPrefix.size());
      std::string token = line.substr(kPrefix.size(), end - kPrefix.size());
      std::lock_guard lock(mu_);
      auto it = answers_.find(token);
      if (it != answers_.end()) body = it->second;
    }
    std::string keep = *close ? "Connection: close\r\n" : "";
    if (!body) {
      ++not_found_;
      return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n" + keep + "\r\n";
    }
    ++served_;
    return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
           std::to_string(body->size()) + "\r\n" + keep + "\r\n" + *body;
  }

  void Loop() {
    std::vector<Connection> conns;
    std::vector<pollfd> fds;
    while (!stopping_) {
      fds.clear();
      fds.push_back({wake_[0], POLLIN, 0});
      fds.push_back({listen_fd_, POLLIN, 0});
      for (const Connection& c : conns)
        fds.push_back({c.fd, static_cast<short>(c.out.empty() ? POLLIN : POLLIN | POLLOUT), 0});
      if (poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) break;
      if (fds[1].revents & POLLIN) {
        while (true) {
          int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
          if (fd < 0) break;
          int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          conns.push_back({fd, {}, {}, false});
          ++connections_;
        }
      }
      // Connections accepted just now have no pollfd yet: only the first fds.size() - 2.
      size_t polled = fds.size() - 2;
      for (size_t i = 0; i < polled && i < conns.size(); ++i) {
        Connection& c = conns[i];
        short ev = fds[i + 2].revents;
        bool dead = (ev & (POLLERR | POLLNVAL)) != 0;
        if (!dead && (ev & (POLLIN | POLLHUP))) {
          char buf[8192];
          ssize_t n = read(c.fd, buf, sizeof buf);
          if (n > 0) {
            c.in.append(buf, static_cast<size_t>(n));
          } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            dead = true;
          }
          size_t end;
          while (!c.close_after_write && (end = c.in.find("\r\n\r\n")) != std::string::npos) {
            bool close = false;
            c.out += Respond(c.in.substr(0, end + 4), &close);
            c.in.erase(0, end + 4);
            c.close_after_write = close;
          }
          if (c.in.size() > 65536) dead = true;
        }
        if (!dead && !c.out.empty()) {
          ssize_t n = write(c.fd, c.out.data(), c.out.size());
          if (n > 0) c.out.erase(0, static_cast<size_t>(n));
          else if (n < 0 && errno != EAGAIN && errno != EINTR) dead = true;
        }
        if (!dead && c.close_after_write && c.out.empty()) dead = true;
        if (dead) {
          close(c.fd);
          c.fd = -1;
        }
      }
      std::erase_if(conns, [](const Connection& c) {
        return c.fd < 0;
      });
    }
    for (Connection& c : conns) close(c.fd);
  }

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::unordered_map<std::string, std::string> answers_;
  std::atomic<uint64_t> served_{0}, not_found_{0}, connections_{0};
};

// ---------------------------------------------------------------------------------------------
// HTTP through one libcurl easy handle (one keep-alive connection per worker).

struct Response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names; the last value of each
  std::string transport_error;                 // non-empty when no response arrived
  bool timed_out = false;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  json Json() const {
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    return j.is_discarded() ? json::object() : j;
  }
};

class HttpClient {
 public:
  explicit HttpClient(const AcmeBenchOptions& o) : curl_(curl_easy_init()) {
    curl_easy_setopt(curl_, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 1000L * o.request_timeout_s);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(curl_, CURLOPT_USERAGENT, "signet-bench-acme/1");
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &HttpClient::OnBody);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &HttpClient::OnHeader);
    if (o.insecure) {
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (!o.ca_file.empty()) {
      curl_easy_setopt(curl_, CURLOPT_CAINFO, o.ca_file.c_str());
    }
    headers_ = curl_slist_append(headers_, "Content-Type: application/jose+json");
    headers_ = curl_slist_append(headers_, "Expect:");
  }
  ~HttpClient() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Response Get(const std::string& url) { return Perform(url, nullptr, false); }
  Response Head(const std::string& url) { return Perform(url, nullptr, true); }
  Response Post(const std::string& url, const std::string& body) {
    return Perform(url, &body, false);
  }

 private:
  static size_t OnBody(char* data, size_t size, size_t n, void* user) {
    static_cast<Response*>(user)->body.append(data, size * n);
    return size * n;
  }
  static size_t OnHeader(char* data, size_t size, size_t n, void* user) {
    std::string line(data, size * n);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      size_t b = line.find_first_not_of(" \t", colon + 1);
      size_t e = line.find_last_not_of(" \t\r\n");
      static_cast<Response*>(user)->headers[name] =
          b == std::string::npos || e < b ? "" : line.substr(b, e - b + 1);
    }
    return size * n;
  }

  Response Perform(const std::string& url, const std::string* body, bool head) {
    Response r;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(curl_, CURLOPT_NOBODY, head ? 1L : 0L);
    if (body != nullptr) {
      curl_easy_setopt(curl_, CURLOPT_POST, 1L);
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
      curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    } else {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
      if (head) curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
      curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
    }
    CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) {
      r.transport_error = curl_easy_strerror(rc);
      r.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
      return r;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
  }

  CURL* curl_;
  curl_slist* headers_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Statistics

enum Step {
  kNewNonce,
  kNewAccount,
  kNewOrder,
  kAuthz,
  kChallenge,
  kAuthzPoll,
  kFinalize,
  kOrderPoll,
  kCertificate,
  kStepCount
};
const char* const kStepNames[kStepCount] = {"newNonce",  "newAccount", "newOrder",
                                            "authz",     "challenge",  "authz-poll",
                                            "finalize",  "order-poll", "certificate"};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct Stats {
  std::vector<double> order_ms;             // latency of each successful order
  std::vector<double> step_ms[kStepCount];  // each request, by type
  std::vector<double> validation_ms;        // challenge POST to authorization valid
  std::vector<double> issuance_ms;          // finalize POST to order valid
  uint64_t bad_nonce_retries = 0;
  uint64_t sleeps = 0;
  double sleep_ms = 0;

  void Merge(const Stats& o) {
    auto add = [](std::vector<double>& a, const std::vector<double>& b) {
      a.insert(a.end(), b.begin(), b.end());
    };
    add(order_ms, o.order_ms);
    for (int s = 0; s < kStepCount; ++s) add(step_ms[s], o.step_ms[s]);
    add(validation_ms, o.validation_ms);
    add(issuance_ms, o.issuance_ms);
    bad_nonce_retries += o.bad_nonce_retries;
    sleeps += o.sleeps;
    sleep_ms += o.sleep_ms;
  }
};

// Errors are counted by the caller; the first few are printed, with their error document.
class ErrorLog {
 public:
  explicit ErrorLog(int limit) : limit_(limit) {}
  void Report(const std::string& what) {
    std::lock_guard lock(mu_);
    if (printed_ >= limit_) return;
    ++printed_;
    std::cerr << "acme error: " << what << "\n";
  }

 private:
  std::mutex mu_;
  int limit_;
  int printed_ = 0;
};

struct Directory {
  std::string new_nonce, new_account, new_order;
};

// ---------------------------------------------------------------------------------------------
// One worker: one account, one connection, orders one after the other.

class Worker {
 public:
  Worker(const AcmeBenchOptions& o, const Directory& dir, ChallengeResponder& responder,
         ErrorLog& errors, std::atomic<bool>& stalled)
      : o_(o), dir_(dir), responder_(responder), errors_(errors), stalled_(stalled), http_(o) {}

  Stats& stats() { return stats_; }

  bool CreateAccount() {
    if (!RefreshNonce()) return false;
    Response r = Signed(kNewAccount, dir_.new_account, json{{"termsOfServiceAgreed", true}}.dump(),
                        /*use_jwk=*/true);
    if (r.status != 201 && r.status != 200) return Fail("newAccount", dir_.new_account, r);
    kid_ = r.Header("location");
    if (kid_.empty()) return Fail("newAccount: no Location header", dir_.new_account, r);
    if (o_.key_per_worker) cert_key_ = NewP256Key();
    return true;
  }

  // Runs order number i to its certificate; false (after reporting why) when it failed.
  bool RunOrder(const std::string& name) {
    Clock::time_point start = Clock::now();
    deadline_ = start + std::chrono::seconds(o_.order_timeout_s);
    json ids = json::array({json{{"type", "dns"}, {"value", name}}});
    Response r = Signed(kNewOrder, dir_.new_order, json{{"identifiers", ids}}.dump());
    if (r.status != 201) return Fail("newOrder " + name, dir_.new_order, r);
    std::string order_url = r.Header("location");
    json order = r.Json();
    if (order_url.empty() || !order.contains("finalize") || !order.contains("authorizations"))
      return Fail("newOrder " + name + ": no Location, finalize or authorizations",
                  dir_.new_order, r);
    for (const json& a : order["authorizations"]) {
      if (!Authorize(a.get<std::string>())) return false;
    }

    Pkey fresh;
    EVP_PKEY* key = cert_key_.get();
    if (key == nullptr) {
      fresh = NewP256Key();
      key = fresh.get();
    }
    std::string finalize_url = order["finalize"].get<std::string>();
    Clock::time_point finalized = Clock::now();
    r = Signed(kFinalize, finalize_url, json{{"csr", CsrFor(name, key)}}.dump());
    if (r.status != 200) return Fail("finalize " + name, finalize_url, r);
    order = r.Json();
    int delay = 0;
    while (order.value("status", "") != "valid") {
      std::string status = order.value("status", "");
      if (status != "processing" && status != "pending" && status != "ready")
        return Fail("order " + name + " became " + status, order_url, r);
      if (Clock::now() > deadline_) return Fail("order " + name + " timed out", order_url, r);
      Sleep(r, &delay);
      r = Signed(kOrderPoll, order_url, "");
      if (r.status != 200) return Fail("order poll " + name, order_url, r);
      order = r.Json();
    }
    stats_.issuance_ms.push_back(MillisSince(finalized));
    std::string cert_url = order.value("certificate", "");
    if (cert_url.empty()) return Fail("valid order " + name + " without certificate", order_url, r);
    r = Signed(kCertificate, cert_url, "");
    if (r.status != 200) return Fail("certificate " + name, cert_url, r);
    if (!IsPemCertificateChain(r.body))
      return Fail("certificate " + name + " is not a PEM chain", cert_url, r);
    stats_.order_ms.push_back(MillisSince(start));
    return true;
  }

 private:
  bool Authorize(const std::string& authz_url) {
    Response r = Signed(kAuthz, authz_url, "");
    if (r.status != 200) return Fail("authorization", authz_url, r);
    json authz = r.Json();
    std::string status = authz.value("status", "");
    if (status == "valid") return true;
    if (status != "pending") return Fail("authorization is " + status, authz_url, r);
    std::string challenge_url, token;
    for (const json& c : authz.value("challenges", json::array())) {
      if (c.value("type", "") == "http-01") {
        challenge_url = c.value("url", "");
        token = c.value("token", "");
      }
    }
    if (challenge_url.empty() || token.empty())
      return Fail("authorization without an http-01 challenge", authz_url, r);
    responder_.Put(token, token + "." + account_.thumbprint());
    Clock::time_point validating = Clock::now();
    r = Signed(kChallenge, challenge_url, "{}");
    if (r.status != 200) {
      responder_.Remove(token);
      return Fail("challenge", challenge_url, r);
    }
    // A challenge already valid in the answer makes the authorization valid (one challenge
    // suffices); otherwise poll the authorization.
    json challenge = r.Json();
    status = challenge.value("status", "");
    if (status == "invalid") {
      responder_.Remove(token);
      return Fail("challenge invalid", challenge_url, r);
    }
    int delay = 0;
    while (status != "valid") {
      if (Clock::now() > deadline_) {
        responder_.Remove(token);
        return Fail("authorization timed out", authz_url, r);
      }
      Sleep(r, &delay);
      r = Signed(kAuthzPoll, authz_url, "");
      if (r.status != 200) {
        responder_.Remove(token);
        return Fail("authorization poll", authz_url, r);
      }
      status = r.Json().value("status", "");
      if (status != "pending" && status != "processing" && status != "valid") {
        responder_.Remove(token);
        return Fail("authorization became " + status, authz_url, r);
      }
    }
    responder_.Remove(token);
    stats_.validation_ms.push_back(MillisSince(validating));
    return true;
  }

  // Waits before the next poll: Retry-After when the server gave one, else 2 ms doubling,
  // either way at most --poll-ms.
  void Sleep(const Response& r, int* delay) {
    int ms = *delay == 0 ? 2 : *delay * 2;
    *delay = ms;
    std::string retry_after = r.Header("retry-after");
    if (!retry_after.empty() && std::all_of(retry_after.begin(), retry_after.end(), ::isdigit))
      ms = std::stoi(retry_after) * 1000;
    ms = std::max(1, std::min(ms, o_.poll_ms));
    Clock::time_point t = Clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ++stats_.sleeps;
    stats_.sleep_ms += MillisSince(t);
  }

  bool RefreshNonce() {
    Clock::time_point t = Clock::now();
    Response r = http_.Head(dir_.new_nonce);
    stats_.step_ms[kNewNonce].push_back(MillisSince(t));
    if (o_.trace) Trace("newNonce (HEAD)", dir_.new_nonce, "", r);
    nonce_ = r.Header("replay-nonce");
    if (nonce_.empty()) return Fail("newNonce", dir_.new_nonce, r);
    return true;
  }

  // A JWS POST (payload "" is POST-as-GET), with one retry on badNonce.
  Response Signed(Step step, const std::string& url, const std::string& payload,
                  bool use_jwk = false) {
    Response r;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (nonce_.empty() && !RefreshNonce()) return r;
      json protected_header = {{"alg", "ES256"}, {"nonce", nonce_}, {"url", url}};
      if (use_jwk) protected_header["jwk"] = account_.jwk();
      else protected_header["kid"] = kid_;
      nonce_.clear();
      std::string p64 = Base64Url(protected_header.dump());
      std::string b64 = Base64Url(payload);
      json jws = {{"protected", p64},
                  {"payload", b64},
                  {"signature", account_.SignEs256(p64 + "." + b64)}};
      Clock::time_point t = Clock::now();
      r = http_.Post(url, jws.dump());
      stats_.step_ms[step].push_back(MillisSince(t));
      if (o_.trace) Trace(kStepNames[step], url, protected_header.dump() + " " + payload, r);
      nonce_ = r.Header("replay-nonce");
      if (r.status == 400 && attempt == 0 &&
          r.Json().value("type", "") == "urn:ietf:params:acme:error:badNonce") {
        ++stats_.bad_nonce_retries;
        continue;
      }
      break;
    }
    return r;
  }

  static void Trace(const std::string& step, const std::string& url, const std::string& sent,
                    const Response& r) {
    static std::mutex mu;
    std::lock_guard lock(mu);
    std::cerr << ">>> " << step << " " << url << "\n";
    if (!sent.empty()) std::cerr << sent << "\n";
    std::cerr << "<<< " << r.status << r.transport_error << "\n";
    for (const auto& [name, value] : r.headers) std::cerr << name << ": " << value << "\n";
    std::cerr << r.body.substr(0, 4000) << "\n\n";
  }

  bool Fail(const std::string& what, const std::string& url, const Response& r) {
    // A server that lets a request time out is stuck (pebble 2.4 deadlocks under load): stop
    // the run rather than wait out every remaining order.
    if (r.timed_out && !stalled_.exchange(true))
      std::cerr << "acme: a request timed out; stopping the run\n";
    std::ostringstream s;
    s << what << ": " << url << ": ";
    if (!r.transport_error.empty()) s << r.transport_error;
    else s << "HTTP " << r.status << " " << r.body.substr(0, 2000);
    errors_.Report(s.str());
    return false;
  }

  const AcmeBenchOptions& o_;
  const Directory& dir_;
  ChallengeResponder& responder_;
  ErrorLog& errors_;
  std::atomic<bool>& stalled_;
  HttpClient http_;
  AccountKey account_;
  Pkey cert_key_;
  std::string kid_, nonce_;
  Clock::time_point deadline_;
  Stats stats_;
};

std::string RandomRunId() {
  unsigned char b[4];
  RAND_bytes(b, sizeof b);
  std::ostringstream s;
  for (unsigned char c : b) s << std::hex << std::setw(2) << std::setfill('0') << int{c};
  return s.str();
}

void PrintStepTable(const Stats& s, double seconds, const ChallengeResponder& responder,
                    int orders) {
  auto row = [](const std::string& name, const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    std::cerr << std::left << std::setw(12) << name << std::right << std::setw(8) << v.size()
              << std::fixed << std::setprecision(2) << std::setw(10)
              << (v.empty() ? 0 : sum / static_cast<double>(v.size())) << std::setw(10)
              << Percentile(v, 50) << std::setw(10) << Percentile(v, 99) << std::setw(10)
              << (v.empty() ? 0 : *std::max_element(v.begin(), v.end())) << std::setw(12)
              << std::setprecision(1) << sum / 1000.0 << "\n";
  };
  std::cerr << "step         requests   mean_ms    p50_ms    p99_ms    max_ms  total_s\n";
  for (int i = 0; i < kStepCount; ++i) row(kStepNames[i], s.step_ms[i]);
  std::cerr << "-- phases (per order)\n";
  row("validation", s.validation_ms);
  row("issuance", s.issuance_ms);
  row("order", s.order_ms);
  std::cerr << std::setprecision(2) << "polls: authz " << s.step_ms[kAuthzPoll].size()
            << ", order " << s.step_ms[kOrderPoll].size() << "; sleeps " << s.sleeps << " ("
            << s.sleep_ms / 1000.0 << " s summed over workers); badNonce retries "
            << s.bad_nonce_retries << "\nresponder: " << responder.served() << " answered, "
            << responder.not_found() << " not found, " << responder.connections()
            << " connections; " << orders / seconds << " orders/s attempted\n";
  std::cerr.unsetf(std::ios::fixed);
}

}  // namespace

int RunAcme(const AcmeBenchOptions& o) {
  if (o.orders <= 0 || o.concurrency <= 0) {
    std::cerr << "acme: --orders and --concurrency must be positive\n";
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  ErrorLog errors(o.show_errors);

  // The directory, once.
  Directory dir;
  {
    HttpClient http(o);
    Response r = http.Get(o.directory);
    json d = r.Json();
    if (r.status != 200 || !d.contains("newNonce") || !d.contains("newAccount") ||
        !d.contains("newOrder")) {
      std::cerr << "acme: directory " << o.directory << ": "
                << (r.transport_error.empty() ? "HTTP " + std::to_string(r.status) + " " + r.body
                                              : r.transport_error)
                << "\n";
      return 1;
    }
    dir.new_nonce = d["newNonce"].get<std::string>();
    dir.new_account = d["newAccount"].get<std::string>();
    dir.new_order = d["newOrder"].get<std::string>();
  }

  ChallengeResponder responder;
  std::string error;
  if (!responder.Start(o.http_address, o.http_port, &error)) {
    std::cerr << "acme: " << error << "\n";
    return 1;
  }

  std::string run = o.run_id.empty() ? RandomRunId() : o.run_id;
  std::atomic<int> next{0}, succeeded{0};
  std::atomic<bool> stalled{false};
  std::vector<std::unique_ptr<Worker>> workers;
  for (int w = 0; w < o.concurrency; ++w)
    workers.push_back(std::make_unique<Worker>(o, dir, responder, errors, stalled));
  Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (auto& worker : workers) {
    threads.emplace_back([&, w = worker.get()] {
      if (!w->CreateAccount()) return;  // its share of orders goes to the other workers
      for (int i = next++; i < o.orders && !stalled; i = next++) {
        std::string name = "o" + run + "-" + std::to_string(i) + "." + o.domain_suffix;
        if (w->RunOrder(name)) ++succeeded;
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  responder.Stop();

  Stats all;
  for (auto& w : workers) all.Merge(w->stats());
  if (o.verbose) PrintStepTable(all, seconds, responder, o.orders);
  int failures = o.orders - succeeded.load();  // orders never attempted count as failed too
  std::cout << std::fixed << "orders=" << o.orders << " failures=" << failures
            << std::setprecision(3) << " seconds=" << seconds << std::setprecision(1)
            << " orders_per_s=" << succeeded.load() / seconds << " p50_ms=" << std::setprecision(1)
            << Percentile(all.order_ms, 50) << " p99_ms=" << Percentile(all.order_ms, 99) << "\n";
  curl_global_cleanup();
  return failures == 0 ? 0 : 1;
}

CLI::App* AddAcmeCommand(CLI::App& app, AcmeBenchOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "acme", "RFC 8555 http-01 issuance flows per second against an ACME server");
  cmd->add_option("--directory", o.directory, "the server's directory URL")->required();
  cmd->add_option("--orders", o.orders, "orders to complete in total")->capture_default_str();
  cmd->add_option("--concurrency", o.concurrency, "workers, each with its own account")
      ->capture_default_str();
  cmd->add_option("--http-port", o.http_port, "port the http-01 responder listens on")
      ->required();
  cmd->add_option("--http-address", o.http_address, "address the http-01 responder listens on")
      ->capture_default_str();
  cmd->add_option("--domain-suffix", o.domain_suffix, "orders are for o<run>-<i>.<suffix>")
      ->capture_default_str();
  cmd->add_option("--run-id", o.run_id, "the <run> in the names; default: random");
  cmd->add_flag("--insecure", o.insecure, "do not verify the server's TLS certificate");
  cmd->add_option("--ca-file", o.ca_file, "verify the server with these roots (PEM)");
  cmd->add_option("--poll-ms", o.poll_ms,
                  "longest wait between polls, even when Retry-After asks for more")
      ->capture_default_str();
  cmd->add_option("--order-timeout", o.order_timeout_s, "seconds before an order fails")
      ->capture_default_str();
  cmd->add_option("--request-timeout", o.request_timeout_s,
                  "seconds before a request fails; a timeout stops the run")
      ->capture_default_str();
  cmd->add_flag("--key-per-worker", o.key_per_worker,
                "one certificate key per worker instead of a fresh one per order");
  cmd->add_option("--show-errors", o.show_errors, "error documents printed to stderr")
      ->capture_default_str();
  cmd->add_flag("--verbose", o.verbose, "timings per request type and phase, to stderr");
  cmd->add_flag("--trace", o.trace,
                "every request (protected header, payload) and response to stderr; use with "
                "--orders 1 --concurrency 1");
  return cmd;
}

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

#include "acme_jose.h"
#include "acme_responder.h"

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

using namespace acme_bench;  // NOLINT: this file's own helpers
using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

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

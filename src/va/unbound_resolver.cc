// DnsResolver over libunbound: validates DNSSEC itself and forwards queries to the configured
// resolvers. Queries run on libunbound's own thread (ub_ctx_async): its synchronous ub_resolve
// builds and tears down a whole resolver worker for every query, which cost more CPU than the
// rest of a validation. One pump thread delivers the answers; callers wait for theirs.
#include <poll.h>
#include <unbound.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "signet/common/log.h"
#include "signet/va/dns_resolver.h"

namespace signet::va {

namespace {

constexpr const char* kIanaRootAnchor = "/usr/share/dns/root.key";

Status DnsError(const std::string& reason, std::string message) {
  return Status::Error(ErrorCode::kDns, reason, std::move(message));
}

class UnboundResolver final : public DnsResolver {
 public:
  explicit UnboundResolver(bool validating) : ctx_(ub_ctx_create()), validating_(validating) {}
  ~UnboundResolver() override {
    stopping_ = true;
    if (pump_.joinable()) pump_.join();
    if (ctx_) ub_ctx_delete(ctx_);
  }

  Status Configure(const DnsResolverOptions& options) {
    if (ctx_ == nullptr) return InternalError("libunbound could not create a context");
    timeout_ = std::chrono::milliseconds(options.timeout_ms);
    int async_rc = ub_ctx_async(ctx_, 1);
    if (async_rc != 0) return Config("threaded mode", async_rc);
    // Validation must see the zone as it is now: an applicant who just added the record (or
    // fixed a wrong one) is checked against fresh answers, not a cached NXDOMAIN.
    SIGNET_RETURN_IF_ERROR(Option("cache-max-ttl:", "0"));
    SIGNET_RETURN_IF_ERROR(Option("cache-max-negative-ttl:", "0"));
    // Nor may a cached NSEC record deny a name that was just added.
    SIGNET_RETURN_IF_ERROR(Option("aggressive-nsec:", "no"));
    // Operators (and tests) may run their resolver on loopback; by default unbound refuses to
    // send queries there.
    SIGNET_RETURN_IF_ERROR(Option("do-not-query-localhost:", "no"));
    for (const std::string& zone : options.transparent_zones) {
      std::string value = zone + ". transparent";
      SIGNET_RETURN_IF_ERROR(Option("local-zone:", value.c_str()));
    }
    if (options.forwarders.empty()) {
      // Without a usable resolv.conf libunbound resolves from the root servers itself, which
      // is what a validating CA wants anyway; only say so.
      int rc = ub_ctx_resolvconf(ctx_, nullptr);
      if (rc != 0) {
        log::Warn("no usable /etc/resolv.conf: DNS lookups start from the root servers",
                  {{"error", ub_strerror(rc)}});
      }
    }
    for (const std::string& f : options.forwarders) {
      // unbound spells ip:port as ip@port.
      std::string addr = f;
      size_t colon = addr.rfind(':');
      if (colon != std::string::npos && addr.find(':') == colon) addr[colon] = '@';
      int rc = ub_ctx_set_fwd(ctx_, addr.c_str());
      if (rc != 0) return Config("validation.dns_resolvers entry '" + f + "'", rc);
    }
    if (validating_) {
      std::vector<std::string> anchors = options.trust_anchor_files;
      if (anchors.empty()) anchors.push_back(kIanaRootAnchor);
      for (const std::string& file : anchors) {
        if (!std::filesystem::exists(file)) {
          return MalformedError(
              "DNSSEC trust anchor file " + file + " does not exist (validation.dns_trust_anchors)",
              "bad_setting");
        }
        int rc = ub_ctx_add_ta_file(ctx_, file.c_str());
        if (rc != 0) return Config("trust anchor file " + file, rc);
      }
    }
    pump_ = std::thread([this] { Pump(); });
    return Status::Ok();
  }

  Result<DnsAnswer> Resolve(const std::string& name, DnsType type) override {
    auto pending = std::make_shared<Pending>();
    // The callback owns one reference, released when it runs (or here, when cancelled).
    auto* callback_ref = new std::shared_ptr<Pending>(pending);
    int async_id = 0;
    int rc = ub_resolve_async(ctx_, name.c_str(), static_cast<int>(type), 1 /* IN */,
                              callback_ref, &Delivered, &async_id);
    if (rc != 0) {
      delete callback_ref;
      return DnsError("dns_error", "the DNS lookup of " + name + " failed: " + ub_strerror(rc));
    }
    std::unique_lock<std::mutex> lock(pending->mu);
    // libunbound gives up on unresponsive servers itself; this bound only guards against a lookup
    // that never comes back.
    if (!pending->cv.wait_for(lock, timeout_ + std::chrono::seconds(5),
                              [&] { return pending->done; })) {
      lock.unlock();
      if (ub_cancel(ctx_, async_id) == 0) {
        delete callback_ref;
        return DnsError("dns_error", "the DNS lookup of " + name + " timed out");
      }
      lock.lock();  // already being delivered: the answer is moments away
      pending->cv.wait(lock, [&] { return pending->done; });
    }
    ub_result* result = pending->result;
    rc = pending->error;
    lock.unlock();
    if (rc != 0 || result == nullptr) {
      if (result) ub_resolve_free(result);
      return DnsError("dns_error", "the DNS lookup of " + name + " failed: " + ub_strerror(rc));
    }
    DnsAnswer answer;
    answer.query = name;
    answer.rcode = result->rcode;
    answer.nxdomain = result->nxdomain != 0;
    answer.canonical = result->canonname ? result->canonname : name;
    if (result->bogus) {
      answer.dnssec = DnssecState::kBogus;
      answer.why_bogus = result->why_bogus ? result->why_bogus : "DNSSEC validation failed";
    } else if (result->secure) {
      answer.dnssec = DnssecState::kSecure;
    }
    if (result->havedata) {
      for (int i = 0; result->data[i] != nullptr; ++i) {
        answer.rdata.emplace_back(result->data[i], static_cast<size_t>(result->len[i]));
      }
    }
    ub_resolve_free(result);
    if (answer.dnssec != DnssecState::kBogus && answer.rcode != 0 && answer.rcode != 3) {
      return DnsError("dns_error", "the DNS lookup of " + name + " failed with " +
                                       RcodeName(answer.rcode) +
                                       "; the domain's name servers did not answer properly");
    }
    return answer;
  }

  bool Validating() const override { return validating_; }

 private:
  static std::string RcodeName(int rcode) {
    switch (rcode) {
      case 1:
        return "FORMERR";
      case 2:
        return "SERVFAIL";
      case 4:
        return "NOTIMP";
      case 5:
        return "REFUSED";
      default:
        return "rcode " + std::to_string(rcode);
    }
  }
  Status Option(const char* key, const char* value) {
    int rc = ub_ctx_set_option(ctx_, key, value);
    return rc == 0 ? Status::Ok() : Config(std::string("option ") + key, rc);
  }
  static Status Config(const std::string& what, int rc) {
    return MalformedError("DNS resolver set-up failed at " + what + ": " + ub_strerror(rc),
                          "bad_setting");
  }

  struct Pending {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    int error = 0;
    ub_result* result = nullptr;
  };

  static void Delivered(void* data, int error, ub_result* result) {
    auto* ref = static_cast<std::shared_ptr<Pending>*>(data);
    {
      std::lock_guard<std::mutex> lock((*ref)->mu);
      (*ref)->error = error;
      (*ref)->result = result;
      (*ref)->done = true;
    }
    (*ref)->cv.notify_all();
    delete ref;
  }

  // Delivers answers (calling Delivered) as libunbound's thread produces them.
  void Pump() {
    while (!stopping_) {
      pollfd p{ub_fd(ctx_), POLLIN, 0};
      if (poll(&p, 1, 100) > 0) ub_process(ctx_);
    }
  }

  ub_ctx* ctx_;
  bool validating_;
  std::chrono::milliseconds timeout_{10000};
  std::atomic<bool> stopping_{false};
  std::thread pump_;
};

}  // namespace

Result<std::unique_ptr<DnsResolver>> MakeUnboundResolver(const DnsResolverOptions& options) {
  bool validating =
      !(options.trust_anchor_files.size() == 1 && options.trust_anchor_files[0] == "none");
  if (!validating) {
    log::Warn(
        "DNSSEC validation is DISABLED (validation.dns_trust_anchors=none): validation "
        "lookups are not protected against spoofing and do not meet BR 3.2.2.4");
  }
  auto resolver = std::make_unique<UnboundResolver>(validating);
  SIGNET_RETURN_IF_ERROR(resolver->Configure(options));
  return std::unique_ptr<DnsResolver>(std::move(resolver));
}

std::string TxtRdataToString(const std::string& rdata) {
  std::string out;
  size_t i = 0;
  while (i < rdata.size()) {
    size_t n = static_cast<unsigned char>(rdata[i]);
    out.append(rdata, i + 1, std::min(n, rdata.size() - i - 1));
    i += 1 + n;
  }
  return out;
}

Result<CaaRecord> ParseCaaRdata(const std::string& rdata) {
  if (rdata.size() < 2) return MalformedError("a CAA record is too short", "bad_caa");
  CaaRecord r;
  r.flags = static_cast<uint8_t>(rdata[0]);
  size_t tag_len = static_cast<unsigned char>(rdata[1]);
  if (tag_len == 0 || 2 + tag_len > rdata.size()) {
    return MalformedError("a CAA record has a bad tag length", "bad_caa");
  }
  r.tag = rdata.substr(2, tag_len);
  for (char& c : r.tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  r.value = rdata.substr(2 + tag_len);
  return r;
}

}  // namespace signet::va

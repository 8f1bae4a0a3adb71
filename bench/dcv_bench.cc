// Domain-validation checks as the primary perspective runs them (validating DNS lookup of the
// TXT record; validation-file fetch with its address lookup), timed one at a time and under
// concurrency. bench/dcv.sh starts real Knot DNS and nginx servers and runs this against them.
#include "dcv_bench.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "signet/va/dns_resolver.h"
#include "signet/va/perspective.h"

namespace {

using namespace signet;  // NOLINT: a benchmark

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void RunKind(va::Perspective& perspective, const va::CheckRequest& request, int count,
             int concurrency) {
  // One check alone first: the latency an applicant sees when pressing "check now".
  auto t0 = std::chrono::steady_clock::now();
  va::PerspectiveResult one = perspective.Check(request);
  double single_ms = Ms(std::chrono::steady_clock::now() - t0);
  if (!one.ok) {
    std::cerr << request.kind << " check failed: " << one.error << "\n";
    std::exit(1);
  }
  std::atomic<int> next{0}, failures{0};
  std::mutex mu;
  std::vector<double> latencies;
  latencies.reserve(static_cast<size_t>(count));
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      while (next.fetch_add(1) < count) {
        auto s = std::chrono::steady_clock::now();
        if (!perspective.Check(request).ok) failures.fetch_add(1);
        mine.push_back(Ms(std::chrono::steady_clock::now() - s));
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  double seconds = Ms(std::chrono::steady_clock::now() - start) / 1000;
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies.empty() ? 0 : latencies[static_cast<size_t>(p * (latencies.size() - 1))];
  };
  std::cout << "kind=" << request.kind << " single_ms=" << single_ms << " checks=" << count
            << " failures=" << failures.load() << " concurrency=" << concurrency
            << " seconds=" << seconds << " checks_per_s=" << count / seconds
            << " p50_ms=" << pct(0.5) << " p99_ms=" << pct(0.99) << "\n";
}

}  // namespace

int RunDcv(const DcvBenchOptions& o) {
  va::DnsResolverOptions dns;
  dns.forwarders = {o.dns};
  dns.trust_anchor_files = {o.anchors};
  if (!o.internal_suffix.empty()) dns.transparent_zones = {o.internal_suffix};
  auto resolver = va::MakeUnboundResolver(dns);
  if (!resolver.ok()) {
    std::cerr << resolver.status().ToString() << "\n";
    return 1;
  }
  va::FileFetcherOptions fetch;
  fetch.http_port = o.http_port;
  fetch.https_port = o.https_port;
  fetch.allow_private_addresses = true;  // the servers are on loopback
  std::vector<std::string> internal;
  if (!o.internal_suffix.empty()) internal.push_back(o.internal_suffix);
  va::LocalPerspective perspective("bench", **resolver, fetch, {"signet.local"}, internal);
  if (!o.txt_name.empty()) {
    RunKind(perspective, {"dns_txt", o.txt_name, o.txt_value}, o.count, o.concurrency);
  }
  if (!o.file_host.empty()) {
    RunKind(perspective, {"file", o.file_host, o.file_value}, o.count, o.concurrency);
  }
  return 0;
}

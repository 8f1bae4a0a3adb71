#include "wfe/metrics.h"

#include <sstream>

namespace signet::wfe {

namespace {
constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  std::string route_labels = "method=\"" + Escape(method) + "\",route=\"" + Escape(route) + "\"";
  std::string labels = route_labels + ",status=\"" + std::to_string(status) + "\"";
  std::lock_guard lock(mu_);
  ++requests_[labels];
  Histogram& h = durations_[route_labels];
  if (h.buckets.empty()) h.buckets.assign(std::size(kBuckets), 0);
  for (size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::SetGauge(const std::string& name, const std::string& help, double value) {
  std::lock_guard lock(mu_);
  gauges_[name] = {help, value};
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::lock_guard lock(mu_);
  out << "# HELP signet_http_requests_total HTTP requests answered, by route and status.\n"
      << "# TYPE signet_http_requests_total counter\n";
  for (const auto& [labels, n] : requests_) {
    out << "signet_http_requests_total{" << labels << "} " << n << "\n";
  }
  out << "# HELP signet_http_request_duration_seconds Time from request header to response.\n"
      << "# TYPE signet_http_request_duration_seconds histogram\n";
  for (const auto& [labels, h] : durations_) {
    for (size_t i = 0; i < std::size(kBuckets); ++i) {
      out << "signet_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << h.buckets[i] << "\n";
    }
    out << "signet_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count
        << "\n";
    out << "signet_http_request_duration_seconds_sum{" << labels << "} " << h.sum << "\n";
    out << "signet_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
  }
  for (const auto& [name, gauge] : gauges_) {
    out << "# HELP " << name << " " << gauge.first << "\n# TYPE " << name << " gauge\n"
        << name << " " << gauge.second << "\n";
  }
  return out.str();
}

}  // namespace signet::wfe

// Metrics: request counters and latency histograms in the Prometheus text exposition format.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace signet::wfe {

class Metrics {
 public:
  void ObserveRequest(const std::string& method, const std::string& route, int status,
                      double seconds);
  void SetGauge(const std::string& name, const std::string& help, double value);
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> requests_;    // labels -> count
  std::map<std::string, Histogram> durations_;  // labels -> histogram
  std::map<std::string, std::pair<std::string, double>> gauges_;
};

}  // namespace signet::wfe

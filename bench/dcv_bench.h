// signet-bench dcv: domain-validation checks per second and their latency (see dcv_bench.cc).
#pragma once

#include <string>

struct DcvBenchOptions {
  std::string dns;  // ip:port of the resolver (or authoritative server) to ask
  std::string anchors = "none";
  std::string internal_suffix;
  std::string txt_name, txt_value;
  std::string file_host, file_value;
  int http_port = 80, https_port = 443;
  int count = 2000;
  int concurrency = 8;
};

int RunDcv(const DcvBenchOptions& options);

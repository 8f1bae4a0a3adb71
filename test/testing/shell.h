// Runs outside tools (openssl, ...) from unit tests: the command's stdout and stderr together.
#pragma once

#include <cstdio>
#include <string>

namespace signet::testing {

inline std::string RunShell(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

}  // namespace signet::testing

#include "server/process.h"

#include <filesystem>
#include <fstream>

namespace signet::server {

sigset_t BlockStopSignals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return stop_signals;
}

void WriteAddressFile(const std::string& path, const std::string& address) {
  std::filesystem::path tmp = path + ".tmp";
  std::ofstream(tmp, std::ios::trunc) << address << "\n";
  std::filesystem::rename(tmp, path);
}

}  // namespace signet::server

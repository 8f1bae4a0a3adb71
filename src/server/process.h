// Process plumbing shared by `signetd serve` and `signetd perspective`: stop signals and the
// address file through which tests and scripts learn the bound port.
#pragma once

#include <signal.h>

#include <string>

namespace signet::server {

// Blocks SIGTERM and SIGINT (call before starting any thread, so every thread inherits the
// mask and the main thread alone receives them through sigwait) and ignores SIGPIPE.
sigset_t BlockStopSignals();

// Writes "host:port\n" to `path` atomically (write, then rename).
void WriteAddressFile(const std::string& path, const std::string& address);

}  // namespace signet::server

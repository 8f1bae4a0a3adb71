// signet-bench acme: full RFC 8555 http-01 issuance flows against any ACME server, with the
// challenges answered by a built-in HTTP responder (see acme_bench.cc). bench/acme.sh runs it
// against Debian's pebble and against signetd.
#pragma once

#include <string>

namespace CLI {
class App;
}

struct AcmeBenchOptions {
  std::string directory;                  // the server's directory URL
  int orders = 100;                       // orders to complete in total
  int concurrency = 8;                    // workers, each with its own account and connection
  int http_port = 5002;                   // port of the built-in http-01 responder
  std::string http_address = "127.0.0.1";  // address it listens on
  std::string domain_suffix = "bench.test";
  std::string run_id;                     // names are o<run>-<i>.<suffix>; default: random
  bool insecure = false;                  // do not verify the server's TLS certificate
  std::string ca_file;                    // verify with these roots instead of the system's
  int poll_ms = 20;                       // cap on one wait between polls (Retry-After too)
  int order_timeout_s = 60;               // an order still unfinished after this fails
  int request_timeout_s = 30;             // a request timing out stops the whole run
  bool key_per_worker = false;            // one certificate key per worker, not per order
  int show_errors = 5;                    // error documents printed to stderr
  bool verbose = false;                   // per-request-type timings to stderr
  bool trace = false;                     // every request and response to stderr
};

// Declares the `acme` subcommand of `app`, with its options parsed into `options`.
CLI::App* AddAcmeCommand(CLI::App& app, AcmeBenchOptions& options);

int RunAcme(const AcmeBenchOptions& options);

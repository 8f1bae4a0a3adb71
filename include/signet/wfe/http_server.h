// HttpServer: the HTTPS listener (Boost.Asio/Beast, C++20 coroutines, no thread per connection).
// It frames requests, enforces size limits and timeouts, and hands each request to a Dispatcher
// on a separate blocking pool, so that slow storage never stalls the event loop.
//
// Graceful shutdown: Shutdown() stops accepting, closes idle connections, lets requests in flight
// finish and be answered (with Connection: close), then returns.
//
// Thread-safety: Start, Shutdown and port may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "signet/common/status.h"
#include "signet/wfe/http_message.h"

namespace signet::wfe {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8443;  // 0 picks a free port; see HttpServer::port()
  int io_threads = 2;
  int blocking_threads = 4;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  std::chrono::seconds read_timeout{15};  // header of a request (also the keep-alive idle time)
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds write_timeout{60};
  int max_connections = 4096;
  std::chrono::seconds shutdown_grace{30};
};

class HttpServer {
 public:
  // Runs on the blocking pool; must not throw (the server answers 500 if it does).
  using Dispatcher = std::function<HttpResponse(HttpRequest&)>;
  // Called after each response with the request, response and seconds taken; for logs/metrics.
  using Observer = std::function<void(const HttpRequest&, const HttpResponse&, double)>;

  static Result<std::unique_ptr<HttpServer>> Create(HttpServerOptions options,
                                                    Dispatcher dispatcher, Observer observer);
  virtual ~HttpServer() = default;

  // Binds the listening socket (so port() is known before the certificate is chosen).
  virtual Status Bind() = 0;
  // Loads the certificate chain and key (PEM files) and starts serving on background threads;
  // binds first if Bind was not called.
  virtual Status Start(const std::string& cert_chain_file, const std::string& private_key_file) = 0;
  virtual uint16_t port() const = 0;
  // Blocks until drained or the grace period ends.
  virtual void Shutdown() = 0;
  virtual int active_connections() const = 0;
};

}  // namespace signet::wfe

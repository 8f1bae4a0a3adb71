// Boost 1.74 with g++ 12 needs <utility> before Asio's coroutine headers.
#include "signet/wfe/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "signet/common/log.h"

namespace signet::wfe {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using Strand = asio::strand<asio::io_context::executor_type>;

HttpResponse PlainProblem(int status, const std::string& code, const std::string& detail) {
  // The framing layer cannot reach the problem renderer's request context; this is the same
  // RFC 9457 shape with the fields known here.
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  std::string escaped;
  for (char c : detail) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  r.body = "{\"type\":\"urn:signet:problem:" + code + "\",\"title\":\"" +
           std::string(http::obsolete_reason(static_cast<http::status>(status))) +
           "\",\"status\":" + std::to_string(status) + ",\"code\":\"" + code + "\",\"detail\":\"" +
           escaped + "\"}";
  r.close = true;
  r.route = "framing";
  return r;
}

class BeastHttpServer final : public HttpServer {
 public:
  BeastHttpServer(HttpServerOptions options, Dispatcher dispatcher, Observer observer)
      : options_(std::move(options)),
        dispatcher_(std::move(dispatcher)),
        observer_(std::move(observer)),
        ssl_ctx_(ssl::context::tls_server),
        acceptor_(ioc_),
        blocking_pool_(static_cast<size_t>(std::max(1, options_.blocking_threads))) {}

  ~BeastHttpServer() override { Shutdown(); }

  Status LoadTls(const std::string& cert_chain_file, const std::string& private_key_file) {
    try {
      ssl_ctx_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
      ssl_ctx_.use_certificate_chain_file(cert_chain_file);
      ssl_ctx_.use_private_key_file(private_key_file, ssl::context::pem);
    } catch (const std::exception& e) {
      return MalformedError(
          "cannot load the listener certificate or key (" + cert_chain_file + "): " + e.what(),
          "tls_config");
    }
    return Status::Ok();
  }

  Status Bind() override {
    if (acceptor_.is_open()) return Status::Ok();
    boost::system::error_code ec;
    auto address = asio::ip::make_address(options_.host, ec);
    if (ec)
      return MalformedError("listen address '" + options_.host + "' is not an IP address",
                            "invalid_setting");
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return UnavailableError("cannot listen on " + options_.host + ":" +
                              std::to_string(options_.port) + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    return Status::Ok();
  }

  Status Start(const std::string& cert_chain_file, const std::string& private_key_file) override {
    SIGNET_RETURN_IF_ERROR(LoadTls(cert_chain_file, private_key_file));
    SIGNET_RETURN_IF_ERROR(Bind());
    asio::co_spawn(ioc_, Accept(), asio::detached);
    for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
      io_threads_.emplace_back([this] { ioc_.run(); });
    }
    return Status::Ok();
  }

  uint16_t port() const override { return port_; }
  int active_connections() const override { return connections_.load(); }

  void Shutdown() override {
    if (shut_down_.exchange(true)) return;
    if (io_threads_.empty()) return;
    // Stop accepting. Connections in the middle of a request finish it and close. An idle
    // keep-alive connection is not cut at once: its client may have sent a request that is on
    // its way, and cutting would drop it unanswered. It gets a short last wait instead; a
    // request that arrives is served (with Connection: close), and then the connection ends.
    asio::post(ioc_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
    });
    {
      std::lock_guard lock(mu_);
      for (auto& [id, conn] : live_) ShortenIdleWait(conn);
    }
    auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
    {
      std::unique_lock lock(mu_);
      drained_.wait_until(lock, deadline, [this] { return live_.empty(); });
      if (!live_.empty()) {
        log::Warn("shutdown grace period over; closing remaining connections",
                  {{"connections", static_cast<long>(live_.size())}});
      }
    }
    ioc_.stop();
    for (auto& t : io_threads_) t.join();
    io_threads_.clear();
    blocking_pool_.join();
  }

 private:
  struct Connection {
    Strand strand;
    Stream* stream = nullptr;
    bool busy = false;  // between the end of a request's header and its response being written
  };

  // How long an idle connection may still bring a request once shutdown has begun.
  std::chrono::milliseconds IdleLinger() const {
    return std::min<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(options_.shutdown_grace) / 2,
        std::chrono::milliseconds(1000));
  }

  // Interrupts an idle connection's wait for its next request; ServeConnection then waits once
  // more, for IdleLinger() only. (A pending read keeps the deadline it started with, so the
  // wait has to be interrupted to be shortened.)
  void ShortenIdleWait(Connection& conn) {
    Stream* stream = conn.stream;
    asio::post(conn.strand, [this, stream, id = &conn] {
      std::lock_guard lock(mu_);
      // The connection may have ended meanwhile; only touch it if still registered.
      for (auto& [key, c] : live_) {
        if (&c == id && !c.busy) beast::get_lowest_layer(*stream).cancel();
      }
    });
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
        log::Warn("accept failed", {{"error", ec.message()}});
        continue;
      }
      if (connections_.load() >= options_.max_connections) {
        socket.close(ec);  // shed load rather than queue unbounded work
        continue;
      }
      // Responses are written whole; Nagle would hold each one back for the peer's delayed ACK.
      socket.set_option(tcp::no_delay(true), ec);
      Strand strand = asio::make_strand(ioc_);
      asio::co_spawn(strand, Serve(std::move(socket), strand), asio::detached);
    }
  }

  // Runs the dispatcher on the blocking pool and resumes on the connection's strand.
  asio::awaitable<HttpResponse> Dispatch(HttpRequest& request, Strand strand) {
    auto initiation = [this, &request, strand](auto handler) {
      asio::post(blocking_pool_, [this, &request, strand, h = std::move(handler)]() mutable {
        HttpResponse response;
        try {
          response = dispatcher_(request);
        } catch (const std::exception& e) {
          log::Error("handler threw", {{"error", e.what()}, {"request_id", request.request_id}});
          response = PlainProblem(500, "internal", "an internal error occurred");
          response.close = false;
        }
        asio::post(strand,
                   [h = std::move(h), r = std::move(response)]() mutable { h(std::move(r)); });
      });
    };
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(HttpResponse)>(
        initiation, asio::use_awaitable);
  }

  asio::awaitable<void> Serve(tcp::socket socket, Strand strand) {
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    Stream stream(std::move(socket), ssl_ctx_);
    uint64_t id = next_id_++;
    Connection* conn = nullptr;
    {
      std::lock_guard lock(mu_);
      conn = &live_.emplace(id, Connection{strand, &stream, false}).first->second;
    }
    ++connections_;
    co_await ServeConnection(stream, remote, *conn);
    --connections_;
    {
      std::lock_guard lock(mu_);
      live_.erase(id);
      if (live_.empty()) drained_.notify_all();
    }
  }

  void SetBusy(Connection& conn, bool busy) {
    std::lock_guard lock(mu_);
    conn.busy = busy;
  }

  asio::awaitable<void> ServeConnection(Stream& stream, const std::string& remote,
                                        Connection& conn) {
    boost::system::error_code ec;
    auto& tcp_stream = beast::get_lowest_layer(stream);
    tcp_stream.expires_after(shut_down_.load() ? std::chrono::milliseconds(IdleLinger())
                                               : options_.read_timeout);
    co_await stream.async_handshake(ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // scanners and wrong-protocol clients: nothing to answer
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
      parser.body_limit(options_.max_body_bytes);
      // One deadline for the whole header: a slow-loris client cannot hold the slot longer.
      // Once shutdown has begun, only the short last wait (ShortenIdleWait) is left.
      tcp_stream.expires_after(shut_down_.load() ? std::chrono::milliseconds(IdleLinger())
                                                 : options_.read_timeout);
      co_await http::async_read_header(stream, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
      if (ec == asio::error::operation_aborted && shut_down_.load()) {
        // Shutdown interrupted the wait: a request may be on its way, so wait a last short
        // moment (same parser: bytes of a header already read are kept) before closing.
        tcp_stream.expires_after(IdleLinger());
        co_await http::async_read_header(stream, buffer, parser,
                                         asio::redirect_error(asio::use_awaitable, ec));
      }
      auto started = std::chrono::steady_clock::now();
      std::optional<HttpResponse> framing_error;
      if (ec == http::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::ssl::error::stream_truncated) {
        break;
      } else if (ec == beast::error::timeout) {
        // The stream closed the socket on timeout (idle keep-alive or a slow-loris header); there
        // is no one left to answer.
        break;
      } else if (ec == http::error::body_limit) {
        // A declared Content-Length beyond the limit is refused before reading the body.
        framing_error = PlainProblem(413, "payload_too_large",
                                     "the request body is larger than " +
                                         std::to_string(options_.max_body_bytes) + " bytes");
      } else if (ec == http::error::header_limit) {
        framing_error = PlainProblem(431, "header_too_large", "the request header is too large");
      } else if (ec == asio::error::operation_aborted) {
        break;  // closed for shutdown while idle
      } else if (ec) {
        framing_error = PlainProblem(400, "malformed_http", "the request is not valid HTTP/1.1");
      }
      if (!framing_error) {
        SetBusy(conn, true);
        tcp_stream.expires_after(options_.body_timeout);
        co_await http::async_read(stream, buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::body_limit) {
          framing_error = PlainProblem(413, "payload_too_large",
                                       "the request body is larger than " +
                                           std::to_string(options_.max_body_bytes) + " bytes");
        } else if (ec == beast::error::timeout) {
          break;  // the socket is closed; see above
        } else if (ec) {
          framing_error = PlainProblem(400, "malformed_http", "the request body is not valid");
        }
      }
      HttpRequest request;
      HttpResponse response;
      bool keep_alive = false;
      if (framing_error) {
        response = std::move(*framing_error);
        request.method = parser.is_header_done() ? std::string(parser.get().method_string()) : "";
        request.target = parser.is_header_done() ? std::string(parser.get().target()) : "";
      } else {
        auto& msg = parser.get();
        request.method = std::string(msg.method_string());
        request.target = std::string(msg.target());
        for (const auto& field : msg) {
          std::string name(field.name_string());
          for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          request.headers[name] = std::string(field.value());
        }
        request.body = std::move(msg.body());
        request.remote_address = remote;
        keep_alive = msg.keep_alive();
        response = co_await Dispatch(request, conn.strand);
      }
      if (response.close || shut_down_.load()) keep_alive = false;

      http::response<http::string_body> out{static_cast<http::status>(response.status), 11};
      out.set(http::field::server, "signet");
      if (!response.content_type.empty()) out.set(http::field::content_type, response.content_type);
      for (const auto& [name, value] : response.headers) out.insert(name, value);
      if (request.method != "HEAD") out.body() = std::move(response.body);
      out.keep_alive(keep_alive);
      out.prepare_payload();
      tcp_stream.expires_after(options_.write_timeout);
      co_await http::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
      SetBusy(conn, false);
      if (observer_) {
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        observer_(request, response, seconds);
      }
      if (ec) break;
      if (framing_error) {
        co_await DrainBeforeClose(stream);
        break;
      }
      if (!keep_alive) break;
    }
    tcp_stream.expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
  }

  // After an error answer to a request that was not read to its end (a header or body over the
  // limit), reads and discards what the client is still sending, for a little while, before the
  // connection closes. Closing with unread data makes the kernel reset the connection, and the
  // reset can destroy the answer before the client reads it: the client would see a dropped
  // connection instead of the 413 or 431 that says what to change.
  asio::awaitable<void> DrainBeforeClose(Stream& stream) {
    constexpr size_t kMaxDrainBytes = 4 << 20;
    auto& tcp_stream = beast::get_lowest_layer(stream);
    tcp_stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> scratch;
    size_t drained = 0;
    boost::system::error_code ec;
    while (!ec && drained < kMaxDrainBytes) {
      drained += co_await stream.async_read_some(asio::buffer(scratch),
                                                 asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  HttpServerOptions options_;
  Dispatcher dispatcher_;
  Observer observer_;
  asio::io_context ioc_;
  ssl::context ssl_ctx_;
  tcp::acceptor acceptor_;
  asio::thread_pool blocking_pool_;
  std::vector<std::thread> io_threads_;
  std::atomic<uint16_t> port_{0};
  std::atomic<int> connections_{0};
  std::atomic<bool> shut_down_{false};
  std::atomic<uint64_t> next_id_{1};
  std::mutex mu_;
  std::condition_variable drained_;
  std::map<uint64_t, Connection> live_;
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Create(HttpServerOptions options,
                                                       Dispatcher dispatcher, Observer observer) {
  auto server = std::make_unique<BeastHttpServer>(std::move(options), std::move(dispatcher),
                                                  std::move(observer));
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace signet::wfe

// The http-01 responder of signet-bench acme: serves /.well-known/acme-challenge/<token> with the
// key authorizations the workers register. Private to bench/acme_bench.cc.
//
// Thread-safety: Set/Remove from any thread; the serving loop runs on its own thread.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace acme_bench {

// ---------------------------------------------------------------------------------------------
// The http-01 responder: one thread, poll(2), HTTP/1.1 keep-alive and pipelining.

class ChallengeResponder {
 public:
  ~ChallengeResponder() { Stop(); }

  bool Start(const std::string& address, int port, std::string* error) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1) {
      *error = "bad --http-address " + address;
      return false;
    }
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
        listen(listen_fd_, 512) != 0) {
      *error = "cannot listen on " + address + ":" + std::to_string(port) + ": " +
               std::strerror(errno);
      return false;
    }
    if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
      *error = "pipe: " + std::string(std::strerror(errno));
      return false;
    }
    thread_ = std::thread([this] { Loop(); });
    return true;
  }

  void Stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    char c = 0;
    (void)!write(wake_[1], &c, 1);
    thread_.join();
    for (int fd : {listen_fd_, wake_[0], wake_[1]}) close(fd);
  }

  void Put(const std::string& token, const std::string& value) {
    std::lock_guard lock(mu_);
    answers_[token] = value;
  }
  void Remove(const std::string& token) {
    std::lock_guard lock(mu_);
    answers_.erase(token);
  }
  uint64_t served() const { return served_; }
  uint64_t not_found() const { return not_found_; }
  uint64_t connections() const { return connections_; }

 private:
  struct Connection {
    int fd;
    std::string in, out;
    bool close_after_write = false;
  };

  std::string Respond(const std::string& request, bool* close) {
    size_t line_end = request.find("\r\n");
    std::string line = request.substr(0, line_end);
    std::string lower = request;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool http10 = line.ends_with("HTTP/1.0");
    *close = lower.find("\r\nconnection: close") != std::string::npos ||
             (http10 && lower.find("\r\nconnection: keep-alive") == std::string::npos);
    static const std::string kPrefix = "GET /.well-known/acme-challenge/";
    std::optional<std::string> body;
    if (line.starts_with(kPrefix)) {
      size_t end = line.find(' ', kPrefix.size());
      std::string token = line.substr(kPrefix.size(), end - kPrefix.size());
      std::lock_guard lock(mu_);
      auto it = answers_.find(token);
      if (it != answers_.end()) body = it->second;
    }
    std::string keep = *close ? "Connection: close\r\n" : "";
    if (!body) {
      ++not_found_;
      return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n" + keep + "\r\n";
    }
    ++served_;
    return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
           std::to_string(body->size()) + "\r\n" + keep + "\r\n" + *body;
  }

  void Loop() {
    std::vector<Connection> conns;
    std::vector<pollfd> fds;
    while (!stopping_) {
      fds.clear();
      fds.push_back({wake_[0], POLLIN, 0});
      fds.push_back({listen_fd_, POLLIN, 0});
      for (const Connection& c : conns)
        fds.push_back({c.fd, static_cast<short>(c.out.empty() ? POLLIN : POLLIN | POLLOUT), 0});
      if (poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) break;
      if (fds[1].revents & POLLIN) {
        while (true) {
          int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
          if (fd < 0) break;
          int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          conns.push_back({fd, {}, {}, false});
          ++connections_;
        }
      }
      // Connections accepted just now have no pollfd yet: only the first fds.size() - 2.
      size_t polled = fds.size() - 2;
      for (size_t i = 0; i < polled && i < conns.size(); ++i) {
        Connection& c = conns[i];
        short ev = fds[i + 2].revents;
        bool dead = (ev & (POLLERR | POLLNVAL)) != 0;
        if (!dead && (ev & (POLLIN | POLLHUP))) {
          char buf[8192];
          ssize_t n = read(c.fd, buf, sizeof buf);
          if (n > 0) {
            c.in.append(buf, static_cast<size_t>(n));
          } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            dead = true;
          }
          size_t end;
          while (!c.close_after_write && (end = c.in.find("\r\n\r\n")) != std::string::npos) {
            bool close = false;
            c.out += Respond(c.in.substr(0, end + 4), &close);
            c.in.erase(0, end + 4);
            c.close_after_write = close;
          }
          if (c.in.size() > 65536) dead = true;
        }
        if (!dead && !c.out.empty()) {
          ssize_t n = write(c.fd, c.out.data(), c.out.size());
          if (n > 0) c.out.erase(0, static_cast<size_t>(n));
          else if (n < 0 && errno != EAGAIN && errno != EINTR) dead = true;
        }
        if (!dead && c.close_after_write && c.out.empty()) dead = true;
        if (dead) {
          close(c.fd);
          c.fd = -1;
        }
      }
      std::erase_if(conns, [](const Connection& c) {
        return c.fd < 0;
      });
    }
    for (Connection& c : conns) close(c.fd);
  }

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::unordered_map<std::string, std::string> answers_;
  std::atomic<uint64_t> served_{0}, not_found_{0}, connections_{0};
};

}  // namespace acme_bench

// `signetd perspective`: a remote network perspective for multi-perspective corroboration
// (BR 3.2.2.9). It holds no keys and no database: it checks DNS TXT records, validation files and
// CAA from where it runs, with its own resolver, and answers the primary over HTTPS. Requests
// must carry the shared bearer token.
#include <openssl/crypto.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "server/commands.h"
#include "server/process.h"
#include "server/server_settings.h"
#include "server/validation_setup.h"
#include "signet/common/log.h"
#include "signet/wfe/http_server.h"

namespace signet::server {

namespace fs = std::filesystem;

namespace {

int Fail(const std::string& message) {
  std::cerr << "signetd perspective: " << message << "\n";
  log::Error("perspective startup failed", {{"error", message}});
  return 1;
}

wfe::HttpResponse Json(int status, std::string body) {
  wfe::HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

bool TokenMatches(const std::string& header, const std::string& token) {
  const std::string prefix = "Bearer ";
  if (header.size() != prefix.size() + token.size() || header.compare(0, prefix.size(), prefix)) {
    return false;
  }
  return CRYPTO_memcmp(header.data() + prefix.size(), token.data(), token.size()) == 0;
}

}  // namespace

int RunPerspective(const Settings::Sources& sources) {
  sigset_t stop_signals = BlockStopSignals();

  auto settings = Settings::Load(SettingDefinitions(), sources);
  if (!settings.ok()) return Fail(settings.status().message());
  const Settings& s = *settings;
  if (!s.Has("tls.cert") || !s.Has("tls.key")) {
    return Fail(
        "set tls.cert and tls.key: the primary authenticates this perspective by its "
        "certificate");
  }
  if (!s.Has("validation.perspective_token_file")) {
    return Fail("set validation.perspective_token_file: requests must carry that token");
  }
  auto token = ReadSecretFile(s.Get("validation.perspective_token_file"),
                              "validation.perspective_token_file");
  if (!token.ok()) return Fail(token.status().message());
  std::string listen = s.Get("listen");
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Fail("listen must be host:port");
  auto local = BuildLocalValidation(s, "perspective " + listen);
  if (!local.ok()) return Fail(local.status().message());
  va::Perspective& perspective = *local->perspective;

  wfe::HttpServerOptions http;
  http.host = listen.substr(0, colon);
  http.port = static_cast<uint16_t>(std::atoi(listen.c_str() + colon + 1));
  http.io_threads = 1;
  http.blocking_threads = 8;
  std::string secret = *token;
  auto server = wfe::HttpServer::Create(
      http,
      [&perspective, secret](wfe::HttpRequest& request) {
        // No query strings here: the target is the path.
        const std::string& path = request.target;
        if (path == "/healthz") return Json(200, R"({"status":"ok"})");
        if (path != "/perspective/v1/check") {
          return Json(404, R"({"error":"not found"})");
        }
        if (request.method != "POST") return Json(405, R"({"error":"use POST"})");
        if (!TokenMatches(request.Header("authorization"), secret)) {
          return Json(401, R"({"error":"a valid bearer token is required"})");
        }
        auto check = va::CheckRequestFromJson(request.body);
        if (!check.ok()) return Json(400, R"({"error":"bad request"})");
        return Json(200, va::PerspectiveResultToJson(perspective.Check(*check)));
      },
      nullptr);
  if (!server.ok()) return Fail(server.status().message());
  Status bound = (*server)->Bind();
  if (!bound.ok()) return Fail(bound.message());
  Status started = (*server)->Start(s.Get("tls.cert"), s.Get("tls.key"));
  if (!started.ok()) return Fail(started.message());
  std::string address = http.host + ":" + std::to_string((*server)->port());
  std::error_code ec;
  fs::create_directories(s.Get("data_dir"), ec);
  fs::path addr_file = fs::path(s.Get("data_dir")) / "perspective.addr";
  WriteAddressFile(addr_file.string(), address);
  log::Info("perspective listening", {{"address", address}});
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  (*server)->Shutdown();
  fs::remove(addr_file, ec);
  return 0;
}

}  // namespace signet::server

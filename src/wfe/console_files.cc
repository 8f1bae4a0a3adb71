#include "wfe/console_files.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace signet::wfe {

namespace {

// Only plain relative names: no "..", no hidden files, no odd bytes, so a request can never
// leave the console directory.
bool IsSafeRelativePath(const std::string& rel) {
  if (rel.empty() || rel.size() > 200) return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    std::string segment =
        rel.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (segment.empty() || segment[0] == '.') return false;
    for (unsigned char c : segment) {
      if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return true;
}

std::string ContentTypeFor(const std::string& name) {
  auto ends = [&name](const char* suffix) {
    std::string s(suffix);
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<std::string> ReadRegularFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return out.str();
}

}  // namespace

std::optional<HttpResponse> ConsoleFiles::Serve(const std::string& path) const {
  if (dir_.empty()) return std::nullopt;
  std::string rel = path.size() > 1 ? path.substr(1) : "";
  HttpResponse r;
  // Hashed build assets never change under their name; everything else is revalidated.
  if (!rel.empty() && IsSafeRelativePath(rel)) {
    if (auto body = ReadRegularFile(dir_ + "/" + rel)) {
      r.content_type = ContentTypeFor(rel);
      r.body = std::move(*body);
      bool hashed = rel.rfind("assets/", 0) == 0;
      r.headers.emplace_back("Cache-Control",
                             hashed ? "public, max-age=31536000, immutable" : "no-cache");
      r.route = "/{console}";
      return r;
    }
  }
  auto index = ReadRegularFile(dir_ + "/index.html");
  if (!index) return std::nullopt;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(*index);
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
                         "data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.route = "/{console}";
  return r;
}

}  // namespace signet::wfe

#include "wfe/router.h"

namespace signet::wfe {

namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    out.push_back(path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return out;
}

bool MatchPattern(const std::string& pattern, const std::string& path,
                  std::map<std::string, std::string>* params) {
  std::vector<std::string> p = Split(pattern), s = Split(path);
  // A last segment "{name*}" takes the rest of the path, slashes included (OCSP GET requests
  // carry base64 with '/').
  bool rest = !p.empty() && p.back().size() > 3 && p.back().back() == '}' &&
              p.back()[p.back().size() - 2] == '*';
  if (rest) {
    if (s.size() < p.size()) return false;
    std::string tail = s[p.size() - 1];
    for (size_t i = p.size(); i < s.size(); ++i) tail += "/" + s[i];
    s.resize(p.size());
    s.back() = tail;
    p.back() = "{" + p.back().substr(1, p.back().size() - 3) + "}";
  } else if (p.size() != s.size()) {
    return false;
  }
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}') {
      if (s[i].empty()) return false;
      found[p[i].substr(1, p[i].size() - 2)] = s[i];
    } else if (p[i] != s[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

}  // namespace

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match m;
  std::string effective = method == "HEAD" ? "GET" : method;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
    if (r.method == effective) {
      m.route = &r;
      m.params = std::move(params);
      m.allowed_methods.clear();
      return m;
    }
    m.allowed_methods.push_back(r.method);
  }
  return m;
}

}  // namespace signet::wfe

#include "signet/common/json_post.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>

#include "signet/common/ip_address.h"

namespace signet {
namespace {

struct Collected {
  std::string* out;
  size_t max;
  bool refuse_longer;
  bool too_long = false;
};

// Keeps at most `max` bytes of an answer (what Signet calls answers with small documents); with
// refuse_longer, a longer answer ends the transfer.
size_t Collect(char* ptr, size_t size, size_t n, void* userdata) {
  auto* c = static_cast<Collected*>(userdata);
  size_t room = c->max > c->out->size() ? c->max - c->out->size() : 0;
  if (size * n > room && c->refuse_longer) {
    c->too_long = true;
    return 0;
  }
  c->out->append(ptr, std::min(room, size * n));
  return size * n;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// Keeps the headers of the last response only: a redirect's or a 100 Continue's are dropped
// when the next status line arrives.
size_t CollectHeader(char* ptr, size_t size, size_t n, void* userdata) {
  auto* headers = static_cast<std::vector<HttpHeader>*>(userdata);
  std::string line(ptr, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos || headers->size() >= 100) return size * n;
  HttpHeader h;
  h.name = line.substr(0, colon);
  for (char& c : h.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t start = line.find_first_not_of(" \t", colon + 1);
  h.value = start == std::string::npos ? "" : line.substr(start);
  headers->push_back(std::move(h));
  return size * n;
}

curl_socket_t OpenPublicSocket(void*, curlsocktype, curl_sockaddr* address) {
  IpAddress ip;
  if (address->family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address->addr);
    std::memcpy(ip.bytes.data(), &in->sin_addr, 4);
  } else if (address->family == AF_INET6) {
    ip.v6 = true;
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
    std::memcpy(ip.bytes.data(), &in6->sin6_addr, 16);
  } else {
    return CURL_SOCKET_BAD;
  }
  if (IsReservedAddress(ip)) return CURL_SOCKET_BAD;
  return socket(address->family, address->socktype, address->protocol);
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

JsonPostResult PostJson(const JsonPostRequest& request) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  JsonPostResult result;
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) {
    result.error = "could not start an HTTP client";
    return result;
  }
  std::string content_type = "Content-Type: " + request.content_type;
  curl_slist* list = request.get ? nullptr : curl_slist_append(nullptr, content_type.c_str());
  for (const std::string& h : request.headers) list = curl_slist_append(list, h.c_str());
  std::unique_ptr<curl_slist, CurlFree> headers(list);
  CURL* c = curl.get();
  Collected collected{&result.response, request.max_response, request.refuse_longer};
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, request.protocols.c_str());
  if (request.public_addresses_only) {
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenPublicSocket);
  }
  if (request.no_proxy) curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &result.headers);
  if (!request.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, request.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (request.get) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  }
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  if (request.keep_response) {
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &collected);
  } else {
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  }
  CURLcode rc = curl_easy_perform(c);
  if (collected.too_long) {
    result.error = "the answer is larger than " + std::to_string(request.max_response) + " bytes";
    return result;
  }
  if (rc != CURLE_OK) {
    result.error = curl_easy_strerror(rc);
    return result;
  }
  result.reached = true;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

std::string JsonPostResult::Header(const std::string& name) const {
  for (const HttpHeader& h : headers) {
    if (h.name == name) return h.value;
  }
  return "";
}

bool IsAcceptableWebhookUrl(const std::string& url) {
  if (url.size() > 500 || url.rfind("https://", 0) != 0) return false;
  std::string rest = url.substr(8);
  std::string authority = rest.substr(0, rest.find('/'));
  if (authority.empty() || authority.find('@') != std::string::npos) return false;
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

}  // namespace signet

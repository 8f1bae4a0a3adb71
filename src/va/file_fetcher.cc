#include "signet/va/file_fetcher.h"

#include <curl/curl.h>

#include <memory>

#include "signet/common/ip_address.h"

namespace signet::va {

namespace {

Status ConnectionError(const std::string& reason, std::string message) {
  return Status::Error(ErrorCode::kConnection, reason, std::move(message));
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Body {
  std::string data;
  size_t limit;
};

size_t WriteBody(char* ptr, size_t size, size_t n, void* userdata) {
  auto* body = static_cast<Body*>(userdata);
  size_t bytes = size * n;
  size_t room = body->limit > body->data.size() ? body->limit - body->data.size() : 0;
  body->data.append(ptr, std::min(bytes, room));
  return bytes;  // keep reading (and discard) so the status line is still reported
}

std::string UrlPart(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return "";
  std::string out = value;
  curl_free(value);
  return out;
}

}  // namespace

bool AddressAllowed(const std::string& address, bool allow_private) {
  auto ip = ParseIpAddress(address);
  if (!ip) return false;
  return allow_private || !IsReservedAddress(*ip);
}

Result<std::string> ResolveValidationAddress(DnsResolver& resolver, const std::string& bare_host,
                                             bool allow_private, const std::string& where) {
  if (ParseIpAddress(bare_host)) {
    if (!AddressAllowed(bare_host, allow_private)) {
      return ConnectionError("private_address", where + " points at the reserved address " +
                                                    bare_host +
                                                    ", which validation does not connect to");
    }
    return bare_host;
  }
  std::vector<std::string> candidates;
  std::string refused;
  for (DnsType type : {DnsType::kA, DnsType::kAaaa}) {
    SIGNET_ASSIGN_OR_RETURN(DnsAnswer answer, resolver.Resolve(bare_host, type));
    if (answer.dnssec == DnssecState::kBogus) {
      return Status::Error(ErrorCode::kDns, "dnssec_bogus",
                           "the address lookup of " + bare_host + " failed DNSSEC validation (" +
                               answer.why_bogus + ")");
    }
    for (const std::string& rd : answer.rdata) {
      IpAddress ip;
      ip.v6 = type == DnsType::kAaaa;
      if (rd.size() != (ip.v6 ? 16u : 4u)) continue;
      std::copy(rd.begin(), rd.end(), ip.bytes.begin());
      if (allow_private || !IsReservedAddress(ip)) {
        candidates.push_back(ip.ToString());
      } else {
        refused = ip.ToString();
      }
    }
  }
  if (candidates.empty()) {
    if (!refused.empty()) {
      return ConnectionError("private_address", bare_host + " resolves only to reserved addresses (" +
                                                    refused +
                                                    "), which validation does not connect to");
    }
    return Status::Error(ErrorCode::kDns, "no_address",
                         bare_host + " has no A or AAAA record; point it at your server");
  }
  return candidates.front();
}

FileFetcher::FileFetcher(DnsResolver& resolver, FileFetcherOptions options)
    : resolver_(resolver), options_(options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

Result<FetchResult> FileFetcher::Fetch(const std::string& scheme, const std::string& host,
                                       const std::string& path) const {
  FetchResult result;
  int port = scheme == "https" ? options_.https_port : options_.http_port;
  std::string url = scheme + "://" + host + ":" + std::to_string(port) + path;
  for (int hop = 0; hop <= options_.max_redirects; ++hop) {
    std::unique_ptr<CURLU, CurlDeleter> parsed(curl_url());
    if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
      return ConnectionError("redirect_refused",
                             "the redirect target '" + url + "' is not a valid URL");
    }
    std::string hop_scheme = UrlPart(parsed.get(), CURLUPART_SCHEME);
    std::string hop_host = UrlPart(parsed.get(), CURLUPART_HOST);
    std::string port_text = UrlPart(parsed.get(), CURLUPART_PORT);
    if (hop_scheme != "http" && hop_scheme != "https") {
      return ConnectionError("redirect_refused", "a redirect to '" + url +
                                                     "' was refused: only http and https are "
                                                     "allowed (BR 3.2.2.4.18)");
    }
    int default_port = hop_scheme == "https" ? options_.https_port : options_.http_port;
    int hop_port = port_text.empty() ? default_port : std::atoi(port_text.c_str());
    if (hop_port != options_.http_port && hop_port != options_.https_port) {
      return ConnectionError("redirect_refused", "a redirect to '" + url + "' was refused: port " +
                                                     std::to_string(hop_port) +
                                                     " is not an authorized port (" +
                                                     std::to_string(options_.http_port) + " or " +
                                                     std::to_string(options_.https_port) + ")");
    }
    // Always name the port, so the connection goes where the rules were checked.
    curl_url_set(parsed.get(), CURLUPART_PORT, std::to_string(hop_port).c_str(), 0);
    std::string hop_url = UrlPart(parsed.get(), CURLUPART_URL);

    // Resolve with the validating resolver, then pin curl to the address we checked.
    std::string bare_host = hop_host;
    if (bare_host.size() > 2 && bare_host.front() == '[') {
      bare_host = bare_host.substr(1, bare_host.size() - 2);
    }
    SIGNET_ASSIGN_OR_RETURN(std::string address,
                            ResolveValidationAddress(resolver_, bare_host,
                                                     options_.allow_private_addresses, hop_url));

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    std::unique_ptr<curl_slist, CurlDeleter> resolve;
    if (address != bare_host) {
      std::string pin = bare_host + ":" + std::to_string(hop_port) + ":" +
                        (address.find(':') != std::string::npos ? "[" + address + "]" : address);
      resolve.reset(curl_slist_append(nullptr, pin.c_str()));
    }
    Body body{"", options_.max_body_bytes};
    curl_easy_setopt(curl.get(), CURLOPT_URL, hop_url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_RESOLVE, resolve.get());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "Signet-DCV/1 (+domain validation)");
    // The applicant's TLS certificate need not be valid yet: that is what they are applying for.
    curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) {
      result.hops.push_back("GET " + hop_url + " [" + address + "] -> " + curl_easy_strerror(rc));
      return ConnectionError(
          rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "connection_failed",
          "fetching " + hop_url + " (" + address + ") failed: " + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    result.hops.push_back("GET " + hop_url + " [" + address + "] -> " + std::to_string(status));
    if (status >= 300 && status < 400) {
      if (status != 301 && status != 302 && status != 307 && status != 308) {
        return ConnectionError("redirect_refused",
                               hop_url + " answered with a " + std::to_string(status) +
                                   " redirect; only 301, 302, 307 and 308 are followed "
                                   "(BR 3.2.2.4.18)");
      }
      char* location = nullptr;
      curl_easy_getinfo(curl.get(), CURLINFO_REDIRECT_URL, &location);
      if (location == nullptr) {
        return ConnectionError("redirect_refused", hop_url + " answered " + std::to_string(status) +
                                                       " without a usable Location header");
      }
      url = location;
      continue;
    }
    result.status = static_cast<int>(status);
    result.body = std::move(body.data);
    return result;
  }
  return ConnectionError(
      "too_many_redirects",
      "more than " + std::to_string(options_.max_redirects) + " redirects from " + host);
}

}  // namespace signet::va

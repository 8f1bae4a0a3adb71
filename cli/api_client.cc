#include "cli/api_client.h"

#include <algorithm>
#include <cctype>
#include <memory>

namespace signet::cli {

namespace {

// signetd answers in milliseconds; these only bound a server that stopped answering.
constexpr long kConnectTimeoutSeconds = 15;
constexpr long kRequestTimeoutSeconds = 300;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* response = static_cast<ApiResponse*>(user);
  std::string line(data, size * n);
  // A new status line (after a 1xx answer) starts a new set of headers.
  if (line.rfind("HTTP/", 0) == 0) {
    response->headers.clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    response->headers[Lower(Trim(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
  }
  return size * n;
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string Hint(CURLcode code, const Credentials& credentials) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
      return "; is signetd running there? (check the URL given to `signet login` or --url)";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
      return credentials.ca_file.empty()
                 ? "; if signetd uses its own CA, pass --ca-file with its data_dir/ca.pem"
                 : "; is " + credentials.ca_file + " the ca.pem of this signetd?";
    default:
      return "";
  }
}

}  // namespace

bool ApiResponse::IsJson() const {
  return content_type == "application/json" ||
         (content_type.size() > 5 && content_type.ends_with("+json"));
}

std::string ApiResponse::Header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

ApiClient::ApiClient(Credentials credentials)
    : credentials_(std::move(credentials)), curl_(curl_easy_init()) {}

ApiClient::~ApiClient() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
}

std::optional<ApiResponse> ApiClient::Send(const ApiRequest& request, std::string* error) {
  std::string url = credentials_.url + request.path;
  if (curl_ == nullptr) {
    *error = "cannot reach " + url + ": libcurl could not be initialised";
    return std::nullopt;
  }
  // Reset forgets the previous request's options but keeps the open connection.
  curl_easy_reset(curl_);
  ApiResponse response;
  char curl_error[CURL_ERROR_SIZE] = {0};
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&headers](const std::string& h) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  };
  add_header("Accept: application/json");
  add_header("Authorization: Bearer " + credentials_.api_key);
  // Without an explicit type curl would label any body as a form; "Content-Type:" removes it.
  add_header(request.content_type.empty() ? "Content-Type:"
                                          : "Content-Type: " + request.content_type);
  // signetd answers a request as a whole; waiting for 100-continue would only add a delay.
  add_header("Expect:");

  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!credentials_.ca_file.empty()) {
    curl_easy_setopt(curl_, CURLOPT_CAINFO, credentials_.ca_file.c_str());
  }
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, "signet-cli/" SIGNET_CLI_VERSION);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, kRequestTimeoutSeconds);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response);

  bool sends_body = !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
                    request.method == "PATCH";
  if (request.method != "GET" && request.method != "POST") {
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (sends_body) {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body.data());
  }

  CURLcode code = curl_easy_perform(curl_);
  if (code != CURLE_OK) {
    std::string why = curl_error[0] != '\0' ? curl_error : curl_easy_strerror(code);
    *error = "cannot reach " + url + ": " + why + Hint(code, credentials_);
    return std::nullopt;
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
  std::string type = response.Header("content-type");
  response.content_type = Lower(Trim(type.substr(0, type.find(';'))));
  return response;
}

std::string UrlEscape(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (value.empty()) continue;
    out += (out.empty() ? "?" : "&") + name + "=" + UrlEscape(value);
  }
  return out;
}

}  // namespace signet::cli

#include <curl/curl.h>

#include <cstring>

#include "signet/common/random.h"
#include "signet/notify/mailer.h"

namespace signet::notify {

namespace {

// RFC 2047 encoded-word for a header value that is not plain ASCII.
std::string EncodeHeader(const std::string& value) {
  bool ascii = true;
  for (unsigned char c : value) ascii = ascii && c >= 0x20 && c < 0x7f;
  if (ascii) return value;
  static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  size_t i = 0;
  while (i + 2 < value.size()) {
    uint32_t n = (static_cast<unsigned char>(value[i]) << 16) |
                 (static_cast<unsigned char>(value[i + 1]) << 8) |
                 static_cast<unsigned char>(value[i + 2]);
    for (int k = 18; k >= 0; k -= 6) b64 += kB64[(n >> k) & 63];
    i += 3;
  }
  if (i < value.size()) {
    uint32_t n = static_cast<unsigned char>(value[i]) << 16;
    if (i + 1 < value.size()) n |= static_cast<unsigned char>(value[i + 1]) << 8;
    b64 += kB64[(n >> 18) & 63];
    b64 += kB64[(n >> 12) & 63];
    b64 += i + 1 < value.size() ? kB64[(n >> 6) & 63] : '=';
    b64 += '=';
  }
  return "=?UTF-8?B?" + b64 + "?=";
}

// The bare address of "Name <addr>" or "addr".
std::string Address(const std::string& mailbox) {
  size_t lt = mailbox.find('<');
  size_t gt = mailbox.find('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    return mailbox.substr(lt + 1, gt - lt - 1);
  }
  return mailbox;
}

bool HasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

struct Upload {
  std::string data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t n, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  size_t count = std::min(size * n, up->data.size() - up->offset);
  std::memcpy(buffer, up->data.data() + up->offset, count);
  up->offset += count;
  return count;
}

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(SmtpOptions options, const Clock& clock)
      : options_(std::move(options)), clock_(clock) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
  }

  Status Send(const Email& email) override {
    if (options_.url.empty()) {
      return UnavailableError("email is not configured: set smtp.url to an SMTP server");
    }
    // Header injection: no line breaks in anything that becomes a header.
    if (HasLineBreak(email.to) || HasLineBreak(email.subject)) {
      return MalformedError("an email address or subject contains a line break");
    }
    SystemRandom random;
    std::string message_id = random.Token(18) + "@signet";
    Upload up;
    up.data = "Date: " + RfcDate() + "\r\nFrom: " + options_.from + "\r\nTo: " + email.to +
              "\r\nSubject: " + EncodeHeader(email.subject) + "\r\nMessage-ID: <" + message_id +
              ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
              "Content-Transfer-Encoding: 8bit\r\n\r\n";
    // SMTP wants CRLF line ends, and a line of only "." would end the message early.
    std::string body;
    size_t start = 0;
    while (start <= email.text.size()) {
      size_t nl = email.text.find('\n', start);
      std::string line = email.text.substr(start, nl == std::string::npos ? nl : nl - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty() && line.front() == '.') line.insert(0, ".");
      body += line + "\r\n";
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    up.data += body;

    CURL* curl = curl_easy_init();
    std::string from = "<" + Address(options_.from) + ">";
    std::string to = "<" + Address(email.to) + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
      return UnavailableError(std::string("sending email failed: ") + curl_easy_strerror(rc));
    }
    return Status::Ok();
  }

 private:
  std::string RfcDate() const {
    std::time_t t = std::chrono::system_clock::to_time_t(
        std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now()));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
  }

  SmtpOptions options_;
  const Clock& clock_;
};

}  // namespace

std::unique_ptr<Mailer> MakeSmtpMailer(SmtpOptions options, const Clock& clock) {
  return std::make_unique<SmtpMailer>(std::move(options), clock);
}

}  // namespace signet::notify

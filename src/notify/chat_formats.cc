#include "signet/notify/chat_formats.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <vector>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"

namespace signet::notify {

namespace {

// Notifications are a few hundred bytes; the caps keep a long one within every vendor's limit
// (WeCom's markdown content is at most 4096 bytes, the tightest) instead of having it refused.
constexpr size_t kMaxSubjectBytes = 256;
constexpr size_t kMaxTextBytes = 3000;
// How much of a vendor's answer an error message quotes.
constexpr size_t kMaxQuotedBytes = 300;

// The longest prefix of at most `max` bytes that does not end inside a UTF-8 sequence.
std::string Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

std::string Capped(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  return Utf8Prefix(s, max - 3) + "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
}

// The text's non-empty lines, right-trimmed (chat clients show blank lines as gaps of their own).
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += separator;
    out += lines[i];
  }
  return out;
}

std::string Footer(const ChatMessage& m) { return "Signet \xC2\xB7 " + m.event; }

// Slack's mrkdwn gives &, < and > a meaning; its documentation asks for these three escapes.
std::string SlackEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

int64_t UnixMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string Base64HmacSha256(std::string_view key, std::string_view message) {
  Sha256Digest mac = HmacSha256(AsBytes(key), message);
  return Base64Encode(mac);
}

// A vendor's text as an error message may quote it: one line, printable, bounded.
std::string Quote(std::string_view s) {
  std::string out;
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return "(empty)";
  size_t last = out.find_last_not_of(' ');
  return Capped(std::string_view(out).substr(first, last - first + 1), kMaxQuotedBytes);
}

std::string VendorName(std::string_view kind) {
  if (kind == "dingtalk") return "DingTalk";
  if (kind == "wecom") return "WeCom";
  if (kind == "feishu") return "Feishu";
  if (kind == "slack") return "Slack";
  return std::string(kind);
}

std::string JsonText(const nlohmann::json& j, const char* field) {
  if (!j.contains(field)) return "";
  const nlohmann::json& v = j[field];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

bool IsChatKind(std::string_view kind) {
  return kind == "dingtalk" || kind == "wecom" || kind == "feishu" || kind == "slack";
}

bool ChatKindTakesSecret(std::string_view kind) { return kind == "dingtalk" || kind == "feishu"; }

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::string DingTalkSignature(int64_t timestamp_ms, std::string_view secret) {
  std::string string_to_sign = std::to_string(timestamp_ms) + "\n" + std::string(secret);
  return Base64HmacSha256(secret, string_to_sign);
}

std::string FeishuSignature(int64_t timestamp_s, std::string_view secret) {
  // Feishu keys the HMAC with the string to sign and MACs nothing: the reverse of DingTalk.
  std::string string_to_sign = std::to_string(timestamp_s) + "\n" + std::string(secret);
  return Base64HmacSha256(string_to_sign, "");
}

ChatRequest BuildChatRequest(std::string_view kind, const std::string& url,
                             const std::string& secret, const ChatMessage& message, TimePoint now) {
  ChatRequest request;
  request.url = url;
  std::string subject = Capped(message.subject, kMaxSubjectBytes);
  std::vector<std::string> lines = Lines(Capped(message.text, kMaxTextBytes));
  nlohmann::json body;
  if (kind == "dingtalk") {
    // DingTalk's markdown joins lines separated by a single newline; blank lines keep them
    // apart. The title is what the conversation list and the notification show.
    std::string text = "#### " + subject + "\n\n";
    for (const std::string& line : lines) text += line + "\n\n";
    text += "> " + Footer(message);
    body = {{"msgtype", "markdown"}, {"markdown", {{"title", subject}, {"text", text}}}};
    if (!secret.empty()) {
      int64_t t = UnixMillis(now);
      // The query goes before a fragment, which libcurl would not send.
      size_t hash = request.url.find('#');
      std::string fragment;
      if (hash != std::string::npos) {
        fragment = request.url.substr(hash);
        request.url.resize(hash);
      }
      request.url += request.url.find('?') == std::string::npos ? "?" : "&";
      request.url += "timestamp=" + std::to_string(t) +
                     "&sign=" + PercentEncode(DingTalkSignature(t, secret)) + fragment;
    }
  } else if (kind == "wecom") {
    std::string content = "**" + subject + "**\n" + Join(lines, "\n") + "\n> " +
                          "Signet \xC2\xB7 <font color=\"comment\">" + message.event + "</font>";
    body = {{"msgtype", "markdown"}, {"markdown", {{"content", content}}}};
  } else if (kind == "feishu") {
    nlohmann::json paragraphs = nlohmann::json::array();
    for (const std::string& line : lines) {
      paragraphs.push_back(nlohmann::json::array({{{"tag", "text"}, {"text", line}}}));
    }
    paragraphs.push_back(nlohmann::json::array({{{"tag", "text"}, {"text", Footer(message)}}}));
    body = {{"msg_type", "post"},
            {"content", {{"post", {{"zh_cn", {{"title", subject}, {"content", paragraphs}}}}}}}};
    if (!secret.empty()) {
      int64_t t = UnixMillis(now) / 1000;
      body["timestamp"] = std::to_string(t);  // a string, as Feishu's documentation shows it
      body["sign"] = FeishuSignature(t, secret);
    }
  } else if (kind == "slack") {
    std::string text = "*" + SlackEscape(subject) + "*\n" + SlackEscape(Join(lines, "\n")) + "\n_" +
                       SlackEscape(Footer(message)) + "_";
    body = {{"text", text}};
  }
  // Subjects and texts are UTF-8 by construction; a stray byte must not abort the delivery.
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return request;
}

Status CheckChatAnswer(std::string_view kind, long http_status, std::string_view body) {
  const std::string vendor = VendorName(kind);
  const bool http_ok = http_status >= 200 && http_status <= 299;
  const std::string http = "HTTP " + std::to_string(http_status);
  if (kind == "slack") {
    // Slack answers "ok", or an HTTP error whose body is the reason (invalid_payload,
    // no_service, channel_is_archived, ...).
    std::string quoted = Quote(body);
    if (http_ok && quoted == "ok") return Status::Ok();
    return UnavailableError("Slack refused the message (" + http + "): " + quoted);
  }
  auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_object()) {
    const char* code_field = nullptr;
    const char* message_field = nullptr;
    if (kind == "dingtalk" || kind == "wecom") {
      code_field = "errcode";
      message_field = "errmsg";
    } else if (kind == "feishu") {
      bool legacy = !j.contains("code") && j.contains("StatusCode");
      code_field = legacy ? "StatusCode" : "code";
      message_field = legacy ? "StatusMessage" : "msg";
    }
    if (code_field != nullptr && j.contains(code_field) && j[code_field].is_number_integer()) {
      auto code = j[code_field].get<int64_t>();
      if (code == 0 && http_ok) return Status::Ok();
      return UnavailableError(
          vendor + " refused the message: " + Quote(JsonText(j, message_field)) + " (" +
          code_field + " " + std::to_string(code) + (http_ok ? "" : ", " + http) + ")");
    }
  }
  if (!http_ok) return UnavailableError(vendor + " answered " + http + ": " + Quote(body));
  return UnavailableError(vendor +
                          "'s answer is not one its robots give, so delivery is not "
                          "confirmed: " +
                          Quote(body));
}

}  // namespace signet::notify

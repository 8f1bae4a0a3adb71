// Chat-robot notification channels: the message each vendor's robot takes, its signature, and
// how to read its answer. Pure functions without I/O, so that the formats and signatures are
// unit-tested against independently computed values; Notifier makes the POST.
//
//   dingtalk  DingTalk custom robot: {"msgtype":"markdown","markdown":{"title","text"}}; with a
//             signing secret (加签, "SEC..."), "&timestamp=<ms>&sign=<urlencode(base64(
//             HMAC-SHA256(key=secret, "<ms>\n<secret>")))>" appended to the URL. Success:
//             {"errcode":0,...}.
//   wecom     WeCom (企业微信) group robot: {"msgtype":"markdown","markdown":{"content"}} (at
//             most 4096 bytes); no signature. Success: {"errcode":0,...}.
//   feishu    Feishu/Lark custom bot: {"msg_type":"post","content":{"post":{"zh_cn":{"title",
//             "content"}}}}; with a signing secret, "timestamp" (seconds, a string) and "sign":
//             base64(HMAC-SHA256(key="<s>\n<secret>", message "")) in the body. Success:
//             {"code":0,...} (older deployments: {"StatusCode":0,...}).
//   slack     Slack incoming webhook: {"text"} in mrkdwn; no signature. Success: the body "ok".
//
// Every message carries the notification's subject, text and event name, and the word Signet
// (robots with keyword security need one of their keywords in each message).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "signet/common/clock.h"
#include "signet/common/status.h"

namespace signet::notify {

// dingtalk, wecom, feishu and slack: channels that post to a chat robot.
bool IsChatKind(std::string_view kind);
// dingtalk and feishu: robots that can check a signature made with a secret the user gives.
bool ChatKindTakesSecret(std::string_view kind);

struct ChatMessage {
  std::string event;  // order.submitted, ..., channel.test
  std::string subject;
  std::string text;  // plain text, lines separated by \n
};

struct ChatRequest {
  std::string url;   // the robot's URL (DingTalk: with the signature's query parameters)
  std::string body;  // JSON
};

// The POST that delivers `message` to a robot of `kind` at `url`. An empty secret sends it
// unsigned; `now` is the signature's timestamp.
ChatRequest BuildChatRequest(std::string_view kind, const std::string& url,
                             const std::string& secret, const ChatMessage& message, TimePoint now);

// DingTalk's sign before URL-encoding: base64(HMAC-SHA256(key=secret, "<timestamp_ms>\n<secret>")).
std::string DingTalkSignature(int64_t timestamp_ms, std::string_view secret);
// Feishu's sign: base64(HMAC-SHA256(key="<timestamp_s>\n<secret>", empty message)).
std::string FeishuSignature(int64_t timestamp_s, std::string_view secret);
// RFC 3986 percent-encoding of every byte but the unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string PercentEncode(std::string_view text);

// Reads a robot's answer. OK when the vendor reports success; otherwise kUnavailable (a durable
// job retries it) with the vendor's own error message, also when the answer is HTTP 200 with an
// error inside (DingTalk errcode 310000, WeCom errcode 93000, Feishu code 19021...).
Status CheckChatAnswer(std::string_view kind, long http_status, std::string_view body);

}  // namespace signet::notify

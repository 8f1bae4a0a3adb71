// Chat robots' message formats and signatures (notify/chat_formats.h), checked against values
// computed outside Signet, and the reading of each vendor's success and error answers.
#include "signet/notify/chat_formats.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace signet::notify {
namespace {

// Independent vectors, computed with OpenSSL's command line (not with Signet's code):
//
//   printf '1700000000000\nsecret' | openssl dgst -sha256 -hmac secret -binary | base64
//     -> OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY=
//     (also the test vector of the Rust crate `dingding`, URL-encoded there as
//     OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D)
//   S=SEC0123456789abcdefSignetTestSecret
//   printf "1700000000000\n$S" | openssl dgst -sha256 -hmac "$S" -binary | base64
//     -> fuqob0SKfOKiUihCb3NztfCNrdtHaxxh63WzcJgMCrc=
//   K=$(printf '1599360473\nfeishu-test-secret' | xxd -p | tr -d '\n')
//   printf '' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$K -binary | base64
//     -> 7Gq8ROqhtzskcbk2fAPXpWnrRaTUDD2iIHvbmt3/cuo=
//   (the same with the secret feishu-test-secreT -> Dz755xBO3HHDJvNKya9J65hW9N8F6yvOm1kFx82eE4M=)
constexpr char kDingTalkSecret[] = "SEC0123456789abcdefSignetTestSecret";
constexpr char kDingTalkSign[] = "fuqob0SKfOKiUihCb3NztfCNrdtHaxxh63WzcJgMCrc=";
constexpr char kFeishuSecret[] = "feishu-test-secret";
constexpr char kFeishuSign[] = "7Gq8ROqhtzskcbk2fAPXpWnrRaTUDD2iIHvbmt3/cuo=";

TimePoint AtMillis(int64_t ms) { return FromUnixMicros(ms * 1000); }

ChatMessage Sample() {
  return {"order.submitted", "Order submitted (ord_1)",
          "Your order is submitted.\n\nOrder: ord_1\nDomains: www.example.com\n"};
}

TEST(ChatFormatsTest, DingTalkSignsTheTimestampAndSecretWithTheSecret) {
  EXPECT_EQ(DingTalkSignature(1700000000000, "secret"),
            "OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY=");
  EXPECT_EQ(PercentEncode(DingTalkSignature(1700000000000, "secret")),
            "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D");
  EXPECT_EQ(DingTalkSignature(1700000000000, kDingTalkSecret), kDingTalkSign);
  EXPECT_NE(DingTalkSignature(1700000000001, kDingTalkSecret), kDingTalkSign);
}

TEST(ChatFormatsTest, FeishuKeysTheMacWithTheStringToSignAndMacsNothing) {
  EXPECT_EQ(FeishuSignature(1599360473, kFeishuSecret), kFeishuSign);
  EXPECT_EQ(FeishuSignature(1599360473, "feishu-test-secreT"),
            "Dz755xBO3HHDJvNKya9J65hW9N8F6yvOm1kFx82eE4M=");
}

TEST(ChatFormatsTest, PercentEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(PercentEncode("a+b/c=d e&\xE4\xB8\xAD"), "a%2Bb%2Fc%3Dd%20e%26%E4%B8%AD");
}

TEST(ChatFormatsTest, DingTalkMarkdownWithTheSignatureInTheUrl) {
  const std::string url = "https://oapi.dingtalk.com/robot/send?access_token=abc";
  ChatRequest r =
      BuildChatRequest("dingtalk", url, kDingTalkSecret, Sample(), AtMillis(1700000000000));
  EXPECT_EQ(r.url, url + "&timestamp=1700000000000&sign=" + PercentEncode(kDingTalkSign));
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_EQ(body["markdown"]["title"], "Order submitted (ord_1)");
  std::string text = body["markdown"]["text"];
  EXPECT_EQ(text,
            "#### Order submitted (ord_1)\n\nYour order is submitted.\n\nOrder: ord_1\n\n"
            "Domains: www.example.com\n\n> Signet \xC2\xB7 order.submitted");

  // Unsigned: the URL as given. A URL without a query gets one.
  EXPECT_EQ(BuildChatRequest("dingtalk", url, "", Sample(), AtMillis(1)).url, url);
  EXPECT_EQ(BuildChatRequest("dingtalk", "https://h.test/robot", "SECx", Sample(), AtMillis(5)).url,
            "https://h.test/robot?timestamp=5&sign=" + PercentEncode(DingTalkSignature(5, "SECx")));
}

TEST(ChatFormatsTest, WeComMarkdownStaysWithinItsLimit) {
  const std::string url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k";
  ChatRequest r = BuildChatRequest("wecom", url, "", Sample(), AtMillis(1));
  EXPECT_EQ(r.url, url);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_EQ(body["markdown"]["content"],
            "**Order submitted (ord_1)**\nYour order is submitted.\nOrder: ord_1\n"
            "Domains: www.example.com\n> Signet \xC2\xB7 <font color=\"comment\">order.submitted"
            "</font>");

  // A long text of three-byte characters is cut on a character boundary, within 4096 bytes.
  ChatMessage big = Sample();
  big.subject = std::string(900, 'S');
  big.text.clear();
  for (int i = 0; i < 3000; ++i) big.text += "\xE8\xAF\x81";  // 证
  ChatRequest cut = BuildChatRequest("wecom", url, "", big, AtMillis(1));
  auto parsed = nlohmann::json::parse(cut.body);  // throws on broken UTF-8
  std::string content = parsed["markdown"]["content"];
  EXPECT_LE(content.size(), 4096u);
  EXPECT_NE(content.find("\xE2\x80\xA6"), std::string::npos) << "marked as cut";
}

TEST(ChatFormatsTest, FeishuPostWithTimestampAndSignInTheBody) {
  const std::string url = "https://open.feishu.cn/open-apis/bot/v2/hook/x";
  ChatRequest r = BuildChatRequest("feishu", url, kFeishuSecret, Sample(), AtMillis(1599360473999));
  EXPECT_EQ(r.url, url);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["timestamp"], "1599360473");  // seconds, a string
  EXPECT_EQ(body["sign"], kFeishuSign);
  EXPECT_EQ(body["msg_type"], "post");
  const auto& post = body["content"]["post"]["zh_cn"];
  EXPECT_EQ(post["title"], "Order submitted (ord_1)");
  nlohmann::json expected = nlohmann::json::parse(R"([
      [{"tag": "text", "text": "Your order is submitted."}],
      [{"tag": "text", "text": "Order: ord_1"}],
      [{"tag": "text", "text": "Domains: www.example.com"}],
      [{"tag": "text", "text": "Signet \u00b7 order.submitted"}]])");
  EXPECT_EQ(post["content"], expected);

  auto unsigned_body =
      nlohmann::json::parse(BuildChatRequest("feishu", url, "", Sample(), AtMillis(1)).body);
  EXPECT_FALSE(unsigned_body.contains("sign"));
  EXPECT_FALSE(unsigned_body.contains("timestamp"));
}

TEST(ChatFormatsTest, SlackTextEscapesWhatMrkdwnReserves) {
  ChatMessage m = Sample();
  m.subject = "A <b> & C";
  ChatRequest r =
      BuildChatRequest("slack", "https://hooks.slack.com/services/T/B/X", "", m, AtMillis(1));
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body.size(), 1u);
  EXPECT_EQ(body["text"],
            "*A &lt;b&gt; &amp; C*\nYour order is submitted.\nOrder: ord_1\nDomains: "
            "www.example.com\n_Signet \xC2\xB7 order.submitted_");
}

TEST(ChatFormatsTest, VendorErrorsInsideHttp200AreFailuresWithTheirMessage) {
  EXPECT_TRUE(CheckChatAnswer("dingtalk", 200, R"({"errcode":0,"errmsg":"ok"})").ok());
  Status d = CheckChatAnswer("dingtalk", 200, R"({"errcode":310000,"errmsg":"sign not match"})");
  EXPECT_EQ(d.code(), ErrorCode::kUnavailable);
  EXPECT_NE(d.message().find("sign not match"), std::string::npos) << d.message();
  EXPECT_NE(d.message().find("310000"), std::string::npos) << d.message();

  EXPECT_TRUE(CheckChatAnswer("wecom", 200, R"({"errcode":0,"errmsg":"ok"})").ok());
  Status w = CheckChatAnswer("wecom", 200, R"({"errcode":93000,"errmsg":"invalid webhook url"})");
  EXPECT_FALSE(w.ok());
  EXPECT_NE(w.message().find("invalid webhook url"), std::string::npos) << w.message();

  EXPECT_TRUE(CheckChatAnswer("feishu", 200, R"({"code":0,"data":{},"msg":"success"})").ok());
  EXPECT_TRUE(CheckChatAnswer("feishu", 200, R"({"StatusCode":0,"StatusMessage":"success"})").ok());
  Status f = CheckChatAnswer("feishu", 200, R"({"code":19021,"msg":"sign match fail"})");
  EXPECT_FALSE(f.ok());
  EXPECT_NE(f.message().find("sign match fail (code 19021)"), std::string::npos) << f.message();

  EXPECT_TRUE(CheckChatAnswer("slack", 200, "ok").ok());
  Status s = CheckChatAnswer("slack", 404, "channel_not_found");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("channel_not_found"), std::string::npos) << s.message();
  EXPECT_FALSE(CheckChatAnswer("slack", 200, "").ok());

  // Nothing that confirms delivery is a failure too: a proxy's page, a server error.
  EXPECT_FALSE(CheckChatAnswer("dingtalk", 200, "<html>hello</html>").ok());
  Status e = CheckChatAnswer("wecom", 502, "Bad Gateway\r\n");
  EXPECT_NE(e.message().find("HTTP 502: Bad Gateway"), std::string::npos) << e.message();
  EXPECT_FALSE(CheckChatAnswer("feishu", 500, R"({"code":0})").ok());
}

}  // namespace
}  // namespace signet::notify

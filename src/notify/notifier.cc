#include "signet/notify/notifier.h"

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/json_post.h"
#include "signet/notify/chat_formats.h"

namespace signet::notify {

namespace {

// The associated data of a channel's sealed secret: the sealed value opens only for the channel
// it was made for (the id is not known before the row is written, the account and URL are).
std::string SecretContext(const sa::NotificationChannel& c) {
  return "notification-channel:" + c.account_id + ":" + c.target;
}

}  // namespace

namespace {

constexpr int kMaxAttempts = 30;  // with backoff capped at an hour: more than a day of outage

constexpr char kTestSubject[] = "Signet test message / Signet 测试消息";
constexpr char kTestText[] =
    "This test message from Signet shows that the channel works: the account's notifications "
    "(orders, certificates, deployments) arrive here.\n"
    "这是 Signet 发送的测试消息：此通知渠道工作正常，"
    "账号的通知（订单、证书、部署）将发送到这里。\n";

// Posted to a webhook or robot as a JSON body: channels each get one job, naming the channel.
bool PostsToUrl(const std::string& kind) { return kind == "webhook" || IsChatKind(kind); }

}  // namespace

Notifier::Notifier(sa::Storage& jobs, Mailer& mailer, const Clock& clock, NotifierOptions options)
    : jobs_(jobs), mailer_(mailer), clock_(clock), options_(std::move(options)) {}

namespace {

nlohmann::json MessageJson(const Notification& n, TimePoint now) {
  return {{"event", n.event},   {"account_id", n.account_id},
          {"id", n.subject_id}, {"subject", n.subject},
          {"text", n.text},     {"at", FormatRfc3339(now)}};
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The job names the channel, not its URL or secret: a channel deleted meanwhile gets nothing.
// Webhooks and robots share the job kind: the channel's kind says how it is delivered.
sa::NewJob WebhookChannelJob(const std::string& channel_id, const nlohmann::json& message,
                             TimePoint now) {
  return {"notify.webhook", Dump({{"channel", channel_id}, {"message", message}}), now,
          kMaxAttempts};
}

sa::NewJob EmailJob(const std::string& to, const Notification& n, TimePoint now) {
  return {"notify.email", Dump({{"to", to}, {"subject", n.subject}, {"text", n.text}}), now,
          kMaxAttempts};
}

}  // namespace

Result<std::vector<sa::NewJob>> Notifier::Jobs(const Notification& n) {
  TimePoint now = clock_.Now();
  std::vector<sa::NewJob> jobs;
  std::vector<std::string> emails = n.emails;
  std::vector<std::string> channel_webhooks;
  if (!n.account_id.empty()) {
    SIGNET_ASSIGN_OR_RETURN(auto channels, jobs_.ListNotificationChannels(n.account_id));
    for (const auto& c : channels) {
      if (n.monitor_alert && c.monitor_alerts == "daily_digest") continue;
      if (c.kind == "email") emails.push_back(c.target);
      if (PostsToUrl(c.kind)) channel_webhooks.push_back(c.id);
    }
  }
  std::set<std::string> seen;
  nlohmann::json message = MessageJson(n, now);
  for (const std::string& channel : channel_webhooks) {
    jobs.push_back(WebhookChannelJob(channel, message, now));
  }
  for (const std::string& to : emails) {
    if (to.empty() || !options_.email || !seen.insert(to).second) continue;
    jobs.push_back(EmailJob(to, n, now));
  }
  if (!options_.webhook_url.empty()) {
    jobs.push_back({"notify.webhook", Dump(message), now, kMaxAttempts});
  }
  return jobs;
}

sa::NewJob Notifier::ChannelJob(const Notification& n, const sa::NotificationChannel& channel) {
  TimePoint now = clock_.Now();
  if (channel.kind == "email") return EmailJob(channel.target, n, now);
  return WebhookChannelJob(channel.id, MessageJson(n, now), now);
}

Status Notifier::Notify(const Notification& n) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<sa::NewJob> jobs, Jobs(n));
  for (const sa::NewJob& job : jobs) {
    SIGNET_RETURN_IF_ERROR(
        jobs_.EnqueueJob(job.kind, job.payload, job.run_at, job.max_attempts).status());
  }
  return Status::Ok();
}

Status Notifier::SendPrivateEmail(const std::string& to, const std::string& subject,
                                  const std::string& text) {
  if (!options_.email) {
    return UnavailableError("no SMTP server is configured (smtp.url), so no email can be sent");
  }
  if (options_.vault == nullptr) return InternalError("no master key to seal the message with");
  nlohmann::json payload = {{"to", to},
                            {"subject", subject},
                            {"sealed_text", options_.vault->Seal(text, "notify.email:" + to)}};
  return jobs_
      .EnqueueJob("notify.email",
                  payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  clock_.Now(), kMaxAttempts)
      .status();
}

Status Notifier::RunEmailJob(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return MalformedError("bad notify.email payload");
  std::string to = j.value("to", ""), text = j.value("text", "");
  if (j.contains("sealed_text")) {
    if (options_.vault == nullptr) return InternalError("no master key to open the message with");
    SIGNET_ASSIGN_OR_RETURN(
        text, options_.vault->Unseal(j.value("sealed_text", ""), "notify.email:" + to));
  }
  return mailer_.Send({to, j.value("subject", ""), text});
}

TimePoint NextDailyTime(TimePoint now, int hour_utc) {
  auto day = std::chrono::floor<std::chrono::days>(now);
  TimePoint at = day + std::chrono::hours(hour_utc);
  return at > now ? at : at + std::chrono::hours(24);
}

TimePoint Notifier::NextDigestTime() const {
  return NextDailyTime(clock_.Now(), options_.digest_hour_utc);
}

Result<sa::NotificationChannel> Notifier::AddChannel(const sa::NotificationChannel& channel,
                                                     const sa::Actor& actor) {
  sa::NotificationChannel stored = channel;
  stored.digest_due_at.reset();
  if (stored.monitor_alerts == "daily_digest") stored.digest_due_at = NextDigestTime();
  if (!channel.secret.empty()) {
    if (options_.vault == nullptr) return InternalError("no master key to seal the secret with");
    stored.secret = options_.vault->Seal(channel.secret, SecretContext(channel));
  }
  SIGNET_ASSIGN_OR_RETURN(sa::NotificationChannel created,
                          jobs_.CreateNotificationChannel(stored, actor));
  created.secret = channel.secret;
  return created;
}

Status Notifier::RemoveChannel(const std::string& account_id, const std::string& id,
                               const sa::Actor& actor) {
  return jobs_.DeleteNotificationChannel(account_id, id, actor);
}

Result<sa::NotificationChannel> Notifier::SetMonitorAlerts(const std::string& account_id,
                                                           const std::string& id,
                                                           const std::string& mode,
                                                           const sa::Actor& actor) {
  std::optional<TimePoint> due;
  if (mode == "daily_digest") {
    // Switching again keeps the digest already scheduled rather than postponing it.
    SIGNET_ASSIGN_OR_RETURN(auto channels, jobs_.ListNotificationChannels(account_id));
    for (const auto& c : channels) {
      if (c.id == id && c.monitor_alerts == "daily_digest") due = c.digest_due_at;
    }
    if (!due) due = NextDigestTime();
  }
  return jobs_.SetChannelMonitorAlerts(account_id, id, mode, due, actor);
}

Result<int> Notifier::SealPlaintextSecrets() {
  if (options_.vault == nullptr) return 0;
  SIGNET_ASSIGN_OR_RETURN(auto channels, jobs_.ListPlaintextChannelSecrets());
  int sealed = 0;
  for (sa::NotificationChannel& c : channels) {
    if (KeyVault::IsSealed(c.secret)) continue;
    SIGNET_RETURN_IF_ERROR(jobs_.SetNotificationChannelSecret(
        c.id, c.secret, options_.vault->Seal(c.secret, SecretContext(c))));
    ++sealed;
  }
  return sealed;
}

Result<std::string> Notifier::OpenSecret(const sa::NotificationChannel& c) {
  if (c.secret.empty()) return std::string();
  if (options_.vault == nullptr || !KeyVault::IsSealed(c.secret)) {
    return InternalError("the signing secret of channel " + c.id + " is not sealed");
  }
  return options_.vault->Unseal(c.secret, SecretContext(c));
}

Status Notifier::RunWebhookJob(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_object() && j.contains("channel")) {
    if (!j["channel"].is_string() || !j["message"].is_object()) {
      return MalformedError("bad notify.webhook payload");
    }
    std::string account = j["message"].value("account_id", "");
    SIGNET_ASSIGN_OR_RETURN(auto channels, jobs_.ListNotificationChannels(account));
    for (const auto& c : channels) {
      if (c.id == j["channel"].get<std::string>())
        return DeliverToChannel(
            c, j["message"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    return Status::Ok();  // removed since: nothing to deliver to
  }
  if (options_.webhook_url.empty()) return Status::Ok();
  return PostSignedWebhook(options_.webhook_url, options_.webhook_secret, payload, false);
}

Status Notifier::DeliverToChannel(const sa::NotificationChannel& c, const std::string& message) {
  SIGNET_ASSIGN_OR_RETURN(std::string secret, OpenSecret(c));
  if (c.kind == "webhook") {
    if (secret.empty()) return InternalError("the webhook channel " + c.id + " has no secret");
    return PostSignedWebhook(c.target, secret, message, true);
  }
  if (!IsChatKind(c.kind)) return InternalError("channel " + c.id + " is not a webhook or robot");
  auto m = nlohmann::json::parse(message, nullptr, false);
  if (!m.is_object()) return InternalError("bad notification message");
  ChatMessage chat{m.value("event", ""), m.value("subject", ""), m.value("text", "")};
  ChatRequest request = BuildChatRequest(c.kind, c.target, secret, chat, clock_.Now());
  JsonPostRequest post;
  post.url = request.url;
  post.body = request.body;
  post.protocols = "https";
  post.ca_file = options_.ca_file;
  post.public_addresses_only = !options_.allow_private_webhooks;
  post.timeout_ms = options_.timeout_ms;
  post.keep_response = true;  // the vendors report errors inside an HTTP 200
  JsonPostResult sent = PostJson(post);
  // libcurl's message names no URL: the robot's URL carries its access token.
  if (!sent.reached) return UnavailableError("the robot could not be reached: " + sent.error);
  return CheckChatAnswer(c.kind, sent.status, sent.response);
}

Status Notifier::PostSignedWebhook(const std::string& url, const std::string& secret,
                                   const std::string& body, bool account_channel) {
  std::string t = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count());
  std::string signed_text = t + "." + body;
  Sha256Digest mac = HmacSha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(secret.data()), secret.size()),
      signed_text);
  JsonPostRequest post;
  post.url = url;
  post.body = body;
  post.headers = {"X-Signet-Signature: t=" + t + ",v1=" + HexEncode(mac)};
  post.protocols = account_channel ? "https" : "http,https";
  post.ca_file = options_.ca_file;
  post.public_addresses_only = account_channel && !options_.allow_private_webhooks;
  post.timeout_ms = options_.timeout_ms;
  JsonPostResult sent = PostJson(post);
  if (!sent.reached) return UnavailableError("webhook delivery failed: " + sent.error);
  if (sent.status < 200 || sent.status > 299) {
    return UnavailableError("the webhook answered HTTP " + std::to_string(sent.status));
  }
  return Status::Ok();
}

Result<ChannelTestResult> Notifier::TestChannel(const std::string& account_id,
                                                const std::string& id) {
  SIGNET_ASSIGN_OR_RETURN(auto channels, jobs_.ListNotificationChannels(account_id));
  const sa::NotificationChannel* channel = nullptr;
  for (const auto& c : channels) {
    if (c.id == id) channel = &c;
  }
  if (channel == nullptr) return NotFoundError("no notification channel " + id);
  ChannelTestResult result;
  if (channel->kind == "email") {
    if (!options_.email) {
      return Status::Error(ErrorCode::kUnavailable, "email_channel_unavailable",
                           "no SMTP server is configured (smtp.url), so Signet sends no email: "
                           "neither this test nor the channel's notifications");
    }
    Status sent = mailer_.Send({channel->target, kTestSubject, kTestText});
    result.ok = sent.ok();
    result.detail =
        sent.ok() ? "the SMTP server accepted a test email to " + channel->target : sent.message();
    return result;
  }
  nlohmann::json message = {{"event", "channel.test"}, {"account_id", account_id},
                            {"id", channel->id},       {"subject", kTestSubject},
                            {"text", kTestText},       {"at", FormatRfc3339(clock_.Now())}};
  Status sent = DeliverToChannel(
      *channel, message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  result.ok = sent.ok();
  result.detail = sent.ok() ? (channel->kind == "webhook" ? std::string("the webhook")
                                                          : "the " + channel->kind + " robot") +
                                  " accepted the test message"
                            : sent.message();
  return result;
}

}  // namespace signet::notify

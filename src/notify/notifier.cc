#include "signet/notify/notifier.h"

#include <nlohmann/json.hpp>
#include <set>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/json_post.h"

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

}  // namespace

Notifier::Notifier(sa::Storage& jobs, Mailer& mailer, const Clock& clock, NotifierOptions options)
    : jobs_(jobs), mailer_(mailer), clock_(clock), options_(std::move(options)) {}

Result<std::vector<sa::NewJob>> Notifier::Jobs(const Notification& n) {
  TimePoint now = clock_.Now();
  std::vector<sa::NewJob> jobs;
  std::vector<std::string> emails = n.emails;
  std::vector<std::string> channel_webhooks;
  if (!n.account_id.empty()) {
    SIGNET_ASSIGN_OR_RETURN(auto channels, jobs_.ListNotificationChannels(n.account_id));
    for (const auto& c : channels) {
      if (c.kind == "email") emails.push_back(c.target);
      if (c.kind == "webhook") channel_webhooks.push_back(c.id);
    }
  }
  std::set<std::string> seen;
  nlohmann::json message = {{"event", n.event},   {"account_id", n.account_id},
                            {"id", n.subject_id}, {"subject", n.subject},
                            {"text", n.text},     {"at", FormatRfc3339(now)}};
  for (const std::string& channel : channel_webhooks) {
    // The job names the channel, not its URL or secret: a channel deleted meanwhile gets nothing.
    nlohmann::json payload = {{"channel", channel}, {"message", message}};
    jobs.push_back({"notify.webhook", payload.dump(), now, kMaxAttempts});
  }
  for (const std::string& to : emails) {
    if (to.empty() || !options_.email || !seen.insert(to).second) continue;
    nlohmann::json payload = {{"to", to}, {"subject", n.subject}, {"text", n.text}};
    jobs.push_back({"notify.email", payload.dump(), now, kMaxAttempts});
  }
  if (!options_.webhook_url.empty()) {
    jobs.push_back({"notify.webhook", message.dump(), now, kMaxAttempts});
  }
  return jobs;
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
  return jobs_.EnqueueJob("notify.email", payload.dump(), clock_.Now(), kMaxAttempts).status();
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

Result<sa::NotificationChannel> Notifier::AddChannel(const sa::NotificationChannel& channel,
                                                     const sa::Actor& actor) {
  sa::NotificationChannel stored = channel;
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

Status Notifier::RunWebhookJob(const std::string& payload) {
  std::string url = options_.webhook_url, secret = options_.webhook_secret, body = payload;
  bool account_channel = false;
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_object() && j.contains("channel")) {
    std::string account = j["message"].value("account_id", "");
    SIGNET_ASSIGN_OR_RETURN(auto channels, jobs_.ListNotificationChannels(account));
    url.clear();
    for (const auto& c : channels) {
      if (c.id != j["channel"]) continue;
      url = c.target;
      if (options_.vault == nullptr || !KeyVault::IsSealed(c.secret)) {
        return InternalError("the webhook secret of channel " + c.id + " is not sealed");
      }
      SIGNET_ASSIGN_OR_RETURN(secret, options_.vault->Unseal(c.secret, SecretContext(c)));
    }
    body = j["message"].dump();
    account_channel = true;
  }
  if (url.empty()) return Status::Ok();  // removed since: nothing to deliver to
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
  post.public_addresses_only = account_channel && !options_.allow_private_webhooks;
  post.timeout_ms = options_.timeout_ms;
  JsonPostResult sent = PostJson(post);
  if (!sent.reached) return UnavailableError("webhook delivery failed: " + sent.error);
  if (sent.status < 200 || sent.status > 299) {
    return UnavailableError("the webhook answered HTTP " + std::to_string(sent.status));
  }
  return Status::Ok();
}

}  // namespace signet::notify

// Notifier: the durable outbox. Each notification becomes jobs in the storage job queue (one per
// email recipient, one per webhook or chat robot), so an SMTP, webhook or robot outage delays a
// message but never loses it: the job runner retries with backoff. Recipients are the
// notification's own emails, the account's notification channels (email addresses, webhooks each
// signed with its own secret, and chat robots: DingTalk, WeCom, Feishu, Slack, in their vendors'
// formats, chat_formats.h), and the operator's webhook. The webhook is a generic signed JSON POST
// that an SMS or chat gateway can consume: header X-Signet-Signature: t=<unix>,v1=<hex
// HMAC-SHA256 of "<t>.<body>" under the shared secret>.
//
// Thread-safety: all methods may be called from many threads at once.
#pragma once

#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/key_vault.h"
#include "signet/common/status.h"
#include "signet/notify/mailer.h"
#include "signet/sa/storage.h"

namespace signet::notify {

struct Notification {
  std::string event;  // order.submitted, review.passed, review.failed, order.issued, ...
  std::string account_id;
  std::string subject_id;  // the order (or certificate) it is about
  std::vector<std::string> emails;
  std::string subject;
  std::string text;
  // A monitor's alert or recovery: channels that take monitor alerts as a daily digest skip it
  // (the digest tells them instead).
  bool monitor_alert = false;
};

struct NotifierOptions {
  bool email = true;           // false when no SMTP server is configured: emails are skipped
  std::string webhook_url;     // empty: no webhook
  std::string webhook_secret;  // HMAC key for X-Signet-Signature
  int timeout_ms = 10000;
  // Whether accounts' webhooks may reach loopback and private addresses (the operator's own
  // webhook always may).
  bool allow_private_webhooks = false;
  // Seals accounts' webhook secrets at rest; required for account channels.
  const KeyVault* vault = nullptr;
  // Roots that webhooks' and robots' TLS certificates are checked against, besides the system's
  // (/etc/ssl/certs): notify.ca_file, for a receiver inside the company (or behind a
  // TLS-inspecting proxy). libcurl reads no environment variable for this.
  std::string ca_file;
  // The hour of the day (UTC, 0-23) daily digests of monitor alerts are sent at:
  // monitoring.digest_hour_utc.
  int digest_hour_utc = 8;
};

// The first time at `hour_utc` o'clock (UTC) strictly after `now`.
TimePoint NextDailyTime(TimePoint now, int hour_utc);

// What sending a test message through a channel gave.
struct ChannelTestResult {
  bool ok = false;
  std::string detail;  // what was sent where, or why it failed (the vendor's own error)
};

class Notifier {
 public:
  Notifier(sa::Storage& storage, Mailer& mailer, const Clock& clock, NotifierOptions options);
  // Queues the messages; returns once they are stored.
  Status Notify(const Notification& notification);
  // The jobs Notify would queue, for a caller that stores them in the same transaction as the
  // change they announce (sa::Storage::UpdateOrder), so a crash cannot commit one without the
  // other.
  Result<std::vector<sa::NewJob>> Jobs(const Notification& notification);
  // The job that delivers `notification` through one of the account's channels only (a daily
  // digest): an email or a webhook/robot job.
  sa::NewJob ChannelJob(const Notification& notification, const sa::NotificationChannel& channel);
  // Whether email can be sent at all (an SMTP server is configured).
  bool CanEmail() const { return options_.email; }
  // Queues one email to `to` only — never to channels or the operator's webhook — for messages
  // that carry a secret link (invitations, password resets). The text is sealed with the master
  // key in the queue, so the link is not readable from the database. Unavailable when email
  // cannot be sent.
  Status SendPrivateEmail(const std::string& to, const std::string& subject,
                          const std::string& text);
  // Stores an account's channel. A signing secret (`channel.secret`, plaintext: a webhook's,
  // generated, or a DingTalk or Feishu robot's, given by the user) is sealed with the master key
  // before it is stored; the returned channel carries the plaintext.
  Result<sa::NotificationChannel> AddChannel(const sa::NotificationChannel& channel,
                                             const sa::Actor& actor);
  Status RemoveChannel(const std::string& account_id, const std::string& id,
                       const sa::Actor& actor);
  // How monitor alerts reach the channel: "immediate" or "daily_digest" (the first digest at the
  // next digest hour). A channel's `monitor_alerts` given to AddChannel is scheduled alike.
  Result<sa::NotificationChannel> SetMonitorAlerts(const std::string& account_id,
                                                   const std::string& id, const std::string& mode,
                                                   const sa::Actor& actor);
  // The next digest time after now (NextDailyTime at the configured hour).
  TimePoint NextDigestTime() const;
  // Seals channel secrets stored in plaintext by releases before secrets were sealed; returns
  // how many. Run at start; a no-op once every secret is sealed.
  Result<int> SealPlaintextSecrets();
  // Sends a test message through the account's channel `id` now, not through the queue: an email
  // (kUnavailable, reason email_channel_unavailable, when no SMTP server is configured) or a POST
  // to the webhook or robot. NotFound when the account has no such channel.
  Result<ChannelTestResult> TestChannel(const std::string& account_id, const std::string& id);
  // Job handlers: "notify.email" and "notify.webhook" (webhooks and chat robots alike).
  Status RunEmailJob(const std::string& payload);
  Status RunWebhookJob(const std::string& payload);

 private:
  // Delivers `message` (the JSON text of the event) to a webhook or chat channel.
  Status DeliverToChannel(const sa::NotificationChannel& channel, const std::string& message);
  Status PostSignedWebhook(const std::string& url, const std::string& secret,
                           const std::string& body, bool account_channel);
  // The channel's secret opened with the master key; "" when it has none.
  Result<std::string> OpenSecret(const sa::NotificationChannel& channel);

  sa::Storage& jobs_;
  Mailer& mailer_;
  const Clock& clock_;
  NotifierOptions options_;
};

}  // namespace signet::notify

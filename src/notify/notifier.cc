#include "signet/notify/notifier.h"

#include <curl/curl.h>

#include <nlohmann/json.hpp>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"

namespace signet::notify {

namespace {

constexpr int kMaxAttempts = 30;  // with backoff capped at an hour: more than a day of outage

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

Notifier::Notifier(sa::JobStore& jobs, Mailer& mailer, const Clock& clock, NotifierOptions options)
    : jobs_(jobs), mailer_(mailer), clock_(clock), options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

Status Notifier::Notify(const Notification& n) {
  TimePoint now = clock_.Now();
  for (const std::string& to : n.emails) {
    if (to.empty() || !options_.email) continue;
    nlohmann::json payload = {{"to", to}, {"subject", n.subject}, {"text", n.text}};
    SIGNET_RETURN_IF_ERROR(
        jobs_.EnqueueJob("notify.email", payload.dump(), now, kMaxAttempts).status());
  }
  if (!options_.webhook_url.empty()) {
    nlohmann::json payload = {{"event", n.event},   {"account_id", n.account_id},
                              {"id", n.subject_id}, {"subject", n.subject},
                              {"text", n.text},     {"at", FormatRfc3339(now)}};
    SIGNET_RETURN_IF_ERROR(
        jobs_.EnqueueJob("notify.webhook", payload.dump(), now, kMaxAttempts).status());
  }
  return Status::Ok();
}

Status Notifier::RunEmailJob(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return MalformedError("bad notify.email payload");
  return mailer_.Send({j.value("to", ""), j.value("subject", ""), j.value("text", "")});
}

Status Notifier::RunWebhookJob(const std::string& payload) {
  if (options_.webhook_url.empty()) return Status::Ok();  // unset since: nothing to deliver to
  std::string t = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count());
  std::string signed_text = t + "." + payload;
  Sha256Digest mac = HmacSha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(options_.webhook_secret.data()),
                               options_.webhook_secret.size()),
      signed_text);
  std::string signature = "X-Signet-Signature: t=" + t + ",v1=" + HexEncode(mac);
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, signature.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, options_.webhook_url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return UnavailableError(std::string("webhook delivery failed: ") + curl_easy_strerror(rc));
  }
  if (status < 200 || status > 299) {
    return UnavailableError("the webhook answered HTTP " + std::to_string(status));
  }
  return Status::Ok();
}

}  // namespace signet::notify

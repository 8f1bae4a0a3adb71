#include "signet/notify/notifier.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/ip_address.h"

namespace signet::notify {

namespace {

constexpr int kMaxAttempts = 30;  // with backoff capped at an hour: more than a day of outage

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// Refuses connections to loopback and private addresses: an account's webhook URL is the
// account's to choose, and must not reach into the CA's own network.
curl_socket_t OpenPublicSocket(void*, curlsocktype, curl_sockaddr* address) {
  IpAddress ip;
  if (address->family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address->addr);
    std::memcpy(ip.bytes.data(), &in->sin_addr, 4);
  } else if (address->family == AF_INET6) {
    ip.v6 = true;
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
    std::memcpy(ip.bytes.data(), &in6->sin6_addr, 16);
  } else {
    return CURL_SOCKET_BAD;
  }
  if (IsReservedAddress(ip)) return CURL_SOCKET_BAD;
  return socket(address->family, address->socktype, address->protocol);
}

}  // namespace

Notifier::Notifier(sa::Storage& jobs, Mailer& mailer, const Clock& clock, NotifierOptions options)
    : jobs_(jobs), mailer_(mailer), clock_(clock), options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

Status Notifier::Notify(const Notification& n) {
  TimePoint now = clock_.Now();
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
    SIGNET_RETURN_IF_ERROR(
        jobs_.EnqueueJob("notify.webhook", payload.dump(), now, kMaxAttempts).status());
  }
  for (const std::string& to : emails) {
    if (to.empty() || !options_.email || !seen.insert(to).second) continue;
    nlohmann::json payload = {{"to", to}, {"subject", n.subject}, {"text", n.text}};
    SIGNET_RETURN_IF_ERROR(
        jobs_.EnqueueJob("notify.email", payload.dump(), now, kMaxAttempts).status());
  }
  if (!options_.webhook_url.empty()) {
    SIGNET_RETURN_IF_ERROR(
        jobs_.EnqueueJob("notify.webhook", message.dump(), now, kMaxAttempts).status());
  }
  return Status::Ok();
}

Status Notifier::RunEmailJob(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return MalformedError("bad notify.email payload");
  return mailer_.Send({j.value("to", ""), j.value("subject", ""), j.value("text", "")});
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
      if (c.id == j["channel"]) {
        url = c.target;
        secret = c.secret;
      }
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
  std::string signature = "X-Signet-Signature: t=" + t + ",v1=" + HexEncode(mac);
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, signature.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, account_channel ? "https" : "http,https");
  if (account_channel && !options_.allow_private_webhooks) {
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, OpenPublicSocket);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
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

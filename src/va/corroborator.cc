// Multi-perspective corroboration (BR 3.2.2.9) and the perspective protocol's JSON.
#include <future>
#include <nlohmann/json.hpp>

#include "signet/common/json_post.h"
#include "signet/va/perspective.h"

namespace signet::va {

int AllowedNonCorroborations(int remote_perspectives) {
  if (remote_perspectives >= 6) return 2;
  if (remote_perspectives >= 2) return 1;
  return 0;
}

Corroborator::Corroborator(Perspective& primary, std::vector<std::unique_ptr<Perspective>> remotes)
    : primary_(primary), remotes_(std::move(remotes)) {}

CorroboratedResult Corroborator::Check(const CheckRequest& request) {
  CorroboratedResult out;
  // Remotes run concurrently with the primary; each has its own resolver, so no answer is shared
  // between perspectives (BR 3.2.2.9 forbids a shared cache).
  std::vector<std::future<PerspectiveResult>> pending;
  for (auto& remote : remotes_) {
    Perspective* p = remote.get();
    pending.push_back(std::async(std::launch::async, [p, request] { return p->Check(request); }));
  }
  out.primary = primary_.Check(request);
  for (auto& f : pending) out.remotes.push_back(f.get());
  int n = static_cast<int>(out.remotes.size());
  out.allowed_non_corroborations = AllowedNonCorroborations(n);
  for (const auto& r : out.remotes) {
    if (r.ok) ++out.corroborating;
  }
  if (n == 0) {
    out.ok = out.primary.ok;
    out.summary = "single perspective (no remote perspectives configured)";
    return out;
  }
  bool quorum = n - out.corroborating <= out.allowed_non_corroborations;
  out.ok = out.primary.ok && quorum;
  out.summary = std::to_string(out.corroborating) + " of " + std::to_string(n) +
                " remote perspectives corroborated (at most " +
                std::to_string(out.allowed_non_corroborations) + " may disagree)";
  return out;
}

// ---- the protocol ----

std::string CheckRequestToJson(const CheckRequest& r) {
  return nlohmann::json{{"kind", r.kind},
                        {"name", r.name},
                        {"expected", r.expected},
                        {"token", r.token},
                        {"wildcard", r.wildcard},
                        {"account_uri", r.account_uri},
                        {"method_label", r.method_label}}
      .dump();
}

Result<CheckRequest> CheckRequestFromJson(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return MalformedError("the body must be a JSON object");
  CheckRequest r;
  try {
    r.kind = j.at("kind").get<std::string>();
    r.name = j.at("name").get<std::string>();
    r.expected = j.value("expected", "");
    r.token = j.value("token", "");
    r.wildcard = j.value("wildcard", false);
    r.account_uri = j.value("account_uri", "");
    r.method_label = j.value("method_label", "");
  } catch (const nlohmann::json::exception&) {
    return MalformedError("'kind' and 'name' are required strings");
  }
  if (r.kind != "dns_txt" && r.kind != "file" && r.kind != "caa" && r.kind != "http_01" &&
      r.kind != "tls_alpn_01") {
    return MalformedError("'kind' must be dns_txt, file, caa, http_01 or tls_alpn_01");
  }
  return r;
}

std::string PerspectiveResultToJson(const PerspectiveResult& r) {
  return nlohmann::json{{"perspective", r.perspective}, {"ok", r.ok},       {"seen", r.seen},
                        {"reason", r.reason},           {"error", r.error}, {"dnssec", r.dnssec}}
      .dump();
}

Result<PerspectiveResult> PerspectiveResultFromJson(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return MalformedError("not a JSON object");
  PerspectiveResult r;
  try {
    r.ok = j.at("ok").get<bool>();
    r.perspective = j.value("perspective", "");
    r.seen = j.value("seen", "");
    r.reason = j.value("reason", "");
    r.error = j.value("error", "");
    r.dnssec = j.value("dnssec", "");
  } catch (const nlohmann::json::exception&) {
    return MalformedError("'ok' is missing");
  }
  return r;
}

// ---- remote perspectives ----

namespace {

class RemotePerspective final : public Perspective {
 public:
  RemotePerspective(std::string url, std::string token, std::string ca_file, int timeout_ms)
      : url_(std::move(url)),
        token_(std::move(token)),
        ca_file_(std::move(ca_file)),
        timeout_ms_(timeout_ms) {
    while (!url_.empty() && url_.back() == '/') url_.pop_back();
  }

  std::string Name() const override { return url_; }

  PerspectiveResult Check(const CheckRequest& request) override {
    PerspectiveResult failed;
    failed.perspective = url_;
    failed.reason = "perspective_unreachable";
    JsonPostRequest post;
    post.url = url_ + "/perspective/v1/check";
    post.body = CheckRequestToJson(request);
    post.headers = {"Authorization: Bearer " + token_};
    post.ca_file = ca_file_;
    post.no_proxy = true;
    post.timeout_ms = timeout_ms_;
    post.keep_response = true;
    JsonPostResult answer = PostJson(post);
    if (!answer.reached) {
      failed.error = "remote perspective " + url_ + " could not be reached: " + answer.error;
      return failed;
    }
    if (answer.status != 200) {
      failed.error =
          "remote perspective " + url_ + " answered HTTP " + std::to_string(answer.status);
      return failed;
    }
    auto parsed = PerspectiveResultFromJson(answer.response);
    if (!parsed.ok()) {
      failed.error = "remote perspective " + url_ + " sent an unreadable answer";
      return failed;
    }
    parsed->perspective = url_;
    return *parsed;
  }

 private:
  std::string url_;
  std::string token_;
  std::string ca_file_;
  int timeout_ms_;
};

}  // namespace

std::unique_ptr<Perspective> MakeRemotePerspective(const std::string& url, const std::string& token,
                                                   const std::string& ca_file, int timeout_ms) {
  return std::make_unique<RemotePerspective>(url, token, ca_file, timeout_ms);
}

}  // namespace signet::va

#include "signet/common/encoding.h"
#include "wfe/handlers.h"
#include "wfe/problem.h"

namespace signet::wfe {

sa::Actor ActorFor(const RouteContext& ctx) {
  sa::Actor a;
  if (ctx.principal) {
    a.user_id = ctx.principal->user_id;
    a.account_id = ctx.principal->account_id;
  }
  a.source = ctx.request.remote_address;
  a.request_id = ctx.request.request_id;
  a.user_agent = ctx.request.Header("user-agent").substr(0, 300);
  return a;
}

Result<sa::PageRequest> PageFromQuery(const HttpRequest& request) {
  sa::PageRequest page;
  if (request.HasQuery("page_size")) {
    std::string v = request.Query("page_size");
    int n = 0;
    bool digits = !v.empty() && v.size() <= 4 &&
                  std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) n = std::stoi(v);
    if (!digits || n < 1 || n > 200) {
      return MalformedError("page_size must be a whole number from 1 to 200", "invalid_page_size");
    }
    page.limit = n;
  }
  std::string token = request.Query("page_token");
  if (!token.empty()) {
    auto decoded = Base64UrlDecode(token);
    if (!decoded || decoded->empty() || decoded->size() > 100) {
      return MalformedError("page_token is not one this server issued; start from the first page",
                            "invalid_page_token");
    }
    page.after.assign(decoded->begin(), decoded->end());
  }
  return page;
}

Result<std::string> SearchQuery(const HttpRequest& request) {
  std::string q = request.Query("q");
  size_t first = q.find_first_not_of(" \t");
  size_t last = q.find_last_not_of(" \t");
  q = first == std::string::npos ? "" : q.substr(first, last - first + 1);
  if (q.size() > 100) {
    return MalformedError("q (the search) must be at most 100 characters", "invalid_query");
  }
  for (unsigned char c : q) {
    if (c < 0x20) {
      return MalformedError("q (the search) must not contain control characters", "invalid_query");
    }
  }
  return q;
}

nlohmann::json PageJson(nlohmann::json items, const std::string& next_after) {
  nlohmann::json out;
  out["items"] = std::move(items);
  out["next_page_token"] = next_after.empty()
                               ? nlohmann::json(nullptr)
                               : nlohmann::json(Base64UrlEncode(AsBytes(next_after)));
  return out;
}

HttpResponse ErrorResponse(const Status& status, const RouteContext& ctx) {
  return ProblemResponse(status, ctx.request.request_id);
}

std::string TimeJson(TimePoint t) { return FormatRfc3339(t); }

nlohmann::json OptionalTimeJson(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
}

Result<std::string> AgentCredential(const HttpRequest& request) {
  const std::string& authorization = request.Header("authorization");
  const std::string scheme = "Bearer ";
  if (authorization.size() <= scheme.size() || authorization.compare(0, scheme.size(), scheme)) {
    return Status::Error(ErrorCode::kUnauthorized, "unknown_agent",
                         "send the agent's credential as Authorization: Bearer <credential>");
  }
  return authorization.substr(scheme.size());
}

}  // namespace signet::wfe

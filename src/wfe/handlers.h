// What the REST and ACME handlers share: their dependencies (HandlerDeps) and helpers
// (handler_support.cc). The handlers are named methods of one class per resource
// (wfe/*_handlers.h); route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the helpers may be called from any thread.
#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "signet/accounts/account_service.h"
#include "signet/ra/acme_accounts.h"
#include "signet/ra/saved_parties.h"
#include "signet/sa/storage_view.h"
#include "wfe/metrics.h"
#include "wfe/router.h"

namespace signet::wfe {

// What every handler may use. Storage is read-only here: writes go through the services (ra,
// accounts, notify), which hold the writable interfaces.
struct HandlerDeps {
  accounts::AccountService& accounts;
  const sa::StorageView& storage;
  ra::SavedParties& parties;
  ra::AcmeAccounts& acme_accounts;
  const Clock& clock;
  Metrics& metrics;
  const Router& router;
  std::string public_url;
  std::atomic<bool>& ready;
};

// Shared by handlers.
sa::Actor ActorFor(const RouteContext& ctx);
// page_size and page_token from the query; 400 on junk.
Result<sa::PageRequest> PageFromQuery(const HttpRequest& request);
// The list search "?q=": at most 100 characters, trimmed; empty when absent.
Result<std::string> SearchQuery(const HttpRequest& request);
// {"items": [...], "next_page_token": "..." | null}
nlohmann::json PageJson(nlohmann::json items, const std::string& next_after);
HttpResponse ErrorResponse(const Status& status, const RouteContext& ctx);
// The session document with the new session's cookie set.
HttpResponse SignedInResponse(HandlerDeps& deps, const accounts::LoginResult& login,
                              const RouteContext& ctx);
std::string TimeJson(TimePoint t);
// The credential a deployment agent sends (Authorization: Bearer <credential>) on its own
// routes, which are public: an agent is not a person. unknown_agent when absent.
Result<std::string> AgentCredential(const HttpRequest& request);
nlohmann::json OptionalTimeJson(const std::optional<TimePoint>& t);

}  // namespace signet::wfe

// Router: the table of REST routes (filled by route_table.cc). The same table drives dispatch,
// the access checks and the generated OpenAPI document, so the documentation cannot drift from
// what is served.
//
// Thread-safety: Add only before serving; Find and routes() may then be called concurrently.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "signet/accounts/account_service.h"
#include "signet/wfe/http_message.h"

namespace signet::wfe {

// Who may call a route. Checked before the handler runs.
enum class Access {
  kPublic,         // no credentials
  kAuthenticated,  // any user
  kOwner,          // account owners, and admins
  kReviewer,       // reviewers and admins
  kAdmin,          // admins only
};

struct RouteContext {
  HttpRequest& request;
  std::map<std::string, std::string> params;       // from {name} segments
  const accounts::Principal* principal = nullptr;  // set unless the route is public
};

using RouteHandler = std::function<HttpResponse(RouteContext&)>;

// One route. The table (route_table.cc) writes each with designated initializers, which must
// follow this order; a field left out keeps its default.
struct Route {
  std::string method;
  std::string pattern;  // e.g. "/api/v1/organizations/{id}"
  Access access = Access::kAuthenticated;
  std::string summary;          // for the OpenAPI document, as are the fields below
  std::string tag;              // the OpenAPI group
  std::string request_schema;   // name of a component schema, or empty
  std::string response_schema;  // name of a component schema, or empty
  int success_status = 200;
  bool paginated = false;  // takes page_size and page_token
  RouteHandler handler;
};

class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed_methods;  // when the path matched but the method did not
  };
  Match Find(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace signet::wfe

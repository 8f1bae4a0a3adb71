// The handlers of sessions (console sign-in, switching account) and API keys
// (account_handlers.cc). route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::wfe {

class SessionHandlers {
 public:
  explicit SessionHandlers(HandlerDeps& deps) : deps_(deps) {}

  HttpResponse SignIn(RouteContext& ctx);
  HttpResponse SwitchAccount(RouteContext& ctx);
  HttpResponse Current(RouteContext& ctx);  // who am I
  HttpResponse SignOut(RouteContext& ctx);
  HttpResponse List(RouteContext& ctx);
  HttpResponse End(RouteContext& ctx);  // signs one of the caller's sessions out

 private:
  HandlerDeps& deps_;
};

class ApiKeyHandlers {
 public:
  explicit ApiKeyHandlers(HandlerDeps& deps) : deps_(deps) {}

  HttpResponse List(RouteContext& ctx);
  HttpResponse Create(RouteContext& ctx);
  HttpResponse Revoke(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
};

}  // namespace signet::wfe

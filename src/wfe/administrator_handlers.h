// The handlers of saved administrators, the people the CA contacts about an application
// (administrator_handlers.cc). route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::wfe {

class AdministratorHandlers {
 public:
  explicit AdministratorHandlers(HandlerDeps& deps) : deps_(deps) {}

  HttpResponse List(RouteContext& ctx);
  HttpResponse Create(RouteContext& ctx);
  HttpResponse Get(RouteContext& ctx);
  HttpResponse Replace(RouteContext& ctx);
  HttpResponse Delete(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
};

}  // namespace signet::wfe

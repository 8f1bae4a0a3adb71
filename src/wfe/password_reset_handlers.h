// The handlers of the self-service password reset by email (password_reset_handlers.cc).
// route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::notify {
class Notifier;
}  // namespace signet::notify

namespace signet::wfe {

class PasswordResetHandlers {
 public:
  // `notifier` (may be null: no email, the routes say so) sends the links.
  PasswordResetHandlers(HandlerDeps& deps, notify::Notifier* notifier)
      : deps_(deps), notifier_(notifier) {}

  HttpResponse Request(RouteContext& ctx);  // asks for a link by email
  HttpResponse Check(RouteContext& ctx);    // what a link is for
  HttpResponse Confirm(RouteContext& ctx);  // sets the new password

 private:
  HandlerDeps& deps_;
  notify::Notifier* notifier_;
};

}  // namespace signet::wfe

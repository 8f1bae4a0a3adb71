// The handlers of the people of an account (memberships), invitations and their acceptance
// (user_handlers.cc). route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::notify {
class Notifier;
}  // namespace signet::notify

namespace signet::wfe {

class UserHandlers {
 public:
  // `notifier` (may be null: no invitation emails) sends the invitation links.
  UserHandlers(HandlerDeps& deps, notify::Notifier* notifier) : deps_(deps), notifier_(notifier) {}

  HttpResponse List(RouteContext& ctx);
  HttpResponse Add(RouteContext& ctx);  // invites, or (admins, with a password) adds at once
  HttpResponse Get(RouteContext& ctx);
  HttpResponse Update(RouteContext& ctx);
  HttpResponse ResendInvitation(RouteContext& ctx);
  HttpResponse LookUpInvitation(RouteContext& ctx);
  HttpResponse AcceptInvitation(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
  notify::Notifier* notifier_;
};

}  // namespace signet::wfe

// The handlers of an account's ACME external account binding keys (RFC 8555 7.3.4) and of the
// operators' ARI renewal windows (RFC 9773) (eab_key_handlers.cc). route_table.cc binds them to
// their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::ra {
class AcmeService;
}  // namespace signet::ra

namespace signet::wfe {

class EabKeyHandlers {
 public:
  EabKeyHandlers(HandlerDeps& deps, ra::AcmeService& service) : deps_(deps), service_(service) {}

  HttpResponse List(RouteContext& ctx);
  HttpResponse Create(RouteContext& ctx);
  HttpResponse Revoke(RouteContext& ctx);
  HttpResponse SetRenewalWindow(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
  ra::AcmeService& service_;
};

}  // namespace signet::wfe

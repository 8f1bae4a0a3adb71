// The handlers of domain-control validation over REST and of the public email approval page
// that the validation email links to (validation_handlers.cc). route_table.cc binds them to
// their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::ra {
class DomainValidationService;
}  // namespace signet::ra

namespace signet::wfe {

class ValidationHandlers {
 public:
  ValidationHandlers(HandlerDeps& deps, ra::DomainValidationService& service)
      : deps_(deps), service_(service) {}

  HttpResponse Create(RouteContext& ctx);
  HttpResponse List(RouteContext& ctx);
  HttpResponse Get(RouteContext& ctx);
  HttpResponse Check(RouteContext& ctx);
  HttpResponse Attempts(RouteContext& ctx);
  HttpResponse Domains(RouteContext& ctx);  // the pre-validated domains
  // The page an approval email links to; its form POSTs to ApproveEmail.
  HttpResponse EmailApprovalPage(RouteContext& ctx);
  HttpResponse ApproveEmail(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
  ra::DomainValidationService& service_;
};

}  // namespace signet::wfe

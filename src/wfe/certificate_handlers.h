// The handlers of certificates after issuance: list and search, one certificate, settings,
// hide, download, revoke, reissue, renew, upload (host), and the account's reminder schedule
// (certificate_handlers.cc). route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include "wfe/handlers.h"

namespace signet::ra {
class CertificateDownloads;
class CertificateService;
class OrderService;
}  // namespace signet::ra

namespace signet::wfe {

class CertificateHandlers {
 public:
  // `orders` renders the orders that reissue and renew make.
  CertificateHandlers(HandlerDeps& deps, ra::CertificateService& certificates,
                      ra::CertificateDownloads& downloads, ra::OrderService& orders)
      : deps_(deps), certificates_(certificates), downloads_(downloads), orders_(orders) {}

  HttpResponse List(RouteContext& ctx);
  HttpResponse Upload(RouteContext& ctx);
  HttpResponse Get(RouteContext& ctx);
  HttpResponse Patch(RouteContext& ctx);
  HttpResponse Hide(RouteContext& ctx);
  HttpResponse Download(RouteContext& ctx);
  HttpResponse Revoke(RouteContext& ctx);
  HttpResponse Reissue(RouteContext& ctx);
  HttpResponse Renew(RouteContext& ctx);
  HttpResponse ReminderSchedule(RouteContext& ctx);
  HttpResponse SetReminderSchedule(RouteContext& ctx);

 private:
  HandlerDeps& deps_;
  ra::CertificateService& certificates_;
  ra::CertificateDownloads& downloads_;
  ra::OrderService& orders_;
};

}  // namespace signet::wfe

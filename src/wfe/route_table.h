// The route table: every route of the server, in one place (route_table.cc), bound to the named
// handlers of each resource (wfe/*_handlers.h). Private to wfe.
//
// Thread-safety: AddRoutes runs once, while WebFrontEnd is constructed, before any request.
#pragma once

#include <memory>

#include "wfe/router.h"

namespace signet::wfe {

class AcmeHandlers;
class AdministratorHandlers;
class ApiKeyHandlers;
class CertificateHandlers;
class DeploymentHandlers;
class EabKeyHandlers;
class MonitorHandlers;
class NotificationChannelHandlers;
class OrderHandlers;
class OrganizationHandlers;
class PasswordResetHandlers;
class PublicHandlers;
class SessionHandlers;
class SystemHandlers;
class UserHandlers;
class ValidationHandlers;

// The handler objects of every resource. WebFrontEnd owns them, for as long as its router (whose
// routes refer to them), and leaves null those of resources its options do not serve.
struct RouteHandlers {
  ~RouteHandlers();

  std::unique_ptr<SystemHandlers> system;
  std::unique_ptr<SessionHandlers> sessions;
  std::unique_ptr<ApiKeyHandlers> api_keys;
  std::unique_ptr<UserHandlers> users;
  std::unique_ptr<PasswordResetHandlers> password_reset;
  std::unique_ptr<OrganizationHandlers> organizations;
  std::unique_ptr<AdministratorHandlers> administrators;
  std::unique_ptr<NotificationChannelHandlers> notification_channels;  // null: no notifier
  std::unique_ptr<AcmeHandlers> acme;
  std::unique_ptr<EabKeyHandlers> eab_keys;         // null: no ACME service
  std::unique_ptr<ValidationHandlers> validations;  // null: no domain validation service
  // Null unless products, orders, downloads and certificates are all served.
  std::unique_ptr<OrderHandlers> orders;
  std::unique_ptr<CertificateHandlers> certificates;
  std::unique_ptr<DeploymentHandlers> deployments;  // null: no deployment service
  std::unique_ptr<MonitorHandlers> monitors;        // null: no monitor service
  std::unique_ptr<PublicHandlers> public_files;     // OCSP and the CA's public files
};

// Adds every route to `router`. The order matters: the router matches in this order, and the
// OpenAPI document lists the routes in it.
void AddRoutes(Router& router, const RouteHandlers& handlers);
// The notification channel, deployment and monitoring routes (route_table_delivery.cc), added
// by AddRoutes.
void AddDeliveryRoutes(Router& router, const RouteHandlers& handlers);
// route_table_brands.cc: upstream CAs' health and applicants' own EAB credentials.
void AddBrandRoutes(Router& router, OrderHandlers& orders);

// The handler that calls `method` on `handlers`, which must outlive the route.
template <typename Handlers>
RouteHandler Bind(Handlers* handlers, HttpResponse (Handlers::*method)(RouteContext&)) {
  return [handlers, method](RouteContext& ctx) { return (handlers->*method)(ctx); };
}

}  // namespace signet::wfe

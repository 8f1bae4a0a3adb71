// Every route of the server, grouped by resource, in the order the router matches them (and the
// OpenAPI document lists them). Each route names its handler: a method of the resource's handler
// class (wfe/*_handlers.h), whose object WebFrontEnd owns.
#include "wfe/route_table.h"

#include "signet/wfe/web_front_end.h"
#include "wfe/account_handlers.h"
#include "wfe/acme_handlers.h"
#include "wfe/administrator_handlers.h"
#include "wfe/certificate_handlers.h"
#include "wfe/deployment_handlers.h"  // RouteHandlers' destructor
#include "wfe/eab_key_handlers.h"
#include "wfe/monitor_handlers.h"
#include "wfe/notification_channel_handlers.h"
#include "wfe/order_handlers.h"
#include "wfe/organization_handlers.h"
#include "wfe/password_reset_handlers.h"
#include "wfe/public_handlers.h"
#include "wfe/system_handlers.h"
#include "wfe/user_handlers.h"
#include "wfe/validation_handlers.h"

namespace signet::wfe {

RouteHandlers::~RouteHandlers() = default;

void AddRoutes(Router& router, const RouteHandlers& handlers) {
  // System: liveness, readiness, metrics and this API's description; the issuers' CRL shards;
  // the staff views of the audit log and the job queue.
  SystemHandlers* system = handlers.system.get();
  router.Add({.method = "GET",
              .pattern = "/healthz",
              .access = Access::kPublic,
              .summary = "Liveness: the process answers",
              .tag = "system",
              .handler = Bind(system, &SystemHandlers::Healthz)});
  router.Add({.method = "GET",
              .pattern = "/readyz",
              .access = Access::kPublic,
              .summary = "Readiness: started, not shutting down, database reachable",
              .tag = "system",
              .handler = Bind(system, &SystemHandlers::Readyz)});
  router.Add({.method = "GET",
              .pattern = "/metrics",
              .access = Access::kPublic,
              .summary = "Prometheus metrics",
              .tag = "system",
              .handler = Bind(system, &SystemHandlers::Metrics)});
  router.Add({.method = "GET",
              .pattern = "/api/v1/openapi.json",
              .access = Access::kPublic,
              .summary = "This API's OpenAPI document",
              .tag = "system",
              .handler = Bind(system, &SystemHandlers::OpenApi)});
  router.Add(
      {.method = "GET",
       .pattern = "/crl/{issuer}/{file}",
       .access = Access::kPublic,
       .summary =
           "A shard of an issuer's CRL (DER), as named in certificates' CRL distribution point",
       .tag = "public",
       .handler = Bind(system, &SystemHandlers::CrlShard)});
  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/audit-events",
       .access = Access::kOwner,
       .summary = "The tamper-evident audit log: the account's events (all accounts for admins)",
       .tag = "audit",
       .response_schema = "AuditEventList",
       .paginated = true,
       .handler = Bind(system, &SystemHandlers::AuditEvents)});
  router.Add({.method = "GET",
              .pattern = "/api/v1/jobs",
              .access = Access::kAdmin,
              .summary = "Background jobs, newest first; filter failures with ?state=failed",
              .tag = "system",
              .response_schema = "JobList",
              .paginated = true,
              .handler = Bind(system, &SystemHandlers::Jobs)});

  // Sessions: console sign-in, switching account, signing out.
  SessionHandlers* sessions = handlers.sessions.get();
  router.Add({.method = "POST",
              .pattern = "/api/v1/session",
              .access = Access::kPublic,
              .summary = "Sign in with email and password (to account_id, else your first "
                         "account); sets the session cookie",
              .tag = "accounts",
              .request_schema = "LoginRequest",
              .response_schema = "Session",
              .handler = Bind(sessions, &SessionHandlers::SignIn)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/session/account",
              .access = Access::kAuthenticated,
              .summary = "Act in another of your accounts: moves this console session there",
              .tag = "accounts",
              .request_schema = "SwitchAccount",
              .response_schema = "Session",
              .handler = Bind(sessions, &SessionHandlers::SwitchAccount)});
  router.Add({.method = "GET",
              .pattern = "/api/v1/session",
              .access = Access::kAuthenticated,
              .summary = "Who am I: the caller's user and account",
              .tag = "accounts",
              .response_schema = "Session",
              .handler = Bind(sessions, &SessionHandlers::Current)});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/session",
              .access = Access::kAuthenticated,
              .summary = "Sign out",
              .tag = "accounts",
              .success_status = 204,
              .handler = Bind(sessions, &SessionHandlers::SignOut)});
  router.Add({.method = "GET",
              .pattern = "/api/v1/sessions",
              .access = Access::kAuthenticated,
              .summary = "Your browser sessions (across your accounts), newest first",
              .tag = "accounts",
              .response_schema = "BrowserSessionList",
              .handler = Bind(sessions, &SessionHandlers::List)});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/sessions/{id}",
              .access = Access::kAuthenticated,
              .summary = "Sign one of your sessions out (another browser, or this one)",
              .tag = "accounts",
              .success_status = 204,
              .handler = Bind(sessions, &SessionHandlers::End)});

  // API keys.
  ApiKeyHandlers* api_keys = handlers.api_keys.get();
  router.Add({.method = "GET",
              .pattern = "/api/v1/api-keys",
              .access = Access::kAuthenticated,
              .summary = "API keys: owners see the account's, members their own",
              .tag = "accounts",
              .response_schema = "ApiKeyList",
              .paginated = true,
              .handler = Bind(api_keys, &ApiKeyHandlers::List)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/api-keys",
              .access = Access::kAuthenticated,
              .summary = "Create an API key for yourself; the key is in this response only",
              .tag = "accounts",
              .request_schema = "NewApiKey",
              .response_schema = "ApiKey",
              .success_status = 201,
              .handler = Bind(api_keys, &ApiKeyHandlers::Create)});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/api-keys/{id}",
              .access = Access::kAuthenticated,
              .summary = "Revoke an API key (members: their own only)",
              .tag = "accounts",
              .success_status = 204,
              .handler = Bind(api_keys, &ApiKeyHandlers::Revoke)});

  // People of an account, and invitations (a public link to accept).
  UserHandlers* users = handlers.users.get();
  router.Add({.method = "GET",
              .pattern = "/api/v1/users",
              .access = Access::kOwner,
              .summary = "People of the account with their role and status (admins: ?account_id=, "
                         "or all accounts with ?account_id=*)",
              .tag = "accounts",
              .response_schema = "UserList",
              .paginated = true,
              .handler = Bind(users, &UserHandlers::List)});
  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/users",
       .access = Access::kOwner,
       .summary =
           "Invite a person to the account (an email with a link to accept); admins may instead "
           "give a password to add them at once, and 'account' (a name) to add them elsewhere",
       .tag = "accounts",
       .request_schema = "NewUser",
       .response_schema = "User",
       .success_status = 201,
       .handler = Bind(users, &UserHandlers::Add)});
  router.Add({.method = "GET",
              .pattern = "/api/v1/users/{id}",
              .access = Access::kOwner,
              .summary = "One person of the account",
              .tag = "accounts",
              .response_schema = "User",
              .handler = Bind(users, &UserHandlers::Get)});
  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/users/{id}",
       .access = Access::kOwner,
       .summary =
           "Change a person's role or status (active, disabled: a disabled person's sessions and "
           "API keys stop working in this account; disabling an invitation withdraws it)",
       .tag = "accounts",
       .request_schema = "UserChange",
       .response_schema = "User",
       .handler = Bind(users, &UserHandlers::Update)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/users/{id}/invitation",
              .access = Access::kOwner,
              .summary = "Send the invitation again with a fresh link (the previous link stops "
                         "working); also re-opens a withdrawn invitation",
              .tag = "accounts",
              .response_schema = "User",
              .handler = Bind(users, &UserHandlers::ResendInvitation)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/invitation",
              .access = Access::kPublic,
              .summary = "What an invitation link offers: the account, the role, and whether the "
                         "address already has a password (then accepting asks for it)",
              .tag = "accounts",
              .request_schema = "InvitationToken",
              .response_schema = "InvitationView",
              .handler = Bind(users, &UserHandlers::LookUpInvitation)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/invitation/accept",
              .access = Access::kPublic,
              .summary = "Accept an invitation: choose a password (new to Signet) or give yours; "
                         "signs in to the account",
              .tag = "accounts",
              .request_schema = "InvitationAcceptance",
              .response_schema = "Session",
              .handler = Bind(users, &UserHandlers::AcceptInvitation)});

  // Self-service password reset by email: public, the person cannot sign in.
  PasswordResetHandlers* password_reset = handlers.password_reset.get();
  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/password-reset",
       .access = Access::kPublic,
       .summary = "Ask for a password reset link by email; 202 whether or not the address is known",
       .tag = "accounts",
       .request_schema = "PasswordResetRequest",
       .success_status = 202,
       .handler = Bind(password_reset, &PasswordResetHandlers::Request)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/password-reset/check",
              .access = Access::kPublic,
              .summary = "What a reset link is for (the email) and until when it works",
              .tag = "accounts",
              .request_schema = "PasswordResetToken",
              .response_schema = "PasswordResetView",
              .handler = Bind(password_reset, &PasswordResetHandlers::Check)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/password-reset/confirm",
              .access = Access::kPublic,
              .summary = "Choose the new password; the link is used up and every session ends",
              .tag = "accounts",
              .request_schema = "PasswordResetConfirmation",
              .response_schema = "PasswordResetDone",
              .handler = Bind(password_reset, &PasswordResetHandlers::Confirm)});

  // Saved organization profiles, reused across OV/EV orders.
  OrganizationHandlers* organizations = handlers.organizations.get();
  router.Add({.method = "GET",
              .pattern = "/api/v1/organizations",
              .access = Access::kAuthenticated,
              .summary = "Saved organizations of the account",
              .tag = "profiles",
              .response_schema = "OrganizationList",
              .paginated = true,
              .handler = Bind(organizations, &OrganizationHandlers::List)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/organizations",
              .access = Access::kAuthenticated,
              .summary = "Save an organization",
              .tag = "profiles",
              .request_schema = "OrganizationInput",
              .response_schema = "Organization",
              .success_status = 201,
              .handler = Bind(organizations, &OrganizationHandlers::Create)});
  router.Add({.method = "GET",
              .pattern = "/api/v1/organizations/{id}",
              .access = Access::kAuthenticated,
              .summary = "One organization",
              .tag = "profiles",
              .response_schema = "Organization",
              .handler = Bind(organizations, &OrganizationHandlers::Get)});
  router.Add({.method = "PUT",
              .pattern = "/api/v1/organizations/{id}",
              .access = Access::kAuthenticated,
              .summary = "Replace an organization's details",
              .tag = "profiles",
              .request_schema = "OrganizationInput",
              .response_schema = "Organization",
              .handler = Bind(organizations, &OrganizationHandlers::Replace)});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/organizations/{id}",
              .access = Access::kAuthenticated,
              .summary = "Delete a saved organization",
              .tag = "profiles",
              .success_status = 204,
              .handler = Bind(organizations, &OrganizationHandlers::Delete)});

  // Saved administrators (whom the CA contacts about an application), reused across orders.
  AdministratorHandlers* administrators = handlers.administrators.get();
  router.Add({.method = "GET",
              .pattern = "/api/v1/administrators",
              .access = Access::kAuthenticated,
              .summary = "Saved administrators of the account",
              .tag = "profiles",
              .response_schema = "AdministratorList",
              .paginated = true,
              .handler = Bind(administrators, &AdministratorHandlers::List)});
  router.Add({.method = "POST",
              .pattern = "/api/v1/administrators",
              .access = Access::kAuthenticated,
              .summary = "Save an administrator",
              .tag = "profiles",
              .request_schema = "AdministratorInput",
              .response_schema = "Administrator",
              .success_status = 201,
              .handler = Bind(administrators, &AdministratorHandlers::Create)});
  router.Add({.method = "GET",
              .pattern = "/api/v1/administrators/{id}",
              .access = Access::kAuthenticated,
              .summary = "One saved administrator",
              .tag = "profiles",
              .response_schema = "Administrator",
              .handler = Bind(administrators, &AdministratorHandlers::Get)});
  router.Add({.method = "PUT",
              .pattern = "/api/v1/administrators/{id}",
              .access = Access::kAuthenticated,
              .summary = "Replace a saved administrator",
              .tag = "profiles",
              .request_schema = "AdministratorInput",
              .response_schema = "Administrator",
              .handler = Bind(administrators, &AdministratorHandlers::Replace)});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/administrators/{id}",
              .access = Access::kAuthenticated,
              .summary = "Delete a saved administrator",
              .tag = "profiles",
              .success_status = 204,
              .handler = Bind(administrators, &AdministratorHandlers::Delete)});

  // Notification channels, deployment and monitoring: where messages and certificates go and
  // what servers serve (route_table_delivery.cc).
  AddDeliveryRoutes(router, handlers);

  // ACME (RFC 8555): the directory, nonces and accounts always; orders, authorizations,
  // challenges, certificates, revocation and ARI (RFC 9773) with the ACME service.
  AcmeHandlers* acme = handlers.acme.get();
  router.Add({.method = "GET",
              .pattern = "/acme/directory",
              .access = Access::kPublic,
              .summary = "ACME directory (RFC 8555 7.1.1)",
              .tag = "acme",
              .handler = Bind(acme, &AcmeHandlers::Directory)});
  router.Add({.method = "GET",
              .pattern = "/acme/new-nonce",
              .access = Access::kPublic,
              .summary = "A fresh nonce (Replay-Nonce)",
              .tag = "acme",
              .success_status = 204,
              .handler = Bind(acme, &AcmeHandlers::NewNonce)});
  router.Add({.method = "POST",
              .pattern = "/acme/new-account",
              .access = Access::kPublic,
              .summary = "Create (or find) the account of a key (RFC 8555 7.3)",
              .tag = "acme",
              .success_status = 201,
              .handler = Bind(acme, &AcmeHandlers::NewAccount)});
  router.Add(
      {.method = "POST",
       .pattern = "/acme/acct/{id}",
       .access = Access::kPublic,
       .summary = "The account: read (POST-as-GET), update contact, or deactivate (RFC 8555 7.3)",
       .tag = "acme",
       .handler = Bind(acme, &AcmeHandlers::Account)});
  router.Add({.method = "POST",
              .pattern = "/acme/key-change",
              .access = Access::kPublic,
              .summary = "Replace the account key (RFC 8555 7.3.5)",
              .tag = "acme",
              .handler = Bind(acme, &AcmeHandlers::KeyChange)});
  if (acme->serves_orders()) {
    router.Add({.method = "POST",
                .pattern = "/acme/new-order",
                .access = Access::kPublic,
                .summary = "Create an order (RFC 8555 7.4)",
                .tag = "acme",
                .success_status = 201,
                .handler = Bind(acme, &AcmeHandlers::NewOrder)});
    router.Add({.method = "POST",
                .pattern = "/acme/order/{id}",
                .access = Access::kPublic,
                .summary = "An order (POST-as-GET)",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::Order)});
    router.Add({.method = "POST",
                .pattern = "/acme/order/{id}/finalize",
                .access = Access::kPublic,
                .summary = "Finalize an order with a CSR (RFC 8555 7.4)",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::Finalize)});
    router.Add({.method = "POST",
                .pattern = "/acme/authz/{id}",
                .access = Access::kPublic,
                .summary = "An authorization (POST-as-GET), or deactivate it (RFC 8555 7.5)",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::Authorization)});
    router.Add({.method = "POST",
                .pattern = "/acme/chall/{authz}/{type}",
                .access = Access::kPublic,
                .summary = "Answer a challenge with {} (RFC 8555 7.5.1), or read it (POST-as-GET)",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::Challenge)});
    router.Add({.method = "POST",
                .pattern = "/acme/cert/{serial}",
                .access = Access::kPublic,
                .summary = "The certificate chain (POST-as-GET, RFC 8555 7.4.2)",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::Certificate)});
    router.Add({.method = "POST",
                .pattern = "/acme/cert/{serial}/1",
                .access = Access::kPublic,
                .summary = "The alternate chain, up to the root",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::AlternateCertificate)});
    router.Add({.method = "POST",
                .pattern = "/acme/acct/{id}/orders",
                .access = Access::kPublic,
                .summary = "The account's orders (RFC 8555 7.1.2.1)",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::Orders)});
    router.Add({.method = "POST",
                .pattern = "/acme/revoke-cert",
                .access = Access::kPublic,
                .summary = "Revoke a certificate (RFC 8555 7.6), by account or certificate key",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::RevokeCert)});
    router.Add({.method = "GET",
                .pattern = "/acme/renewal-info/{id}",
                .access = Access::kPublic,
                .summary = "Suggested renewal window (RFC 9773)",
                .tag = "acme",
                .handler = Bind(acme, &AcmeHandlers::RenewalInfo)});
  }

  // ACME external account binding keys, and the operators' ARI renewal windows: served with the
  // ACME service.
  if (EabKeyHandlers* eab_keys = handlers.eab_keys.get()) {
    router.Add({.method = "GET",
                .pattern = "/api/v1/eab-keys",
                .access = Access::kAuthenticated,
                .summary = "ACME external account binding keys of the account",
                .tag = "acme",
                .handler = Bind(eab_keys, &EabKeyHandlers::List)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/eab-keys",
                .access = Access::kOwner,
                .summary = "Create an EAB key (with organization_id and administrator_id for OV "
                           "profiles); the HMAC key is shown once",
                .tag = "acme",
                .success_status = 201,
                .handler = Bind(eab_keys, &EabKeyHandlers::Create)});
    router.Add({.method = "DELETE",
                .pattern = "/api/v1/eab-keys/{id}",
                .access = Access::kOwner,
                .summary = "Revoke an EAB key (accounts already bound keep working)",
                .tag = "acme",
                .success_status = 204,
                .handler = Bind(eab_keys, &EabKeyHandlers::Revoke)});
    router.Add({.method = "PUT",
                .pattern = "/api/v1/certificates/{id}/renewal-window",
                .access = Access::kAdmin,
                .summary = "Operators: the ARI window ACME clients are told to renew in (RFC 9773)",
                .tag = "acme",
                .handler = Bind(eab_keys, &EabKeyHandlers::SetRenewalWindow)});
  }

  // Domain-control validation, and the public page an approval email links to: served with the
  // domain validation service.
  if (ValidationHandlers* validations = handlers.validations.get()) {
    router.Add({.method = "POST",
                .pattern = "/api/v1/domain-validations",
                .access = Access::kAuthenticated,
                .summary = "Start validating control of a domain",
                .tag = "validation",
                .request_schema = "DomainValidationInput",
                .response_schema = "DomainValidation",
                .success_status = 201,
                .handler = Bind(validations, &ValidationHandlers::Create)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/domain-validations",
                .access = Access::kAuthenticated,
                .summary = "The account's domain validations (?domain=)",
                .tag = "validation",
                .response_schema = "DomainValidationList",
                .paginated = true,
                .handler = Bind(validations, &ValidationHandlers::List)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/domain-validations/{id}",
                .access = Access::kAuthenticated,
                .summary = "One domain validation: what to publish, its state and last error",
                .tag = "validation",
                .response_schema = "DomainValidation",
                .handler = Bind(validations, &ValidationHandlers::Get)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/domain-validations/{id}/check",
                .access = Access::kAuthenticated,
                .summary = "Check now, from every perspective, and return the result",
                .tag = "validation",
                .response_schema = "DomainValidation",
                .handler = Bind(validations, &ValidationHandlers::Check)});
    router.Add(
        {.method = "GET",
         .pattern = "/api/v1/domain-validations/{id}/attempts",
         .access = Access::kAuthenticated,
         .summary = "Every check of a validation: what each perspective saw and why it failed",
         .tag = "validation",
         .response_schema = "ValidationAttemptList",
         .paginated = true,
         .handler = Bind(validations, &ValidationHandlers::Attempts)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/domains",
                .access = Access::kAuthenticated,
                .summary = "Pre-validated domains of the account and until when they may be reused",
                .tag = "validation",
                .response_schema = "PrevalidatedDomainList",
                .handler = Bind(validations, &ValidationHandlers::Domains)});
    router.Add({.method = "GET",
                .pattern = "/dcv/email/{token}",
                .access = Access::kPublic,
                .summary = "The page an email validation links to (HTML)",
                .tag = "validation",
                .handler = Bind(validations, &ValidationHandlers::EmailApprovalPage)});
    router.Add({.method = "POST",
                .pattern = "/dcv/email/{token}",
                .access = Access::kPublic,
                .summary = "Approve an email validation",
                .tag = "validation",
                .handler = Bind(validations, &ValidationHandlers::ApproveEmail)});
  }

  // Products, orders and the review queue: served with products, orders, downloads and
  // certificates.
  if (OrderHandlers* orders = handlers.orders.get()) {
    router.Add({.method = "GET",
                .pattern = "/api/v1/products",
                .access = Access::kAuthenticated,
                .summary = "The product catalog",
                .tag = "orders",
                .response_schema = "ProductList",
                .handler = Bind(orders, &OrderHandlers::ListProducts)});
    AddBrandRoutes(router, *orders);
    router.Add({.method = "POST",
                .pattern = "/api/v1/orders",
                .access = Access::kAuthenticated,
                .summary = "Buy a product: a new order",
                .tag = "orders",
                .request_schema = "OrderInput",
                .response_schema = "Order",
                .success_status = 201,
                .handler = Bind(orders, &OrderHandlers::Create)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/orders",
                .access = Access::kAuthenticated,
                .summary = "The account's orders (?status=, ?domain=, ?q= part of a name or id)",
                .tag = "orders",
                .response_schema = "OrderList",
                .paginated = true,
                .handler = Bind(orders, &OrderHandlers::List)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/orders/merge",
                .access = Access::kAuthenticated,
                .summary = "Merge untouched orders of one brand and term into one",
                .tag = "orders",
                .request_schema = "MergeInput",
                .response_schema = "Order",
                .handler = Bind(orders, &OrderHandlers::Merge)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/orders/{id}",
                .access = Access::kAuthenticated,
                .summary = "One order: status, progress, validations, review, timeline",
                .tag = "orders",
                .response_schema = "Order",
                .handler = Bind(orders, &OrderHandlers::Get)});
    router.Add({.method = "PUT",
                .pattern = "/api/v1/orders/{id}/application",
                .access = Access::kAuthenticated,
                .summary = "Complete (or save a draft of) the application",
                .tag = "orders",
                .request_schema = "Application",
                .response_schema = "Order",
                .handler = Bind(orders, &OrderHandlers::PutApplication)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/orders/{id}/submit",
                .access = Access::kAuthenticated,
                .summary = "Submit: validation and review start",
                .tag = "orders",
                .response_schema = "Order",
                .handler = Bind(orders, &OrderHandlers::Submit)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/orders/{id}/resubmit",
                .access = Access::kAuthenticated,
                .summary = "Resubmit after a failed review",
                .tag = "orders",
                .response_schema = "Order",
                .handler = Bind(orders, &OrderHandlers::Resubmit)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/orders/{id}/cancel",
                .access = Access::kAuthenticated,
                .summary = "Cancel before issuance",
                .tag = "orders",
                .response_schema = "Order",
                .handler = Bind(orders, &OrderHandlers::Cancel)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/orders/{id}/validations/check",
                .access = Access::kAuthenticated,
                .summary = "Check every pending domain now",
                .tag = "orders",
                .response_schema = "Order",
                .handler = Bind(orders, &OrderHandlers::CheckValidations)});
    router.Add(
        {.method = "POST",
         .pattern = "/api/v1/orders/{id}/validations/{validation}/restart",
         .access = Access::kAuthenticated,
         .summary = "Start an expired or failed validation of the order again (a new random value)",
         .tag = "orders",
         .response_schema = "Order",
         .handler = Bind(orders, &OrderHandlers::RestartValidation)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/orders/{id}/attachments",
                .access = Access::kAuthenticated,
                .summary = "Upload a document (?kind=); the body is the JPG, PNG or PDF file",
                .tag = "orders",
                .response_schema = "Attachment",
                .success_status = 201,
                .handler = Bind(orders, &OrderHandlers::AddAttachment)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/orders/{id}/attachments",
                .access = Access::kAuthenticated,
                .summary = "The order's documents",
                .tag = "orders",
                .response_schema = "AttachmentList",
                .handler = Bind(orders, &OrderHandlers::ListAttachments)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/orders/{id}/attachments/{attachment}",
                .access = Access::kAuthenticated,
                .summary = "A document's content (owner and reviewers only)",
                .tag = "orders",
                .handler = Bind(orders, &OrderHandlers::Attachment)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/orders/{id}/confirmation-letter-template",
                .access = Access::kAuthenticated,
                .summary = "The confirmation letter to print, sign and stamp (HTML)",
                .tag = "orders",
                .handler = Bind(orders, &OrderHandlers::ConfirmationLetterTemplate)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/review-queue",
                .access = Access::kReviewer,
                .summary = "Orders awaiting a reviewer, oldest first",
                .tag = "review",
                .response_schema = "OrderList",
                .paginated = true,
                .handler = Bind(orders, &OrderHandlers::ReviewQueue)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/orders/{id}/review",
                .access = Access::kReviewer,
                .summary = "Approve or reject (with a reason the applicant sees)",
                .tag = "review",
                .request_schema = "ReviewDecision",
                .response_schema = "Order",
                .handler = Bind(orders, &OrderHandlers::Review)});
  }

  // Certificates after issuance, and the account's reminder schedule: served with the orders.
  if (CertificateHandlers* certificates = handlers.certificates.get()) {
    router.Add({.method = "GET",
                .pattern = "/api/v1/certificates",
                .access = Access::kAuthenticated,
                .summary = "The account's certificates (?q= part of a name, serial, alias or id; "
                           "?domain=, ?status=, ?project=, ?expiring_within_days=, "
                           "?include_hidden=true; ?sort=not_after or -not_after)",
                .tag = "certificates",
                .response_schema = "CertificateList",
                .paginated = true,
                .handler = Bind(certificates, &CertificateHandlers::List)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/certificates",
                .access = Access::kAuthenticated,
                .summary = "Upload (host) a certificate issued elsewhere: its key must match and "
                           "its chain must build",
                .tag = "certificates",
                .request_schema = "CertificateUpload",
                .response_schema = "Certificate",
                .success_status = 201,
                .handler = Bind(certificates, &CertificateHandlers::Upload)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/certificates/{id}",
                .access = Access::kAuthenticated,
                .summary = "One certificate",
                .tag = "certificates",
                .response_schema = "Certificate",
                .handler = Bind(certificates, &CertificateHandlers::Get)});
    router.Add({.method = "PATCH",
                .pattern = "/api/v1/certificates/{id}",
                .access = Access::kAuthenticated,
                .summary = "Set the alias, project and reminder settings",
                .tag = "certificates",
                .request_schema = "CertificatePatch",
                .response_schema = "Certificate",
                .handler = Bind(certificates, &CertificateHandlers::Patch)});
    router.Add(
        {.method = "DELETE",
         .pattern = "/api/v1/certificates/{id}",
         .access = Access::kAuthenticated,
         .summary =
             "Hide an expired, revoked or uploaded certificate (?force=true for an active one)",
         .tag = "certificates",
         .success_status = 204,
         .handler = Bind(certificates, &CertificateHandlers::Hide)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/certificates/{id}/download",
                .access = Access::kAuthenticated,
                .summary = "Download for a server type "
                           "(?format=nginx|apache|iis|tomcat|pem|der|pkcs7|pkcs12|jks|chain[&"
                           "password=][&legacy=true])",
                .tag = "certificates",
                .handler = Bind(certificates, &CertificateHandlers::Download)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/certificates/{id}/revoke",
                .access = Access::kAuthenticated,
                .summary = "Revoke with a reason; the CRL is regenerated at once",
                .tag = "certificates",
                .request_schema = "RevokeInput",
                .response_schema = "Certificate",
                .handler = Bind(certificates, &CertificateHandlers::Revoke)});
    router.Add(
        {.method = "POST",
         .pattern = "/api/v1/certificates/{id}/reissue",
         .access = Access::kAuthenticated,
         .summary = "Reissue: a new order for the same names with a new key, submitted at once",
         .tag = "certificates",
         .request_schema = "ReissueInput",
         .response_schema = "Order",
         .success_status = 201,
         .handler = Bind(certificates, &CertificateHandlers::Reissue)});
    router.Add({.method = "POST",
                .pattern = "/api/v1/certificates/{id}/renew",
                .access = Access::kAuthenticated,
                .summary = "Renew: a new order pre-filled from this certificate's",
                .tag = "certificates",
                .response_schema = "Order",
                .success_status = 201,
                .handler = Bind(certificates, &CertificateHandlers::Renew)});
    router.Add({.method = "GET",
                .pattern = "/api/v1/account/reminders",
                .access = Access::kAuthenticated,
                .summary = "The account's expiry reminder schedule (days before expiry)",
                .tag = "certificates",
                .response_schema = "ReminderSchedule",
                .handler = Bind(certificates, &CertificateHandlers::ReminderSchedule)});
    router.Add({.method = "PUT",
                .pattern = "/api/v1/account/reminders",
                .access = Access::kOwner,
                .summary = "Set the account's expiry reminder schedule",
                .tag = "certificates",
                .request_schema = "ReminderSchedule",
                .response_schema = "ReminderSchedule",
                .handler = Bind(certificates, &CertificateHandlers::SetReminderSchedule)});
  }

  // OCSP, when a responder is set, and the CA's public files (certificates, chains, the root's
  // CRL), each at its own path.
  PublicHandlers* public_files = handlers.public_files.get();
  if (public_files->serves_ocsp()) {
    router.Add({.method = "POST",
                .pattern = "/ocsp",
                .access = Access::kPublic,
                .summary = "OCSP (RFC 6960), request in the body",
                .tag = "public",
                .handler = Bind(public_files, &PublicHandlers::OcspPost)});
    router.Add({.method = "GET",
                .pattern = "/ocsp/{request*}",
                .access = Access::kPublic,
                .summary = "OCSP (RFC 6960 A.1), base64 request in the path",
                .tag = "public",
                .handler = Bind(public_files, &PublicHandlers::OcspGet)});
  }
  for (const PublicFile& file : public_files->files()) {
    router.Add({.method = "GET",
                .pattern = file.path,
                .access = Access::kPublic,
                .summary = "Public file",
                .tag = "public",
                .handler = [&file](RouteContext&) { return PublicHandlers::File(file); }});
  }
}

}  // namespace signet::wfe

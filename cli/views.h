// Table views: the human rendering (`--output table`) of each API document the CLI prints.
// Each takes the API's JSON as it came and tolerates missing fields, so a newer server with
// more fields, or an older one with fewer, still prints.
//
// Thread-safety: pure functions writing to the stream they are given.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "cli/output.h"

namespace signet::cli {

class Session;

// Accounts (views.cc).
void PrintSessionView(std::ostream& out, const nlohmann::json& session, const std::string& server);

// Orders and validations (order_views.cc).
void PrintProductList(std::ostream& out, const nlohmann::json& list);
// Who issues a product of the catalog: "Signet CA" (with its issuing CA when the product names
// one) or, for a brand with an upstream ACME CA, "public CA: acme-v02.api.letsencrypt.org"
// (", profile P" when it asks for one); "" for something that is not a product.
std::string ProductIssuerText(const nlohmann::json& product);
// With products, the catalog as GET /api/v1/products answers it, the orders also say who
// issues their product; without it (or for a product not in it) that is left out.
void PrintOrderList(std::ostream& out, const nlohmann::json& list, const nlohmann::json& products);
void PrintOrder(std::ostream& out, const nlohmann::json& order, const nlohmann::json& products);
void PrintOrder(std::ostream& out, const nlohmann::json& order);
// For the commands that print an order (commands_order.cc): PrintOrder with the issuer, the view
// fetching the catalog through session when it prints a table (JSON prints the order alone).
std::function<void(std::ostream&, const nlohmann::json&)> OrderView(Session& session);
// The brands' upstream ACME CAs (GET /api/v1/upstreams, administrators): a row each with
// whether it answered now (else why not), its products, Signet's account, EAB and ARI.
void PrintUpstreamList(std::ostream& out, const nlohmann::json& list);
void PrintAttachment(std::ostream& out, const nlohmann::json& attachment);
void PrintValidation(std::ostream& out, const nlohmann::json& validation);
void PrintValidationList(std::ostream& out, const nlohmann::json& list);
void PrintDomainList(std::ostream& out, const nlohmann::json& list);
// What the applicant must publish or do for one validation, and its last error.
Fields ValidationInstructions(const nlohmann::json& validation);

// Certificates (certificate_views.cc).
void PrintCertificateList(std::ostream& out, const nlohmann::json& list);
void PrintCertificate(std::ostream& out, const nlohmann::json& certificate);
// Where a certificate comes from: "issued (Signet CA)", "upstream (public CA)", "uploaded",
// "discovered".
std::string CertificateSourceText(const nlohmann::json& certificate);

// Deployment targets, bindings and runs (deployment_views.cc).
void PrintTargetList(std::ostream& out, const nlohmann::json& list);
void PrintTarget(std::ostream& out, const nlohmann::json& target);
void PrintTargetTest(std::ostream& out, const nlohmann::json& test);
void PrintBindingList(std::ostream& out, const nlohmann::json& list);
void PrintBinding(std::ostream& out, const nlohmann::json& binding);
void PrintDeploymentList(std::ostream& out, const nlohmann::json& list);
void PrintDeployment(std::ostream& out, const nlohmann::json& deployment);
// "127.0.0.1:443 https (SNI www.example.com)"; "" when the binding has no verify endpoint.
std::string VerifyEndpointText(const nlohmann::json& verify);

// Monitors and their checks (monitor_views.cc).
void PrintMonitorList(std::ostream& out, const nlohmann::json& list);
void PrintMonitor(std::ostream& out, const nlohmann::json& monitor);
void PrintMonitorCheck(std::ostream& out, const nlohmann::json& check);
void PrintMonitorHistory(std::ostream& out, const nlohmann::json& list);
// What POST /monitors/discover found: a row per endpoint, each one's problems with what to do,
// and the monitors of --add-monitors (discovery["monitors"], when present; monitor_added says
// which of them were made now).
void PrintDiscovery(std::ostream& out, const nlohmann::json& discovery,
                    const std::vector<bool>& monitor_added);
// "www.example.com:443 https" (an IPv6 literal in brackets).
std::string MonitorEndpointText(const nlohmann::json& monitor);

// Notification channels (channel_views.cc).
void PrintChannelList(std::ostream& out, const nlohmann::json& list);
void PrintChannel(std::ostream& out, const nlohmann::json& channel);
void PrintChannelTest(std::ostream& out, const nlohmann::json& test);

}  // namespace signet::cli

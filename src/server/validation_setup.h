// Builds the validation authority and the domain-validation service from settings, for
// `signetd serve` (primary perspective, remote perspectives, DNS updates, email) and for
// `signetd perspective` (a remote perspective: resolver and local checks only).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "signet/ca/subscriber_keys.h"
#include "signet/common/settings.h"
#include "signet/notify/mailer.h"
#include "signet/ra/domain_validation_service.h"
#include "signet/va/dns_resolver.h"
#include "signet/va/dns_updater.h"
#include "signet/va/domain_name.h"
#include "signet/va/perspective.h"

namespace signet::server {

// The checks as this process performs them: a resolver and the local perspective.
struct LocalValidation {
  std::unique_ptr<va::NamePolicy> names;
  std::unique_ptr<va::DnsResolver> resolver;
  std::unique_ptr<va::LocalPerspective> perspective;
};
Result<LocalValidation> BuildLocalValidation(const Settings& settings,
                                             const std::string& perspective_name);

struct ValidationStack {
  LocalValidation local;
  std::unique_ptr<va::Corroborator> corroborator;
  std::unique_ptr<va::DnsUpdater> updater;
  std::unique_ptr<notify::Mailer> mailer;
  std::unique_ptr<ca::KeyVault> vault;
  std::unique_ptr<ra::DomainValidationService> service;
};
Result<std::unique_ptr<ValidationStack>> BuildValidationStack(const Settings& settings,
                                                              const std::string& public_url,
                                                              sa::Storage& storage,
                                                              const Clock& clock, Random& random);

// The first line of a file, trimmed; for secrets kept in files.
Result<std::string> ReadSecretFile(const std::string& path, const std::string& setting);

}  // namespace signet::server

#include "server/validation_setup.h"

#include <filesystem>
#include <fstream>

#include "server/node_checks.h"
#include "signet/common/log.h"

namespace signet::server {

namespace fs = std::filesystem;

Result<std::string> ReadSecretFile(const std::string& path, const std::string& setting) {
  std::ifstream in(path);
  if (!in) return MalformedError("cannot read " + path + " (" + setting + ")", "bad_setting");
  std::string line;
  std::getline(in, line);
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  if (line.empty()) return MalformedError(path + " (" + setting + ") is empty", "bad_setting");
  return line;
}

Result<LocalValidation> BuildLocalValidation(const Settings& s,
                                             const std::string& perspective_name) {
  LocalValidation out;
  va::NamePolicyOptions names;
  names.internal_suffixes = s.GetList("names.internal_suffixes");
  SIGNET_ASSIGN_OR_RETURN(out.names, va::NamePolicy::Create(names));

  SIGNET_ASSIGN_OR_RETURN(int64_t timeout, s.GetInt("validation.timeout_ms"));
  va::DnsResolverOptions dns;
  dns.forwarders = s.GetList("validation.dns_resolvers");
  dns.trust_anchor_files = s.GetList("validation.dns_trust_anchors");
  // Names under an internal suffix (e.g. RFC 6761's "test") are resolved like any other name.
  dns.transparent_zones = names.internal_suffixes;
  dns.timeout_ms = static_cast<int>(timeout);
  SIGNET_ASSIGN_OR_RETURN(out.resolver, va::MakeUnboundResolver(dns));

  va::FileFetcherOptions fetch;
  SIGNET_ASSIGN_OR_RETURN(int64_t http_port, s.GetInt("validation.http_port"));
  SIGNET_ASSIGN_OR_RETURN(int64_t https_port, s.GetInt("validation.https_port"));
  SIGNET_ASSIGN_OR_RETURN(bool allow_private, s.GetBool("validation.allow_private_addresses"));
  fetch.http_port = static_cast<int>(http_port);
  fetch.https_port = static_cast<int>(https_port);
  SIGNET_ASSIGN_OR_RETURN(int64_t tls_alpn_port, s.GetInt("validation.tls_alpn_port"));
  fetch.tls_alpn_port = static_cast<int>(tls_alpn_port);
  fetch.allow_private_addresses = allow_private;
  fetch.timeout_ms = static_cast<int>(timeout);
  out.perspective = std::make_unique<va::LocalPerspective>(perspective_name, *out.resolver, fetch,
                                                           s.GetList("caa.issuer_domains"),
                                                           names.internal_suffixes);
  return out;
}

Result<std::unique_ptr<ValidationStack>> BuildValidationStack(const Settings& s,
                                                              const std::string& public_url,
                                                              sa::Storage& storage,
                                                              const Clock& clock, Random& random) {
  auto stack = std::make_unique<ValidationStack>();
  SIGNET_ASSIGN_OR_RETURN(stack->local, BuildLocalValidation(s, "primary"));
  SIGNET_ASSIGN_OR_RETURN(int64_t timeout, s.GetInt("validation.timeout_ms"));

  std::vector<std::unique_ptr<va::Perspective>> remotes;
  std::vector<std::string> urls = s.GetList("validation.perspectives");
  if (!urls.empty()) {
    if (!s.Has("validation.perspective_token_file")) {
      return MalformedError(
          "validation.perspectives needs validation.perspective_token_file "
          "(the token the perspectives require)",
          "bad_setting");
    }
    SIGNET_ASSIGN_OR_RETURN(std::string token,
                            ReadSecretFile(s.Get("validation.perspective_token_file"),
                                           "validation.perspective_token_file"));
    for (const std::string& url : urls) {
      if (url.rfind("https://", 0) != 0) {
        return MalformedError("validation.perspectives: '" + url +
                                  "' must be an https:// URL (BR 3.2.2.9 requires an "
                                  "authenticated, encrypted channel)",
                              "bad_setting");
      }
      remotes.push_back(va::MakeRemotePerspective(
          url, token, s.Get("validation.perspective_ca_file"), static_cast<int>(timeout) * 3));
    }
  } else {
    log::Warn(
        "no remote validation perspectives configured: validations run from a single "
        "perspective and say so (BR 3.2.2.9 requires several for public certificates)");
  }
  stack->corroborator =
      std::make_unique<va::Corroborator>(*stack->local.perspective, std::move(remotes));
  stack->updater = va::MakeLdnsUpdater(static_cast<int>(timeout));
  stack->mailer = notify::MakeSmtpMailer({s.Get("smtp.url"), s.Get("smtp.from")}, clock);
  SIGNET_ASSIGN_OR_RETURN(ca::KeyVault vault, ca::KeyVault::OpenOrCreate(MasterKeyPath(s), random));
  stack->vault = std::make_unique<ca::KeyVault>(std::move(vault));

  ra::DomainValidationOptions options;
  options.dns_label = s.Get("validation.dns_label");
  options.public_url = public_url;
  options.cname_zone = s.Get("validation.cname_zone");
  options.cname_server = s.Get("validation.cname_server");
  options.cname_key_name = s.Get("validation.cname_key_name");
  options.cname_key_algorithm = s.Get("validation.cname_key_algorithm");
  if (s.Has("validation.cname_key_secret_file")) {
    SIGNET_ASSIGN_OR_RETURN(options.cname_key_secret,
                            ReadSecretFile(s.Get("validation.cname_key_secret_file"),
                                           "validation.cname_key_secret_file"));
  }
  SIGNET_ASSIGN_OR_RETURN(options.allow_private_addresses,
                          s.GetBool("validation.allow_private_addresses"));
  options.email_enabled = s.Has("smtp.url");
  stack->service = std::make_unique<ra::DomainValidationService>(
      storage, *stack->local.names, *stack->corroborator, *stack->updater, *stack->mailer,
      *stack->vault, clock, random, options);
  return stack;
}

}  // namespace signet::server

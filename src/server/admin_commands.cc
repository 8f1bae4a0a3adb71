// `signetd admin ...`: operator commands that work directly on the database.
#include <unistd.h>

#include <iostream>

#include "server/ca_setup.h"
#include "server/commands.h"
#include "signet/accounts/account_service.h"

namespace signet::server {

namespace {

sa::Actor CliActor() {
  const char* user = std::getenv("USER");
  return {"admin-cli", "", std::string("cli:") + (user ? user : "unknown"), ""};
}

int Report(const Status& s) {
  std::cerr << "signetd admin: " << s.message() << "\n";
  return s.code() == ErrorCode::kMalformed ? 2 : 1;
}

}  // namespace

int RunAdmin(const Settings::Sources& sources, const AdminArguments& args) {
  auto ctx = OpenServiceContext(sources, 2);
  if (!ctx) return 1;
  accounts::AccountService accounts(*ctx->storage, *ctx->clock, *ctx->random);

  if (args.command == "create-user") {
    std::string password = args.password;
    if (args.password_stdin) std::getline(std::cin, password);
    auto user = accounts.CreateUser(args.email, args.role, args.account, password, CliActor());
    if (!user.ok()) return Report(user.status());
    std::cout << user->id << "\n";  // the REST user id (the membership's)
    return 0;
  }
  if (args.command == "reset-password") {
    std::string password;
    bool generated = !args.password_stdin;
    if (args.password_stdin) {
      std::getline(std::cin, password);
    } else {
      password = ctx->random->Token(18);
    }
    Status s = accounts.ResetPassword(args.email, password, CliActor());
    if (!s.ok()) return Report(s);
    if (generated) std::cout << password << "\n";  // only the password, once
    return 0;
  }
  if (args.command == "create-api-key") {
    auto key = accounts.CreateApiKeyForEmail(args.email, args.account, args.name, CliActor());
    if (!key.ok()) return Report(key.status());
    std::cout << key->secret << "\n";  // only the key, so scripts can capture it
    return 0;
  }
  if (args.command == "issue") return RunAdminIssue(*ctx, args);
  if (args.command == "revoke") return RunAdminRevoke(*ctx, args);
  if (args.command == "import-issuer") return RunAdminImportIssuer(*ctx, args);
  if (args.command == "sign-root-crl") {
    const Settings& s = ctx->settings;
    std::string url = s.Has("public_url") ? s.Get("public_url") : "https://" + s.Get("listen");
    auto hierarchy = LoadCaHierarchy(s, url, *ctx->clock, *ctx->random, /*sign_root_crl=*/true);
    if (!hierarchy.ok()) return Report(hierarchy.status());
    std::cout << "root CRL signed, valid 365 days; restart signetd to serve it\n";
    return 0;
  }
  if (args.command == "verify-audit") {
    auto result = ctx->storage->VerifyAuditChain();
    if (!result.ok()) return Report(result.status());
    if (!result->intact) {
      std::cout << "audit log TAMPERED: " << result->problem << "\n";
      return 3;
    }
    std::cout << "audit log intact: " << result->events << " events, head " << result->head_hash
              << "\n";
    return 0;
  }
  if (args.command == "migrate") {
    auto version = ctx->storage->SchemaVersion();
    if (!version.ok()) return Report(version.status());
    std::cout << "schema version " << *version << " (" << ctx->storage->Backend() << ")\n";
    return 0;
  }
  if (args.command == "backup") {
    if (args.output.empty()) {
      std::cerr << "signetd admin backup: give --output FILE (a new file)\n";
      return 2;
    }
    Status s = ctx->storage->Backup(args.output);
    if (!s.ok()) return Report(s);
    std::cout << "backup written to " << args.output << "\n";
    return 0;
  }
  std::cerr << "signetd admin: unknown command '" << args.command
            << "'; one of create-user, create-api-key, issue, revoke, import-issuer, "
               "sign-root-crl, verify-audit, "
               "migrate, backup\n";
  return 2;
}

}  // namespace signet::server

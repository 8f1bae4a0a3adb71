// The signetd subcommands. Each returns the process exit code.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/settings.h"
#include "signet/sa/storage.h"

namespace signet::server {

// What every subcommand needs: settings, clock, randomness and a migrated storage.
struct ServiceContext {
  Settings settings;
  std::unique_ptr<Clock> clock;
  std::unique_ptr<Random> random;
  std::unique_ptr<sa::Storage> storage;
};

// Loads settings, prepares the data directory and opens and migrates the database. Prints a
// message to stderr and returns nullptr on failure.
std::unique_ptr<ServiceContext> OpenServiceContext(const Settings::Sources& sources,
                                                   int pool_size_hint);

int RunServe(const Settings::Sources& sources);
// A remote validation perspective (BR 3.2.2.9): answers /perspective/v1/check over HTTPS.
int RunPerspective(const Settings::Sources& sources);

struct AdminArguments {
  std::string command;
  std::string email, role, account, password, name, output;
  std::string csr, names, issuance_id, type = "private";
  std::string serial, reason = "unspecified";
  std::string generate_key, format;  // admin issue: online key, download format
  std::string issuer;                // admin issue: a named issuer
  bool legacy_pkcs12 = false;
  bool password_stdin = false;
};
int RunAdmin(const Settings::Sources& sources, const AdminArguments& args);
int RunAdminIssue(ServiceContext& ctx, const AdminArguments& args);
int RunAdminRevoke(ServiceContext& ctx, const AdminArguments& args);
// Reuses AdminArguments: csr = --cert, output = --key, names = --chain, password = passphrase file.
int RunAdminImportIssuer(ServiceContext& ctx, const AdminArguments& args);

}  // namespace signet::server

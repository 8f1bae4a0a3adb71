// signetd: the Signet server. `signetd serve` runs the service; `signetd admin` holds the
// operator commands. See INTERFACES.md.
#include <CLI/CLI.hpp>
#include <iostream>

#include "server/commands.h"
#include "server/server_settings.h"
#include "signet/common/pem_input.h"

int main(int argc, char** argv) {
  // No OpenSSL read may ever wait on a terminal for a passphrase (pem_input.h).
  signet::pem::DisableTerminalPrompts();
  CLI::App app{"signetd: Signet certificate authority and certificate-management service"};
  app.require_subcommand(1);
  signet::Settings::Sources sources;
  std::string config_file;
  auto add_settings_options = [&](CLI::App* cmd) {
    cmd->add_option("--config", config_file, "settings file (key = value lines)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--set", sources.overrides, "override a setting: key=value (repeatable)");
  };

  CLI::App* serve = app.add_subcommand("serve", "run the HTTPS service");
  add_settings_options(serve);
  bool help_settings = false;
  serve->add_flag("--help-settings", help_settings, "list every setting with its default");

  CLI::App* perspective = app.add_subcommand(
      "perspective", "run a remote validation perspective (BR 3.2.2.9) for a primary signetd");
  add_settings_options(perspective);

  CLI::App* admin = app.add_subcommand("admin", "operator commands on the database");
  admin->require_subcommand(1);
  signet::server::AdminArguments args;
  CLI::App* create_user = admin->add_subcommand(
      "create-user", "add a person to an account (creating both as needed), active at once");
  create_user->add_option("--email", args.email, "the user's email")->required();
  create_user->add_option("--role", args.role, "owner, member, reviewer or admin")->required();
  create_user->add_option("--account", args.account, "account name (owners and members)");
  create_user->add_option(
      "--password", args.password,
      "console password (visible to other local users; prefer --password-stdin)");
  create_user->add_flag("--password-stdin", args.password_stdin, "read the password from stdin");
  CLI::App* create_key = admin->add_subcommand("create-api-key", "print a new API key for a user");
  create_key->add_option("--email", args.email, "the user's email")->required();
  create_key->add_option("--name", args.name, "a label for the key");
  create_key->add_option("--account", args.account,
                         "account name (needed when the person belongs to several)");
  CLI::App* reset_password = admin->add_subcommand(
      "reset-password", "set a person's console password (prints a generated one if none given)");
  reset_password->add_option("--email", args.email, "the person's email")->required();
  reset_password->add_flag("--password-stdin", args.password_stdin,
                           "read the new password from stdin");
  CLI::App* issue = admin->add_subcommand(
      "issue", "issue a private-PKI certificate for a CSR (prints certificate and chain)");
  issue->add_option("--csr", args.csr, "CSR file (PEM or DER)");
  issue->add_option("--generate-key", args.generate_key,
                    "generate the key here instead: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, "
                    "rsa-4096 (it is written out once, never stored)");
  issue->add_option("--issuer", args.issuer, "issuer name (default: by the key's type)");
  issue->add_option("--format", args.format,
                    "nginx, apache, iis, tomcat, pem, der, pkcs7, pkcs12, jks or chain");
  issue->add_option("--password", args.password,
                    "password for pkcs12/jks/iis/tomcat (default: generated, printed on stderr)");
  issue->add_flag("--legacy-pkcs12", args.legacy_pkcs12,
                  "3DES/SHA-1 PKCS#12 for Windows Server 2016 and older");
  issue->add_option("--names", args.names, "comma-separated DNS names (default: the CSR's)");
  issue->add_option("--type", args.type, "certificate profile; only 'private' here");
  issue->add_option("--issuance-id", args.issuance_id,
                    "idempotency key: issuing again with it returns the same certificate");
  issue->add_option("--output", args.output, "write the PEM here instead of standard output");
  CLI::App* revoke = admin->add_subcommand("revoke", "revoke a certificate and republish its CRL");
  revoke->add_option("--serial", args.serial, "serial number, hex")->required();
  revoke->add_option("--reason", args.reason,
                     "unspecified, keyCompromise, affiliationChanged, superseded, "
                     "cessationOfOperation or privilegeWithdrawn");
  CLI::App* import =
      admin->add_subcommand("import-issuer", "add an existing CA certificate and key as an issuer");
  import->add_option("--name", args.name, "issuer name (a-z, 0-9, -)")->required();
  import->add_option("--cert", args.csr, "the CA certificate (PEM)")->required();
  import->add_option("--key", args.output, "its private key (PEM, optionally encrypted)")
      ->required();
  import->add_option("--chain", args.names, "the certificates above it up to the root (PEM)");
  import->add_option("--key-passphrase-file", args.password, "passphrase of an encrypted key");
  admin->add_subcommand("sign-root-crl",
                        "load the root key and sign a fresh root CRL (yearly, BR 4.9.7)");
  admin->add_subcommand("verify-audit", "check the audit log's hash chain; exit 3 if tampered");
  admin->add_subcommand("migrate", "apply database migrations and print the schema version");
  CLI::App* backup =
      admin->add_subcommand("backup", "write a consistent copy of the SQLite database");
  backup->add_option("--output", args.output, "destination file (must not exist)");
  // get_subcommands() without a filter lists only parsed ones; at set-up time that is none.
  for (CLI::App* sub : admin->get_subcommands([](CLI::App*) { return true; })) {
    add_settings_options(sub);
  }

  CLI11_PARSE(app, argc, argv);
  if (!config_file.empty()) sources.config_file = config_file;

  if (serve->parsed()) {
    if (help_settings) {
      for (const auto& d : signet::server::SettingDefinitions()) {
        std::cout << d.key << " (" << signet::EnvironmentNameFor(d.key) << ", default '"
                  << d.default_value << "'): " << d.help << "\n";
      }
      return 0;
    }
    return signet::server::RunServe(sources);
  }
  if (perspective->parsed()) return signet::server::RunPerspective(sources);
  for (CLI::App* sub : admin->get_subcommands()) {
    if (sub->parsed()) {
      args.command = sub->get_name();
      return signet::server::RunAdmin(sources, args);
    }
  }
  return 2;
}

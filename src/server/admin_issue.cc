// `signetd admin issue`: issue a private-PKI certificate for a CSR (or a key generated here,
// handed out once in the chosen download format and not kept) directly from the database,
// for operators running Signet as an internal CA. Publicly-trusted types (DV/OV/EV) need domain
// validation and go through orders instead, so only the private profile is offered here.
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "server/ca_setup.h"
#include "server/commands.h"
#include "signet/ca/certificate_authority.h"
#include "signet/ca/crl_writer.h"
#include "signet/ca/csr.h"
#include "signet/ca/subscriber_keys.h"
#include "signet/common/files.h"
#include "signet/common/ids.h"
#include "signet/exports/certificate_exports.h"

namespace signet::server {

int RunAdminIssue(ServiceContext& ctx, const AdminArguments& args) {
  auto fail = [](const std::string& message) {
    std::cerr << "signetd admin issue: " << message << "\n";
    return 2;
  };
  if (args.type != "private") {
    return fail(
        "only --type private can be issued here; DV, OV and EV certificates need domain "
        "validation and are issued through orders");
  }
  std::vector<std::string> names;
  std::stringstream list(args.names);
  for (std::string name; std::getline(list, name, ',');) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!name.empty()) names.push_back(name);
  }
  ca::ParsedCsr csr_info;
  std::string private_key_pem;
  if (!args.generate_key.empty()) {
    if (!args.csr.empty()) return fail("give --csr or --generate-key, not both");
    if (names.empty()) return fail("--generate-key needs --names");
    auto key = ca::GenerateSubscriberKey(args.generate_key);
    if (!key.ok()) return fail(key.status().message());
    auto checked = ca::CheckSubscriberKey(key->spki_der);
    if (!checked.ok()) return fail(checked.status().message());
    csr_info.key = *checked;
    csr_info.common_name = names.front();
    private_key_pem = key->private_key_pem;
  } else {
    if (args.csr.empty()) return fail("give --csr FILE, or --generate-key ALGORITHM with --names");
    std::ifstream in(args.csr, std::ios::binary);
    if (!in) return fail("cannot read the CSR file '" + args.csr + "'");
    std::stringstream csr_text;
    csr_text << in.rdbuf();
    auto csr = ca::ParseCsr(csr_text.str());
    if (!csr.ok()) return fail(csr.status().message());
    csr_info = *csr;
    if (names.empty()) {
      if (!csr->common_name.empty()) names.push_back(csr->common_name);
      for (const auto& n : csr->dns_names) {
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
    }
  }
  auto* csr = &csr_info;
  Status names_ok = ca::CheckCsrNames(*csr, names);
  if (!names_ok.ok()) return fail(names_ok.message());

  const Settings& s = ctx.settings;
  std::string public_url = s.Has("public_url") ? s.Get("public_url") : "https://" + s.Get("listen");
  auto hierarchy = LoadCaHierarchy(s, public_url, *ctx.clock, *ctx.random);
  if (!hierarchy.ok()) return fail(hierarchy.status().message());
  ca::CertificateAuthorityOptions options{public_url, 16, {}};
  // Crash tests kill the process between the cycle's steps, as a power cut would.
  if (const char* step = std::getenv("SIGNET_TEST_CRASH_AFTER_STEP"); step && *step) {
    std::string at = step;
    options.after_step = [at](const std::string& done) {
      if (done == at) raise(SIGKILL);
    };
  }
  ca::CertificateAuthority authority(**hierarchy, *ctx.storage, *ctx.clock, *ctx.random, options);
  ca::IssuanceRequest request;
  request.issuance_id =
      args.issuance_id.empty() ? IdGenerator(*ctx.clock, *ctx.random).New("iss") : args.issuance_id;
  request.type = ca::ProductType::kPrivate;
  request.issuer = args.issuer;
  request.dns_names = names;
  request.public_key_der = csr->key.spki_der;
  request.account_id = "";
  const char* user = std::getenv("USER");
  sa::Actor actor{"admin-cli", "", std::string("cli:") + (user ? user : "unknown"), ""};
  auto issued = authority.Issue(request, actor);
  if (!issued.ok()) {
    std::cerr << "signetd admin issue: " << issued.status().message() << "\n";
    return 1;
  }
  std::string body = issued->certificate_pem + issued->chain_pem;
  if (!args.format.empty()) {
    auto format = exports::ParseExportFormat(args.format);
    if (!format.ok()) return fail(format.status().message());
    const ca::Issuer* issuer = (*hierarchy)->Find(issued->issuer);
    exports::ExportInput input{issued->certificate_pem, issuer ? issuer->certificate_pem : "",
                               issuer ? issuer->parents_pem : (*hierarchy)->root_pem(),
                               private_key_pem, names.front()};
    auto exported =
        exports::Export(input, *format, {args.password, args.legacy_pkcs12}, *ctx.random);
    if (!exported.ok()) return fail(exported.status().message());
    body = exported->body;
    if (!exported->password.empty()) std::cerr << "password: " << exported->password << "\n";
  } else if (!private_key_pem.empty()) {
    body += private_key_pem;
  }
  if (args.output.empty()) {
    std::cout << body;
  } else {
    // A bundle (or PEM) holding a private key is the key's owner's alone: 0600, as the CLI
    // writes its downloads.
    mode_t mode = private_key_pem.empty() ? 0644 : 0600;
    Status written = WriteFileAtomically(args.output, body, mode);
    if (!written.ok()) return fail("--output: " + written.message());
  }
  std::cerr << "issued serial " << issued->serial_hex << " (issuance " << request.issuance_id
            << ") by " << issued->issuer << "\n";
  return 0;
}

int RunAdminRevoke(ServiceContext& ctx, const AdminArguments& args) {
  auto reason = ca::ParseRevocationReason(args.reason);
  if (!reason.ok()) {
    std::cerr << "signetd admin revoke: " << reason.status().message() << "\n";
    return 2;
  }
  std::string serial = args.serial;
  std::transform(serial.begin(), serial.end(), serial.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const char* user = std::getenv("USER");
  sa::Actor actor{"admin-cli", "", std::string("cli:") + (user ? user : "unknown"), ""};
  auto revoked = ctx.storage->RevokeCertificate("", serial, *reason, actor);
  if (!revoked.ok()) {
    std::cerr << "signetd admin revoke: " << revoked.status().message() << "\n";
    return 1;
  }
  // Publish at once: the running servers serve CRLs from the database.
  const Settings& s = ctx.settings;
  std::string public_url = s.Has("public_url") ? s.Get("public_url") : "https://" + s.Get("listen");
  auto hierarchy = LoadCaHierarchy(s, public_url, *ctx.clock, *ctx.random);
  if (!hierarchy.ok()) {
    std::cerr << "signetd admin revoke: " << hierarchy.status().message() << "\n";
    return 1;
  }
  ca::CrlWriter crls(**hierarchy, *ctx.storage, *ctx.clock, {public_url, 16});
  auto crl = crls.Generate(revoked->issuer, revoked->crl_shard);
  if (!crl.ok()) {
    std::cerr << "signetd admin revoke: revoked, but the CRL was not regenerated: "
              << crl.status().message() << "\n";
    return 1;
  }
  std::cout << "revoked " << serial << " (" << args.reason << "); CRL "
            << crls.UrlFor(revoked->issuer, revoked->crl_shard) << " updated\n";
  return 0;
}

int RunAdminImportIssuer(ServiceContext& ctx, const AdminArguments& args) {
  auto read = [](const std::string& path, std::string* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::stringstream ss;
    ss << in.rdbuf();
    *out = ss.str();
    return true;
  };
  std::string cert, key, chain, key_passphrase;
  if (!read(args.csr, &cert)) {
    std::cerr << "signetd admin import-issuer: cannot read --cert " << args.csr << "\n";
    return 2;
  }
  if (!read(args.output, &key)) {
    std::cerr << "signetd admin import-issuer: cannot read --key " << args.output << "\n";
    return 2;
  }
  if (!args.names.empty() && !read(args.names, &chain)) {
    std::cerr << "signetd admin import-issuer: cannot read --chain " << args.names << "\n";
    return 2;
  }
  if (!args.password.empty() && !read(args.password, &key_passphrase)) {
    std::cerr << "signetd admin import-issuer: cannot read --key-passphrase-file\n";
    return 2;
  }
  while (!key_passphrase.empty() &&
         (key_passphrase.back() == '\n' || key_passphrase.back() == '\r')) {
    key_passphrase.pop_back();
  }
  // Load the hierarchy first: it creates the CA directory and yields the CA passphrase.
  const Settings& s = ctx.settings;
  std::string public_url = s.Has("public_url") ? s.Get("public_url") : "https://" + s.Get("listen");
  auto hierarchy = LoadCaHierarchy(s, public_url, *ctx.clock, *ctx.random);
  if (!hierarchy.ok()) {
    std::cerr << "signetd admin import-issuer: " << hierarchy.status().message() << "\n";
    return 1;
  }
  auto passphrase = CaPassphrase(s, *ctx.random);
  if (!passphrase.ok()) return 1;
  Status imported = ca::ImportIssuer((std::filesystem::path(s.Get("data_dir")) / "ca").string(),
                                     args.name, cert, key, key_passphrase, chain, *passphrase);
  if (!imported.ok()) {
    std::cerr << "signetd admin import-issuer: " << imported.message() << "\n";
    return imported.code() == ErrorCode::kMalformed ? 2 : 1;
  }
  std::cout << "imported issuer " << args.name << "; restart signetd to use it\n";
  return 0;
}

}  // namespace signet::server

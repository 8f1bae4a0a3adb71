// certificate ...: issued and hosted certificates: list, show, download, revoke, reissue,
// renew, delete (hide), upload, and the alias/project/reminder settings.
#include <sys/stat.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/files.h"
#include "cli/program.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

std::string CertificatePath(const std::string& id) {
  return "/api/v1/certificates/" + UrlEscape(id);
}

// The file name from Content-Disposition, reduced to a plain name in the current directory.
std::string SuggestedName(const std::string& disposition) {
  size_t at = disposition.find("filename=\"");
  if (at == std::string::npos) return "";
  at += 10;
  std::string name = disposition.substr(at, disposition.find('"', at) - at);
  name = std::filesystem::path(name).filename().string();
  if (name.empty() || name[0] == '.') return "";
  return name;
}

struct DownloadOptions {
  std::string id;
  std::string format;
  std::string out;
  std::string password;
  bool legacy = false;
};

int Download(Session& s, const DownloadOptions& o) {
  ApiRequest request{
      "GET",
      CertificatePath(o.id) + "/download" +
          QueryString(
              {{"format", o.format}, {"password", o.password}, {"legacy", o.legacy ? "true" : ""}}),
      "", ""};
  auto response = s.Send(request);
  if (!response) return kExitFailure;
  std::string target = o.out;
  std::error_code ec;
  if (target != "-" && std::filesystem::is_directory(target, ec)) {
    std::string name = SuggestedName(response->Header("content-disposition"));
    if (name.empty()) name = Printable(o.id) + "." + o.format;
    target = (std::filesystem::path(target) / name).string();
  }
  if (target == "-") {
    std::cout << response->body;
    std::cout.flush();
  } else {
    std::string error;
    if (!WritePrivateFile(target, response->body, &error)) {
      PrintError(error);
      return kExitFailure;
    }
  }
  if (std::string password = response->Header("x-signet-bundle-password"); !password.empty()) {
    std::cerr << "Bundle password: " << Printable(password) << "\n";
  }
  if (target == "-") return kExitOk;
  nlohmann::json summary = {{"file", target},
                            {"format", o.format},
                            {"bytes", response->body.size()},
                            {"content_type", response->content_type}};
  s.Print(summary, [](std::ostream& out, const nlohmann::json& doc) {
    out << "Wrote " << Printable(Field(doc, "file")) << " (" << Field(doc, "format") << ", "
        << Field(doc, "bytes") << " bytes, mode 0600).\n";
  });
  return kExitOk;
}

void AddDownloadCommand(Program& program, CLI::App* certificate) {
  auto o = std::make_shared<DownloadOptions>();
  CLI::App* cmd = certificate->add_subcommand(
      "download", "download for a server type; the file is written with mode 0600");
  cmd->add_option("id", o->id, "the certificate's id")->required();
  cmd->add_option("--format", o->format, "what to download")
      ->required()
      ->check(CLI::IsMember(
          {"nginx", "apache", "iis", "tomcat", "pem", "der", "pkcs7", "pkcs12", "jks", "chain"}));
  cmd->add_option("--out", o->out,
                  "the file to write (a directory: the server's file name in it; - : stdout)")
      ->required();
  cmd->add_option("--password", o->password,
                  "password for pkcs12, jks, iis and tomcat (default: generated and printed on "
                  "stderr)");
  cmd->add_flag("--legacy", o->legacy, "3DES/SHA-1 PKCS#12 for Windows Server 2016 and older");
  OnRun(program, cmd, [o](Session& s) { return Download(s, *o); });
}

void AddUploadCommand(Program& program, CLI::App* certificate) {
  struct Options {
    std::string cert;
    std::string chain;
    std::string key;
    std::string key_password_file;
    std::string alias;
    std::string project;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = certificate->add_subcommand(
      "upload", "host a certificate issued elsewhere (its key must match, its chain must build)");
  cmd->add_option("--cert", o->cert, "the certificate (PEM)")->required();
  cmd->add_option("--chain", o->chain, "its intermediates (PEM)");
  cmd->add_option("--key", o->key,
                  "its private key (PEM, encrypted or not), to download bundles later");
  cmd->add_option("--key-password-file", o->key_password_file,
                  "a file holding the password of an encrypted --key (first line)");
  cmd->add_option("--alias", o->alias, "a name to find it by");
  cmd->add_option("--project", o->project, "a project to group it under");
  OnRun(program, cmd, [o](Session& s) {
    nlohmann::json body = nlohmann::json::object();
    for (auto [field, file] : {std::pair{"certificate", &o->cert}, std::pair{"chain", &o->chain},
                               std::pair{"private_key", &o->key}}) {
      if (file->empty()) continue;
      std::string error;
      auto text = ReadWholeFile(*file, &error);
      if (!text) {
        PrintError(error);
        return kExitFailure;
      }
      body[field] = *text;
    }
    if (!o->key_password_file.empty()) {
      std::string error;
      auto password = ReadWholeFile(o->key_password_file, &error);
      if (!password) {
        PrintError(error);
        return kExitFailure;
      }
      std::string first_line = password->substr(0, password->find_first_of("\r\n"));
      body["private_key_password"] = first_line;
    }
    if (!o->alias.empty()) body["alias"] = o->alias;
    if (!o->project.empty()) body["project"] = o->project;
    return s.CallAndPrint("POST", "/api/v1/certificates", body, PrintCertificate);
  });
}

void AddSetCommand(Program& program, CLI::App* certificate) {
  struct Options {
    std::string id;
    std::string alias;
    std::string project;
    std::string reminders;
    std::vector<int> reminder_days;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = certificate->add_subcommand(
      "set", "change the alias, project and expiry reminders (\"\" clears a text)");
  cmd->add_option("id", o->id, "the certificate's id")->required();
  auto* alias = cmd->add_option("--alias", o->alias, "a name to find it by");
  auto* project = cmd->add_option("--project", o->project, "a project to group it under");
  auto* reminders = cmd->add_option("--reminders", o->reminders, "expiry reminder emails")
                        ->check(CLI::IsMember({"on", "off"}));
  auto* days = cmd->add_option("--reminder-days", o->reminder_days,
                               "days before expiry to remind, e.g. 30,7,1")
                   ->delimiter(',')
                   ->check(CLI::Range(0, 3650));
  OnRun(program, cmd, [o, alias, project, reminders, days](Session& s) {
    nlohmann::json patch = nlohmann::json::object();
    if (alias->count() > 0) patch["alias"] = o->alias;
    if (project->count() > 0) patch["project"] = o->project;
    if (reminders->count() > 0) patch["reminders_enabled"] = o->reminders == "on";
    if (days->count() > 0) patch["reminder_days"] = o->reminder_days;
    if (patch.empty()) {
      PrintError("nothing to change: give --alias, --project, --reminders or --reminder-days");
      return kExitUsage;
    }
    return s.CallAndPrint("PATCH", CertificatePath(o->id), patch, PrintCertificate);
  });
}

}  // namespace

void AddCertificateCommands(Program& program) {
  CLI::App* certificate =
      AddGroup(program.app, "certificate", "issued and hosted certificates (docs/CERTIFICATES.md)");

  struct ListOptions {
    std::string domain;
    std::string status;
    std::string project;
    int expiring_within = -1;
    bool include_hidden = false;
    PageOptions page;
  };
  auto list = std::make_shared<ListOptions>();
  CLI::App* cmd = certificate->add_subcommand("list", "the account's certificates");
  cmd->add_option("--domain", list->domain, "only certificates for this name");
  cmd->add_option("--status", list->status, "only these")
      ->check(CLI::IsMember({"active", "revoked", "expired"}));
  cmd->add_option("--project", list->project, "only this project's");
  cmd->add_option("--expiring-within", list->expiring_within,
                  "only those expiring within this many days")
      ->check(CLI::Range(0, 3650));
  cmd->add_flag("--include-hidden", list->include_hidden, "also deleted (hidden) ones");
  AddPageOptions(cmd, list->page);
  OnRun(program, cmd, [list](Session& s) {
    auto query = list->page.Query();
    query.insert(query.begin(),
                 {{"domain", list->domain},
                  {"status", list->status},
                  {"project", list->project},
                  {"expiring_within_days",
                   list->expiring_within >= 0 ? std::to_string(list->expiring_within) : ""},
                  {"include_hidden", list->include_hidden ? "true" : ""}});
    return s.CallAndPrint("GET", "/api/v1/certificates" + QueryString(query), std::nullopt,
                          PrintCertificateList);
  });

  auto show = std::make_shared<std::string>();
  cmd = certificate->add_subcommand("show", "one certificate");
  cmd->add_option("id", *show, "the certificate's id")->required();
  OnRun(program, cmd, [show](Session& s) {
    return s.CallAndPrint("GET", CertificatePath(*show), std::nullopt, PrintCertificate);
  });

  AddDownloadCommand(program, certificate);

  struct RevokeOptions {
    std::string id;
    std::string reason;
  };
  auto revoke = std::make_shared<RevokeOptions>();
  cmd = certificate->add_subcommand("revoke", "revoke; the CRL is regenerated at once");
  cmd->add_option("id", revoke->id, "the certificate's id")->required();
  cmd->add_option("--reason", revoke->reason, "the RFC 5280 reason")
      ->required()
      ->check(CLI::IsMember({"unspecified", "keyCompromise", "affiliationChanged", "superseded",
                             "cessationOfOperation", "privilegeWithdrawn"}));
  OnRun(program, cmd, [revoke](Session& s) {
    return s.CallAndPrint("POST", CertificatePath(revoke->id) + "/revoke",
                          nlohmann::json{{"reason", revoke->reason}}, PrintCertificate);
  });

  struct ReissueOptions {
    std::string id;
    std::string generate_key;
    std::string csr;
  };
  auto reissue = std::make_shared<ReissueOptions>();
  cmd = certificate->add_subcommand(
      "reissue", "a new order for the same names with a new key, submitted at once");
  cmd->add_option("id", reissue->id, "the certificate's id")->required();
  auto* generate =
      cmd->add_option("--generate-key", reissue->generate_key,
                      "the new key's algorithm (default: the same as before)")
          ->check(CLI::IsMember({"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096"}));
  cmd->add_option("--csr", reissue->csr, "use this CSR (PEM) for the new key instead")
      ->excludes(generate);
  OnRun(program, cmd, [reissue](Session& s) {
    std::optional<nlohmann::json> body;
    if (!reissue->generate_key.empty()) {
      body = nlohmann::json{{"key", {{"generate", {{"algorithm", reissue->generate_key}}}}}};
    } else if (!reissue->csr.empty()) {
      std::string error;
      auto csr = ReadWholeFile(reissue->csr, &error);
      if (!csr) {
        PrintError(error);
        return kExitFailure;
      }
      body = nlohmann::json{{"key", {{"csr", *csr}}}};
    }
    return s.CallAndPrint("POST", CertificatePath(reissue->id) + "/reissue", body, OrderView(s));
  });

  auto renew = std::make_shared<std::string>();
  cmd = certificate->add_subcommand("renew", "a new order pre-filled from this certificate's");
  cmd->add_option("id", *renew, "the certificate's id")->required();
  OnRun(program, cmd, [renew](Session& s) {
    return s.CallAndPrint("POST", CertificatePath(*renew) + "/renew", std::nullopt, OrderView(s));
  });

  struct DeleteOptions {
    std::string id;
    bool force = false;
  };
  auto del = std::make_shared<DeleteOptions>();
  cmd = certificate->add_subcommand(
      "delete", "hide an expired, revoked or uploaded certificate from the list");
  cmd->add_option("id", del->id, "the certificate's id")->required();
  cmd->add_flag("--force", del->force, "also hide an active one (it stays valid)");
  OnRun(program, cmd, [del](Session& s) {
    return s.CallAndPrint(
        "DELETE", CertificatePath(del->id) + QueryString({{"force", del->force ? "true" : ""}}),
        std::nullopt, [](std::ostream&, const nlohmann::json&) {});
  });

  AddUploadCommand(program, certificate);
  AddSetCommand(program, certificate);
}

}  // namespace signet::cli

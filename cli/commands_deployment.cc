// target ..., deployment ... and certificate bind/bindings/unbind/redeploy: where certificates
// are installed and the runs that install them (issue 16). Secrets (the SSH key and its
// passphrase, an SSH password, a keystore password) are read from files, never from the command
// line, where every local user could read them in the process list; signetd never returns them.
// `deployment wait` only polls GET /api/v1/deployments/{id}, like `order wait`: the server's jobs
// do the work, so waiting changes nothing.
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/files.h"
#include "cli/program.h"
#include "cli/progress.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

using Clock = std::chrono::steady_clock;

// Deployments take seconds: poll a little faster than `order wait`.
constexpr auto kPollInterval = std::chrono::milliseconds(1000);

std::string TargetPath(const std::string& id) {
  return "/api/v1/deployment-targets/" + UrlEscape(id);
}

std::string BindingsPath(const std::string& certificate_id) {
  return "/api/v1/certificates/" + UrlEscape(certificate_id) + "/bindings";
}

std::string DeploymentPath(const std::string& id) { return "/api/v1/deployments/" + UrlEscape(id); }

// OnRun with the flag combinations CLI11 cannot express checked first. A misuse is reported
// like CLI11's own usage errors (exit 2) while parsing, before credentials are looked at,
// which is why it cannot simply return kExitUsage from run.
void OnRunChecked(Program& program, CLI::App* command, std::function<std::string()> misuse,
                  std::function<int(Session&)> run) {
  command->callback([&program, misuse = std::move(misuse), run = std::move(run)] {
    if (std::string problem = misuse(); !problem.empty()) throw CLI::ValidationError(problem);
    program.action = [&program, run] {
      std::string error;
      auto credentials = ResolveCredentials(program.globals, &error);
      if (!credentials) {
        PrintError(error);
        return kExitFailure;
      }
      Session session(std::move(*credentials), FormatOf(program.globals));
      return run(session);
    };
  });
}

struct FileFlag {
  const char* field;  // in the API's "files" object
  const char* flag;
  const char* help;
  std::string path;
  CLI::Option* option = nullptr;
};

// Every flag of `target add` and `target update`; each command registers the ones it takes.
struct TargetFlags {
  std::string id;  // update
  std::string name;
  std::string host;
  int port = 22;
  std::string username;
  std::string host_key;
  std::string private_key_file;
  std::string passphrase_file;
  std::string password_file;
  std::string keystore_password_file;
  std::string reload_command;
  std::string url;
  std::array<FileFlag, 6> files = {{
      {"fullchain", "--fullchain",
       "path on the target for the certificate followed by its intermediates (PEM; nginx, "
       "Apache 2.4.8+)"},
      {"private_key", "--key",
       "path on the target for the certificate's private key (PEM, mode 0600; Signet must hold "
       "the key)"},
      {"certificate", "--certificate", "path on the target for the certificate alone (PEM)"},
      {"chain", "--chain", "path on the target for the intermediates alone (PEM)"},
      {"pfx", "--pfx",
       "path on the target for a PKCS#12 file with the key (needs --keystore-password-file)"},
      {"jks", "--jks",
       "path on the target for a Java keystore with the key (needs --keystore-password-file)"},
  }};
  // Set when the command takes the flag: CLI11 counts what was given (update sends only that).
  CLI::Option* name_option = nullptr;
  CLI::Option* host_option = nullptr;
  CLI::Option* port_option = nullptr;
  CLI::Option* username_option = nullptr;
  CLI::Option* host_key_option = nullptr;
  CLI::Option* private_key_option = nullptr;
  CLI::Option* passphrase_option = nullptr;
  CLI::Option* password_option = nullptr;
  CLI::Option* keystore_option = nullptr;
  CLI::Option* reload_option = nullptr;
  CLI::Option* url_option = nullptr;

  static bool Given(const CLI::Option* option) { return option != nullptr && option->count() > 0; }
  bool AnyGiven() const {
    for (const CLI::Option* option :
         {name_option, host_option, port_option, username_option, host_key_option,
          private_key_option, passphrase_option, password_option, keystore_option, reload_option,
          url_option}) {
      if (Given(option)) return true;
    }
    for (const auto& file : files) {
      if (Given(file.option)) return true;
    }
    return false;
  }
  const std::string& File(const char* field) const {
    for (const auto& f : files) {
      if (std::string(f.field) == field) return f.path;
    }
    static const std::string kNone;
    return kNone;
  }
};

void AddSshOptions(CLI::App* cmd, TargetFlags& f, bool update) {
  f.host_option = cmd->add_option("--host", f.host, "the server's name or IP address");
  f.port_option = cmd->add_option("--port", f.port, "its SSH port")->check(CLI::Range(1, 65535));
  if (!update) f.port_option->capture_default_str();
  f.username_option =
      cmd->add_option("--username", f.username, "the account Signet logs in as, e.g. deploy");
  f.host_key_option = cmd->add_option(
      "--host-key", f.host_key,
      "the server's pinned key fingerprint, as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` "
      "prints it on the server: SHA256:...");
  f.private_key_option =
      cmd->add_option("--private-key-file", f.private_key_file,
                      "a file holding the SSH private key to log in with (recommended; - reads "
                      "standard input)");
  f.passphrase_option = cmd->add_option("--passphrase-file", f.passphrase_file,
                                        "a file whose first line is the key's passphrase")
                            ->needs(f.private_key_option);
  f.password_option = cmd->add_option("--password-file", f.password_file,
                                      "a file whose first line is the account's password, to log "
                                      "in without a key")
                          ->excludes(f.private_key_option);
  if (!update) {
    f.host_option->required();
    f.username_option->required();
    f.host_key_option->required();
  }
}

void AddFileOptions(CLI::App* cmd, TargetFlags& f, bool update) {
  for (FileFlag& file : f.files) {
    file.option = cmd->add_option(
        file.flag, file.path, std::string(file.help) + (update ? "; \"\" stops writing it" : ""));
  }
  f.keystore_option = cmd->add_option("--keystore-password-file", f.keystore_password_file,
                                      "a file whose first line is the password of --pfx and --jks");
  f.reload_option = cmd->add_option(
      "--reload-command", f.reload_command,
      "run after the files are written, e.g. \"systemctl reload nginx\"; a failure puts the "
      "previous files back" +
          std::string(update ? " (\"\" removes it)" : ""));
}

// The misuse of file flags CLI11 cannot see: where the certificate goes, and the password of
// the keystores (on update, one may already be stored).
std::string FilesMisuse(const TargetFlags& f, bool update) {
  bool keystore = !f.File("pfx").empty() || !f.File("jks").empty();
  if (keystore && !update && !TargetFlags::Given(f.keystore_option)) {
    return "--pfx and --jks need --keystore-password-file (the password of the keystore)";
  }
  if (update) return "";
  if (f.File("fullchain").empty() && f.File("certificate").empty() && !keystore) {
    return "say where the certificate goes: --fullchain (most servers), --certificate, --pfx or "
           "--jks";
  }
  return "";
}

// At most one secret can come from standard input.
std::string StdinMisuse(const TargetFlags& f) {
  int from_stdin = 0;
  for (const std::string* path :
       {&f.private_key_file, &f.passphrase_file, &f.password_file, &f.keystore_password_file}) {
    from_stdin += *path == "-" ? 1 : 0;
  }
  return from_stdin > 1 ? "only one secret can be read from standard input (-)" : "";
}

// Reads the secret files given into the request body; false once the failure is printed.
bool AddSecrets(const TargetFlags& f, nlohmann::json& body) {
  struct Secret {
    const char* field;
    const std::string& path;
    bool first_line;
  };
  for (const Secret& secret : {Secret{"private_key", f.private_key_file, false},
                               Secret{"private_key_passphrase", f.passphrase_file, true},
                               Secret{"password", f.password_file, true},
                               Secret{"keystore_password", f.keystore_password_file, true}}) {
    if (secret.path.empty()) continue;
    std::string error;
    auto text = ReadSecretFile(secret.path, secret.first_line, &error);
    if (!text) {
      PrintError(error);
      return false;
    }
    body[secret.field] = *text;
  }
  return true;
}

// The files object of a new target: the paths given.
nlohmann::json NewFiles(const TargetFlags& f) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& file : f.files) {
    if (!file.path.empty()) files[file.field] = file.path;
  }
  return files;
}

// The target's answer, with a reminder on stderr for scripts that the secret is shown once.
void PrintCreatedTarget(Session& s, const nlohmann::json& target) {
  s.Print(target, PrintTarget);
  if (s.json_output() && !Field(target, "webhook_secret").empty()) {
    std::cerr << "signet: webhook_secret is shown only once: store it now\n";
  }
}

int CreateTarget(Session& s, const nlohmann::json& body) {
  auto target = s.Call("POST", "/api/v1/deployment-targets", body);
  if (!target) return kExitFailure;
  PrintCreatedTarget(s, *target);
  return kExitOk;
}

void AddTargetAddCommands(Program& program, CLI::App* target) {
  CLI::App* add = AddGroup(*target, "add", "add a target: ssh, local or webhook");

  auto ssh = std::make_shared<TargetFlags>();
  CLI::App* cmd = add->add_subcommand(
      "ssh", "a server Signet logs in to over SSH (pinned host key) to write the files");
  cmd->add_option("--name", ssh->name, "a name for it, e.g. \"web-1 nginx\"")->required();
  AddSshOptions(cmd, *ssh, false);
  AddFileOptions(cmd, *ssh, false);
  OnRunChecked(
      program, cmd,
      [ssh] {
        if (ssh->private_key_file.empty() && ssh->password_file.empty()) {
          return std::string(
              "an ssh target needs --private-key-file (recommended) or --password-file");
        }
        std::string misuse = FilesMisuse(*ssh, false);
        return misuse.empty() ? StdinMisuse(*ssh) : misuse;
      },
      [ssh](Session& s) {
        nlohmann::json body = {
            {"type", "ssh"},          {"name", ssh->name},         {"host", ssh->host},
            {"port", ssh->port},      {"username", ssh->username}, {"host_key", ssh->host_key},
            {"files", NewFiles(*ssh)}};
        if (!ssh->reload_command.empty()) body["reload_command"] = ssh->reload_command;
        if (!AddSecrets(*ssh, body)) return kExitFailure;
        return CreateTarget(s, body);
      });

  auto local = std::make_shared<TargetFlags>();
  cmd = add->add_subcommand(
      "local", "signetd's own host (when the operator allows deployment.allow_local_targets)");
  cmd->add_option("--name", local->name, "a name for it, e.g. \"this host\"")->required();
  AddFileOptions(cmd, *local, false);
  OnRunChecked(
      program, cmd,
      [local] {
        std::string misuse = FilesMisuse(*local, false);
        return misuse.empty() ? StdinMisuse(*local) : misuse;
      },
      [local](Session& s) {
        nlohmann::json body = {
            {"type", "local"}, {"name", local->name}, {"files", NewFiles(*local)}};
        if (!local->reload_command.empty()) body["reload_command"] = local->reload_command;
        if (!AddSecrets(*local, body)) return kExitFailure;
        return CreateTarget(s, body);
      });

  auto webhook = std::make_shared<TargetFlags>();
  cmd = add->add_subcommand(
      "webhook",
      "an https:// URL Signet POSTs each certificate to (signed; the secret is shown once)");
  cmd->add_option("--name", webhook->name, "a name for it")->required();
  cmd->add_option("--url", webhook->url, "the receiver, an https:// URL")->required();
  OnRun(program, cmd, [webhook](Session& s) {
    return CreateTarget(s, {{"type", "webhook"}, {"name", webhook->name}, {"url", webhook->url}});
  });
}

// The flags given to `target update` that the target's type does not have.
std::string UpdateMismatch(const TargetFlags& f, const std::string& type) {
  std::string wrong;
  auto check = [&](const CLI::Option* option, bool applies) {
    if (!applies && TargetFlags::Given(option)) {
      wrong += (wrong.empty() ? "" : ", ") + option->get_name();
    }
  };
  bool ssh = type == "ssh";
  bool files = ssh || type == "local";
  for (const CLI::Option* option :
       {f.host_option, f.port_option, f.username_option, f.host_key_option, f.private_key_option,
        f.passphrase_option, f.password_option}) {
    check(option, ssh);
  }
  for (const auto& file : f.files) check(file.option, files);
  check(f.keystore_option, files);
  check(f.reload_option, files);
  check(f.url_option, type == "webhook");
  return wrong;
}

int UpdateTarget(Session& s, const TargetFlags& f) {
  // The type decides which flags apply, and the files object is replaced whole on the server:
  // the files not named here must be sent as they are.
  auto current = s.Call("GET", TargetPath(f.id));
  if (!current) return kExitFailure;
  std::string type = Field(*current, "type");
  if (std::string wrong = UpdateMismatch(f, type); !wrong.empty()) {
    PrintError(wrong + " cannot be changed on " + Printable(f.id) + ", a " + Printable(type) +
               " target");
    return kExitUsage;
  }
  nlohmann::json patch = nlohmann::json::object();
  if (TargetFlags::Given(f.name_option)) patch["name"] = f.name;
  if (TargetFlags::Given(f.host_option)) patch["host"] = f.host;
  if (TargetFlags::Given(f.port_option)) patch["port"] = f.port;
  if (TargetFlags::Given(f.username_option)) patch["username"] = f.username;
  if (TargetFlags::Given(f.host_key_option)) patch["host_key"] = f.host_key;
  if (TargetFlags::Given(f.url_option)) patch["url"] = f.url;
  if (TargetFlags::Given(f.reload_option)) patch["reload_command"] = f.reload_command;
  bool files_given = false;
  nlohmann::json files = current->value("files", nlohmann::json::object());
  if (!files.is_object()) files = nlohmann::json::object();
  for (const auto& file : f.files) {
    if (!TargetFlags::Given(file.option)) continue;
    files_given = true;
    if (file.path.empty()) {
      files.erase(file.field);
    } else {
      files[file.field] = file.path;
    }
  }
  if (files_given) patch["files"] = files;
  if (!AddSecrets(f, patch)) return kExitFailure;
  return s.CallAndPrint("PATCH", TargetPath(f.id), patch, PrintTarget);
}

void AddTargetUpdateCommand(Program& program, CLI::App* target) {
  auto f = std::make_shared<TargetFlags>();
  CLI::App* cmd = target->add_subcommand(
      "update", "change a target: only the flags given (a secret not given stays as stored)");
  cmd->add_option("id", f->id, "the target's id")->required();
  f->name_option = cmd->add_option("--name", f->name, "a new name");
  AddSshOptions(cmd, *f, true);
  AddFileOptions(cmd, *f, true);
  f->url_option = cmd->add_option("--url", f->url, "webhook targets: the receiver's https:// URL");
  OnRunChecked(
      program, cmd,
      [f] {
        if (!f->AnyGiven()) {
          return std::string("nothing to change: give the flags to change (see --help)");
        }
        if (TargetFlags::Given(f->name_option) && f->name.empty()) {
          return std::string("--name cannot be empty");
        }
        std::string misuse = FilesMisuse(*f, true);
        return misuse.empty() ? StdinMisuse(*f) : misuse;
      },
      [f](Session& s) { return UpdateTarget(s, *f); });
}

int TestTarget(Session& s, const std::string& id) {
  auto test = s.Call("POST", TargetPath(id) + "/test");
  if (!test) return kExitFailure;
  s.Print(*test, PrintTargetTest);
  if (test->value("ok", false)) return kExitOk;
  // A changed host key is the one failure with a fix to type; say it, but only once the reader
  // has checked the key on the server itself (it may be an impostor).
  std::string presented = Field(*test, "host_key");
  auto target = s.Call("GET", TargetPath(id));
  if (target && !presented.empty() && presented != Field(*target, "host_key")) {
    PrintError("target " + Printable(id) + " failed the test: the server presented " +
               Printable(presented) + ", not the pinned " + Printable(Field(*target, "host_key")) +
               "; if its key really changed (check with ssh-keygen -lf on the server), run "
               "`signet target update " +
               Printable(id) + " --host-key " + Printable(presented) + "`");
  } else {
    PrintError("target " + Printable(id) +
               " failed the test: " + Printable(Field(*test, "detail")));
  }
  return kExitFailure;
}

void AddTargetCommands(Program& program) {
  CLI::App* target = AddGroup(program.app, "target",
                              "deployment targets: where certificates are installed (ssh, local, "
                              "webhook); their secrets are never shown");

  CLI::App* cmd = target->add_subcommand("list", "the account's targets");
  OnRun(program, cmd, [](Session& s) {
    return s.CallAndPrint("GET", "/api/v1/deployment-targets", std::nullopt, PrintTargetList);
  });

  auto show = std::make_shared<std::string>();
  cmd = target->add_subcommand("show", "one target (which secrets are stored, never them)");
  cmd->add_option("id", *show, "the target's id")->required();
  OnRun(program, cmd, [show](Session& s) {
    return s.CallAndPrint("GET", TargetPath(*show), std::nullopt, PrintTarget);
  });

  AddTargetAddCommands(program, target);
  AddTargetUpdateCommand(program, target);

  auto remove = std::make_shared<std::string>();
  cmd = target->add_subcommand("remove",
                               "remove a target no binding uses (its files stay where they are)");
  cmd->add_option("id", *remove, "the target's id")->required();
  OnRun(program, cmd, [remove](Session& s) {
    return s.CallAndPrint("DELETE", TargetPath(*remove), std::nullopt,
                          [remove](std::ostream& out, const nlohmann::json&) {
                            out << "Removed target " << Printable(*remove) << ".\n";
                          });
  });

  auto test = std::make_shared<std::string>();
  cmd = target->add_subcommand("test",
                               "connect and log in, changing nothing; exit 1 when that fails");
  cmd->add_option("id", *test, "the target's id")->required();
  OnRun(program, cmd, [test](Session& s) { return TestTarget(s, *test); });
}

void AddBindingCommands(Program& program, CLI::App* certificate) {
  struct BindOptions {
    std::string id;
    std::string target;
    std::string host;
    int port = 0;
    std::string server_name;
    std::string protocol;
  };
  auto bind = std::make_shared<BindOptions>();
  CLI::App* cmd = certificate->add_subcommand(
      "bind",
      "deploy the certificate to a target now, and each successor (reissue, renewal) later");
  cmd->add_option("id", bind->id, "the certificate's id")->required();
  cmd->add_option("--target", bind->target, "the target's id (signet target list)")->required();
  auto* host = cmd->add_option("--verify-host", bind->host,
                               "check that this host serves the new certificate after the reload "
                               "(else the reload's exit status decides)");
  cmd->add_option("--verify-port", bind->port,
                  "its port (default: 443; smtp 25, imap 143, pop3 110)")
      ->check(CLI::Range(1, 65535))
      ->needs(host);
  cmd->add_option("--server-name", bind->server_name, "the SNI name to ask for")->needs(host);
  cmd->add_option("--protocol", bind->protocol, "https/tls, or STARTTLS for smtp, imap and pop3")
      ->check(CLI::IsMember({"https", "tls", "smtp", "imap", "pop3"}))
      ->needs(host);
  OnRun(program, cmd, [bind](Session& s) {
    nlohmann::json body = {{"target_id", bind->target}};
    if (!bind->host.empty()) {
      nlohmann::json verify = {{"host", bind->host}};
      if (bind->port > 0) verify["port"] = bind->port;
      if (!bind->server_name.empty()) verify["server_name"] = bind->server_name;
      if (!bind->protocol.empty()) verify["protocol"] = bind->protocol;
      body["verify"] = verify;
    }
    return s.CallAndPrint("POST", BindingsPath(bind->id), body, PrintBinding);
  });

  auto list = std::make_shared<std::string>();
  cmd = certificate->add_subcommand(
      "bindings", "where the certificate is installed: each target and its last run");
  cmd->add_option("id", *list, "the certificate's id (any of its lineage)")->required();
  OnRun(program, cmd, [list](Session& s) {
    return s.CallAndPrint("GET", BindingsPath(*list), std::nullopt, PrintBindingList);
  });

  struct BindingOptions {
    std::string id;
    std::string binding;
  };
  auto unbind = std::make_shared<BindingOptions>();
  cmd = certificate->add_subcommand(
      "unbind", "stop deploying the certificate's lineage to a target (the files stay)");
  cmd->add_option("id", unbind->id, "the certificate's id")->required();
  cmd->add_option("binding", unbind->binding, "the binding's id (certificate bindings)")
      ->required();
  OnRun(program, cmd, [unbind](Session& s) {
    return s.CallAndPrint("DELETE", BindingsPath(unbind->id) + "/" + UrlEscape(unbind->binding),
                          std::nullopt, [unbind](std::ostream& out, const nlohmann::json&) {
                            out << "Removed binding " << Printable(unbind->binding) << ".\n";
                          });
  });

  auto redeploy = std::make_shared<BindingOptions>();
  cmd = certificate->add_subcommand(
      "redeploy", "deploy the lineage's newest certificate to the binding's target again");
  cmd->add_option("id", redeploy->id, "the certificate's id")->required();
  cmd->add_option("binding", redeploy->binding, "the binding's id (certificate bindings)")
      ->required();
  OnRun(program, cmd, [redeploy](Session& s) {
    return s.CallAndPrint(
        "POST", BindingsPath(redeploy->id) + "/" + UrlEscape(redeploy->binding) + "/deploy",
        std::nullopt, PrintDeployment);
  });
}

bool Finished(const std::string& status) {
  return status == "succeeded" || status == "failed" || status == "rolled_back";
}

std::string StateLine(const nlohmann::json& d) {
  std::string line = "deployment " + Printable(Field(d, "id")) + ": " +
                     Printable(Field(d, "status")) + ", target " +
                     Printable(Field(d, "target_id")) + ", serial " + Printable(Field(d, "serial"));
  std::string attempts = Field(d, "attempts");
  if (!attempts.empty() && attempts != "0" && attempts != "1") line += ", attempt " + attempts;
  return line;
}

void PrintOutcome(std::ostream& out, const nlohmann::json& d) {
  out << "Deployment " << Printable(Field(d, "id")) << " " << Printable(Field(d, "status"));
  std::string served = Field(d, "served_serial");
  if (!served.empty()) out << ": the verify endpoint serves serial " << Printable(served);
  out << "\n";
}

struct WaitOptions {
  std::string id;
  double timeout_seconds = 0;
};

int Wait(Session& s, const WaitOptions& options) {
  ProgressLine line(std::cerr, ProgressLine::StderrIsInteractive());
  const auto start = Clock::now();
  const bool limited = options.timeout_seconds > 0;
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(limited ? options.timeout_seconds : 0));
  std::string last_error;
  for (;;) {
    auto d = s.Call("GET", DeploymentPath(options.id));
    if (!d) {
      line.Finish();
      return kExitFailure;
    }
    std::string status = Field(*d, "status");
    std::string error = Field(*d, "error");
    // A run that cannot reach its target is retried; its error ("attempt 1 failed, trying
    // again: ...") says why while it is.
    if (!error.empty() && error != last_error && !Finished(status)) line.Note(Printable(error));
    last_error = error;
    line.Update(StateLine(*d), Clock::now() - start);
    int code = -1;
    if (status == "succeeded") {
      code = kExitOk;
    } else if (Finished(status)) {
      line.Finish();
      // The server's error says what happened to the previous files.
      PrintError("deployment " + Printable(options.id) +
                 (status == "rolled_back" ? " was rolled back" : " " + Printable(status)) +
                 (error.empty() ? "" : ": " + Printable(error)));
      code = kExitFailure;
    } else if (limited && Clock::now() >= deadline) {
      line.Finish();
      PrintError("gave up after " + FormatElapsed(Clock::now() - start) + ": deployment " +
                 Printable(options.id) + " is still " + Printable(status));
      code = kExitFailure;
    }
    if (code >= 0) {
      line.Finish();
      if (code == kExitOk || s.json_output()) s.Print(*d, PrintOutcome);
      return code;
    }
    auto next_poll = Clock::now() + kPollInterval;
    line.WaitUntil(limited ? std::min(next_poll, deadline) : next_poll, start);
  }
}

void AddDeploymentRunCommands(Program& program) {
  CLI::App* deployment =
      AddGroup(program.app, "deployment", "deployment runs: what was installed where, and how");

  struct ListOptions {
    std::string certificate;
    std::string target;
    std::string binding;
    PageOptions page;
  };
  auto list = std::make_shared<ListOptions>();
  CLI::App* cmd = deployment->add_subcommand("list", "deployment runs, newest first");
  cmd->add_option("--certificate", list->certificate, "only runs of this certificate");
  cmd->add_option("--target", list->target, "only runs to this target");
  cmd->add_option("--binding", list->binding, "only runs of this binding");
  AddPageOptions(cmd, list->page);
  OnRun(program, cmd, [list](Session& s) {
    auto query = list->page.Query();
    query.insert(query.begin(), {{"certificate_id", list->certificate},
                                 {"target_id", list->target},
                                 {"binding_id", list->binding}});
    return s.CallAndPrint("GET", "/api/v1/deployments" + QueryString(query), std::nullopt,
                          PrintDeploymentList);
  });

  auto show = std::make_shared<std::string>();
  cmd = deployment->add_subcommand("show", "one deployment run");
  cmd->add_option("id", *show, "the deployment's id")->required();
  OnRun(program, cmd, [show](Session& s) {
    return s.CallAndPrint("GET", DeploymentPath(*show), std::nullopt, PrintDeployment);
  });

  auto wait = std::make_shared<WaitOptions>();
  cmd = deployment->add_subcommand(
      "wait", "wait until the run succeeds, fails or is rolled back, showing progress on stderr");
  cmd->add_option("id", wait->id, "the deployment's id")->required();
  cmd->add_option("--timeout", wait->timeout_seconds, "give up after this many seconds (0: never)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->footer(cmd->get_footer() + "\n" +
              "Exit status: 0 when the run succeeds; 1 when it fails, is rolled back, or the\n"
              "timeout passes (its error is printed). With --output json the final run is\n"
              "printed on stdout.");
  OnRun(program, cmd, [wait](Session& s) { return Wait(s, *wait); });
}

}  // namespace

void AddDeploymentCommands(Program& program) {
  AddTargetCommands(program);
  AddDeploymentRunCommands(program);
  // The certificate group is AddCertificateCommands'; bindings are certificate commands.
  AddBindingCommands(program, program.app.get_subcommand("certificate"));
}

}  // namespace signet::cli

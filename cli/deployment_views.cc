#include <string>

#include "cli/views.h"

namespace signet::cli {

namespace {

// Where a target's files go, in one line: what a person recognises the target by.
std::string TargetWhere(const nlohmann::json& t) {
  std::string type = Field(t, "type");
  if (type == "ssh") {
    return Field(t, "username") + "@" + Field(t, "host") + ":" + Field(t, "port");
  }
  if (type == "webhook") return Field(t, "url");
  if (type == "local") return "signetd's own host";
  return "";
}

// The file a server reads the certificate from, for the list; show has every file.
std::string MainFile(const nlohmann::json& t) {
  const auto& files = Object(t, "files");
  for (const char* field : {"fullchain", "certificate", "pfx", "jks"}) {
    std::string path = Field(files, field);
    if (!path.empty()) return path;
  }
  return "";
}

std::string TargetLabel(const nlohmann::json& binding) {
  std::string name = Field(binding, "target_name");
  std::string id = Field(binding, "target_id");
  return name.empty() ? id : name + " (" + id + ")";
}

Fields DeploymentFields(const nlohmann::json& d) {
  Fields f;
  f.Add("Deployment", Field(d, "id"))
      .Add("Status", Field(d, "status"))
      .Add("Trigger", Field(d, "trigger"))
      .Add("Target", Field(d, "target_id"))
      .Add("Binding", Field(d, "binding_id"))
      .Add("Certificate", Field(d, "certificate_id"))
      .Add("Serial", Field(d, "serial"))
      .Add("Served serial", Field(d, "served_serial"))
      .Add("Attempts", Field(d, "attempts"))
      .Add("Error", Field(d, "error"))
      .Add("Created", Field(d, "created_at"))
      .Add("Started", Field(d, "started_at"))
      .Add("Finished", Field(d, "finished_at"));
  return f;
}

bool Finished(const std::string& status) {
  return status == "succeeded" || status == "failed" || status == "rolled_back";
}

}  // namespace

std::string VerifyEndpointText(const nlohmann::json& v) {
  std::string host = Field(v, "host");
  if (host.empty()) return "";
  // An IPv6 literal needs brackets before the port to stay readable.
  std::string text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  text += ":" + Field(v, "port");
  std::string protocol = Field(v, "protocol");
  if (!protocol.empty()) text += " " + protocol;
  std::string server_name = Field(v, "server_name");
  if (!server_name.empty() && server_name != host) text += " (SNI " + server_name + ")";
  return text;
}

void PrintTargetList(std::ostream& out, const nlohmann::json& list) {
  Table t({"ID", "NAME", "TYPE", "WHERE", "CERTIFICATE FILE"});
  for (const auto& target : Items(list)) {
    t.AddRow({Field(target, "id"), Field(target, "name"), Field(target, "type"),
              TargetWhere(target), MainFile(target)});
  }
  t.Print(out);
  NoteNextPage(list);
}

void PrintTarget(std::ostream& out, const nlohmann::json& t) {
  const auto& files = Object(t, "files");
  std::string type = Field(t, "type");
  std::string auth = Field(t, "auth");
  std::string id = Field(t, "id");
  Fields()
      .Add("Target", id)
      .Add("Name", Field(t, "name"))
      .Add("Type", type)
      .Add("Where", TargetWhere(t))
      .Add("Host key", Field(t, "host_key"))
      // Only which kind of secret is stored: the secrets themselves never leave signetd.
      .Add("Login", auth == "private_key" ? "private key (stored sealed)"
                    : auth == "password"  ? "password (stored sealed)"
                                          : "")
      .Add("Fullchain", Field(files, "fullchain"))
      .Add("Private key file", Field(files, "private_key"))
      .Add("Certificate", Field(files, "certificate"))
      .Add("Chain", Field(files, "chain"))
      .Add("PKCS#12", Field(files, "pfx"))
      .Add("JKS", Field(files, "jks"))
      .Add("Keystore password", t.value("has_keystore_password", false) ? "stored" : "")
      .Add("Reload command", Field(t, "reload_command"))
      .Add("Created", Field(t, "created_at"))
      .Add("Updated", Field(t, "updated_at"))
      .Print(out);
  std::string secret = Field(t, "webhook_secret");
  if (!secret.empty()) {
    out << "\nWebhook secret: " << Printable(secret)
        << "\nThis secret is shown only once: give it to the receiver now, which checks each\n"
           "request's X-Signet-Signature with it.\n";
  }
  if (type == "ssh" && !id.empty()) {
    out << "\nTest the login: signet target test " << Printable(id) << "\n";
  }
}

void PrintTargetTest(std::ostream& out, const nlohmann::json& test) {
  Fields()
      .Add("Result", test.value("ok", false) ? "ok" : "failed")
      .Add("Detail", Field(test, "detail"))
      .Add("Host key presented", Field(test, "host_key"))
      .Print(out);
}

void PrintBindingList(std::ostream& out, const nlohmann::json& list) {
  Table t({"BINDING", "TARGET", "VERIFY", "LAST RUN", "SERIAL", "SERVED SERIAL", "AT"});
  std::string errors;
  for (const auto& b : Items(list)) {
    const auto& last = Object(b, "last_deployment");
    std::string status = Field(last, "status");
    std::string at = Field(last, "finished_at");
    if (at.empty()) at = Field(last, "created_at");
    std::string verify = VerifyEndpointText(Object(b, "verify"));
    t.AddRow({Field(b, "id"), TargetLabel(b), verify.empty() ? "(not checked)" : verify,
              status.empty() ? "(none)" : status, Field(last, "serial"),
              Field(last, "served_serial"), at});
    // Why the last run failed is what the reader of this table needs next.
    std::string error = Field(last, "error");
    if (!error.empty() && status != "succeeded") {
      errors +=
          Printable(Field(b, "id")) + ": " + Printable(status) + ": " + Printable(error) + "\n";
    }
  }
  t.Print(out);
  if (!errors.empty()) out << "\n" << errors;
  NoteNextPage(list);
}

void PrintBinding(std::ostream& out, const nlohmann::json& b) {
  std::string verify = VerifyEndpointText(Object(b, "verify"));
  Fields()
      .Add("Binding", Field(b, "id"))
      .Add("Certificate", Field(b, "certificate_id"))
      .Add("Lineage", Field(b, "lineage_id"))
      .Add("Target", TargetLabel(b))
      .Add("Verify", verify.empty() ? "(not checked: the reload's exit status decides)" : verify)
      .Add("Created", Field(b, "created_at"))
      .Print(out);
  const auto& last = Object(b, "last_deployment");
  if (last.empty()) return;
  out << "\nLast deployment:\n";
  DeploymentFields(last).Print(out, "  ");
  std::string id = Field(last, "id");
  if (!id.empty() && !Finished(Field(last, "status"))) {
    out << "\nFollow it: signet deployment wait " << Printable(id) << "\n";
  }
}

void PrintDeploymentList(std::ostream& out, const nlohmann::json& list) {
  Table t({"ID", "STATUS", "TRIGGER", "TARGET", "CERTIFICATE", "SERVED SERIAL", "CREATED"});
  for (const auto& d : Items(list)) {
    t.AddRow({Field(d, "id"), Field(d, "status"), Field(d, "trigger"), Field(d, "target_id"),
              Field(d, "certificate_id"), Field(d, "served_serial"), Field(d, "created_at")});
  }
  t.Print(out);
  NoteNextPage(list);
}

void PrintDeployment(std::ostream& out, const nlohmann::json& d) {
  DeploymentFields(d).Print(out);
  std::string id = Field(d, "id");
  if (!id.empty() && !Finished(Field(d, "status"))) {
    out << "\nFollow it: signet deployment wait " << Printable(id) << "\n";
  }
}

}  // namespace signet::cli

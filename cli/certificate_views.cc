#include "cli/views.h"

namespace signet::cli {

std::string CertificateSourceText(const nlohmann::json& certificate) {
  std::string source = Field(certificate, "source");
  if (source == "upstream") return "upstream (public CA)";
  if (source == "issued") return "issued (Signet CA)";
  return source;
}

void PrintCertificateList(std::ostream& out, const nlohmann::json& list) {
  Table t({"ID", "STATUS", "NAMES", "NOT AFTER", "SOURCE", "ISSUER", "ALIAS", "PROJECT"});
  for (const auto& c : Items(list)) {
    t.AddRow({Field(c, "id"), Field(c, "status"), Field(c, "names"), Field(c, "not_after"),
              CertificateSourceText(c), Field(c, "issuer"), Field(c, "alias"),
              Field(c, "project")});
  }
  t.Print(out);
  NoteNextPage(list);
}

void PrintCertificate(std::ostream& out, const nlohmann::json& c) {
  std::string id = Field(c, "id");
  std::string serial = Field(c, "serial");
  std::string reminders;
  if (c.value("reminders_enabled", false)) {
    std::string days = Field(c, "reminder_days");
    reminders = "on" + (days.empty() ? std::string(" (the account's schedule)")
                                     : " (" + days + " days before expiry)");
  } else if (c.contains("reminders_enabled")) {
    reminders = "off";
  }
  Fields()
      .Add("Certificate", id)
      .Add("Serial", serial == id ? "" : serial)
      .Add("Status", Field(c, "status"))
      .Add("Names", Field(c, "names"))
      .Add("Issuer", Field(c, "issuer"))
      .Add("Not before", Field(c, "not_before"))
      .Add("Not after", Field(c, "not_after"))
      .Add("Revoked", Field(c, "revoked_at"))
      .Add("Revocation reason", Field(c, "revocation_reason"))
      .Add("Source", CertificateSourceText(c))
      .Add("Product", Field(c, "product"))
      .Add("Order", Field(c, "order_id"))
      .Add("Alias", Field(c, "alias"))
      .Add("Project", Field(c, "project"))
      .Add("Reminders", reminders)
      .Add("Private key held", Field(c, "private_key_held"))
      .Print(out);
  if (!id.empty()) {
    out << "\nDownload: signet certificate download " << Printable(id)
        << " --format nginx --out bundle.zip\n";
  }
}

}  // namespace signet::cli

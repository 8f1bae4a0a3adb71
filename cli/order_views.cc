#include <string>

#include "cli/views.h"

namespace signet::cli {

namespace {

// The names an order is for: the certificate's once submitted, the draft's before.
std::string OrderNames(const nlohmann::json& order) {
  std::string names = Field(order, "names");
  if (names.empty()) names = Field(order.value("application", nlohmann::json::object()), "domains");
  return names;
}

std::string WithReason(const std::string& error, const std::string& reason) {
  if (error.empty()) return reason;
  return reason.empty() ? error : error + " (" + reason + ")";
}

// The host (and port) of a URL: "https://acme-v02.api.letsencrypt.org/directory" gives
// "acme-v02.api.letsencrypt.org"; a text that is no URL is returned as it is.
std::string HostOf(const std::string& url) {
  size_t start = url.find("://");
  if (start == std::string::npos) return url;
  start += 3;
  std::string authority = url.substr(start, url.find_first_of("/?#", start) - start);
  size_t at = authority.rfind('@');
  return at == std::string::npos ? authority : authority.substr(at + 1);
}

// The catalog's product of this id in GET /api/v1/products' answer; null when absent.
const nlohmann::json& ProductOf(const nlohmann::json& products, const std::string& id) {
  static const nlohmann::json kNone;
  if (id.empty()) return kNone;
  for (const auto& p : Items(products)) {
    if (Field(p, "id") == id) return p;
  }
  return kNone;
}

}  // namespace

std::string ProductIssuerText(const nlohmann::json& product) {
  if (!product.is_object()) return "";
  const auto& upstream = Object(product, "upstream");
  if (upstream.empty()) {
    std::string issuing_ca = Field(product, "issuer");
    return "Signet CA" + (issuing_ca.empty() ? "" : " (" + issuing_ca + ")");
  }
  std::string profile = Field(upstream, "profile");
  return "public CA: " + HostOf(Field(upstream, "acme_directory")) +
         (profile.empty() ? "" : ", profile " + profile);
}

void PrintProductList(std::ostream& out, const nlohmann::json& list) {
  Table t({"ID", "TYPE", "COVERAGE", "MAX DOMAINS", "TERM (MONTHS)", "ISSUER", "NAME"});
  for (const auto& p : Items(list)) {
    t.AddRow({Field(p, "id"), Field(p, "type"), Field(p, "coverage"), Field(p, "max_domains"),
              Field(p, "term_months"), ProductIssuerText(p), Field(p, "name")});
  }
  t.Print(out);
}

void PrintOrderList(std::ostream& out, const nlohmann::json& list, const nlohmann::json& products) {
  Table t({"ID", "PRODUCT", "ISSUER", "STATUS", "SUB-STATUS", "NAMES", "CREATED"});
  for (const auto& o : Items(list)) {
    t.AddRow({Field(o, "id"), Field(o, "product"),
              ProductIssuerText(ProductOf(products, Field(o, "product"))), Field(o, "status"),
              Field(o, "sub_status"), OrderNames(o), Field(o, "created_at")});
  }
  t.Print(out);
  NoteNextPage(list);
}

Fields ValidationInstructions(const nlohmann::json& v) {
  const auto& in = v.value("instructions", nlohmann::json::object());
  std::string method = Field(v, "method");
  Fields f;
  if (method == "dns_txt") {
    f.Add("Publish", Field(in, "record_type") + " record " + Field(in, "record_name"))
        .Add("Value", Field(in, "value"))
        .Add("Check with", Field(in, "check_command"));
  } else if (method == "dns_cname") {
    f.Add("Publish", "CNAME record " + Field(in, "record_name") + " -> " + Field(in, "target"))
        .Add("Note", Field(in, "note"));
  } else if (method == "dns_auto") {
    f.Add("Signet adds", Field(in, "record_type") + " record " + Field(in, "record_name") +
                             " in zone " + Field(in, "zone") + " on " + Field(in, "server") +
                             " with key " + Field(in, "key_name"));
  } else if (method == "file") {
    std::string urls;
    for (const auto& u : in.value("urls", nlohmann::json::array())) {
      urls += (urls.empty() ? "" : " or ") + Text(u);
    }
    f.Add("Serve", urls).Add("Content", Field(in, "content")).Add("Note", Field(in, "note"));
  } else if (method == "email") {
    f.Add("Approve", "open the link emailed to " + Field(in, "email"));
  }
  f.Add("Last error", WithReason(Field(v, "last_error"), Field(v, "last_reason")));
  return f;
}

void PrintOrder(std::ostream& out, const nlohmann::json& o, const nlohmann::json& products) {
  const auto& progress = o.value("progress", nlohmann::json::object());
  const auto& review = o.value("review", nlohmann::json::object());
  std::string kind = Field(o, "type");
  Fields()
      .Add("Order", Field(o, "id"))
      .Add("Product", Field(o, "product") + (kind.empty() ? "" : " (" + kind + ")"))
      .Add("Issuer", ProductIssuerText(ProductOf(products, Field(o, "product"))))
      .Add("Renews", Field(o, "continues_certificate_id"))
      .Add("Status", Field(o, "status") + " (" + Field(o, "sub_status") + ")")
      .Add("Progress", "dcv " + Field(progress, "dcv") + ", review " + Field(progress, "review"))
      .Add(Field(o, "names").empty() ? "Domains" : "Names", OrderNames(o))
      .Add("Review reason", Field(review, "reason"))
      .Add("Certificate", Field(o, "certificate_id"))
      .Add("Created", Field(o, "created_at"))
      .Add("Submitted", Field(o, "submitted_at"))
      .Add("Issued", Field(o, "issued_at"))
      .Print(out);

  const auto& validations = o.value("validations", nlohmann::json::array());
  if (!validations.empty()) {
    out << "\nValidations:\n";
    for (const auto& v : validations) {
      std::string name = Field(v, "for");
      if (name.empty()) name = Field(v, "domain");
      out << "  " << Printable(name) << ": " << Printable(Field(v, "status")) << " ("
          << Printable(Field(v, "method")) << ", " << Printable(Field(v, "id")) << ")\n";
      ValidationInstructions(v).Print(out, "    ");
    }
  }
  const auto& attachments = o.value("attachments", nlohmann::json::array());
  if (!attachments.empty()) {
    out << "\nAttachments:\n";
    Table t({"ID", "KIND", "TYPE", "BYTES", "UPLOADED"});
    for (const auto& a : attachments) {
      t.AddRow({Field(a, "id"), Field(a, "kind"), Field(a, "content_type"), Field(a, "size"),
                Field(a, "uploaded_at")});
    }
    t.Print(out, "  ");
  }
  const auto& timeline = o.value("timeline", nlohmann::json::array());
  if (!timeline.empty()) {
    out << "\nTimeline:\n";
    Table t({"AT", "EVENT", "ACTOR", "DETAIL"});
    for (const auto& e : timeline) {
      t.AddRow({Field(e, "at"), Field(e, "event"), Field(e, "actor"), Field(e, "detail")});
    }
    t.Print(out, "  ");
  }
}

void PrintOrder(std::ostream& out, const nlohmann::json& order) {
  PrintOrder(out, order, nlohmann::json());
}

void PrintUpstreamList(std::ostream& out, const nlohmann::json& list) {
  // Why an upstream is unreachable can be long: last, so that it does not push the rest.
  Table t({"DIRECTORY", "PRODUCTS", "ACCOUNT", "EAB REQUIRED", "ARI", "PROFILES", "REACHABLE"});
  for (const auto& u : Items(list)) {
    std::string error = Field(u, "error");
    if (Field(u, "reachable") == "yes") {
      t.AddRow({Field(u, "acme_directory"), Field(u, "products"), Field(u, "account_url"),
                Field(u, "external_account_required"), Field(u, "renewal_info"),
                Field(u, "profiles"), error.empty() ? "yes" : "yes (" + error + ")"});
    } else {
      // What its directory would say is unknown: not "no".
      t.AddRow({Field(u, "acme_directory"), Field(u, "products"), Field(u, "account_url"), "", "",
                "", "no: " + (error.empty() ? "its directory did not answer" : error)});
    }
  }
  t.Print(out);
}

void PrintAttachment(std::ostream& out, const nlohmann::json& a) {
  Fields()
      .Add("Attachment", Field(a, "id"))
      .Add("Kind", Field(a, "kind"))
      .Add("Content type", Field(a, "content_type"))
      .Add("Bytes", Field(a, "size"))
      .Add("SHA-256", Field(a, "sha256"))
      .Add("Uploaded", Field(a, "uploaded_at"))
      .Print(out);
}

void PrintValidation(std::ostream& out, const nlohmann::json& v) {
  std::string domain = Field(v, "domain");
  std::string requested = Field(v, "requested");
  std::string br = Field(v, "br_method");
  Fields()
      .Add("Validation", Field(v, "id"))
      .Add("Domain",
           domain + (requested.empty() || requested == domain ? "" : " (for " + requested + ")"))
      .Add("Method", Field(v, "method") + (br.empty() ? "" : " (BR " + br + ")"))
      .Add("Status", Field(v, "status"))
      .Add("Checks", Field(v, "checks"))
      .Add("Last checked", Field(v, "last_checked_at"))
      .Add("Validated", Field(v, "validated_at"))
      .Add("Reusable until", Field(v, "reusable_until"))
      .Add("Value expires", Field(v, "expires_at"))
      .Add("Perspectives", Field(v, "perspectives"))
      .Print(out);
  Fields instructions = ValidationInstructions(v);
  out << "\n";
  instructions.Print(out);
}

void PrintValidationList(std::ostream& out, const nlohmann::json& list) {
  Table t({"ID", "DOMAIN", "METHOD", "STATUS", "LAST CHECKED", "LAST ERROR"});
  for (const auto& v : Items(list)) {
    t.AddRow({Field(v, "id"), Field(v, "domain"), Field(v, "method"), Field(v, "status"),
              Field(v, "last_checked_at"), Field(v, "last_reason")});
  }
  t.Print(out);
  NoteNextPage(list);
}

void PrintDomainList(std::ostream& out, const nlohmann::json& list) {
  Table t({"DOMAIN", "METHOD", "VALID UNTIL", "SUBDOMAINS", "VALIDATION"});
  for (const auto& d : Items(list)) {
    t.AddRow({Field(d, "domain"), Field(d, "method"), Field(d, "valid_until"),
              Field(d, "covers_subdomains"), Field(d, "validation_id")});
  }
  t.Print(out);
}

}  // namespace signet::cli

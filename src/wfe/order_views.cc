#include "wfe/order_views.h"

#include "signet/common/clock.h"
#include "signet/core/order_state.h"
#include "signet/core/validation_state.h"
#include "wfe/application_json.h"

namespace signet::wfe {

namespace {

using nlohmann::json;

json OptionalText(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json OptionalTime(const std::optional<TimePoint>& t) {
  return t ? json(FormatRfc3339(*t)) : json(nullptr);
}

// What the applicant does for each method, in the words the console shows beside it.
json Instructions(const ra::ValidationView& view) {
  const sa::DomainValidation& v = view.validation;
  const sa::ValidationDetails& d = v.details;
  if (v.method == "dns_txt") {
    return {{"record_name", d.record_name},
            {"host_record", view.host_record},
            {"registered_domain", view.registered_domain},
            {"record_type", "TXT"},
            {"value", v.token},
            {"check_command", "nslookup -q=TXT " + d.record_name}};
  }
  if (v.method == "dns_cname") {
    return {{"record_name", d.record_name},
            {"host_record", view.host_record},
            {"registered_domain", view.registered_domain},
            {"record_type", "CNAME"},
            {"target", d.cname_target},
            {"note",
             "add this CNAME once; Signet then publishes the TXT record itself, "
             "now and for renewals"}};
  }
  if (v.method == "dns_auto") {
    core::DnsAutoSettings a = d.dns_auto.value_or(core::DnsAutoSettings{});
    return {{"record_name", d.record_name},
            {"record_type", "TXT"},
            {"zone", a.zone},
            {"server", a.server},
            {"key_name", a.key_name},
            {"note", "Signet adds the record with your key and removes it afterwards"}};
  }
  if (v.method == "file") {
    return {
        {"path", view.file_path},
        {"urls", {"http://" + v.domain + view.file_path, "https://" + v.domain + view.file_path}},
        {"content", v.token},
        {"note", "the body must be exactly the content, with no trailing newline"}};
  }
  if (v.method == "email") {
    return {{"email", d.email},
            {"note", "open the link in the email sent to this address and approve"}};
  }
  return json::object();  // ACME challenges: the client knows what to do
}

json QuorumJson(const sa::QuorumOutcome& q) {
  json results = json::array();
  for (const auto& p : q.results) {
    results.push_back({{"perspective", p.perspective},
                       {"ok", p.ok},
                       {"seen", p.seen},
                       {"reason", p.reason},
                       {"error", p.error},
                       {"dnssec", p.dnssec}});
  }
  return {{"results", results},
          {"summary", q.summary},
          {"corroborating", q.corroborating},
          {"remote", q.remote},
          {"allowed_non_corroborations", q.allowed_non_corroborations}};
}

std::string EscapeHtml(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

json ValidationJson(const ra::ValidationView& view) {
  const sa::DomainValidation& v = view.validation;
  json out = {{"id", v.id},
              {"domain", v.domain},
              {"requested", view.requested},
              {"wildcard", v.details.wildcard},
              {"method", v.method},
              {"br_method", v.br_method},
              {"status", core::Name(view.status)},
              {"instructions", Instructions(view)},
              {"checks", v.checks},
              {"last_error", OptionalText(v.last_error)},
              {"last_reason", OptionalText(v.last_reason)},
              {"perspectives", v.details.perspectives},
              {"created_at", FormatRfc3339(v.created_at)},
              {"expires_at", FormatRfc3339(v.token_expires_at)},
              {"validated_at", OptionalTime(v.validated_at)},
              {"last_checked_at", OptionalTime(v.last_checked_at)}};
  if (view.reusable_until) out["reusable_until"] = FormatRfc3339(*view.reusable_until);
  return out;
}

json AttemptEvidenceJson(const sa::AttemptEvidence& e) {
  json out = json::object();
  if (e.dcv) out["dcv"] = QuorumJson(*e.dcv);
  if (e.caa) out["caa"] = QuorumJson(*e.caa);
  if (!e.summary.empty()) out["summary"] = e.summary;
  return out;
}

json OrderJson(const ra::OrderView& view) {
  const sa::Order& o = view.order;
  json validations = json::array();
  for (const auto& entry : view.validations) {
    json vj = ValidationJson(entry.validation);
    vj["validation_id"] = entry.validation.validation.id;
    vj["for"] = entry.domain;
    vj["covers"] = entry.covers;
    validations.push_back(std::move(vj));
  }
  json timeline = json::array();
  for (const auto& line : view.timeline) {
    timeline.push_back({{"at", FormatRfc3339(line.at)},
                        {"event", line.event},
                        {"actor", line.actor},
                        {"actor_email", OptionalText(line.actor_email)},
                        {"detail", line.detail}});
  }
  json attachments = json::array();
  for (const auto& a : view.attachments) {
    attachments.push_back({{"id", a.id},
                           {"kind", a.kind},
                           {"content_type", a.content_type},
                           {"size", a.size},
                           {"sha256", a.sha256_hex},
                           {"uploaded_at", FormatRfc3339(a.created_at)}});
  }
  json actions = json::array();
  for (core::OrderAction a : core::AllowedActions(o.State())) actions.push_back(core::Name(a));
  json application = ApplicationJson(o.application);
  json allowance = application.contains("allowance") ? application["allowance"] : json(nullptr);
  return {
      {"id", o.id},
      {"product", o.product_id},
      {"type", view.product ? ca::ProductTypeName(view.product->type) : ""},
      {"status", core::Name(o.status)},
      {"sub_status", core::SubStatusName(o.State())},
      {"progress", {{"dcv", core::Name(o.dcv_status)}, {"review", core::Name(o.review_status)}}},
      {"allowed_actions", actions},
      {"needs_applicant", core::NeedsApplicant(o.State())},
      {"application", application},
      {"allowance", allowance},
      {"names", view.names},
      {"validations", validations},
      {"review",
       {{"status", core::Name(o.review_status)}, {"reason", OptionalText(o.review_reason)}}},
      {"attachments", attachments},
      {"timeline", timeline},
      {"certificate_id", OptionalText(o.certificate_serial)},
      {"continues_certificate_id", OptionalText(o.continues_certificate_id)},
      {"created_at", FormatRfc3339(o.created_at)},
      {"updated_at", FormatRfc3339(o.updated_at)},
      {"submitted_at", OptionalTime(o.submitted_at)},
      {"issued_at", OptionalTime(o.issued_at)}};
}

std::string ConfirmationLetterHtml(const sa::Order& o) {
  const core::Application& app = o.application;
  auto or_blank = [](const std::string& s, const char* blank) {
    return EscapeHtml(s.empty() ? blank : s);
  };
  std::string organization = app.organization ? app.organization->name : "";
  core::Person admin = app.administrator.value_or(core::Person{});
  std::string domains;
  for (const auto& d : app.domains.value_or(std::vector<std::string>{})) {
    domains += "<li>" + EscapeHtml(d) + "</li>";
  }
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Confirmation letter / "
         "确认函</title></head><body><h1>Certificate application confirmation letter / "
         "证书申请确认函</h1><p>Order: " +
         o.id + "</p><p>We, <b>" + or_blank(organization, "________________") +
         "</b>, confirm that we applied for a TLS certificate for these domains, which we "
         "control / 我单位确认申请以下域名的证书：</p><ul>" +
         domains + "</ul><p>Administrator / 管理员: " + or_blank(admin.name, "________") + ", " +
         or_blank(admin.position, "________") + ", " + or_blank(admin.phone, "________") + ", " +
         or_blank(admin.email, "________") +
         "</p><p>Signature / 签字: ____________ &nbsp; Company stamp / 公章: ____________ "
         "&nbsp; Date / 日期: ____________</p></body></html>";
}

}  // namespace signet::wfe

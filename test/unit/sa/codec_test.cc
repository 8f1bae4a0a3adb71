// The stored forms of typed values (sa/application_codec.h, sa/validation_codec.h,
// sa/deployment_target_codec.h, sa/monitor_check_codec.h): what is written reads back the same,
// and rows written by earlier versions (or damaged ones) still read.
#include <gtest/gtest.h>

#include "sa/application_codec.h"
#include "sa/deployment_target_codec.h"
#include "sa/monitor_check_codec.h"
#include "sa/validation_codec.h"

namespace signet::sa {
namespace {

TEST(ApplicationCodec, WhatIsWrittenReadsBackTheSame) {
  core::Application a;
  a.domains = std::vector<std::string>{"www.example.com", "example.com"};
  a.key = core::KeyChoice{};
  a.key->algorithm = "ecdsa-p256";
  a.key->password_sealed = "sealed:abc";
  a.applicant_type = "company";
  a.organization = core::OrganizationInfo{
      "Example Ltd", "", "CN", "Beijing", "Beijing", "", "", "123", "Private Organization", "CN"};
  a.organization_id = "org_1";
  a.administrator = core::Person{"Li Lei", "IT", "+86 10 1234 5678", "lilei@example.com"};
  a.contact_same_as_administrator = true;
  a.validation_method = "dns_auto";
  a.dns_auto =
      core::DnsAutoSettings{"192.0.2.1:53", "example.com", "k.", "hmac-sha256", "", "sealed:tsig"};
  a.allowance = core::DomainAllowance{2, 1, 0};
  a.term_ends_at_micros = 1700000000000000;
  a.review_reused_from = "ord_x";
  core::Application b = DecodeApplication(EncodeApplication(a));
  EXPECT_EQ(b.domains, a.domains);
  ASSERT_TRUE(b.key);
  EXPECT_EQ(b.key->algorithm, "ecdsa-p256");
  EXPECT_EQ(b.key->password_sealed, "sealed:abc");
  EXPECT_EQ(b.organization, a.organization);
  EXPECT_EQ(b.administrator, a.administrator);
  EXPECT_TRUE(b.contact_same_as_administrator);
  ASSERT_TRUE(b.dns_auto);
  EXPECT_EQ(b.dns_auto->secret_sealed, "sealed:tsig");
  EXPECT_EQ(b.allowance, a.allowance);
  EXPECT_EQ(b.term_ends_at_micros, a.term_ends_at_micros);
  EXPECT_EQ(b.review_reused_from, "ord_x");
  EXPECT_EQ(EncodeApplication(b), EncodeApplication(a));
}

TEST(ApplicationCodec, ReadsEarlierRowsAndSurvivesJunk) {
  // A row written before secrets were sealed at submission, and an ACME order's application.
  core::Application old = DecodeApplication(
      R"({"domains":["a.example"],"key":{"csr":"PEM"},"dns_auto":{"server":"192.0.2.1",)"
      R"("secret":"c2VjcmV0"},"contact":{"name":"X","phone":"123456","email":"x@a.example"},)"
      R"("exact_names":true,"source":"acme"})");
  ASSERT_TRUE(old.key);
  EXPECT_FALSE(old.key->Generates());
  EXPECT_EQ(old.dns_auto->secret, "c2VjcmV0");
  ASSERT_TRUE(old.contact);
  EXPECT_EQ(old.contact->email, "x@a.example");
  EXPECT_TRUE(old.exact_names);
  EXPECT_TRUE(old.from_acme);
  for (const char* junk : {"", "[]", "null",
                           "{\"domains\":7,\"allowance\":{\"common\":\"x\"},"
                           "\"term_ends_at\":\"soon\",\"exact_names\":1}"}) {
    core::Application a = DecodeApplication(junk);
    EXPECT_FALSE(a.domains) << junk;
    EXPECT_FALSE(a.term_ends_at_micros) << junk;
    EXPECT_FALSE(a.exact_names) << junk;
  }
  EXPECT_TRUE(DecodeApplication("{}").Empty());
}

TEST(ValidationCodec, DetailsAndEvidenceRoundTrip) {
  ValidationDetails d;
  d.requested = "*.example.com";
  d.wildcard = true;
  d.record_name = "_dnsauth.example.com";
  d.dns_auto = core::DnsAutoSettings{"192.0.2.1:53", "example.com", "k.", "hmac-sha256", "", ""};
  d.perspectives = "2 of 2 remote perspectives corroborate";
  ValidationDetails back = DecodeValidationDetails(EncodeValidationDetails(d));
  EXPECT_EQ(back.requested, d.requested);
  EXPECT_TRUE(back.wildcard);
  EXPECT_EQ(back.record_name, d.record_name);
  ASSERT_TRUE(back.dns_auto);
  EXPECT_TRUE(back.dns_auto->SameSettings(*d.dns_auto));
  EXPECT_EQ(back.perspectives, d.perspectives);

  AttemptEvidence e;
  e.dcv = QuorumOutcome{{{"primary", true, "TXT x", "", "", "insecure"},
                         {"https://r1", false, "", "timeout", "no answer", ""}},
                        "1 of 1",
                        0,
                        1,
                        1};
  AttemptEvidence again = DecodeAttemptEvidence(EncodeAttemptEvidence(e));
  ASSERT_TRUE(again.dcv);
  ASSERT_EQ(again.dcv->results.size(), 2u);
  EXPECT_EQ(again.dcv->results[1].reason, "timeout");
  EXPECT_EQ(again.dcv->remote, 1);
  EXPECT_FALSE(again.caa);
  EXPECT_EQ(EncodeAttemptEvidence(AttemptEvidence{}), "{}");
  EXPECT_EQ(DecodeAttemptEvidence("not json").summary, "");
}

TEST(DeploymentTargetCodec, WhatIsWrittenReadsBackTheSame) {
  DeploymentTarget t;
  t.type = core::TargetType::kSsh;
  t.host = "web1.example.com";
  t.port = 2222;
  t.username = "deploy";
  t.host_key = "SHA256:abc";
  t.sealed_private_key = "v1.key";
  t.sealed_password = "v1.pass";
  t.files = {"/etc/tls/full.pem", "/etc/tls/key.pem", "", "/etc/tls/chain.pem", "/x.pfx", ""};
  t.reload_command = "systemctl reload nginx";
  t.sealed_keystore_password = "v1.ks";
  DeploymentTarget r;
  DecodeTargetSettings(EncodeTargetSettings(t), r);
  EXPECT_EQ(r.host, t.host);
  EXPECT_EQ(r.port, 2222);
  EXPECT_EQ(r.username, "deploy");
  EXPECT_EQ(r.host_key, "SHA256:abc");
  EXPECT_EQ(r.sealed_private_key, "v1.key");
  EXPECT_EQ(r.sealed_password, "v1.pass");
  EXPECT_EQ(r.files.fullchain, "/etc/tls/full.pem");
  EXPECT_EQ(r.files.private_key, "/etc/tls/key.pem");
  EXPECT_EQ(r.files.chain, "/etc/tls/chain.pem");
  EXPECT_EQ(r.files.pfx, "/x.pfx");
  EXPECT_TRUE(r.files.certificate.empty());
  EXPECT_EQ(r.reload_command, t.reload_command);
  EXPECT_EQ(r.sealed_keystore_password, "v1.ks");
}

TEST(DeploymentTargetCodec, DamagedTextReadsAsEmptyFields) {
  for (const char* text : {"", "null", "[1,2]", R"({"host": 7, "files": "x", "port": "22"})"}) {
    DeploymentTarget r;
    DecodeTargetSettings(text, r);
    EXPECT_TRUE(r.host.empty()) << text;
    EXPECT_TRUE(r.files.fullchain.empty()) << text;
    EXPECT_EQ(r.port, 0) << text;
  }
}

TEST(MonitorCheckCodec, WhatIsWrittenReadsBackTheSame) {
  AddressCheck a;
  a.address = "192.0.2.7";
  a.status = core::MonitorStatus::kWarning;
  a.certificate_id = "0a1b";
  a.tls_version = "TLSv1.3";
  ServedCertificate c;
  c.serial_hex = "0a1b";
  c.names = {"www.example.com", "192.0.2.7"};
  c.subject = "CN=www.example.com";
  c.issuer = "CN=Signet DV";
  c.not_before = FromUnixMicros(1700000000000000);
  c.not_after = FromUnixMicros(1710000000000000);
  c.sha256_hex = "ff00";
  c.key = "EC P-256";
  a.certificate = c;
  a.problems = {{"expires_soon", "in 5 days"}, {"weak_protocol", "TLSv1.1"}};
  AddressCheck unreachable;
  unreachable.address = "2001:db8::1";
  unreachable.problems = {{"unreachable", "refused"}};
  auto back = DecodeAddressChecks(EncodeAddressChecks({a, unreachable}));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].address, a.address);
  EXPECT_EQ(back[0].status, core::MonitorStatus::kWarning);
  EXPECT_EQ(back[0].certificate_id, "0a1b");
  EXPECT_EQ(back[0].tls_version, "TLSv1.3");
  ASSERT_TRUE(back[0].certificate);
  EXPECT_EQ(back[0].certificate->names, c.names);
  EXPECT_EQ(back[0].certificate->not_after, c.not_after);
  EXPECT_EQ(back[0].certificate->key, "EC P-256");
  ASSERT_EQ(back[0].problems.size(), 2u);
  EXPECT_EQ(back[0].problems[1].code, "weak_protocol");
  EXPECT_FALSE(back[1].certificate);
  EXPECT_EQ(back[1].status, core::MonitorStatus::kUnreachable);
}

TEST(MonitorCheckCodec, DamagedTextReadsAsWhatCanBeRead) {
  EXPECT_TRUE(DecodeAddressChecks("").empty());
  EXPECT_TRUE(DecodeAddressChecks("{}").empty());
  auto odd = DecodeAddressChecks(R"([7, {"status": "exploded", "problems": [1, {"code": "x"}]}])");
  ASSERT_EQ(odd.size(), 1u);
  EXPECT_EQ(odd[0].status, core::MonitorStatus::kUnreachable);
  ASSERT_EQ(odd[0].problems.size(), 1u);
  EXPECT_EQ(odd[0].problems[0].code, "x");
}

}  // namespace
}  // namespace signet::sa

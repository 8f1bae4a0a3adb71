// The issuance cycle against both storage backends, checked with the openssl command-line tool.
#include "signet/ca/certificate_authority.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "testing/shell.h"
#include "testing/test_database.h"

namespace signet::ca {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> NewPublicKey(bool rsa) {
  EVP_PKEY* key = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  std::vector<uint8_t> out(der, der + n);
  OPENSSL_free(der);
  EVP_PKEY_free(key);
  return out;
}

struct SimulatedCrash : std::runtime_error {
  SimulatedCrash() : std::runtime_error("crash") {}
};

class CertificateAuthorityTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("ca_issue_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    storage_ = testing::OpenFreshStorage(GetParam(), clock_, random_);
    ASSERT_NE(storage_, nullptr);
    auto h = CaHierarchy::LoadOrCreate({(dir_ / "ca").string(), "a long enough passphrase",
                                        "Signet Test", "CN", "https://ca.test"},
                                       clock_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hierarchy_ = std::move(h).value();
  }

  std::unique_ptr<CertificateAuthority> MakeCa(std::function<void(const std::string&)> hook = {}) {
    return std::make_unique<CertificateAuthority>(
        *hierarchy_, *storage_, clock_, random_,
        CertificateAuthorityOptions{"https://ca.test", 16, hook});
  }

  IssuanceRequest Request(const std::string& id, bool rsa = false) {
    IssuanceRequest r;
    r.issuance_id = id;
    r.account_id = "acct_test";
    r.dns_names = {"www.example.com", "example.com"};
    r.public_key_der = NewPublicKey(rsa);
    return r;
  }

  // `openssl verify` with only Signet's root trusted.
  std::string OpensslVerify(const IssuedCertificate& c) {
    std::ofstream(dir_ / "root.pem") << hierarchy_->root_pem();
    std::ofstream(dir_ / "chain.pem") << c.chain_pem;
    std::ofstream(dir_ / "leaf.pem") << c.certificate_pem;
    return testing::RunShell("openssl verify -purpose sslserver -CAfile " +
                             (dir_ / "root.pem").string() + " -untrusted " +
                             (dir_ / "chain.pem").string() + " " + (dir_ / "leaf.pem").string());
  }

  fs::path dir_;
  SystemClock clock_;
  SystemRandom random_;
  sa::Actor actor_{"system", "", "test", ""};
  std::unique_ptr<sa::Storage> storage_;
  std::unique_ptr<CaHierarchy> hierarchy_;
};

TEST_P(CertificateAuthorityTest, IssuesCertificatesThatOpensslVerifies) {
  auto ca = MakeCa();
  for (bool rsa : {false, true}) {
    auto issued = ca->Issue(Request(rsa ? "iss_rsa" : "iss_ec", rsa), actor_);
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    EXPECT_EQ(issued->issuer, rsa ? "rsa-1" : "ecdsa-1");
    EXPECT_NE(OpensslVerify(*issued).find(": OK"), std::string::npos) << OpensslVerify(*issued);
    auto days =
        std::chrono::duration_cast<std::chrono::seconds>(issued->not_after - issued->not_before)
            .count() +
        1;
    EXPECT_EQ(days, 199 * 86400);  // the BR 6.3.2 default on 2026-11-22, counted inclusively
    EXPECT_GE(issued->serial_hex.size(), 32u);
  }
  EXPECT_EQ(*storage_->CountCertificates(), 2);
}

TEST_P(CertificateAuthorityTest, IssuingTwiceReturnsTheSameCertificate) {
  auto ca = MakeCa();
  auto first = ca->Issue(Request("iss_same"), actor_);
  auto second = ca->Issue(Request("iss_same"), actor_);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->serial_hex, second->serial_hex);
  EXPECT_EQ(first->certificate_pem, second->certificate_pem);
  EXPECT_EQ(*storage_->CountCertificates(), 1);
}

TEST_P(CertificateAuthorityTest, LintFailuresRefuseWithTheLintName) {
  auto ca = MakeCa();
  IssuanceRequest too_long = Request("iss_long");
  too_long.validity_days = 300;
  auto refused = ca->Issue(too_long, actor_);
  EXPECT_EQ(refused.status().reason(), "e_validity_period_too_long");
  EXPECT_EQ(storage_->GetIssuance("iss_long")->state, sa::IssuanceState::kFailed);
  EXPECT_EQ(ca->Issue(too_long, actor_).status().reason(), "issuance_failed");
  IssuanceRequest ov = Request("iss_ov");
  ov.type = ProductType::kOv;
  ov.subject.country = "CN";
  ov.subject.locality = "Beijing";
  auto no_org = ca->Issue(ov, actor_);
  EXPECT_EQ(no_org.status().reason(), "e_ov_subject_organization_missing");
  ov.issuance_id = "iss_ov2";
  ov.subject.organization = "Example Ltd";
  EXPECT_TRUE(ca->Issue(ov, actor_).ok());
  EXPECT_EQ(*storage_->CountCertificates(), 1);
}

TEST_P(CertificateAuthorityTest, ACrashAtAnyStepLeavesExactlyOneCertificateAndNoReusedSerial) {
  int64_t expected = 0;
  for (const std::string step : {"reserved", "linted", "signed"}) {
    std::string id = "iss_crash_" + step;
    auto crashing = MakeCa([&](const std::string& s) {
      if (s == step) throw SimulatedCrash();
    });
    EXPECT_THROW((void)crashing->Issue(Request(id), actor_), SimulatedCrash);
    std::string reserved_serial = storage_->GetIssuance(id)->serial_hex;
    EXPECT_EQ(*storage_->CountCertificates(), expected);
    // After the restart.
    auto ca = MakeCa();
    EXPECT_EQ(*ca->ResumeUnfinished(actor_), 1) << step;
    ++expected;
    EXPECT_EQ(*storage_->CountCertificates(), expected);
    auto again = ca->Issue(Request(id), actor_);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->serial_hex, reserved_serial) << step;
    EXPECT_NE(OpensslVerify(*again).find(": OK"), std::string::npos);
    EXPECT_EQ(*ca->ResumeUnfinished(actor_), 0);
  }
  EXPECT_EQ(*storage_->CountCertificates(), 3);
  auto audit = storage_->VerifyAuditChain();
  EXPECT_TRUE(audit->intact) << audit->problem;
}

INSTANTIATE_TEST_SUITE_P(Backends, CertificateAuthorityTest,
                         ::testing::ValuesIn(testing::StorageBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace signet::ca

// Revocation shows in the shard's CRL, as `openssl verify -crl_check` sees it.
#include "signet/ca/crl_writer.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "signet/ca/certificate_authority.h"
#include "signet/common/encoding.h"
#include "testing/shell.h"
#include "testing/test_database.h"

namespace signet::ca {
namespace {

namespace fs = std::filesystem;

class CrlWriterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("crl_" + std::to_string(getpid()) + "_" + GetParam());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    storage_ = testing::OpenFreshStorage(GetParam(), clock_, random_);
    ASSERT_NE(storage_, nullptr);
    CaHierarchyOptions o;
    o.directory = (dir_ / "ca").string();
    o.passphrase = "a long enough passphrase";
    o.public_url = "https://ca.test";
    auto h = CaHierarchy::LoadOrCreate(o, clock_);
    ASSERT_TRUE(h.ok());
    hierarchy_ = std::move(h).value();
    ca_ = std::make_unique<CertificateAuthority>(
        *hierarchy_, *storage_, clock_, random_,
        CertificateAuthorityOptions{"https://ca.test", 4, {}});
    crls_ = std::make_unique<CrlWriter>(*hierarchy_, *storage_, clock_,
                                        CrlWriterOptions{"https://ca.test", 4});
  }

  IssuedCertificate Issue(const std::string& id) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    unsigned char* der = nullptr;
    int n = i2d_PUBKEY(key, &der);
    IssuanceRequest r;
    r.issuance_id = id;
    r.account_id = "acct_a";
    r.dns_names = {"a.example.com"};
    r.public_key_der.assign(der, der + n);
    OPENSSL_free(der);
    EVP_PKEY_free(key);
    auto issued = ca_->Issue(r, actor_);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return *issued;
  }

  std::string VerifyWithCrl(const IssuedCertificate& c) {
    int shard = ca_->CrlShardFor(c.serial_hex);
    auto der = crls_->Generate(c.issuer, shard);
    EXPECT_TRUE(der.ok()) << der.status().ToString();
    std::ofstream(dir_ / "crl.der", std::ios::binary) << *der;
    testing::RunShell("openssl crl -inform DER -in " + (dir_ / "crl.der").string() + " -out " +
                      (dir_ / "crl.pem").string());
    std::ofstream(dir_ / "root.pem") << hierarchy_->root_pem();
    std::ofstream(dir_ / "chain.pem") << c.chain_pem;
    std::ofstream(dir_ / "leaf.pem") << c.certificate_pem;
    return testing::RunShell("openssl verify -crl_check -CAfile " + (dir_ / "root.pem").string() +
                             " -untrusted " + (dir_ / "chain.pem").string() + " -CRLfile " +
                             (dir_ / "crl.pem").string() + " " + (dir_ / "leaf.pem").string());
  }

  fs::path dir_;
  SystemClock clock_;
  SystemRandom random_;
  sa::Actor actor_{"tester", "", "test", ""};
  std::unique_ptr<sa::Storage> storage_;
  std::unique_ptr<CaHierarchy> hierarchy_;
  std::unique_ptr<CertificateAuthority> ca_;
  std::unique_ptr<CrlWriter> crls_;
};

TEST_P(CrlWriterTest, RevokedCertificatesAppearInTheirShardsCrl) {
  IssuedCertificate good = Issue("iss_good");
  IssuedCertificate bad = Issue("iss_bad");
  EXPECT_NE(VerifyWithCrl(good).find(": OK"), std::string::npos) << VerifyWithCrl(good);
  EXPECT_NE(VerifyWithCrl(bad).find(": OK"), std::string::npos);
  auto revoked = storage_->RevokeCertificate("acct_a", bad.serial_hex, 1, actor_);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(storage_->RevokeCertificate("acct_a", bad.serial_hex, 1, actor_).status().reason(),
            "already_revoked");
  EXPECT_EQ(storage_->RevokeCertificate("acct_other", good.serial_hex, 1, actor_).status().code(),
            ErrorCode::kNotFound);
  std::string bad_result = VerifyWithCrl(bad);
  EXPECT_NE(bad_result.find("certificate revoked"), std::string::npos) << bad_result;
  EXPECT_NE(VerifyWithCrl(good).find(": OK"), std::string::npos);
  std::string text =
      testing::RunShell("openssl crl -in " + (dir_ / "crl.pem").string() + " -noout -text");
  EXPECT_NE(text.find("X509v3 CRL Number"), std::string::npos);
  EXPECT_NE(text.find("Issuing Distribution Point"), std::string::npos) << text;
}

TEST_P(CrlWriterTest, NumbersGrowAndEveryShardGetsACrl) {
  ASSERT_TRUE(crls_->RefreshAll().ok());
  auto first = storage_->GetCrl("ecdsa-1", 3);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(crls_->RefreshAll().ok());  // still fresh: nothing regenerated
  EXPECT_EQ(storage_->GetCrl("ecdsa-1", 3)->number, first->number);
  ASSERT_TRUE(crls_->RefreshAll(true).ok());
  EXPECT_GT(storage_->GetCrl("ecdsa-1", 3)->number, first->number);
  EXPECT_TRUE(storage_->GetCrl("rsa-1", 0).ok());
  EXPECT_EQ(ParseRevocationReason("certificateHold").status().reason(), "invalid_reason");
  EXPECT_EQ(*ParseRevocationReason("privilegeWithdrawn"), 9);
}

INSTANTIATE_TEST_SUITE_P(Backends, CrlWriterTest, ::testing::ValuesIn(testing::StorageBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace signet::ca

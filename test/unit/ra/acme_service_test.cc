// The ACME flow in ra, without a server or JWS (the world of ra_world.h): new order,
// authorizations, a dns-01 challenge, finalize with a CSR, and what the client is told at each
// step, including the refusals RFC 8555 names.
#include "signet/ra/acme_service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "signet/ca/crl_writer.h"
#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/ra/certificate_downloads.h"
#include "signet/ra/certificate_service.h"
#include "testing/shell.h"
#include "unit/ra/ra_world.h"

namespace signet::ra {
namespace {

class AcmeServiceTest : public RaWorld {
 protected:
  void SetUp() override {
    RaWorld::SetUp();
    if (HasFatalFailure()) return;
    crls_ = std::make_unique<ca::CrlWriter>(*hierarchy_, *storage_, clock_,
                                            ca::CrlWriterOptions{"https://ca.test"});
    certificates_ = std::make_unique<CertificateService>(
        *storage_, *orders_, *hierarchy_, *crls_, vault_, *notifier_, clock_, random_,
        CertificateServiceOptions{"https://ca.test"});
    downloads_ = std::make_unique<CertificateDownloads>(*storage_, *hierarchy_, vault_, random_);
    acme_ = std::make_unique<AcmeService>(*storage_, *names_, catalog_, *orders_, *validations_,
                                          *certificates_, *downloads_, vault_, clock_, random_,
                                          AcmeServiceOptions{});
    sa::AcmeAccount a;
    a.account_id = account_;
    a.key_thumbprint = "thumbprint-of-the-account-key";
    a.key_spki_base64 = "AAAA";
    bool created = false;
    auto stored = storage_->CreateAcmeAccount(a, &created, actor_);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    account_row_ = *stored;
  }

  // The DER of a CSR for `names` (its subject is the first) with a new P-256 key.
  std::string CsrDer(const std::string& names) {
    std::string first = names.substr(4, names.find(',') - 4);
    std::string key = (dir_ / "csr-key.pem").string(), der = (dir_ / "csr.der").string();
    fs::create_directories(dir_);
    testing::RunShell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + key);
    testing::RunShell("openssl req -new -key " + key + " -subj '/CN=" + first +
                      "' -addext 'subjectAltName=" + names + "' -outform DER -out " + der);
    std::ifstream in(der, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  // Answers dns-01 for the authorization as a client would: publishes the record, then asks.
  AcmeAuthorizationView SolveDns01(const std::string& authorization_id) {
    auto a = acme_->GetAuthorization(account_row_, authorization_id);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    std::string key_authorization = a->authorization.token + "." + account_row_.key_thumbprint;
    Sha256Digest digest = Sha256(std::string_view(key_authorization));
    perspective_.published["_acme-challenge." + a->authorization.identifier] =
        Base64UrlEncode(digest);
    auto answered = acme_->AnswerChallenge(account_row_, authorization_id, "dns-01",
                                           account_row_.key_thumbprint, actor_);
    EXPECT_TRUE(answered.ok()) << answered.status().ToString();
    // The check runs on the service's own threads: wait for its outcome.
    for (int i = 0; i < 500; ++i) {
      auto now = acme_->GetAuthorization(account_row_, authorization_id);
      if (now.ok() && now->status != core::AcmeAuthorizationStatus::kPending) return *now;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "the dns-01 check did not finish";
    return *a;
  }

  std::unique_ptr<ca::CrlWriter> crls_;
  std::unique_ptr<CertificateService> certificates_;
  std::unique_ptr<CertificateDownloads> downloads_;
  std::unique_ptr<AcmeService> acme_;
  sa::AcmeAccount account_row_;
};

TEST_P(AcmeServiceTest, AnOrderIsReadyOnceItsAuthorizationsAreValidAndIssuesOnFinalize) {
  int retry_after = 0;
  auto order = acme_->NewOrder(account_row_,
                               {{"dns", "www.acme.example.test"}, {"dns", "*.acme.example.test"}},
                               "", "", actor_, &retry_after);
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  EXPECT_EQ(order->status, core::AcmeOrderStatus::kPending);
  EXPECT_EQ(order->order.identifiers,
            (std::vector<std::string>{"www.acme.example.test", "*.acme.example.test"}));
  ASSERT_EQ(order->order.authorizations.size(), 2u);

  // Too early: orderNotReady (RFC 8555 7.4).
  std::string csr = CsrDer("DNS:www.acme.example.test,DNS:*.acme.example.test");
  EXPECT_EQ(acme_->Finalize(account_row_, order->order.order_id, csr, "account-key", actor_)
                .status()
                .code(),
            ErrorCode::kOrderNotReady);
  // A wildcard is proven by dns-01 only.
  std::string wildcard_authz = order->order.authorizations[1];
  EXPECT_EQ(acme_
                ->AnswerChallenge(account_row_, wildcard_authz, "http-01",
                                  account_row_.key_thumbprint, actor_)
                .status()
                .code(),
            ErrorCode::kNotFound);

  for (const auto& id : order->order.authorizations) {
    EXPECT_EQ(SolveDns01(id).status, core::AcmeAuthorizationStatus::kValid);
  }
  auto ready = acme_->GetOrder(account_row_, order->order.order_id);
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, core::AcmeOrderStatus::kReady);

  // The CSR names exactly the identifiers, or it is refused with badCSR.
  std::string fewer = CsrDer("DNS:www.acme.example.test");
  EXPECT_EQ(acme_->Finalize(account_row_, order->order.order_id, fewer, "account-key", actor_)
                .status()
                .code(),
            ErrorCode::kBadCsr);
  auto issued = acme_->Finalize(account_row_, order->order.order_id, csr, "account-key", actor_);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->status, core::AcmeOrderStatus::kValid);
  EXPECT_FALSE(issued->certificate_serial.empty());
  auto chains = acme_->CertificateChains(account_row_, issued->certificate_serial);
  ASSERT_TRUE(chains.ok()) << chains.status().ToString();
  EXPECT_NE((*chains)[0].find("BEGIN CERTIFICATE"), std::string::npos);
}

TEST_P(AcmeServiceTest, AFailedChallengeMakesTheOrderInvalidWithTheReason) {
  int retry_after = 0;
  auto order =
      acme_->NewOrder(account_row_, {{"dns", "fail.example.test"}}, "", "", actor_, &retry_after);
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  // Nothing published: the check fails and the authorization is invalid (RFC 8555 8.2).
  auto answered = acme_->AnswerChallenge(account_row_, order->order.authorizations[0], "dns-01",
                                         account_row_.key_thumbprint, actor_);
  ASSERT_TRUE(answered.ok()) << answered.status().ToString();
  AcmeOrderView view;
  for (int i = 0; i < 500; ++i) {
    view = *acme_->GetOrder(account_row_, order->order.order_id);
    if (view.status != core::AcmeOrderStatus::kPending) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(view.status, core::AcmeOrderStatus::kInvalid);
  EXPECT_NE(view.error, ErrorCode::kOk);
  EXPECT_NE(view.error_detail.find("fail.example.test"), std::string::npos) << view.error_detail;
  // Unsupported and refused identifiers.
  EXPECT_EQ(acme_->NewOrder(account_row_, {{"ip", "192.0.2.1"}}, "", "", actor_, &retry_after)
                .status()
                .code(),
            ErrorCode::kUnsupportedIdentifier);
  EXPECT_EQ(acme_
                ->NewOrder(account_row_, {{"dns", "x.example.test"}}, "no-such-profile", "", actor_,
                           &retry_after)
                .status()
                .code(),
            ErrorCode::kInvalidProfile);
}

INSTANTIATE_TEST_SUITE_P(Backends, AcmeServiceTest,
                         ::testing::ValuesIn(testing::StorageBackends()));

}  // namespace
}  // namespace signet::ra

// The order journey in ra, without a server: real storage (SQLite and PostgreSQL) and a real CA,
// with fakes where the outside world would answer: a perspective that sees only what the test
// "published", no DNS updates, and a mailer that keeps what it was given. Each test runs in
// milliseconds and says what the applicant sees at every step.
#include "signet/ra/order_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "signet/ca/ca_hierarchy.h"
#include "signet/ca/certificate_authority.h"
#include "signet/common/key_vault.h"
#include "signet/notify/mailer.h"
#include "signet/notify/notifier.h"
#include "signet/ra/domain_validation_service.h"
#include "signet/ra/product_catalog.h"
#include "signet/va/dns_updater.h"
#include "signet/va/domain_name.h"
#include "signet/va/perspective.h"
#include "testing/test_database.h"

namespace signet::ra {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Sees a TXT record only where the test published it; CAA always permits.
class FakePerspective final : public va::Perspective {
 public:
  std::string Name() const override { return "primary"; }
  va::PerspectiveResult Check(const va::CheckRequest& request) override {
    va::PerspectiveResult r;
    r.perspective = "primary";
    if (request.kind == "caa") {
      r.ok = true;
      return r;
    }
    auto it = published.find(request.name);
    r.ok = it != published.end() && it->second == request.expected;
    r.seen = it == published.end() ? "no record" : it->second;
    if (!r.ok) {
      r.reason = "no_record";
      r.error = "no TXT record with the value at " + request.name;
    }
    return r;
  }
  std::map<std::string, std::string> published;  // name -> TXT value
};

class NoDnsUpdates final : public va::DnsUpdater {
 public:
  Status AddTxt(const va::DnsUpdateTarget&, const std::string&, const std::string&, int) override {
    return Status::Ok();
  }
  Status RemoveTxt(const va::DnsUpdateTarget&, const std::string&, const std::string&) override {
    return Status::Ok();
  }
};

class KeptMail final : public notify::Mailer {
 public:
  Status Send(const notify::Email& email) override {
    sent.push_back(email);
    return Status::Ok();
  }
  std::vector<notify::Email> sent;
};

class OrderServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("ra_orders_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    storage_ = testing::OpenFreshStorage(GetParam(), clock_, random_);
    ASSERT_NE(storage_, nullptr);
    auto h = ca::CaHierarchy::LoadOrCreate({(dir_ / "ca").string(), "a long enough passphrase",
                                            "Signet Test", "CN", "https://ca.test"},
                                           clock_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hierarchy_ = std::move(h).value();
    auto names = va::NamePolicy::Create({{"test"}});
    ASSERT_TRUE(names.ok()) << names.status().ToString();
    names_ = std::move(names).value();
    corroborator_ = std::make_unique<va::Corroborator>(
        perspective_, std::vector<std::unique_ptr<va::Perspective>>{});
    DomainValidationOptions dcv;
    dcv.public_url = "https://ca.test";
    validations_ = std::make_unique<DomainValidationService>(
        *storage_, *names_, *corroborator_, updates_, mail_, vault_, clock_, random_, dcv);
    authority_ = std::make_unique<ca::CertificateAuthority>(
        *hierarchy_, *storage_, clock_, random_,
        ca::CertificateAuthorityOptions{"https://ca.test"});
    notifier_ =
        std::make_unique<notify::Notifier>(*storage_, mail_, clock_, notify::NotifierOptions{});
    orders_ = std::make_unique<OrderService>(
        *storage_, catalog_, *names_, *validations_, *authority_, *hierarchy_, vault_, *notifier_,
        clock_, random_, OrderOptions{dir_.string(), 1 << 20, "https://ca.test"});
    auto account = storage_->CreateAccount("applicant", actor_);
    ASSERT_TRUE(account.ok());
    account_ = account->id;
    actor_.account_id = account_;
  }
  void TearDown() override { fs::remove_all(dir_); }

  sa::Order SubmittedDv(const std::string& domain) {
    auto o = orders_->Create(account_, "dv-single", actor_);
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    json app = {{"domains", {domain}},
                {"key", {{"generate", {{"algorithm", "ecdsa-p256"}}}}},
                {"applicant_type", "individual"},
                {"administrator",
                 {{"name", "Li Lei"},
                  {"position", "IT"},
                  {"phone", "+86 10 1234 5678"},
                  {"email", "lilei@example.com"}}},
                {"contact", "same_as_administrator"},
                {"validation_method", "dns_txt"}};
    auto filled = orders_->PutApplication(account_, o->id, app.dump(), actor_);
    EXPECT_TRUE(filled.ok()) << filled.status().ToString();
    auto submitted = orders_->Submit(account_, o->id, actor_);
    EXPECT_TRUE(submitted.ok()) << submitted.status().ToString();
    return *submitted;
  }

  std::vector<sa::DomainValidation> ValidationsOf(const sa::Order& o) {
    std::vector<sa::DomainValidation> out;
    auto links = storage_->ListOrderValidations(o.id);
    EXPECT_TRUE(links.ok());
    for (const auto& [domain, id] : *links) {
      out.push_back(*storage_->GetDomainValidation(account_, id));
    }
    return out;
  }

  void Publish(const sa::DomainValidation& v) {
    perspective_.published[json::parse(v.details)["record_name"].get<std::string>()] = v.token;
  }

  fs::path dir_;
  ManualClock clock_{testing::TestEpoch()};
  SystemRandom random_;
  KeyVault vault_ = KeyVault::FromKey(std::vector<uint8_t>(32, 7), random_);
  sa::Actor actor_{"tester", "", "cli", ""};
  std::unique_ptr<sa::Storage> storage_;
  std::unique_ptr<ca::CaHierarchy> hierarchy_;
  std::unique_ptr<va::NamePolicy> names_;
  FakePerspective perspective_;
  NoDnsUpdates updates_;
  KeptMail mail_;
  std::unique_ptr<va::Corroborator> corroborator_;
  ProductCatalog catalog_ = ProductCatalog::Default();
  std::unique_ptr<DomainValidationService> validations_;
  std::unique_ptr<ca::CertificateAuthority> authority_;
  std::unique_ptr<notify::Notifier> notifier_;
  std::unique_ptr<OrderService> orders_;
  std::string account_;
};

TEST_P(OrderServiceTest, ADvOrderAsksForOneRecordAndIssuesOnceItIsSeen) {
  sa::Order o = SubmittedDv("www.shop.example.test");
  EXPECT_EQ(o.status, core::OrderStatus::kProcessing);
  EXPECT_EQ(o.dcv_status, core::DcvStatus::kPending);
  EXPECT_TRUE(core::NeedsApplicant(o.State()));
  // www.shop and shop: one validation of shop proves both (BR 3.2.2.4.7).
  std::vector<sa::DomainValidation> vs = ValidationsOf(o);
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].domain, "shop.example.test");

  auto unchanged = orders_->CheckValidations(account_, o.id, actor_);
  ASSERT_TRUE(unchanged.ok()) << unchanged.status().ToString();
  EXPECT_EQ(unchanged->status, core::OrderStatus::kProcessing);

  Publish(vs[0]);
  auto issued = orders_->CheckValidations(account_, o.id, actor_);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->status, core::OrderStatus::kIssued);
  EXPECT_FALSE(issued->certificate_serial.empty());
  EXPECT_EQ(core::AllowedActions(issued->State()),
            std::vector<core::OrderAction>{core::OrderAction::kDownload});
  auto cancel = orders_->Cancel(account_, o.id, actor_);
  EXPECT_EQ(cancel.status().reason(), "already_issued");
}

TEST_P(OrderServiceTest, AValidNameIsReusedByTheNextOrder) {
  sa::Order first = SubmittedDv("api.example.test");
  Publish(ValidationsOf(first)[0]);
  ASSERT_EQ(orders_->CheckValidations(account_, first.id, actor_)->status,
            core::OrderStatus::kIssued);
  // Within the reuse period (BR 4.2.1) the next order needs nothing from the applicant.
  sa::Order second = SubmittedDv("api.example.test");
  EXPECT_EQ(second.dcv_status, core::DcvStatus::kValid);
  EXPECT_EQ(ValidationsOf(second)[0].id, ValidationsOf(first)[0].id);
}

TEST_P(OrderServiceTest, AnExpiredValidationIsStartedAgainWithANewValue) {
  sa::Order o = SubmittedDv("late.example.test");
  sa::DomainValidation stale = ValidationsOf(o)[0];
  EXPECT_EQ(orders_->RestartValidation(account_, o.id, stale.id, actor_).status().reason(),
            "validation_not_stopped");

  clock_.Advance(std::chrono::hours(24 * 31));  // past the random value's 30 days (BR 3.2.2.4)
  Publish(stale);                               // too late
  auto failed = orders_->CheckValidations(account_, o.id, actor_);
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_EQ(failed->dcv_status, core::DcvStatus::kFailed);
  EXPECT_TRUE(core::Allows(failed->State(), core::OrderAction::kRestartValidation));

  auto restarted = orders_->RestartValidation(account_, o.id, stale.id, actor_);
  ASSERT_TRUE(restarted.ok()) << restarted.status().ToString();
  EXPECT_EQ(restarted->dcv_status, core::DcvStatus::kPending);
  sa::DomainValidation fresh = ValidationsOf(o)[0];
  EXPECT_NE(fresh.id, stale.id);
  EXPECT_NE(fresh.token, stale.token);
  EXPECT_EQ(fresh.status, core::ValidationStatus::kPending);

  Publish(fresh);
  EXPECT_EQ(orders_->CheckValidations(account_, o.id, actor_)->status, core::OrderStatus::kIssued);
  // Someone else's order is simply not there.
  EXPECT_EQ(orders_->RestartValidation("acct_other", o.id, fresh.id, actor_).status().code(),
            ErrorCode::kNotFound);
}

TEST_P(OrderServiceTest, TheNextCertificateOfATermIsMadeOnceHoweverOftenItIsAskedFor) {
  sa::Order o = SubmittedDv("term.example.test");
  Publish(ValidationsOf(o)[0]);
  sa::Order issued = *orders_->CheckValidations(account_, o.id, actor_);
  ASSERT_EQ(issued.status, core::OrderStatus::kIssued);
  auto first = orders_->ContinueCertificate(account_, issued.certificate_serial, issued.id,
                                            "term.next_certificate", actor_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = orders_->ContinueCertificate(account_, issued.certificate_serial, issued.id,
                                            "term.next_certificate", actor_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(first->id, again->id);
  EXPECT_EQ(first->continues_certificate_id, issued.certificate_serial);
  EXPECT_NE(first->status, core::OrderStatus::kPendingInformation) << "submitted";
}

INSTANTIATE_TEST_SUITE_P(Backends, OrderServiceTest,
                         ::testing::ValuesIn(testing::StorageBackends()));

}  // namespace
}  // namespace signet::ra

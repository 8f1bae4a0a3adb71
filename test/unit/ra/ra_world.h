// The ra test world: real storage (SQLite and PostgreSQL) and a real CA, with fakes where the
// outside world would answer: a perspective that sees only what the test "published", no DNS
// updates, and a mailer that keeps what it was given. Shared by the ra unit tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "signet/ca/ca_hierarchy.h"
#include "signet/ca/certificate_authority.h"
#include "signet/common/key_vault.h"
#include "signet/notify/mailer.h"
#include "signet/notify/notifier.h"
#include "signet/ra/domain_validation_service.h"
#include "signet/ra/order_service.h"
#include "signet/ra/product_catalog.h"
#include "signet/va/dns_updater.h"
#include "signet/va/domain_name.h"
#include "signet/va/perspective.h"
#include "testing/test_database.h"

namespace signet::ra {

namespace fs = std::filesystem;

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

class RaWorld : public ::testing::TestWithParam<std::string> {
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
    core::Application app;
    app.domains = std::vector<std::string>{domain};
    app.key = core::KeyChoice{};
    app.key->algorithm = "ecdsa-p256";
    app.applicant_type = "individual";
    app.administrator = core::Person{"Li Lei", "IT", "+86 10 1234 5678", "lilei@example.com"};
    app.contact_same_as_administrator = true;
    app.validation_method = "dns_txt";
    auto filled = orders_->PutApplication(account_, o->id, app, actor_);
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
    perspective_.published[v.details.record_name] = v.token;
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

}  // namespace signet::ra

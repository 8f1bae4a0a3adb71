// Domain validations and their attempts, on SQLite and PostgreSQL alike.
#include <gtest/gtest.h>

#include "signet/sa/storage.h"
#include "testing/test_database.h"

namespace signet::sa {
namespace {

class ValidationStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    storage_ = testing::OpenFreshStorage(GetParam(), clock_, random_);
    ASSERT_NE(storage_, nullptr);
    account_ = storage_->CreateAccount("a", actor_)->id;
    other_ = storage_->CreateAccount("b", actor_)->id;
  }

  DomainValidation Create(const std::string& account, const std::string& domain) {
    DomainValidation v;
    v.account_id = account;
    v.domain = domain;
    v.method = "dns_txt";
    v.token = "token-" + domain;
    v.br_method = "3.2.2.4.7";
    v.email_token_hash = "hash-" + domain;
    v.token_expires_at = clock_.Now() + std::chrono::hours(720);
    auto created = storage_->CreateDomainValidation(v, actor_);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : DomainValidation{};
  }

  ManualClock clock_{testing::TestEpoch()};
  SystemRandom random_;
  Actor actor_{"tester", "", "127.0.0.1", "req-1"};
  std::unique_ptr<Storage> storage_;
  std::string account_, other_;
};

TEST_P(ValidationStoreTest, ScopedByAccount) {
  DomainValidation v = Create(account_, "www.example.com");
  EXPECT_EQ(v.status, core::ValidationStatus::kPending);
  EXPECT_TRUE(storage_->GetDomainValidation(account_, v.id).ok());
  EXPECT_TRUE(storage_->GetDomainValidation("", v.id).ok()) << "system access";
  EXPECT_EQ(storage_->GetDomainValidation(other_, v.id).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(storage_->ListDomainValidations(other_, "", {})->items.empty());
  EXPECT_EQ(storage_->ListDomainValidations(account_, "www.example.com", {})->items.size(), 1u);
  EXPECT_TRUE(storage_->ListDomainValidations(account_, "other.example", {})->items.empty());
  EXPECT_EQ(storage_->FindDomainValidationByEmailToken("hash-www.example.com")->id, v.id);
  EXPECT_FALSE(storage_->FindDomainValidationByEmailToken("").ok());
}

TEST_P(ValidationStoreTest, AttemptsRecordTheOutcomeOnce) {
  DomainValidation v = Create(account_, "a.example.com");
  ValidationAttempt failed;
  failed.at = clock_.Now();
  failed.method = "dns_txt";
  failed.reason = "nxdomain";
  failed.error = "no record";
  v.checks = 1;
  v.last_reason = "nxdomain";
  ASSERT_TRUE(storage_->RecordValidationAttempt(v, failed, actor_).ok());

  clock_.Advance(std::chrono::minutes(5));
  ValidationAttempt ok = failed;
  ok.at = clock_.Now();
  ok.valid = true;
  ok.reason.clear();
  v.status = core::ValidationStatus::kValid;
  v.validated_at = clock_.Now();
  v.checks = 2;
  auto done = storage_->RecordValidationAttempt(v, ok, actor_);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  // A second checker that finished later does not overwrite the outcome.
  auto late = storage_->RecordValidationAttempt(v, failed, actor_);
  EXPECT_EQ(late.status().reason(), "not_pending");

  auto stored = storage_->GetDomainValidation(account_, v.id);
  EXPECT_EQ(stored->status, core::ValidationStatus::kValid);
  EXPECT_EQ(stored->checks, 2);
  ASSERT_TRUE(stored->validated_at.has_value());
  auto attempts = storage_->ListValidationAttempts(account_, v.id, {});
  ASSERT_EQ(attempts->items.size(), 2u);
  EXPECT_TRUE(attempts->items[0].valid);  // newest first
  EXPECT_EQ(attempts->items[1].reason, "nxdomain");
  EXPECT_TRUE(storage_->ListValidationAttempts(other_, v.id, {})->items.empty());

  EXPECT_EQ(
      storage_->ListValidDomainValidations(account_, clock_.Now() - std::chrono::hours(1))->size(),
      1u);
  EXPECT_TRUE(storage_->ListValidDomainValidations(account_, clock_.Now() + std::chrono::hours(1))
                  ->empty());
  EXPECT_TRUE(storage_->ListValidDomainValidations(other_, TimePoint{})->empty());
  auto verified = storage_->VerifyAuditChain();
  EXPECT_TRUE(verified->intact);
}

INSTANTIATE_TEST_SUITE_P(Backends, ValidationStoreTest,
                         ::testing::ValuesIn(testing::StorageBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace signet::sa

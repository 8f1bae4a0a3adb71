#include "signet/accounts/account_service.h"

#include <gtest/gtest.h>

#include "testing/test_database.h"

namespace signet::accounts {
namespace {

class AccountServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    storage_ = testing::OpenFreshStorage(GetParam(), clock_, random_);
    ASSERT_NE(storage_, nullptr);
    AccountServiceOptions options;
    options.password_params = {10, 8, 1};
    service_ = std::make_unique<AccountService>(*storage_, clock_, random_, options);
  }
  ManualClock clock_{testing::TestEpoch()};
  SystemRandom random_;
  sa::Actor actor_{"tester", "", "cli", ""};
  std::unique_ptr<sa::Storage> storage_;
  std::unique_ptr<AccountService> service_;
};

TEST_P(AccountServiceTest, CreateUserRulesExplainThemselves) {
  EXPECT_EQ(service_->CreateUser("not-an-email", "owner", "alpha", "", actor_).status().reason(),
            "invalid_email");
  EXPECT_EQ(service_->CreateUser("a@x.com", "boss", "alpha", "", actor_).status().reason(),
            "invalid_role");
  EXPECT_EQ(service_->CreateUser("a@x.com", "owner", "", "", actor_).status().reason(),
            "account_required");
  EXPECT_EQ(service_->CreateUser("a@x.com", "owner", "alpha", "short", actor_).status().reason(),
            "weak_password");
  auto owner = service_->CreateUser("A@X.com", "owner", "alpha", "", actor_);
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->email, "a@x.com");
  auto member = service_->CreateUser("b@x.com", "member", "alpha", "", actor_);
  EXPECT_EQ(member->account_id, owner->account_id);
  auto reviewer = service_->CreateUser("r@ca.com", "reviewer", "", "", actor_);
  EXPECT_EQ(storage_->GetAccount(reviewer->account_id)->name, kStaffAccountName);
}

TEST_P(AccountServiceTest, ApiKeysAuthenticateUntilRevoked) {
  auto user = service_->CreateUser("a@x.com", "owner", "alpha", "", actor_);
  auto issued = service_->CreateApiKeyForEmail("a@x.com", "ci", actor_);
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->secret.rfind("sk_", 0), 0u);
  EXPECT_NE(issued->key.key_hash, issued->secret);
  auto p = service_->AuthenticateApiKey(issued->secret);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->user_id, user->id);
  EXPECT_EQ(p->account_id, user->account_id);
  EXPECT_EQ(service_->AuthenticateApiKey(issued->secret + "x").status().code(),
            ErrorCode::kUnauthorized);
  ASSERT_TRUE(storage_->RevokeApiKey(user->account_id, issued->key.id, actor_).ok());
  EXPECT_EQ(service_->AuthenticateApiKey(issued->secret).status().code(), ErrorCode::kUnauthorized);
}

TEST_P(AccountServiceTest, LoginCreatesASessionThatExpires) {
  ASSERT_TRUE(
      service_->CreateUser("a@x.com", "owner", "alpha", "correct horse battery", actor_).ok());
  EXPECT_EQ(service_->Login("a@x.com", "wrong password!", actor_).status().code(),
            ErrorCode::kUnauthorized);
  EXPECT_EQ(service_->Login("nobody@x.com", "correct horse battery", actor_).status().code(),
            ErrorCode::kUnauthorized);
  auto login = service_->Login("a@x.com", "correct horse battery", actor_);
  ASSERT_TRUE(login.ok());
  EXPECT_FALSE(login->principal.csrf_token.empty());
  auto p = service_->AuthenticateSession(login->session_token);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->csrf_token, login->principal.csrf_token);
  clock_.Advance(std::chrono::hours(13));
  EXPECT_EQ(service_->AuthenticateSession(login->session_token).status().code(),
            ErrorCode::kUnauthorized);
  // The refused logins are in the audit log too.
  auto events = storage_->ListAuditEvents("", {100, ""});
  int refused = 0;
  for (const auto& e : events->items) refused += e.action == "session.login_refused";
  EXPECT_EQ(refused, 2);
}

TEST_P(AccountServiceTest, InitialAdminIsCreatedOnce) {
  auto first = service_->EnsureInitialAdmin();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_TRUE(service_->AuthenticateApiKey((*first)->api_key).ok());
  EXPECT_TRUE(service_->Login(kInitialAdminEmail, (*first)->password, actor_).ok());
  auto second = service_->EnsureInitialAdmin();
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountServiceTest,
                         ::testing::ValuesIn(testing::StorageBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace signet::accounts

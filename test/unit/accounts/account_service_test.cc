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
  auto issued = service_->CreateApiKeyForEmail("a@x.com", "", "ci", actor_);
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->secret.rfind("sk_", 0), 0u);
  EXPECT_NE(issued->key.key_hash, issued->secret);
  auto p = service_->AuthenticateApiKey(issued->secret);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->user_id, user->user_id);
  EXPECT_EQ(p->account_id, user->account_id);
  EXPECT_EQ(service_->AuthenticateApiKey(issued->secret + "x").status().code(),
            ErrorCode::kUnauthorized);
  ASSERT_TRUE(storage_->RevokeApiKey(user->account_id, issued->key.id, actor_).ok());
  EXPECT_EQ(service_->AuthenticateApiKey(issued->secret).status().code(), ErrorCode::kUnauthorized);
}

TEST_P(AccountServiceTest, LoginCreatesASessionThatExpires) {
  ASSERT_TRUE(
      service_->CreateUser("a@x.com", "owner", "alpha", "correct horse battery", actor_).ok());
  EXPECT_EQ(service_->Login("a@x.com", "wrong password!", "", actor_).status().code(),
            ErrorCode::kUnauthorized);
  EXPECT_EQ(service_->Login("nobody@x.com", "correct horse battery", "", actor_).status().code(),
            ErrorCode::kUnauthorized);
  auto login = service_->Login("a@x.com", "correct horse battery", "", actor_);
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
  EXPECT_TRUE(service_->Login(kInitialAdminEmail, (*first)->password, "", actor_).ok());
  auto second = service_->EnsureInitialAdmin();
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
}

TEST_P(AccountServiceTest, AnInvitationIsTheSameWhoeverTheAddressBelongsTo) {
  auto theirs = service_->CreateUser("p@x.com", "owner", "theirs", "their own password", actor_);
  ASSERT_TRUE(theirs.ok());
  clock_.Advance(std::chrono::seconds(1));
  auto mine = service_->CreateUser("o@y.com", "owner", "mine", "", actor_);
  ASSERT_TRUE(mine.ok());
  auto known = service_->Invite("P@x.com", "member", mine->account_id, actor_);
  auto unknown = service_->Invite("new@x.com", "member", mine->account_id, actor_);
  ASSERT_TRUE(known.ok());
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(known->member.status, sa::MembershipStatus::kInvited);
  EXPECT_EQ(unknown->member.status, sa::MembershipStatus::kInvited);
  EXPECT_EQ(known->member.invitation_expires_at, unknown->member.invitation_expires_at);
  // Inviting twice into one account is about that account only.
  EXPECT_EQ(service_->Invite("p@x.com", "member", mine->account_id, actor_).status().reason(),
            "already_member");
  // Invited people cannot act in the account yet.
  EXPECT_EQ(
      service_->Login("p@x.com", "their own password", mine->account_id, actor_).status().code(),
      ErrorCode::kForbidden);

  // The known person accepts with their own password, never a new one.
  auto view = service_->LookUpInvitation(known->token);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->password_set);
  EXPECT_EQ(view->account_name, "mine");
  EXPECT_EQ(
      service_->AcceptInvitation(known->token, "a brand new password", actor_).status().code(),
      ErrorCode::kUnauthorized);
  auto accepted = service_->AcceptInvitation(known->token, "their own password", actor_);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->principal.account_id, mine->account_id);
  EXPECT_EQ(accepted->principal.role, sa::Role::kMember);
  EXPECT_EQ(service_->LookUpInvitation(known->token).status().reason(), "invitation_invalid");
  // Signing in picks the first account; switching moves the session.
  auto login = service_->Login("p@x.com", "their own password", "", actor_);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->principal.account_id, theirs->account_id);
  EXPECT_EQ(service_->AccountsOf(theirs->user_id)->size(), 2u);
  auto switched = service_->SwitchAccount(login->session_token, mine->account_id, actor_);
  ASSERT_TRUE(switched.ok());
  EXPECT_EQ(service_->AuthenticateSession(login->session_token)->account_id, mine->account_id);
  EXPECT_EQ(service_->AuthenticateSession(login->session_token)->role, sa::Role::kMember);

  // The new person chooses a password (12+ characters), once.
  auto fresh = service_->LookUpInvitation(unknown->token);
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->password_set);
  EXPECT_EQ(service_->AcceptInvitation(unknown->token, "short", actor_).status().reason(),
            "weak_password");
  ASSERT_TRUE(service_->AcceptInvitation(unknown->token, "a brand new password", actor_).ok());
  EXPECT_TRUE(service_->Login("new@x.com", "a brand new password", "", actor_).ok());
}

TEST_P(AccountServiceTest, InvitationsExpireAndRenewalReplacesTheLink) {
  auto owner = service_->CreateUser("o@y.com", "owner", "mine", "", actor_);
  auto inv = service_->Invite("n@x.com", "member", owner->account_id, actor_);
  ASSERT_TRUE(inv.ok());
  auto renewed = service_->RenewInvitation(inv->member.user_id, owner->account_id, actor_);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(service_->LookUpInvitation(inv->token).status().reason(), "invitation_invalid");
  EXPECT_TRUE(service_->LookUpInvitation(renewed->token).ok());
  // Withdrawn, it cannot be enabled without the person accepting; a fresh link re-opens it.
  ASSERT_TRUE(service_
                  ->UpdateMember(inv->member.user_id, owner->account_id, std::nullopt,
                                 sa::MembershipStatus::kDisabled, actor_)
                  .ok());
  EXPECT_EQ(service_->LookUpInvitation(renewed->token).status().reason(), "invitation_invalid");
  EXPECT_EQ(service_
                ->UpdateMember(inv->member.user_id, owner->account_id, std::nullopt,
                               sa::MembershipStatus::kActive, actor_)
                .status()
                .reason(),
            "not_accepted");
  renewed = service_->RenewInvitation(inv->member.user_id, owner->account_id, actor_);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->member.status, sa::MembershipStatus::kInvited);
  EXPECT_TRUE(service_->LookUpInvitation(renewed->token).ok());
  clock_.Advance(std::chrono::hours(24 * 7 + 1));
  EXPECT_EQ(service_->LookUpInvitation(renewed->token).status().reason(), "invitation_invalid");
  EXPECT_EQ(
      service_->AcceptInvitation(renewed->token, "a brand new password", actor_).status().reason(),
      "invitation_invalid");
}

TEST_P(AccountServiceTest, DisablingStopsSessionsAndKeysButNeverTheLastOwner) {
  auto owner = service_->CreateUser("o@y.com", "owner", "mine", "the owner password", actor_);
  auto member = service_->CreateUser("m@y.com", "member", "mine", "the member password", actor_);
  ASSERT_TRUE(owner.ok());
  ASSERT_TRUE(member.ok());
  auto key = service_->CreateApiKey(member->user_id, member->account_id, "ci", actor_);
  auto login = service_->Login("m@y.com", "the member password", "", actor_);
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(service_
                  ->UpdateMember(member->user_id, member->account_id, std::nullopt,
                                 sa::MembershipStatus::kDisabled, actor_)
                  .ok());
  EXPECT_EQ(service_->AuthenticateApiKey(key->secret).status().code(), ErrorCode::kUnauthorized);
  EXPECT_EQ(service_->AuthenticateSession(login->session_token).status().code(),
            ErrorCode::kUnauthorized);
  EXPECT_EQ(service_->Login("m@y.com", "the member password", "", actor_).status().code(),
            ErrorCode::kForbidden);
  EXPECT_EQ(
      service_
          ->UpdateMember(owner->user_id, owner->account_id, sa::Role::kMember, std::nullopt, actor_)
          .status()
          .reason(),
      "last_owner");
  ASSERT_TRUE(service_
                  ->UpdateMember(member->user_id, member->account_id, sa::Role::kOwner,
                                 sa::MembershipStatus::kActive, actor_)
                  .ok());
  EXPECT_TRUE(service_->AuthenticateApiKey(key->secret).ok());
  EXPECT_TRUE(service_
                  ->UpdateMember(owner->user_id, owner->account_id, std::nullopt,
                                 sa::MembershipStatus::kDisabled, actor_)
                  .ok());
}

TEST_P(AccountServiceTest, OperatorsResetPasswords) {
  ASSERT_TRUE(service_->CreateUser("o@y.com", "owner", "mine", "the first password", actor_).ok());
  EXPECT_EQ(service_->ResetPassword("o@y.com", "short", actor_).reason(), "weak_password");
  EXPECT_EQ(service_->ResetPassword("nobody@y.com", "the second password", actor_).code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(service_->ResetPassword("O@y.com", "the second password", actor_).ok());
  EXPECT_FALSE(service_->Login("o@y.com", "the first password", "", actor_).ok());
  EXPECT_TRUE(service_->Login("o@y.com", "the second password", "", actor_).ok());
  // An operator adding a person who already has a password never replaces it.
  EXPECT_EQ(service_->CreateUser("o@y.com", "owner", "other", "a third password!", actor_)
                .status()
                .reason(),
            "password_already_set");
  EXPECT_TRUE(service_->CreateUser("o@y.com", "owner", "other", "", actor_).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountServiceTest,
                         ::testing::ValuesIn(testing::StorageBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace signet::accounts

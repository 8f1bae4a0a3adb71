// Storage behaviour, run against SQLite and PostgreSQL alike.
#include "signet/sa/storage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "testing/test_database.h"

namespace signet::sa {
namespace {

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    storage_ = testing::OpenFreshStorage(GetParam(), clock_, random_);
    ASSERT_NE(storage_, nullptr);
  }

  User MakeUser(const std::string& account_id, const std::string& email) {
    Membership m;
    m.account_id = account_id;
    m.email = email;
    m.role = Role::kOwner;
    auto created = storage_->AddMember(m, "", actor_);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (!created.ok()) return User{};
    return *storage_->GetUser(created->user_id);
  }

  ManualClock clock_{testing::TestEpoch()};
  SystemRandom random_;
  Actor actor_{"tester", "", "127.0.0.1", "req-1"};
  std::unique_ptr<Storage> storage_;
};

TEST_P(StorageTest, AServiceFactIsRecordedOnceAndTheFirstValueStays) {
  EXPECT_EQ(*storage_->GetServiceFact("master_key_check"), "");
  EXPECT_EQ(*storage_->RecordServiceFact("master_key_check", "first"), "first");
  EXPECT_EQ(*storage_->RecordServiceFact("master_key_check", "second"), "first");
  EXPECT_EQ(*storage_->GetServiceFact("master_key_check"), "first");
}

TEST_P(StorageTest, MigrationIsIdempotentAndVersioned) {
  EXPECT_TRUE(storage_->Migrate().ok());
  auto version = storage_->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_GE(*version, 1);
  EXPECT_TRUE(storage_->Ping().ok());
  EXPECT_EQ(storage_->Backend(), GetParam());
}

TEST_P(StorageTest, AccountsUsersAndDuplicates) {
  auto a = storage_->CreateAccount("alpha", actor_);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(storage_->CreateAccount("alpha", actor_).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(storage_->GetAccountByName("alpha")->id, a->id);
  User u = MakeUser(a->id, "a@example.com");
  EXPECT_EQ(storage_->GetUserByEmail("a@example.com")->id, u.id);
  Membership dup;
  dup.account_id = a->id;
  dup.email = "a@example.com";
  EXPECT_EQ(storage_->AddMember(dup, "", actor_).status().reason(), "already_member");
  EXPECT_EQ(storage_->GetUser("user_nope").status().code(), ErrorCode::kNotFound);
}

TEST_P(StorageTest, OnePersonBelongsToSeveralAccountsWithOwnRoles) {
  auto a = storage_->CreateAccount("alpha", actor_);
  auto b = storage_->CreateAccount("beta", actor_);
  Membership in_a;
  in_a.account_id = a->id;
  in_a.email = "p@example.com";
  in_a.role = Role::kOwner;
  auto first = storage_->AddMember(in_a, "hash-of-p", actor_);
  ASSERT_TRUE(first.ok());
  Membership in_b = in_a;
  in_b.account_id = b->id;
  in_b.role = Role::kMember;
  in_b.status = MembershipStatus::kInvited;
  in_b.invitation_hash = "inv-hash";
  in_b.invitation_expires_at = clock_.Now() + std::chrono::hours(1);
  // The existing person's password is not replaced by the second call's.
  auto second = storage_->AddMember(in_b, "another-hash", actor_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->user_id, first->user_id);
  EXPECT_EQ(storage_->GetUser(first->user_id)->password_hash, "hash-of-p");
  EXPECT_EQ(storage_->GetMembership(first->user_id, b->id)->role, Role::kMember);
  EXPECT_EQ(storage_->ListMembershipsOfUser(first->user_id)->size(), 2u);
  EXPECT_EQ(storage_->ListMembers(a->id, {})->items.size(), 1u);
  EXPECT_EQ(storage_->ListMembers("", {})->items.size(), 2u);
  auto found = storage_->FindMembershipByInvitation("inv-hash");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->account_id, b->id);
  EXPECT_EQ(found->status, MembershipStatus::kInvited);
  // Accepting with a first password is refused: the person has one.
  EXPECT_EQ(storage_->AcceptInvitation(first->user_id, b->id, "new", actor_).reason(),
            "password_already_set");
  EXPECT_EQ(storage_->GetMembership(first->user_id, b->id)->status, MembershipStatus::kInvited);
  ASSERT_TRUE(storage_->AcceptInvitation(first->user_id, b->id, "", actor_).ok());
  auto accepted = storage_->GetMembership(first->user_id, b->id);
  EXPECT_EQ(accepted->status, MembershipStatus::kActive);
  EXPECT_TRUE(accepted->invitation_hash.empty());
  EXPECT_EQ(storage_->FindMembershipByInvitation("inv-hash").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(storage_->AcceptInvitation(first->user_id, b->id, "", actor_).reason(),
            "invitation_used");
  accepted->status = MembershipStatus::kDisabled;
  ASSERT_TRUE(storage_->UpdateMembership(*accepted, "user.update", actor_).ok());
  EXPECT_EQ(storage_->GetMembership(first->user_id, b->id)->status, MembershipStatus::kDisabled);
}

TEST_P(StorageTest, APersonWithoutAPasswordGetsTheOperatorsInTheSameCall) {
  auto a = storage_->CreateAccount("alpha", actor_);
  auto b = storage_->CreateAccount("beta", actor_);
  Membership keys_only;
  keys_only.account_id = a->id;
  keys_only.email = "k@example.com";
  auto k = storage_->AddMember(keys_only, "", actor_);
  ASSERT_TRUE(k.ok());
  keys_only.account_id = b->id;
  ASSERT_TRUE(storage_->AddMember(keys_only, "hash-of-k", actor_).ok());
  EXPECT_EQ(storage_->GetUser(k->user_id)->password_hash, "hash-of-k");
}

TEST_P(StorageTest, MembersPageThroughEveryAccount) {
  std::vector<std::string> accounts;
  for (int i = 0; i < 3; ++i)
    accounts.push_back(storage_->CreateAccount("acct" + std::to_string(i), actor_)->id);
  for (int p = 0; p < 4; ++p) {
    for (const std::string& account : accounts) {
      Membership m;
      m.account_id = account;
      m.email = "p" + std::to_string(p) + "@example.com";
      ASSERT_TRUE(storage_->AddMember(m, "", actor_).ok());
    }
  }
  std::set<std::string> seen;
  PageRequest page{5, ""};
  for (int pages = 0; pages < 10; ++pages) {
    auto got = storage_->ListMembers("", page);
    ASSERT_TRUE(got.ok());
    for (const Membership& m : got->items) seen.insert(m.user_id + "/" + m.account_id);
    if (got->next_after.empty()) break;
    page.after = got->next_after;
  }
  EXPECT_EQ(seen.size(), 12u);
}

TEST_P(StorageTest, ApiKeysAreScopedAndRevocable) {
  auto a = storage_->CreateAccount("alpha", actor_);
  auto b = storage_->CreateAccount("beta", actor_);
  User ua = MakeUser(a->id, "a@example.com");
  ApiKey k;
  k.account_id = a->id;
  k.user_id = ua.id;
  k.name = "ci";
  k.prefix = "sk_abc";
  k.key_hash = "hash-1";
  auto created = storage_->CreateApiKey(k, actor_);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(storage_->FindApiKeyByHash("hash-1")->id, created->id);
  // Another account cannot revoke it.
  EXPECT_EQ(storage_->RevokeApiKey(b->id, created->id, actor_).code(), ErrorCode::kNotFound);
  EXPECT_FALSE(storage_->FindApiKeyByHash("hash-1")->revoked_at.has_value());
  EXPECT_TRUE(storage_->RevokeApiKey(a->id, created->id, actor_).ok());
  EXPECT_TRUE(storage_->FindApiKeyByHash("hash-1")->revoked_at.has_value());
  EXPECT_TRUE(storage_->TouchApiKey(created->id, clock_.Now()).ok());
  EXPECT_TRUE(storage_->FindApiKeyByHash("hash-1")->last_used_at.has_value());
  EXPECT_EQ(storage_->ListApiKeys(a->id, "", {})->items.size(), 1u);
  EXPECT_TRUE(storage_->ListApiKeys(b->id, "", {})->items.empty());
}

TEST_P(StorageTest, OrganizationsAreInvisibleToOtherAccounts) {
  auto a = storage_->CreateAccount("alpha", actor_);
  auto b = storage_->CreateAccount("beta", actor_);
  Organization o;
  o.account_id = a->id;
  o.name = "Alpha Ltd";
  o.country = "CN";
  auto created = storage_->CreateOrganization(o, actor_);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(storage_->GetOrganization(a->id, created->id)->name, "Alpha Ltd");
  EXPECT_EQ(storage_->GetOrganization(b->id, created->id).status().code(), ErrorCode::kNotFound);
  Organization hijack = *created;
  hijack.account_id = b->id;
  hijack.name = "Mallory";
  EXPECT_EQ(storage_->UpdateOrganization(hijack, actor_).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(storage_->DeleteOrganization(b->id, created->id, actor_).code(), ErrorCode::kNotFound);
  EXPECT_EQ(storage_->GetOrganization(a->id, created->id)->name, "Alpha Ltd");
  EXPECT_TRUE(storage_->ListOrganizations(b->id, {})->items.empty());
  EXPECT_TRUE(storage_->DeleteOrganization(a->id, created->id, actor_).ok());
  EXPECT_EQ(storage_->GetOrganization(a->id, created->id).status().code(), ErrorCode::kNotFound);
}

TEST_P(StorageTest, PaginationVisitsEveryItemOnce) {
  auto a = storage_->CreateAccount("alpha", actor_);
  std::set<std::string> created;
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(std::chrono::milliseconds(2));
    Organization o;
    o.account_id = a->id;
    o.name = "Org " + std::to_string(i);
    created.insert(storage_->CreateOrganization(o, actor_)->id);
  }
  std::set<std::string> seen;
  PageRequest page{3, ""};
  int pages = 0;
  do {
    auto result = storage_->ListOrganizations(a->id, page);
    ASSERT_TRUE(result.ok());
    for (const auto& o : result->items) EXPECT_TRUE(seen.insert(o.id).second);
    page.after = result->next_after;
    ++pages;
  } while (!page.after.empty());
  EXPECT_EQ(seen, created);
  EXPECT_EQ(pages, 3);
}

TEST_P(StorageTest, SessionsExpireAndPurge) {
  auto a = storage_->CreateAccount("alpha", actor_);
  User u = MakeUser(a->id, "a@example.com");
  Session s{"sess-hash", u.id, a->id, "csrf", clock_.Now(), clock_.Now() + std::chrono::hours(1)};
  ASSERT_TRUE(storage_->CreateSession(s, actor_).ok());
  EXPECT_EQ(storage_->GetSession("sess-hash")->csrf_token, "csrf");
  EXPECT_EQ(*storage_->PurgeExpiredSessions(clock_.Now()), 0);
  EXPECT_EQ(*storage_->PurgeExpiredSessions(clock_.Now() + std::chrono::hours(2)), 1);
  EXPECT_EQ(storage_->GetSession("sess-hash").status().code(), ErrorCode::kNotFound);
}

TEST_P(StorageTest, EveryChangeIsAuditedAndTheChainHoldsUnderConcurrency) {
  auto a = storage_->CreateAccount("alpha", actor_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        Organization o;
        o.account_id = a->id;
        o.name = "T" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_TRUE(storage_->CreateOrganization(o, actor_).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  auto v = storage_->VerifyAuditChain();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(v->events, 41);  // the account and 40 organizations
  auto events = storage_->ListAuditEvents(a->id, {100, ""});
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->items.size(), 41u);
  EXPECT_EQ(events->items.front().actor, "tester");
  EXPECT_EQ(events->items.front().source, "127.0.0.1");
  EXPECT_EQ(events->items.back().action, "account.create");
}

TEST_P(StorageTest, JobsAreClaimedOnceRetriedAndFailVisibly) {
  auto job = storage_->EnqueueJob("test.kind", "{}", clock_.Now(), 2);
  ASSERT_TRUE(job.ok());
  auto later = storage_->EnqueueJob("test.kind", "{}", clock_.Now() + std::chrono::hours(1), 2);
  auto first = storage_->ClaimJobs("w1", clock_.Now(), std::chrono::seconds(60), 10);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].id, job->id);
  EXPECT_EQ((*first)[0].attempts, 1);
  EXPECT_TRUE(storage_->ClaimJobs("w2", clock_.Now(), std::chrono::seconds(60), 10)->empty());
  EXPECT_EQ(storage_->CompleteJob(job->id, "w2").code(), ErrorCode::kConflict);
  ASSERT_TRUE(
      storage_->FailJob(job->id, "w1", "boom", clock_.Now() + std::chrono::seconds(5)).ok());
  EXPECT_TRUE(storage_->ClaimJobs("w2", clock_.Now(), std::chrono::seconds(60), 10)->empty());
  clock_.Advance(std::chrono::seconds(6));
  auto second = storage_->ClaimJobs("w2", clock_.Now(), std::chrono::seconds(60), 10);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].last_error, "boom");
  ASSERT_TRUE(storage_->FailJob(job->id, "w2", "boom again", std::nullopt).ok());
  EXPECT_EQ(storage_->GetJob(job->id)->state, JobState::kFailed);
  auto failed = storage_->ListJobs(JobState::kFailed, {});
  ASSERT_EQ(failed->items.size(), 1u);
  EXPECT_EQ(failed->items[0].last_error, "boom again");
  EXPECT_EQ(storage_->GetJob(later->id)->state, JobState::kQueued);
}

TEST_P(StorageTest, AbandonedJobsAreReclaimedAfterTheLease) {
  auto job = storage_->EnqueueJob("test.kind", "{}", clock_.Now(), 3);
  ASSERT_EQ(storage_->ClaimJobs("dead", clock_.Now(), std::chrono::seconds(30), 1)->size(), 1u);
  clock_.Advance(std::chrono::seconds(31));
  auto reclaimed = storage_->ClaimJobs("alive", clock_.Now(), std::chrono::seconds(30), 1);
  ASSERT_EQ(reclaimed->size(), 1u);
  EXPECT_EQ((*reclaimed)[0].attempts, 2);
  EXPECT_TRUE(storage_->CompleteJob(job->id, "alive").ok());
  EXPECT_EQ(storage_->GetJob(job->id)->state, JobState::kDone);
}

TEST_P(StorageTest, ConcurrentClaimersNeverShareAJob) {
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(storage_->EnqueueJob("k", "{}", clock_.Now(), 1).ok());
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        auto jobs =
            storage_->ClaimJobs("w" + std::to_string(t), clock_.Now(), std::chrono::seconds(60), 3);
        ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
        std::lock_guard lock(mu);
        for (const Job& j : *jobs) claimed.insert(j.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.size(), 40u);
  for (const auto& id : claimed) EXPECT_EQ(claimed.count(id), 1u) << id;
}

TEST_P(StorageTest, AnIssuedOrderAndItsCertificateAreStoredTogether) {
  auto account = storage_->CreateAccount("issuer-test", actor_);
  ASSERT_TRUE(account.ok());
  Order o;
  o.account_id = account->id;
  o.product_id = "dv-single";
  o.status = core::OrderStatus::kProcessing;
  auto created = storage_->CreateOrder(o, actor_);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Order issued = *created;
  issued.status = core::OrderStatus::kIssued;
  issued.certificate_serial = "0a0b";
  issued.issued_at = clock_.Now();
  ManagedCertificate m;
  m.id = "0a0b";
  m.account_id = account->id;
  m.source = core::CertificateSource::kIssued;
  m.order_id = issued.id;
  m.serial_hex = "0a0b";
  m.der_base64 = "MAA=";
  m.names = "a.example";
  m.not_before = clock_.Now();
  m.not_after = clock_.Now() + std::chrono::hours(24);
  OrderEvent event{"", issued.id, clock_.Now(), "system", "issued", "serial 0a0b"};
  auto marked = storage_->MarkOrderIssued(issued, event, m, actor_);
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  EXPECT_EQ(storage_->GetOrder(account->id, issued.id)->status, core::OrderStatus::kIssued);
  EXPECT_EQ(storage_->GetManagedCertificate(account->id, "0a0b")->order_id, issued.id);
  // A second worker finds the order issued already: refused, and nothing else is written.
  m.id = m.serial_hex = "0c0d";
  auto again = storage_->MarkOrderIssued(issued, event, m, actor_);
  EXPECT_EQ(again.status().reason(), "status_changed");
  EXPECT_EQ(storage_->GetManagedCertificate(account->id, "0c0d").status().code(),
            ErrorCode::kNotFound);
  auto events = storage_->ListOrderEvents(issued.id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(std::count_if(events->begin(), events->end(),
                          [](const OrderEvent& e) { return e.event == "issued"; }),
            1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::ValuesIn(testing::StorageBackends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace signet::sa

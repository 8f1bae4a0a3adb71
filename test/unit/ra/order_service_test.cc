// The order journey in ra, without a server (the world of ra_world.h). Each test runs in
// milliseconds and says what the applicant sees at every step.
#include "signet/ra/order_service.h"

#include <gtest/gtest.h>

#include "unit/ra/ra_world.h"

namespace signet::ra {
namespace {

using OrderServiceTest = RaWorld;

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

// OV: the organization review runs beside DCV; the reviewer's decision moves the order, a
// rejection sends it back to the applicant, who may change the information but not the names.
TEST_P(OrderServiceTest, AnOvOrderIsIssuedOnlyAfterTheReviewerApproves) {
  auto o = orders_->Create(account_, "ov-single", actor_);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  core::Application app;
  app.domains = std::vector<std::string>{"ov.example.test"};
  app.key = core::KeyChoice{};
  app.key->algorithm = "ecdsa-p256";
  app.key->password = "a key password";
  app.organization = core::OrganizationInfo{};
  app.organization->name = "Example Trading Ltd";
  app.organization->country = "cn";
  app.organization->city = "Beijing";
  app.administrator = core::Person{"Han Meimei", "CTO", "+86 10 8765 4321", "Han@Example.test"};
  app.validation_method = "dns_txt";
  auto filled = orders_->PutApplication(account_, o->id, app, actor_);
  ASSERT_TRUE(filled.ok()) << filled.status().ToString();
  // Completed and sealed: the country upper case, the email lower case, the password sealed.
  EXPECT_EQ(filled->application.organization->country, "CN");
  EXPECT_EQ(filled->application.administrator->email, "han@example.test");
  EXPECT_TRUE(filled->application.key->password.empty());
  EXPECT_FALSE(filled->application.key->password_sealed.empty());

  auto submitted = orders_->Submit(account_, o->id, actor_);
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ(submitted->review_status, core::ReviewStatus::kPendingAttachments);
  EXPECT_EQ(orders_->Review(o->id, "approve", "", "", actor_).status().reason(), "not_in_review");

  auto letter = orders_->AddAttachment(account_, o->id, "confirmation_letter",
                                       "%PDF-1.4 signed by Example Trading Ltd", actor_);
  ASSERT_TRUE(letter.ok()) << letter.status().ToString();
  sa::Order waiting = *storage_->GetOrder(account_, o->id);
  EXPECT_EQ(waiting.review_status, core::ReviewStatus::kCaReviewing);
  Publish(ValidationsOf(waiting)[0]);
  ASSERT_TRUE(orders_->CheckValidations(account_, o->id, actor_).ok());
  waiting = *storage_->GetOrder(account_, o->id);
  EXPECT_EQ(waiting.dcv_status, core::DcvStatus::kValid);
  EXPECT_EQ(waiting.status, core::OrderStatus::kProcessing) << "not before the review";

  auto rejected = orders_->Review(o->id, "reject", "the letter is not stamped", "", actor_);
  ASSERT_TRUE(rejected.ok()) << rejected.status().ToString();
  EXPECT_EQ(rejected->status, core::OrderStatus::kReviewFailed);
  EXPECT_TRUE(core::NeedsApplicant(rejected->State()));
  core::Application other_names = app;
  other_names.domains = std::vector<std::string>{"other.example.test"};
  EXPECT_EQ(orders_->PutApplication(account_, o->id, other_names, actor_).status().reason(),
            "not_editable");
  core::Application new_department = app;
  new_department.organization->department = "IT";
  auto edited = orders_->PutApplication(account_, o->id, new_department, actor_);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(edited->application.organization->department, "IT");
  EXPECT_EQ(edited->application.domains, app.domains);

  auto resubmitted = orders_->Resubmit(account_, o->id, actor_);
  ASSERT_TRUE(resubmitted.ok()) << resubmitted.status().ToString();
  sa::Order again = *storage_->GetOrder(account_, o->id);
  ASSERT_EQ(again.review_status, core::ReviewStatus::kCaReviewing);
  auto approved = orders_->Review(o->id, "approve", "", "phone confirmed", actor_);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->status, core::OrderStatus::kIssued);
  auto view = orders_->View(*approved);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  bool reviewed = false;
  for (const auto& line : view->timeline) reviewed = reviewed || line.event == "review.approved";
  EXPECT_TRUE(reviewed);
}

// What the applicant gives is checked against the product and the seeds' rules.
TEST_P(OrderServiceTest, AnApplicationIsCheckedAgainstTheProduct) {
  auto o = orders_->Create(account_, "dv-single", actor_);
  ASSERT_TRUE(o.ok());
  core::Application two;
  two.domains = std::vector<std::string>{"a.example.test", "b.example.test"};
  EXPECT_EQ(orders_->PutApplication(account_, o->id, two, actor_).status().reason(),
            "domain_allowance");
  core::Application individual_ov;
  individual_ov.applicant_type = "individual";
  auto ov = orders_->Create(account_, "ov-single", actor_);
  EXPECT_EQ(orders_->PutApplication(account_, ov->id, individual_ov, actor_).status().reason(),
            "individual_not_allowed");
  core::Application file_wildcard;
  file_wildcard.domains = std::vector<std::string>{"*.example.test"};
  file_wildcard.validation_method = "file";
  auto wild = orders_->Create(account_, "dv-wildcard", actor_);
  EXPECT_EQ(orders_->PutApplication(account_, wild->id, file_wildcard, actor_).status().reason(),
            "method_not_allowed");
  core::Application draft;
  draft.domains = std::vector<std::string>{"draft.example.test"};
  ASSERT_TRUE(orders_->PutApplication(account_, o->id, draft, actor_).ok());
  EXPECT_EQ(orders_->Submit(account_, o->id, actor_).status().reason(), "incomplete_application");
}

INSTANTIATE_TEST_SUITE_P(Backends, OrderServiceTest,
                         ::testing::ValuesIn(testing::StorageBackends()));

}  // namespace
}  // namespace signet::ra

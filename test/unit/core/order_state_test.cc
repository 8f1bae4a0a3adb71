// The order state machine: names round-trip, the transition table and the allowed actions.
#include "signet/core/order_state.h"

#include <gtest/gtest.h>

namespace signet::core {
namespace {

TEST(OrderStateTest, EveryNameParsesBackAndJunkDoesNot) {
  for (OrderStatus s :
       {OrderStatus::kPendingInformation, OrderStatus::kProcessing, OrderStatus::kReviewFailed,
        OrderStatus::kIssued, OrderStatus::kCancelled}) {
    EXPECT_EQ(ParseOrderStatus(Name(s)), s) << Name(s);
  }
  for (ReviewStatus s :
       {ReviewStatus::kNotRequired, ReviewStatus::kPendingAttachments, ReviewStatus::kPreReviewing,
        ReviewStatus::kCaReviewing, ReviewStatus::kApproved, ReviewStatus::kRejected}) {
    EXPECT_EQ(ParseReviewStatus(Name(s)), s) << Name(s);
  }
  for (DcvStatus s : {DcvStatus::kPending, DcvStatus::kValid, DcvStatus::kFailed}) {
    EXPECT_EQ(ParseDcvStatus(Name(s)), s) << Name(s);
  }
  EXPECT_FALSE(ParseOrderStatus("Issued"));
  EXPECT_FALSE(ParseOrderStatus(""));
  EXPECT_FALSE(ParseReviewStatus("issued"));
}

TEST(OrderStateTest, FinalStatesGoNowhere) {
  EXPECT_TRUE(CanMove(OrderStatus::kPendingInformation, OrderStatus::kProcessing));
  EXPECT_TRUE(CanMove(OrderStatus::kReviewFailed, OrderStatus::kProcessing));
  EXPECT_TRUE(CanMove(OrderStatus::kProcessing, OrderStatus::kIssued));
  EXPECT_FALSE(CanMove(OrderStatus::kPendingInformation, OrderStatus::kIssued));
  EXPECT_FALSE(CanMove(OrderStatus::kIssued, OrderStatus::kCancelled));
  EXPECT_FALSE(CanMove(OrderStatus::kCancelled, OrderStatus::kProcessing));
  EXPECT_FALSE(CanMove(OrderStatus::kIssued, OrderStatus::kIssued));
  EXPECT_TRUE(CanMove(OrderStatus::kProcessing, OrderStatus::kProcessing));
}

TEST(OrderStateTest, ActionsFollowTheState) {
  OrderState draft{OrderStatus::kPendingInformation, DcvStatus::kPending,
                   ReviewStatus::kNotRequired};
  EXPECT_TRUE(Allows(draft, OrderAction::kSubmit));
  EXPECT_TRUE(Allows(draft, OrderAction::kEditApplication));
  EXPECT_FALSE(Allows(draft, OrderAction::kResubmit));
  EXPECT_TRUE(NeedsApplicant(draft));

  OrderState reviewing{OrderStatus::kProcessing, DcvStatus::kValid, ReviewStatus::kCaReviewing};
  EXPECT_TRUE(Allows(reviewing, OrderAction::kReview));
  EXPECT_FALSE(Allows(reviewing, OrderAction::kUploadAttachment));
  EXPECT_FALSE(Allows(reviewing, OrderAction::kEditApplication));
  EXPECT_FALSE(NeedsApplicant(reviewing));

  OrderState documents{OrderStatus::kProcessing, DcvStatus::kValid,
                       ReviewStatus::kPendingAttachments};
  EXPECT_TRUE(Allows(documents, OrderAction::kUploadAttachment));
  EXPECT_TRUE(NeedsApplicant(documents));

  // A stopped validation is the applicant's to start again; a running one is not.
  OrderState stopped{OrderStatus::kProcessing, DcvStatus::kFailed, ReviewStatus::kNotRequired};
  EXPECT_TRUE(Allows(stopped, OrderAction::kRestartValidation));
  EXPECT_TRUE(NeedsApplicant(stopped));
  EXPECT_FALSE(Allows(reviewing, OrderAction::kRestartValidation));

  OrderState failed{OrderStatus::kReviewFailed, DcvStatus::kValid, ReviewStatus::kRejected};
  EXPECT_TRUE(Allows(failed, OrderAction::kResubmit));
  EXPECT_FALSE(Allows(failed, OrderAction::kSubmit));

  OrderState issued{OrderStatus::kIssued, DcvStatus::kValid, ReviewStatus::kApproved};
  EXPECT_EQ(AllowedActions(issued), std::vector<OrderAction>{OrderAction::kDownload});
  EXPECT_TRUE(
      AllowedActions({OrderStatus::kCancelled, DcvStatus::kPending, ReviewStatus::kNotRequired})
          .empty());
}

}  // namespace
}  // namespace signet::core

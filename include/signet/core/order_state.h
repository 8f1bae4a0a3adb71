// The order's state machine: its states, which moves between them are allowed, and what each
// state lets a user do. The one place where the states' names are parsed and printed; every
// layer above storage compares these enums, never strings.
//
// An order has three parts of state:
//   status        where the order is in its life (pending_information → processing → issued,
//                 or review_failed / cancelled)
//   dcv_status    domain control validation while processing
//   review_status the organization review (OV/EV) while processing
// See docs/ORDERS.md for the journey.
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace signet::core {

enum class OrderStatus { kPendingInformation, kProcessing, kReviewFailed, kIssued, kCancelled };
enum class DcvStatus { kPending, kValid, kFailed };
enum class ReviewStatus {
  kNotRequired,         // DV: no organization review
  kPendingAttachments,  // waiting for the applicant's documents
  kPreReviewing,        // the automatic pre-review runs
  kCaReviewing,         // waiting for a reviewer's decision
  kApproved,
  kRejected,
};

std::string_view Name(OrderStatus status);
std::string_view Name(DcvStatus status);
std::string_view Name(ReviewStatus status);
std::optional<OrderStatus> ParseOrderStatus(std::string_view name);
std::optional<DcvStatus> ParseDcvStatus(std::string_view name);
std::optional<ReviewStatus> ParseReviewStatus(std::string_view name);

// Whether an order may move from `from` to `to` (the same status is always allowed: an update
// of the order's other fields).
bool CanMove(OrderStatus from, OrderStatus to);

// What a user may do with an order now. The console shows exactly these (the order view's
// `allowed_actions`), so it never re-derives the rules.
enum class OrderAction {
  kEditApplication,    // PUT /orders/{id}/application
  kSubmit,             // POST /orders/{id}/submit
  kResubmit,           // POST /orders/{id}/resubmit
  kCancel,             // POST /orders/{id}/cancel
  kCheckValidations,   // POST /orders/{id}/validations/check
  kRestartValidation,  // POST /orders/{id}/validations/{vid}/restart (a validation stopped)
  kUploadAttachment,   // POST /orders/{id}/attachments
  kReview,             // POST /orders/{id}/review (reviewers)
  kDownload,           // the certificate of an issued order
};
std::string_view Name(OrderAction action);

struct OrderState {
  OrderStatus status = OrderStatus::kPendingInformation;
  DcvStatus dcv = DcvStatus::kPending;
  ReviewStatus review = ReviewStatus::kNotRequired;
};

std::vector<OrderAction> AllowedActions(const OrderState& state);
bool Allows(const OrderState& state, OrderAction action);

// Whether the order waits for its applicant (rather than for DNS, a reviewer or the CA).
bool NeedsApplicant(const OrderState& state);
// The finer state the seeds' consoles show (PENDING-DCV, CA-REVIEWING, WAIT-ISSUE, ...).
std::string_view SubStatusName(const OrderState& state);

}  // namespace signet::core

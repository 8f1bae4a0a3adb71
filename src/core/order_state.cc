#include "signet/core/order_state.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/name_table.h"

namespace signet::core {

namespace {

constexpr std::array<std::pair<OrderStatus, std::string_view>, 5> kOrderStatuses = {{
    {OrderStatus::kPendingInformation, "pending_information"},
    {OrderStatus::kProcessing, "processing"},
    {OrderStatus::kReviewFailed, "review_failed"},
    {OrderStatus::kIssued, "issued"},
    {OrderStatus::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<DcvStatus, std::string_view>, 3> kDcvStatuses = {{
    {DcvStatus::kPending, "pending"},
    {DcvStatus::kValid, "valid"},
    {DcvStatus::kFailed, "failed"},
}};

constexpr std::array<std::pair<ReviewStatus, std::string_view>, 6> kReviewStatuses = {{
    {ReviewStatus::kNotRequired, "not_required"},
    {ReviewStatus::kPendingAttachments, "pending_attachments"},
    {ReviewStatus::kPreReviewing, "pre_reviewing"},
    {ReviewStatus::kCaReviewing, "ca_reviewing"},
    {ReviewStatus::kApproved, "approved"},
    {ReviewStatus::kRejected, "rejected"},
}};

constexpr std::array<std::pair<OrderAction, std::string_view>, 9> kActions = {{
    {OrderAction::kEditApplication, "edit_application"},
    {OrderAction::kSubmit, "submit"},
    {OrderAction::kResubmit, "resubmit"},
    {OrderAction::kCancel, "cancel"},
    {OrderAction::kCheckValidations, "check_validations"},
    {OrderAction::kRestartValidation, "restart_validation"},
    {OrderAction::kUploadAttachment, "upload_attachment"},
    {OrderAction::kReview, "review"},
    {OrderAction::kDownload, "download"},
}};

// The transition table: from each status, where an order may go.
//   pending_information → processing (submit), cancelled
//   processing          → issued, review_failed (review or pre-review), cancelled
//   review_failed       → processing (resubmit), cancelled
//   issued, cancelled   → nowhere: final
constexpr std::array<std::pair<OrderStatus, OrderStatus>, 7> kMoves = {{
    {OrderStatus::kPendingInformation, OrderStatus::kProcessing},
    {OrderStatus::kPendingInformation, OrderStatus::kCancelled},
    {OrderStatus::kProcessing, OrderStatus::kIssued},
    {OrderStatus::kProcessing, OrderStatus::kReviewFailed},
    {OrderStatus::kProcessing, OrderStatus::kCancelled},
    {OrderStatus::kReviewFailed, OrderStatus::kProcessing},
    {OrderStatus::kReviewFailed, OrderStatus::kCancelled},
}};

}  // namespace

std::string_view Name(OrderStatus status) { return NameIn(kOrderStatuses, status); }
std::string_view Name(DcvStatus status) { return NameIn(kDcvStatuses, status); }
std::string_view Name(ReviewStatus status) { return NameIn(kReviewStatuses, status); }
std::string_view Name(OrderAction action) { return NameIn(kActions, action); }
std::optional<OrderStatus> ParseOrderStatus(std::string_view name) {
  return ParseIn(kOrderStatuses, name);
}
std::optional<DcvStatus> ParseDcvStatus(std::string_view name) {
  return ParseIn(kDcvStatuses, name);
}
std::optional<ReviewStatus> ParseReviewStatus(std::string_view name) {
  return ParseIn(kReviewStatuses, name);
}

bool CanMove(OrderStatus from, OrderStatus to) {
  if (from == to) return from != OrderStatus::kIssued && from != OrderStatus::kCancelled;
  return std::find(kMoves.begin(), kMoves.end(), std::make_pair(from, to)) != kMoves.end();
}

std::vector<OrderAction> AllowedActions(const OrderState& s) {
  std::vector<OrderAction> out;
  switch (s.status) {
    case OrderStatus::kPendingInformation:
      out = {OrderAction::kEditApplication, OrderAction::kSubmit, OrderAction::kUploadAttachment,
             OrderAction::kCancel};
      break;
    case OrderStatus::kReviewFailed:
      out = {OrderAction::kEditApplication, OrderAction::kResubmit, OrderAction::kUploadAttachment,
             OrderAction::kCancel};
      break;
    case OrderStatus::kProcessing:
      out = {OrderAction::kCheckValidations};
      if (s.dcv == DcvStatus::kFailed) out.push_back(OrderAction::kRestartValidation);
      if (s.review == ReviewStatus::kPendingAttachments) {
        out.push_back(OrderAction::kUploadAttachment);
      }
      if (s.review == ReviewStatus::kCaReviewing) out.push_back(OrderAction::kReview);
      out.push_back(OrderAction::kCancel);
      break;
    case OrderStatus::kIssued:
      out = {OrderAction::kDownload};
      break;
    case OrderStatus::kCancelled:
      break;
  }
  return out;
}

bool Allows(const OrderState& state, OrderAction action) {
  std::vector<OrderAction> allowed = AllowedActions(state);
  return std::find(allowed.begin(), allowed.end(), action) != allowed.end();
}

std::string_view SubStatusName(const OrderState& s) {
  if (s.status == OrderStatus::kPendingInformation) return "PENDING-INFORMATION";
  if (s.status == OrderStatus::kCancelled) return "CANCELLED";
  if (s.status == OrderStatus::kIssued) return "ISSUED";
  if (s.status == OrderStatus::kReviewFailed) return "REVIEW-FAILED";
  if (s.review == ReviewStatus::kPendingAttachments) return "PENDING-ATTACHMENTS";
  if (s.review == ReviewStatus::kPreReviewing) return "PRE-REVIEWING";
  if (s.dcv == DcvStatus::kPending) return "PENDING-DCV";
  if (s.review == ReviewStatus::kCaReviewing) return "CA-REVIEWING";
  return "WAIT-ISSUE";
}

bool NeedsApplicant(const OrderState& s) {
  if (s.status == OrderStatus::kPendingInformation || s.status == OrderStatus::kReviewFailed) {
    return true;
  }
  if (s.status != OrderStatus::kProcessing) return false;
  // A stopped (failed) validation also waits for the applicant: to start it again.
  return s.dcv != DcvStatus::kValid || s.review == ReviewStatus::kPendingAttachments;
}

}  // namespace signet::core

#include "signet/sa/types.h"

namespace signet::sa {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kOwner:
      return "owner";
    case Role::kMember:
      return "member";
    case Role::kReviewer:
      return "reviewer";
    case Role::kAdmin:
      return "admin";
  }
  return "member";
}

std::optional<Role> ParseRole(const std::string& name) {
  if (name == "owner") return Role::kOwner;
  if (name == "member") return Role::kMember;
  if (name == "reviewer") return Role::kReviewer;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

const char* MembershipStatusName(MembershipStatus status) {
  switch (status) {
    case MembershipStatus::kActive:
      return "active";
    case MembershipStatus::kInvited:
      return "invited";
    case MembershipStatus::kDisabled:
      return "disabled";
  }
  return "disabled";
}

std::optional<MembershipStatus> ParseMembershipStatus(const std::string& name) {
  if (name == "active") return MembershipStatus::kActive;
  if (name == "invited") return MembershipStatus::kInvited;
  if (name == "disabled") return MembershipStatus::kDisabled;
  return std::nullopt;
}

const char* JobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
  }
  return "failed";
}

std::optional<JobState> ParseJobState(const std::string& name) {
  if (name == "queued") return JobState::kQueued;
  if (name == "running") return JobState::kRunning;
  if (name == "done") return JobState::kDone;
  if (name == "failed") return JobState::kFailed;
  return std::nullopt;
}

const char* IssuanceStateName(IssuanceState state) {
  switch (state) {
    case IssuanceState::kReserved:
      return "reserved";
    case IssuanceState::kLinted:
      return "linted";
    case IssuanceState::kIssued:
      return "issued";
    case IssuanceState::kFailed:
      return "failed";
  }
  return "failed";
}

std::optional<IssuanceState> ParseIssuanceState(const std::string& name) {
  for (IssuanceState s : {IssuanceState::kReserved, IssuanceState::kLinted, IssuanceState::kIssued,
                          IssuanceState::kFailed}) {
    if (name == IssuanceStateName(s)) return s;
  }
  return std::nullopt;
}

}  // namespace signet::sa

// The one mapping from typed errors to HTTP statuses and ACME problem types (wfe/problem.cc).
#include "wfe/problem.h"

#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>

namespace signet::wfe {
namespace {

TEST(ProblemMapping, EveryCodeHasAnHttpStatusAndAnAcmeType) {
  for (int c = static_cast<int>(ErrorCode::kMalformed);
       c <= static_cast<int>(ErrorCode::kUserActionRequired); ++c) {
    auto code = static_cast<ErrorCode>(c);
    Status s = Status::Of(code, "x");
    EXPECT_GE(HttpStatusFor(s), 400) << ErrorCodeName(code);
    AcmeProblemKind acme = AcmeProblemFor(code);
    EXPECT_FALSE(acme.type.empty()) << ErrorCodeName(code);
    EXPECT_GE(acme.http, 400) << ErrorCodeName(code);
    // Reasons are snake_case: the protocol's camelCase names live only in the mapping.
    for (char ch : s.reason()) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(ch)));
  }
}

TEST(ProblemMapping, AcmeTypesAndStatusesFollowRfc8555) {
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kBadNonce).type, "badNonce");
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kBadCsr).type, "badCSR");
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kOrderNotReady).http, 403);
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kAlreadyReplaced).http, 409);
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kRateLimited).http, 429);
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kUnsupportedMediaType).type, "malformed");
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kUnsupportedMediaType).http, 415);
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kNotFound).http, 404);
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kInternal).type, "serverInternal");
  EXPECT_EQ(AcmeProblemFor(ErrorCode::kUnavailable).type, "serverInternal");
}

TEST(ProblemMapping, RestProblemsUseTheReasonAsCode) {
  Status s = Status::Error(ErrorCode::kPayloadTooLarge, "payload_too_large", "too big");
  EXPECT_EQ(HttpStatusFor(s), 413);
  auto doc = nlohmann::json::parse(ProblemResponse(s, "req-1").body);
  EXPECT_EQ(doc["code"], "payload_too_large");
  EXPECT_EQ(doc["status"], 413);
  EXPECT_EQ(doc["detail"], "too big");
  Status internal = InternalError("secret path /x/y");
  auto hidden = nlohmann::json::parse(ProblemResponse(internal, "req-2").body);
  EXPECT_EQ(hidden["detail"].get<std::string>().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace signet::wfe

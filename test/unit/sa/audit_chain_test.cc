#include "signet/sa/audit_chain.h"

#include <gtest/gtest.h>

namespace signet::sa {
namespace {

TEST(AuditChainTest, EveryFieldIsCovered) {
  AuditEvent e;
  e.seq = 1;
  e.at = FromUnixMicros(1);
  e.actor = "u";
  e.account_id = "a";
  e.action = "x.create";
  e.target_type = "x";
  e.target_id = "x1";
  e.source = "127.0.0.1";
  e.request_id = "r";
  e.details = "{}";
  e.prev_hash = kAuditGenesisHash;
  std::string base = ComputeAuditHash(e);
  EXPECT_EQ(base.size(), 64u);
  std::vector<std::function<void(AuditEvent&)>> edits = {
      [](AuditEvent& x) { x.seq = 2; },
      [](AuditEvent& x) { x.at = FromUnixMicros(2); },
      [](AuditEvent& x) { x.actor = "v"; },
      [](AuditEvent& x) { x.account_id = "b"; },
      [](AuditEvent& x) { x.action = "x.delete"; },
      [](AuditEvent& x) { x.target_type = "y"; },
      [](AuditEvent& x) { x.target_id = "x2"; },
      [](AuditEvent& x) { x.source = "10.0.0.1"; },
      [](AuditEvent& x) { x.request_id = "s"; },
      [](AuditEvent& x) { x.details = "{\"a\":1}"; },
      [](AuditEvent& x) { x.prev_hash = "00"; },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    AuditEvent copy = e;
    edits[i](copy);
    EXPECT_NE(ComputeAuditHash(copy), base) << "edit " << i;
  }
  // Moving text between adjacent fields changes the hash (length-prefixed encoding).
  AuditEvent shifted = e;
  shifted.actor = "ua";
  shifted.account_id = "";
  EXPECT_NE(ComputeAuditHash(shifted), ComputeAuditHash(e));
}

}  // namespace
}  // namespace signet::sa

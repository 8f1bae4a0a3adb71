#include "signet/sa/audit_chain.h"

#include "signet/common/crypto.h"

namespace signet::sa {

namespace {
// Length-prefixing makes the encoding unambiguous: no two field lists encode alike.
void Append(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}
}  // namespace

std::string ComputeAuditHash(const AuditEvent& e) {
  std::string buf;
  Append(buf, "signet-audit-v1");
  Append(buf, std::to_string(e.seq));
  Append(buf, std::to_string(ToUnixMicros(e.at)));
  Append(buf, e.actor);
  Append(buf, e.account_id);
  Append(buf, e.action);
  Append(buf, e.target_type);
  Append(buf, e.target_id);
  Append(buf, e.source);
  Append(buf, e.request_id);
  Append(buf, e.details);
  Append(buf, e.prev_hash);
  return Sha256Hex(buf);
}

}  // namespace signet::sa

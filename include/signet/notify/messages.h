// The texts of the messages Signet sends people (emails, and the webhook/chat messages made from
// the same text), and the links in them. Messages are read by people, so links open the
// console's pages, never API endpoints; the service layers (ra) pass facts and this module words
// them, so the wording lives in one place.
//
// Thread-safety: pure functions; Links is immutable after construction.
#pragma once

#include <string>

#include "signet/common/clock.h"

namespace signet::notify {

// The public URLs messages point to, from the operator's public_url.
class Links {
 public:
  explicit Links(std::string public_url);
  std::string Order(const std::string& order_id) const;
  std::string Certificate(const std::string& certificate_id) const;
  // The page an email validation's approver opens (BR 3.2.2.4.4).
  std::string EmailApproval(const std::string& token) const;
  // The RFC 8657 accounturi that CAA records name: stable forever, since applicants publish it.
  std::string CaaAccountUri(const std::string& account_id) const;

 private:
  std::string public_url_;
};

struct Message {
  std::string subject;
  std::string text;
};

// An order's announcement: `what` (the event in a sentence) followed by the order's facts.
std::string OrderMessageText(const Links& links, const std::string& what,
                             const std::string& order_id, const std::string& names);

std::string CertificateIssuedText(const Links& links, const std::string& names,
                                  const std::string& serial_hex, TimePoint not_after);

Message ExpiryReminder(const Links& links, const std::string& certificate_id,
                       const std::string& display_name, const std::string& names,
                       TimePoint not_after, int days_left);

Message EmailApprovalRequest(const Links& links, const std::string& requested_name,
                             const std::string& approver, const std::string& token,
                             TimePoint expires_at);

}  // namespace signet::notify

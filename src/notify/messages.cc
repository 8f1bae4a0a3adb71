#include "signet/notify/messages.h"

#include <utility>

namespace signet::notify {

Links::Links(std::string public_url) : public_url_(std::move(public_url)) {}

std::string Links::Order(const std::string& order_id) const {
  return public_url_ + "/orders/" + order_id;
}

std::string Links::Certificate(const std::string& certificate_id) const {
  return public_url_ + "/certificates/" + certificate_id;
}

std::string Links::EmailApproval(const std::string& token) const {
  return public_url_ + "/dcv/email/" + token;
}

std::string Links::CaaAccountUri(const std::string& account_id) const {
  return public_url_ + "/api/v1/accounts/" + account_id;
}

std::string OrderMessageText(const Links& links, const std::string& what,
                             const std::string& order_id, const std::string& names) {
  return what + "\n\nOrder: " + order_id + "\nDomains: " + names +
         "\nDetails: " + links.Order(order_id) + "\n";
}

std::string CertificateIssuedText(const Links& links, const std::string& names,
                                  const std::string& serial_hex, TimePoint not_after) {
  return "Your certificate for " + names + " is issued (serial " + serial_hex + ", valid until " +
         FormatRfc3339(not_after) +
         ").\nDownload it for your server (nginx, Apache, IIS, "
         "Tomcat and more): " +
         links.Certificate(serial_hex);
}

Message ExpiryReminder(const Links& links, const std::string& certificate_id,
                       const std::string& display_name, const std::string& names,
                       TimePoint not_after, int days_left) {
  Message m;
  m.subject = "Certificate for " + display_name + " expires in " + std::to_string(days_left) +
              (days_left == 1 ? " day" : " days");
  m.text = "The certificate " + certificate_id + " for " + names + " expires on " +
           FormatRfc3339(not_after) + ".\nRenew it: " + links.Certificate(certificate_id) +
           "\nTo stop these reminders, switch them off on that page (for this certificate) or "
           "in the account's reminder settings.\n";
  return m;
}

Message EmailApprovalRequest(const Links& links, const std::string& requested_name,
                             const std::string& approver, const std::string& token,
                             TimePoint expires_at) {
  Message m;
  m.subject = "Approve a certificate request for " + requested_name;
  m.text = "Someone has asked Signet for a TLS certificate for " + requested_name +
           " and named this address (" + approver +
           ") to approve it.\n\n"
           "To approve, open this link and press \"Approve\":\n\n  " +
           links.EmailApproval(token) +
           "\n\nIf you did not expect this, ignore this email: nothing is issued without "
           "approval.\nThe link expires on " +
           FormatRfc3339(expires_at) +
           ".\n\n"
           "有人为 " +
           requested_name +
           " 申请 TLS "
           "证书，并指定本邮箱审批。如同意，请打开上面的链接并点击“批准”；如非本人操作，请忽略本"
           "邮件。\n";
  return m;
}

}  // namespace signet::notify

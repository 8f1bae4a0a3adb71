// Mailer: sends one email. SmtpMailer speaks SMTP (or SMTPS) through libcurl to `smtp.url`.
// Callers that must not lose a message send it from a durable job, which retries with backoff
// while the SMTP server is down.
//
// Thread-safety: Send may be called from many threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/status.h"

namespace signet::notify {

struct Email {
  std::string to;
  std::string subject;
  std::string text;  // plain-text body (UTF-8)
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // kUnavailable when the server cannot be reached or refuses; the message is not sent then.
  virtual Status Send(const Email& email) = 0;
};

struct SmtpOptions {
  std::string url;   // smtp://host:port or smtps://host:port; empty: sending is refused
  std::string from;  // e.g. "Signet <noreply@signet.local>"
  int timeout_ms = 30000;
};

std::unique_ptr<Mailer> MakeSmtpMailer(SmtpOptions options, const Clock& clock);

}  // namespace signet::notify

// The format rules for the people and organizations an application names: phone numbers and
// email addresses. Shared by the order application and the saved profiles.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace signet::ra {

// 6 to 20 digits; spaces, +, -, ( and ) allowed between them.
bool ValidPhone(const std::string& phone);
// local@domain.tld, no spaces or angle brackets.
bool ValidEmail(const std::string& email);

}  // namespace signet::ra

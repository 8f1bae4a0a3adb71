#include "signet/ra/contact_rules.h"

#include <algorithm>
#include <cctype>

namespace signet::ra {

bool ValidPhone(const std::string& phone) {
  int digits = 0;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '+' && c != '-' && c != ' ' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 6 && digits <= 20;
}

bool ValidEmail(const std::string& email) {
  size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || at != email.rfind('@')) return false;
  std::string domain = email.substr(at + 1);
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.') {
    return false;
  }
  return std::none_of(email.begin(), email.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == ',';
  });
}

}  // namespace signet::ra

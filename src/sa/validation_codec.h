// How a domain validation's details and an attempt's evidence are stored: JSON objects in the
// domain_validations.details and validation_attempts.perspectives columns, in the format Signet
// has always written. Only sa reads and writes that text.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "signet/sa/types.h"

namespace signet::sa {

std::string EncodeValidationDetails(const ValidationDetails& details);
ValidationDetails DecodeValidationDetails(std::string_view text);
std::string EncodeAttemptEvidence(const AttemptEvidence& evidence);
AttemptEvidence DecodeAttemptEvidence(std::string_view text);

}  // namespace signet::sa

// The REST views of orders and validations: the JSON the API shows for ra's typed views, with the
// words an applicant reads next to each instruction, and the confirmation letter to print.
// Private to wfe.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "signet/ra/domain_validation_service.h"
#include "signet/ra/order_service.h"

namespace signet::wfe {

nlohmann::json OrderJson(const ra::OrderView& view);
nlohmann::json ValidationJson(const ra::ValidationView& view);
// What each network perspective saw in one check, and the quorum.
nlohmann::json AttemptEvidenceJson(const sa::AttemptEvidence& evidence);
// A confirmation letter (HTML) filled in from the order's application, to print, sign and stamp.
std::string ConfirmationLetterHtml(const sa::Order& order);

}  // namespace signet::wfe

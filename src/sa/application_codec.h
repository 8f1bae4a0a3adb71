// How an order's application is stored: a JSON object in the orders.application column. Only sa
// reads and writes that text; every layer above speaks core::Application. The format is the one
// Signet has always stored, so rows written by earlier versions read back unchanged (including
// unsealed secrets of rows written before secrets were sealed, kept in `password`/`secret`).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "signet/core/application.h"

namespace signet::sa {

std::string EncodeApplication(const core::Application& application);
// Text that is not a JSON object reads as an empty application.
core::Application DecodeApplication(std::string_view text);

}  // namespace signet::sa

// How a deployment target's settings are stored: one JSON object in deployment_targets.settings
// (the type's fields, with its secrets as sealed strings). Only sa reads and writes that text.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "signet/sa/types.h"

namespace signet::sa {

// Everything of `target` but its id, account, name, type and times.
std::string EncodeTargetSettings(const DeploymentTarget& target);
// Fills those fields of `target` from the stored text; unknown or mistyped fields read as empty.
void DecodeTargetSettings(std::string_view text, DeploymentTarget& target);

}  // namespace signet::sa

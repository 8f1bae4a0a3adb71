// The settings signetd understands, with their defaults (INTERFACES.md lists the public ones).
#pragma once

#include <vector>

#include "signet/common/settings.h"

namespace signet::server {

const std::vector<SettingDefinition>& SettingDefinitions();

}  // namespace signet::server

// The agent's monitoring half: it checks the TLS endpoints of monitors assigned to its target
// from inside its own network (where Signet cannot connect) and reports what each address served;
// Signet judges the chains as it judges its own checks (docs/MONITORING.md).
//
// Thread-safety: call from the agent's one loop.
#pragma once

#include "cli/session.h"

namespace signet::cli {

// Asks Signet for this agent's due monitors, probes every address of each, and reports. Returns
// how many were reported; -1 when Signet could not be asked.
int CheckDueMonitors(Session& session);

}  // namespace signet::cli

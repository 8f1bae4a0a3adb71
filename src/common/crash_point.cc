#include "signet/common/crash_point.h"

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace signet {

void CrashPoint(const char* name) {
  // Read once: the variable is set when the process starts, never changed while it runs.
  static const char* const wanted = std::getenv("SIGNET_TEST_CRASH_AT");
  if (wanted != nullptr && std::strcmp(wanted, name) == 0) std::raise(SIGKILL);
}

}  // namespace signet

// Crash points for the crash tests: CrashPoint("name") kills the process with SIGKILL when the
// environment variable SIGNET_TEST_CRASH_AT equals "name", so an integration test can stop
// signetd exactly between two steps of an order's path (after a state change, before its job
// is stored, ...) and check that a restart finishes the work. Without the variable it does
// nothing but compare a cached pointer with null.
//
// Thread-safety: may be called from any thread.
#pragma once

namespace signet {

void CrashPoint(const char* name);

}  // namespace signet

// Test databases: a fresh SQLite file or a fresh PostgreSQL database per test, so every storage
// test runs against both backends. PostgreSQL comes from SIGNET_TEST_POSTGRES_URL, which
// scripts/run-tests.sh sets after starting a throwaway server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/sa/storage.h"

namespace signet::testing {

// "sqlite" and "postgresql".
std::vector<std::string> StorageBackends();

// A database URL for a new, empty database of that backend. Fails the test (ADD_FAILURE) and
// returns "" when PostgreSQL is requested but unavailable, unless SIGNET_TEST_ALLOW_NO_POSTGRES=1.
std::string FreshDatabaseUrl(const std::string& backend);

// Opens and migrates a fresh database.
std::unique_ptr<sa::Storage> OpenFreshStorage(const std::string& backend, const Clock& clock,
                                              Random& random);

inline TimePoint TestEpoch() { return FromUnixMicros(1795000000LL * 1000000); }  // 2026-11-18

}  // namespace signet::testing

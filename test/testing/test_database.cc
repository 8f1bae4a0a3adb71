#include "testing/test_database.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

namespace signet::testing {

std::vector<std::string> StorageBackends() { return {"sqlite", "postgresql"}; }

namespace {
std::atomic<int> counter{0};

std::string UniqueName(const std::string& prefix) {
  SystemRandom random;
  return prefix + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(random.Bytes(1)[0]);
}
}  // namespace

std::string FreshDatabaseUrl(const std::string& backend) {
  if (backend == "sqlite") {
    auto dir = std::filesystem::temp_directory_path() / UniqueName("signet_test_");
    std::filesystem::create_directories(dir);
    return "sqlite://" + (dir / "signet.db").string();
  }
  const char* base = std::getenv("SIGNET_TEST_POSTGRES_URL");
  if (base == nullptr || *base == '\0') {
    const char* allow = std::getenv("SIGNET_TEST_ALLOW_NO_POSTGRES");
    if (!(allow && std::string(allow) == "1")) {
      ADD_FAILURE() << "SIGNET_TEST_POSTGRES_URL is not set: run the tests with `make test` "
                       "(which starts PostgreSQL), or set SIGNET_TEST_ALLOW_NO_POSTGRES=1";
    }
    return "";
  }
  std::string url = base;
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect to test PostgreSQL: " << PQerrorMessage(conn);
    PQfinish(conn);
    return "";
  }
  std::string db = UniqueName("t_");
  PGresult* r = PQexec(conn, ("CREATE DATABASE " + db).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) ADD_FAILURE() << "CREATE DATABASE failed: " << PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (!ok) return "";
  // Replace the database name: the path segment after the authority, before any query.
  size_t scheme = url.find("://") + 3;
  size_t slash = url.find('/', scheme);
  size_t query = url.find('?', scheme);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, slash == std::string::npos ? query : slash) + "/" + db + rest;
}

std::unique_ptr<sa::Storage> OpenFreshStorage(const std::string& backend, const Clock& clock,
                                              Random& random) {
  std::string url = FreshDatabaseUrl(backend);
  if (url.empty()) return nullptr;
  auto storage = sa::OpenStorage({url, 4}, clock, random);
  if (!storage.ok()) {
    ADD_FAILURE() << storage.status().ToString();
    return nullptr;
  }
  Status migrated = (*storage)->Migrate();
  if (!migrated.ok()) {
    ADD_FAILURE() << migrated.ToString();
    return nullptr;
  }
  return std::move(storage).value();
}

}  // namespace signet::testing

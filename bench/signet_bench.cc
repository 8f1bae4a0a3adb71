// signet-bench: load generators and micro-benchmarks. Results go in docs/PERFORMANCE.md.
//   signet-bench ca  --key ecdsa|rsa --count N --concurrency C [--database-url URL]
//       full issuance cycles (reserve, lint, sign, durable store) per second
//   signet-bench crl --revoked N
//       time to build and sign one CRL with N entries, per issuer key type
//   signet-bench dcv --dns IP:PORT --txt-name N --txt-value V [--file-host H --file-value V
//                    --http-port P --https-port P] --count N --concurrency C
//       domain-validation checks per second and the latency of one (bench/dcv.sh)
//   signet-bench acme --directory URL --orders N --concurrency C --http-port P [--insecure]
//       RFC 8555 http-01 issuance flows per second against any ACME server (bench/acme.sh)
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "acme_bench.h"
#include "dcv_bench.h"
#include "signet/ca/ca_hierarchy.h"
#include "signet/ca/certificate_authority.h"
#include "signet/ca/crl_writer.h"
#include "signet/common/encoding.h"
#include "signet/common/log.h"
#include "signet/sa/storage.h"

namespace {

using namespace signet;  // NOLINT: a benchmark's main

std::vector<uint8_t> PublicKey(bool rsa) {
  EVP_PKEY* key = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  std::vector<uint8_t> out(der, der + n);
  OPENSSL_free(der);
  EVP_PKEY_free(key);
  return out;
}

std::unique_ptr<ca::CaHierarchy> Hierarchy(const std::string& dir, const Clock& clock) {
  ca::CaHierarchyOptions o;
  o.directory = dir + "/ca";
  o.passphrase = "benchmark passphrase, not secret";
  o.public_url = "https://bench.signet.test";
  auto h = ca::CaHierarchy::LoadOrCreate(o, clock);
  if (!h.ok()) {
    std::cerr << h.status().ToString() << "\n";
    std::exit(1);
  }
  return std::move(h).value();
}

int RunCa(const std::string& key_type, int count, int concurrency, std::string database_url) {
  SystemClock clock;
  SystemRandom random;
  std::string dir =
      std::filesystem::temp_directory_path() / ("signet-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  if (database_url.empty()) database_url = "sqlite://" + dir + "/signet.db";
  auto storage = sa::OpenStorage({database_url, concurrency + 2}, clock, random);
  if (!storage.ok() || !(*storage)->Migrate().ok()) {
    std::cerr << "storage: " << storage.status().ToString() << "\n";
    return 1;
  }
  auto hierarchy = Hierarchy(dir, clock);
  ca::CertificateAuthority authority(*hierarchy, **storage, clock, random,
                                     {"https://bench.signet.test", 16, {}});
  std::vector<uint8_t> spki = PublicKey(key_type == "rsa");
  sa::Actor actor{"bench", "", "bench", ""};
  std::atomic<int> next{0}, failures{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        ca::IssuanceRequest r;
        r.issuance_id = "bench_" + std::to_string(i);
        r.account_id = "acct_bench";
        r.dns_names = {"host" + std::to_string(i) + ".bench.test"};
        r.public_key_der = spki;
        if (!authority.Issue(r, actor).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "issuer=" << hierarchy->DefaultIssuerFor(key_type == "rsa").name
            << " backend=" << (*storage)->Backend() << " certificates=" << count
            << " failures=" << failures.load() << " concurrency=" << concurrency
            << " seconds=" << seconds << " per_second=" << count / seconds << "\n";
  std::filesystem::remove_all(dir);
  return failures.load() == 0 ? 0 : 1;
}

int RunCrl(int revoked_count) {
  SystemClock clock;
  SystemRandom random;
  std::string dir =
      std::filesystem::temp_directory_path() / ("signet-bench-crl-" + std::to_string(getpid()));
  auto hierarchy = Hierarchy(dir, clock);
  std::vector<sa::RevokedEntry> entries;
  entries.reserve(static_cast<size_t>(revoked_count));
  for (int i = 0; i < revoked_count; ++i) {
    std::vector<uint8_t> serial = random.Bytes(16);
    serial[0] = static_cast<uint8_t>((serial[0] & 0x7f) | 0x01);
    entries.push_back({HexEncode(serial), clock.Now(), i % 3 == 0 ? 1 : 4});
  }
  // Build never touches storage; the writer still wants one.
  auto storage = sa::OpenStorage({"sqlite://" + dir + "/signet.db", 1}, clock, random);
  if (!storage.ok()) return 1;
  for (const ca::Issuer& issuer : hierarchy->issuers()) {
    ca::CrlWriter writer(*hierarchy, **storage, clock, {"https://bench.signet.test", 16});
    auto start = std::chrono::steady_clock::now();
    auto der = writer.Build(issuer, 0, entries, 1, clock.Now());
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!der.ok()) {
      std::cerr << der.status().ToString() << "\n";
      return 1;
    }
    std::cout << "issuer=" << issuer.name << " revoked=" << revoked_count << " seconds=" << seconds
              << " bytes=" << der->size() << "\n";
  }
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  signet::log::SetLevel(signet::log::Level::kWarn);
  CLI::App app{"signet-bench: Signet load generators and benchmarks"};
  app.require_subcommand(1);
  std::string key_type = "ecdsa", database_url;
  int count = 2000, concurrency = 2, revoked = 100000;
  CLI::App* ca_cmd = app.add_subcommand("ca", "issuance cycles per second with durable storage");
  ca_cmd
      ->add_option("--key", key_type, "subscriber key type: ecdsa (ecdsa-1 issuer) or rsa (rsa-1)")
      ->check(CLI::IsMember({"ecdsa", "rsa"}));
  ca_cmd->add_option("--count", count, "certificates to issue");
  ca_cmd->add_option("--concurrency", concurrency, "issuing threads");
  ca_cmd->add_option("--database-url", database_url, "default: a fresh SQLite file");
  CLI::App* crl_cmd = app.add_subcommand("crl", "time to build and sign a CRL");
  crl_cmd->add_option("--revoked", revoked, "revoked serials in the CRL");
  DcvBenchOptions dcv;
  CLI::App* dcv_cmd = app.add_subcommand("dcv", "domain-validation checks per second");
  dcv_cmd->add_option("--dns", dcv.dns, "ip:port of the DNS server to ask")->required();
  dcv_cmd->add_option("--anchors", dcv.anchors, "DNSSEC trust anchor file, or none");
  dcv_cmd->add_option("--internal-suffix", dcv.internal_suffix, "e.g. test");
  dcv_cmd->add_option("--txt-name", dcv.txt_name, "name of the TXT record to check");
  dcv_cmd->add_option("--txt-value", dcv.txt_value, "its expected value");
  dcv_cmd->add_option("--file-host", dcv.file_host, "host serving the validation file");
  dcv_cmd->add_option("--file-value", dcv.file_value, "the file's expected content");
  dcv_cmd->add_option("--http-port", dcv.http_port, "validation http port");
  dcv_cmd->add_option("--https-port", dcv.https_port, "validation https port");
  dcv_cmd->add_option("--count", dcv.count, "checks of each kind");
  dcv_cmd->add_option("--concurrency", dcv.concurrency, "checking threads");
  AcmeBenchOptions acme;
  CLI::App* acme_cmd = AddAcmeCommand(app, acme);
  CLI11_PARSE(app, argc, argv);
  if (acme_cmd->parsed()) return RunAcme(acme);
  if (ca_cmd->parsed()) return RunCa(key_type, count, concurrency, database_url);
  if (dcv_cmd->parsed()) return RunDcv(dcv);
  return RunCrl(revoked);
}

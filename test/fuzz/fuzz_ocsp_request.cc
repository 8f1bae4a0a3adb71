// libFuzzer target: signet::ca::OcspResponder::Respond (include/signet/ca/ocsp_responder.h) on
// arbitrary bytes as a DER OCSPRequest from the network, against a real CA hierarchy.
//
// The hierarchy is the fixture in test/fuzz/data/ocsp-ca (made by CaHierarchy::LoadOrCreate,
// see docs/FUZZING.md), copied to a temporary directory: its issuers must be the same from run
// to run, or the corpus's requests (made with `openssl ocsp -reqout` for those issuers) would
// no longer name a known issuer and only the "unauthorized" path would be fuzzed. The storage is
// a stub answering from the serial alone, so that good, revoked, unknown and failing lookups are
// all reachable without a database.
#include <openssl/ocsp.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "signet/ca/ca_hierarchy.h"
#include "signet/ca/ocsp_responder.h"
#include "signet/common/clock.h"
#include "signet/common/log.h"
#include "signet/sa/storage.h"

namespace {

namespace fs = std::filesystem;
using signet::Result;
using signet::Status;
using signet::sa::CertificateRecord;

// Fuzzing only: the fixture's keys protect nothing.
constexpr char kPassphrase[] = "signet fuzzing fixture, not a secret";

// The certificate status by the serial's last hex digit d: d & 8 picks the issuer (ecdsa-1,
// rsa-1), d & 3 the answer (0 never issued, 1 good, 2 revoked for keyCompromise, 3 revoked
// without a reason). Serial 0 (an empty hex string) fails the lookup, as an unreachable
// database would.
class SerialStore final : public signet::sa::IssuanceStore {
 public:
  Result<CertificateRecord> GetCertificateBySerial(const std::string& serial_hex) override {
    if (serial_hex.empty()) return signet::UnavailableError("storage unavailable (fuzz stub)");
    int d = std::stoi(serial_hex.substr(serial_hex.size() - 1), nullptr, 16);
    if ((d & 3) == 0) return signet::NotFoundError("no such certificate");
    CertificateRecord r;
    r.serial_hex = serial_hex;
    r.issuer = (d & 8) != 0 ? "rsa-1" : "ecdsa-1";
    if ((d & 3) != 1) {
      r.status = signet::core::CertificateStatus::kRevoked;
      r.revoked_at = signet::FromUnixMicros(1790000000LL * 1000000);
      r.revocation_reason = (d & 3) == 2 ? 1 : 0;
    }
    return r;
  }

  // Not used by the responder.
  Result<signet::sa::Issuance> ReserveIssuance(const signet::sa::Issuance&,
                                               const signet::sa::Actor&) override {
    return Unused();
  }
  Status MarkIssuanceLinted(const std::string&, const std::string&) override { return Unused(); }
  Status MarkIssuanceFailed(const std::string&, const std::string&,
                            const signet::sa::Actor&) override {
    return Unused();
  }
  Status StoreIssuedCertificate(const CertificateRecord&, const signet::sa::Actor&) override {
    return Unused();
  }
  Result<signet::sa::Issuance> GetIssuance(const std::string&) override { return Unused(); }
  Result<std::vector<signet::sa::Issuance>> ListUnfinishedIssuances() override { return Unused(); }
  Result<CertificateRecord> GetCertificateByIssuance(const std::string&) override {
    return Unused();
  }
  Result<int64_t> CountCertificates() override { return Unused(); }
  Result<CertificateRecord> RevokeCertificate(const std::string&, const std::string&, int,
                                              const signet::sa::Actor&) override {
    return Unused();
  }
  Result<std::vector<signet::sa::RevokedEntry>> ListRevokedCertificates(const std::string&,
                                                                        int) override {
    return Unused();
  }
  Result<int64_t> NextCrlNumber(const std::string&, int) override { return Unused(); }
  Status StoreCrl(const signet::sa::CrlRecord&) override { return Unused(); }
  Result<signet::sa::CrlRecord> GetCrl(const std::string&, int) override { return Unused(); }

 private:
  static Status Unused() { return signet::InternalError("not used by the OCSP responder"); }
};

// 2026-11-18: inside the fixture's validity; a fixed time keeps runs reproducible.
signet::ManualClock* fixed_clock = nullptr;
SerialStore* store = nullptr;
signet::ca::CaHierarchy* hierarchy = nullptr;

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "fuzz_ocsp_request: %s\n", why.c_str());
  std::exit(1);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  signet::fuzz::TrapPassphrasePrompts();
  signet::log::SetLevel(signet::log::Level::kError);  // a line per TRYLATER would drown the output
  fixed_clock = new signet::ManualClock(signet::FromUnixMicros(1795000000LL * 1000000));
  store = new SerialStore();

  signet::ca::CaHierarchyOptions options;
  options.passphrase = kPassphrase;
  options.public_url = "https://signet.test";
  // SIGNET_FUZZ_OCSP_CA_CREATE=DIR makes a new fixture in DIR (which must not exist) and exits.
  if (const char* create = std::getenv("SIGNET_FUZZ_OCSP_CA_CREATE")) {
    if (fs::exists(create)) Fail(std::string(create) + " exists already");
    options.directory = create;
    auto made = signet::ca::CaHierarchy::LoadOrCreate(options, *fixed_clock);
    if (!made.ok()) Fail("creating the fixture failed: " + made.status().ToString());
    std::fprintf(stderr, "fuzz_ocsp_request: created a CA fixture in %s\n", create);
    std::exit(0);
  }
  // The hierarchy chmods and may write into its directory: work on a copy.
  fs::path fixture = fs::path(SIGNET_FUZZ_DATA_DIR) / "ocsp-ca";
  if (!fs::exists(fixture / "root" / "cert.pem")) Fail("no CA fixture in " + fixture.string());
  std::string tmpl = (fs::temp_directory_path() / "signet-fuzz-ocsp.XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) Fail("mkdtemp failed");
  fs::path copy = fs::path(tmpl) / "ca";
  fs::copy(fixture, copy, fs::copy_options::recursive);
  options.directory = copy.string();
  auto loaded = signet::ca::CaHierarchy::LoadOrCreate(options, *fixed_clock);
  fs::remove_all(tmpl);  // everything is in memory now
  if (!loaded.ok()) Fail("loading the CA fixture failed: " + loaded.status().ToString());
  if (loaded.value()->issuers().size() < 2) Fail("the CA fixture should have two issuers");
  hierarchy = loaded->release();  // kept until exit
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A responder per input: its cache would otherwise grow with every serial the fuzzer tries,
  // and answers would depend on earlier inputs.
  signet::ca::OcspResponder responder(*hierarchy, *store, *fixed_clock);
  std::string request(reinterpret_cast<const char*>(data), size);
  std::string response = responder.Respond(request);
  // Every request gets a DER OCSPResponse, whatever it was.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(response.data());
  OCSP_RESPONSE* parsed = d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(response.size()));
  if (parsed == nullptr) __builtin_trap();
  OCSP_RESPONSE_free(parsed);
  // A second ask takes the cache's path for good and revoked serials.
  (void)responder.Respond(request);
  return 0;
}

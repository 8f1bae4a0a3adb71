// CSRs made by the openssl command-line tool, the way applicants make them.
#include "signet/ca/csr.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/shell.h"

namespace signet::ca {
namespace {

std::string Dir() {
  auto d = std::filesystem::path(::testing::TempDir()) / ("csr_" + std::to_string(getpid()));
  std::filesystem::create_directories(d);
  return d.string();
}

// A CSR for `subject` with optional SANs, with a key made by `newkey` (e.g. "ec -pkeyopt ...").
std::string MakeCsr(const std::string& keygen, const std::string& subject, const std::string& san) {
  std::string key = Dir() + "/key.pem";
  testing::RunShell("openssl " + keygen + " -out " + key);
  std::string cmd = "openssl req -new -key " + key + " -subj '" + subject + "'";
  if (!san.empty()) cmd += " -addext 'subjectAltName=" + san + "'";
  return testing::RunShell(cmd);
}

const char kP256[] = "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256";

TEST(CsrTest, AcceptsAGoodCsrAndReadsItsNames) {
  std::string pem = MakeCsr(kP256, "/CN=WWW.Example.com", "DNS:www.example.com,DNS:example.com");
  ASSERT_NE(pem.find("BEGIN CERTIFICATE REQUEST"), std::string::npos);
  auto csr = ParseCsr(pem);
  ASSERT_TRUE(csr.ok()) << csr.status().ToString();
  EXPECT_EQ(csr->common_name, "www.example.com");
  EXPECT_EQ(csr->dns_names, (std::vector<std::string>{"www.example.com", "example.com"}));
  EXPECT_EQ(csr->key.algorithm, "ecdsa-p256");
  EXPECT_EQ(csr->key.spki_sha256_hex.size(), 64u);
  EXPECT_TRUE(CheckCsrNames(*csr, {"www.example.com", "example.com"}).ok());
  Status mismatch = CheckCsrNames(*csr, {"www.example.com"});
  EXPECT_EQ(mismatch.reason(), "csr_name_mismatch");
  EXPECT_NE(mismatch.message().find("example.com"), std::string::npos);
  auto rsa =
      ParseCsr(MakeCsr("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048", "/CN=a.com", ""));
  ASSERT_TRUE(rsa.ok()) << rsa.status().ToString();
  EXPECT_EQ(rsa->key.algorithm, "rsa-2048");
  EXPECT_TRUE(rsa->key.is_rsa);
}

TEST(CsrTest, RefusesWeakAndUnsupportedKeysNamingTheProblem) {
  auto small =
      ParseCsr(MakeCsr("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024", "/CN=a.com", ""));
  EXPECT_EQ(small.status().reason(), "weak_key");
  EXPECT_NE(small.status().message().find("1024"), std::string::npos);
  auto exponent = ParseCsr(
      MakeCsr("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:3",
              "/CN=a.com", ""));
  EXPECT_EQ(exponent.status().reason(), "weak_key");
  auto curve = ParseCsr(
      MakeCsr("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1", "/CN=a.com", ""));
  EXPECT_EQ(curve.status().reason(), "unsupported_key");
  EXPECT_NE(curve.status().message().find("secp256k1"), std::string::npos);
  auto ed = ParseCsr(MakeCsr("genpkey -algorithm ED25519", "/CN=a.com", ""));
  EXPECT_EQ(ed.status().reason(), "unsupported_key");
}

TEST(CsrTest, RefusesGarbageAndBrokenSignatures) {
  EXPECT_EQ(ParseCsr("hello").status().reason(), "csr_unparseable");
  EXPECT_EQ(ParseCsr("").status().reason(), "csr_unparseable");
  EXPECT_EQ(
      ParseCsr("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")
          .status()
          .code(),
      ErrorCode::kBadCsr);
  std::string pem = MakeCsr(kP256, "/CN=a.com", "");
  std::string der_path = Dir() + "/csr.der";
  { std::ofstream(Dir() + "/csr.pem") << pem; }
  testing::RunShell("openssl req -in " + Dir() + "/csr.pem -outform DER -out " + der_path);
  std::ifstream in(der_path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string der = ss.str();
  ASSERT_TRUE(ParseCsr(der).ok());  // DER is accepted too
  // Change one byte of the subject's CN ("a.com" -> "b.com"): the signature no longer matches.
  size_t pos = der.find("a.com");
  ASSERT_NE(pos, std::string::npos);
  der[pos] = 'b';
  EXPECT_EQ(ParseCsr(der).status().reason(), "csr_bad_signature");
}

}  // namespace
}  // namespace signet::ca

// Reading certificates Signet did not sign (ca/certificate_reader.h): the facts, and the checks
// of an upload, on certificates made by the openssl tool.
#include "signet/ca/certificate_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/shell.h"

namespace signet::ca {
namespace {

namespace fs = std::filesystem;

class CertificateReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("reader_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    key_ = (dir_ / "key.pem").string();
    testing::RunShell(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
        "-keyout " +
        key_ +
        " -days 30 -subj '/CN=Host.Example.COM' -addext "
        "'subjectAltName=DNS:WWW.Example.com,DNS:example.com' -out " +
        (dir_ / "cert.pem").string());
    testing::RunShell("openssl x509 -in " + (dir_ / "cert.pem").string() + " -outform DER -out " +
                      (dir_ / "cert.der").string());
    pem_ = Read(dir_ / "cert.pem");
    der_ = Read(dir_ / "cert.der");
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
  std::string key_, pem_, der_;
};

TEST_F(CertificateReaderTest, ReadsTheFactsOfOneDerCertificate) {
  auto facts = ReadCertificateDer(der_);
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->names, (std::vector<std::string>{"www.example.com", "example.com"}));
  EXPECT_EQ(facts->der, der_);
  EXPECT_FALSE(facts->serial_hex.empty());
  EXPECT_EQ(facts->serial_hex.find_first_of("ABCDEF"), std::string::npos) << "lower case";
  EXPECT_NE(facts->issuer.find("Host.Example.COM"), std::string::npos);
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::hours>(facts->not_after - facts->not_before).count(),
      30 * 24);
  EXPECT_FALSE(facts->spki_der.empty());
  EXPECT_NE(facts->ari_id.find('.'), std::string::npos) << "AKI '.' serial";
  // Anything after the certificate, or not a certificate at all, is refused.
  EXPECT_EQ(ReadCertificateDer(der_ + "x").status().reason(), "invalid_certificate");
  EXPECT_EQ(ReadCertificateDer("").status().reason(), "invalid_certificate");
  EXPECT_EQ(ReadCertificateDer(pem_).status().reason(), "invalid_certificate");
}

TEST_F(CertificateReaderTest, AnUploadNeedsItsKeyAndARoot) {
  TimePoint now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  // Self-signed and given as its own root: hosted, with its key.
  auto ok = CheckUpload(pem_, pem_, Read(key_), "", now);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->leaf.der, der_);
  EXPECT_NE(ok->private_key_pem.find("PRIVATE KEY"), std::string::npos);
  EXPECT_NE(ok->chain_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  // No root: the chain is incomplete; in 60 days: expired.
  EXPECT_EQ(CheckUpload(pem_, "", "", "", now).status().reason(), "chain_incomplete");
  EXPECT_EQ(CheckUpload(pem_, pem_, "", "", now + std::chrono::hours(24 * 60)).status().reason(),
            "certificate_expired");
  // Another key, two leaves, a password without a key.
  testing::RunShell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " +
                    (dir_ / "other.pem").string());
  EXPECT_EQ(CheckUpload(pem_, pem_, Read(dir_ / "other.pem"), "", now).status().reason(),
            "key_mismatch");
  EXPECT_EQ(CheckUpload(pem_ + pem_, "", "", "", now).status().reason(), "invalid_certificate");
  EXPECT_EQ(CheckUpload(pem_, pem_, "", "secret", now).status().reason(), "invalid_private_key");
}

}  // namespace
}  // namespace signet::ca

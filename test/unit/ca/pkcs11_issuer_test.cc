// An issuing CA whose key lives in a SoftHSM2 token signs certificates openssl accepts.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "signet/ca/certificate_authority.h"
#include "signet/signer/signer.h"
#include "testing/shell.h"
#include "testing/test_database.h"

namespace signet::ca {
namespace {

namespace fs = std::filesystem;

constexpr char kModule[] = "/usr/lib/softhsm/libsofthsm2.so";

class Pkcs11IssuerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("pkcs11_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "tokens");
    ASSERT_TRUE(fs::exists(kModule))
        << "SoftHSM2 is missing: scripts/install-deps.sh installs softhsm2";
    std::ofstream(dir_ / "softhsm2.conf") << "directories.tokendir = " << (dir_ / "tokens").string()
                                          << "\nobjectstore.backend = file\nlog.level = ERROR\n";
    setenv("SOFTHSM2_CONF", (dir_ / "softhsm2.conf").c_str(), 1);
    token_ = "signet-" + std::to_string(getpid());
    std::string out = testing::RunShell("softhsm2-util --init-token --free --label " + token_ +
                                        " --pin 123456 --so-pin 654321");
    ASSERT_NE(out.find("initialized"), std::string::npos) << out;
    std::string key = (dir_ / "issuer.pem").string();
    testing::RunShell("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + key);
    out = testing::RunShell("softhsm2-util --import " + key + " --token " + token_ +
                            " --label issuer --id 01 --pin 123456");
    ASSERT_NE(out.find("imported"), std::string::npos) << out;
    fs::remove(key);  // from now on the key exists only in the token
  }

  signer::Pkcs11KeyReference Reference(const std::string& pin = "123456") {
    return {kModule, "pkcs11:token=" + token_ + ";object=issuer;type=private", pin};
  }

  fs::path dir_;
  std::string token_;
};

TEST_F(Pkcs11IssuerTest, ATokenBackedIntermediateSignsCertificatesOpensslVerifies) {
  auto wrong = signer::LoadPkcs11Signer(Reference("000000"));
  EXPECT_EQ(wrong.status().reason(), "pkcs11_key_unavailable");

  SystemClock clock;
  SystemRandom random;
  auto storage = testing::OpenFreshStorage("sqlite", clock, random);
  ASSERT_NE(storage, nullptr);
  CaHierarchyOptions options;
  options.directory = (dir_ / "ca").string();
  options.passphrase = "a long enough passphrase";
  options.public_url = "https://ca.test";
  options.pkcs11_issuers = {{"hsm-1", Reference()}};
  auto hierarchy = CaHierarchy::LoadOrCreate(options, clock);
  ASSERT_TRUE(hierarchy.ok()) << hierarchy.status().ToString();
  const Issuer* hsm = (*hierarchy)->Find("hsm-1");
  ASSERT_NE(hsm, nullptr);

  CertificateAuthority authority(**hierarchy, *storage, clock, random, {"https://ca.test", 16, {}});
  EVP_PKEY* key = EVP_EC_gen("P-256");
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  IssuanceRequest request;
  request.issuance_id = "iss_hsm";
  request.dns_names = {"hsm.example.com"};
  request.public_key_der.assign(der, der + n);
  request.issuer = "hsm-1";
  OPENSSL_free(der);
  EVP_PKEY_free(key);
  auto issued = authority.Issue(request, {"tester", "", "test", ""});
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(issued->issuer, "hsm-1");
  std::ofstream(dir_ / "root.pem") << (*hierarchy)->root_pem();
  std::ofstream(dir_ / "hsm.pem") << hsm->certificate_pem;
  std::ofstream(dir_ / "leaf.pem") << issued->certificate_pem;
  std::string verify =
      testing::RunShell("openssl verify -CAfile " + (dir_ / "root.pem").string() + " -untrusted " +
                        (dir_ / "hsm.pem").string() + " " + (dir_ / "leaf.pem").string());
  EXPECT_NE(verify.find(": OK"), std::string::npos) << verify;

  // Reloading finds the same intermediate for the same token key.
  auto again = CaHierarchy::LoadOrCreate(options, clock);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->Find("hsm-1")->certificate_pem, hsm->certificate_pem);
  request.issuer = "no-such-issuer";
  request.issuance_id = "iss_none";
  EXPECT_EQ(authority.Issue(request, {"tester", "", "test", ""}).status().code(),
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace signet::ca

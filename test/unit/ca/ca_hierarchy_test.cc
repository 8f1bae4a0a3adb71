#include "signet/ca/ca_hierarchy.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>

namespace signet::ca {
namespace {

namespace fs = std::filesystem;

CaHierarchyOptions Options(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / ("ca_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(dir);
  CaHierarchyOptions o;
  o.directory = dir.string();
  o.passphrase = "a long enough passphrase";
  o.organization = "Signet Test";
  o.public_url = "https://127.0.0.1:8443";
  return o;
}

// Verifies `leaf` up to `root` with OpenSSL's path validation.
bool Verifies(X509* root, X509* leaf) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, root);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf, nullptr);
  bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok;
}

TEST(CaHierarchyTest, CreatesARootAndIssuersThatChainToIt) {
  SystemClock clock;
  auto options = Options("create");
  auto h = CaHierarchy::LoadOrCreate(options, clock);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ((*h)->issuers().size(), 2u);
  for (const Issuer& i : (*h)->issuers()) {
    EXPECT_TRUE(Verifies((*h)->root(), i.certificate)) << i.name;
    EXPECT_EQ(X509_check_ca(i.certificate), 1);
  }
  EXPECT_FALSE(EVP_PKEY_is_a((*h)->DefaultIssuerFor(false).signer->public_key(), "RSA"));
  EXPECT_TRUE(EVP_PKEY_is_a((*h)->DefaultIssuerFor(true).signer->public_key(), "RSA"));
  // The private keys are encrypted on disk.
  for (const auto& entry : fs::recursive_directory_iterator(options.directory)) {
    if (entry.path().filename() == "key.pem") {
      std::ifstream in(entry.path());
      std::string first;
      std::getline(in, first);
      EXPECT_EQ(first, "-----BEGIN ENCRYPTED PRIVATE KEY-----") << entry.path();
    }
  }
}

TEST(CaHierarchyTest, ReloadsTheSameHierarchyAndCompletesAnInterruptedOne) {
  SystemClock clock;
  auto options = Options("reload");
  std::string root, rsa;
  {
    auto h = CaHierarchy::LoadOrCreate(options, clock);
    ASSERT_TRUE(h.ok());
    root = (*h)->root_pem();
    rsa = (*h)->Find("rsa-1")->certificate_pem;
  }
  // As if a crash happened after the key was written but before the certificate.
  fs::remove(fs::path(options.directory) / "issuers" / "ecdsa-1" / "cert.pem");
  auto again = CaHierarchy::LoadOrCreate(options, clock);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->root_pem(), root);
  EXPECT_EQ((*again)->Find("rsa-1")->certificate_pem, rsa);
  EXPECT_TRUE(Verifies((*again)->root(), (*again)->Find("ecdsa-1")->certificate));

  options.passphrase = "not the right passphrase";
  auto wrong = CaHierarchy::LoadOrCreate(options, clock);
  EXPECT_EQ(wrong.status().reason(), "wrong_passphrase");
}

}  // namespace
}  // namespace signet::ca

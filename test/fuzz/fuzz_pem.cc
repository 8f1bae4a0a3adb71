// libFuzzer target: the readers of outside PEM and DER in include/signet/common/pem_input.h
// (uploaded certificates and chains, private keys with their password, CSRs). An input is
// "password\0text"; without a NUL byte it is all text and the password is empty. Any passphrase
// prompt aborts (fuzz_support.h): these readers must never block on a terminal.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "signet/common/pem_input.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  signet::fuzz::TrapPassphrasePrompts();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [password, text] = signet::fuzz::SplitAtNul(data, size);

  auto certificates = signet::pem::ReadCertificates(text);
  auto first = signet::pem::ReadCertificate(text);
  // ReadCertificate is the first of ReadCertificates, or an error when there is none.
  bool have_first = certificates.ok() && !certificates->empty();
  if (first.ok() != have_first) __builtin_trap();
  if (have_first && X509_cmp(first->get(), certificates->front().get()) != 0) __builtin_trap();

  auto key = signet::pem::ReadPrivateKey(text, password);
  if (key.ok()) {
    // The unencrypted PKCS#8 PEM of a key read must read back without a password.
    std::string pem = signet::pem::PrivateKeyToPem(key->get());
    if (!pem.empty()) {
      auto again = signet::pem::ReadPrivateKey(pem);
      if (!again.ok() || EVP_PKEY_eq(key->get(), again->get()) != 1) __builtin_trap();
    }
  }
  (void)signet::pem::ReadPrivateKey(text);  // the same key without any password

  (void)signet::pem::ReadCertificateRequest(text);
  return 0;
}

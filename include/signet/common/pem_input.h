// Reading certificates and private keys that come from outside signetd (uploads, CSRs, key
// files, stored PEM) without ever asking a terminal for a passphrase.
//
// OpenSSL's PEM readers, given no password callback, ask for one on the controlling terminal or
// standard input; for any PEM block marked encrypted (an "ENCRYPTED PRIVATE KEY", but also a
// legacy "Proc-Type: 4,ENCRYPTED" header on any block, a certificate included). In a server that
// blocks a thread for ever. Every read of PEM in Signet goes through PasswordCallback, which hands
// over the password the caller supplied or fails at once, and DisableTerminalPrompts makes a
// read that forgets it fail rather than block.
//
// Thread-safety: pure functions; DisableTerminalPrompts once, before other threads start.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "signet/common/openssl_ptr.h"
#include "signet/common/status.h"

namespace signet::pem {

// The user data of PasswordCallback: the password to give (possibly empty: then none is given
// and the read fails) and whether OpenSSL asked for one, i.e. whether the input was encrypted.
struct PasswordSource {
  std::string_view password;
  bool asked = false;
};

// An OpenSSL pem_password_cb. `userdata` is a PasswordSource* or null (no password: fail).
int PasswordCallback(char* buf, int size, int rwflag, void* userdata);

// Makes OpenSSL's default user interface one that never reads a terminal, so that any PEM read
// without a callback fails instead of waiting on signetd's standard input.
void DisableTerminalPrompts();

// Every certificate in `text`: PEM blocks (CERTIFICATE, TRUSTED CERTIFICATE, X509 CERTIFICATE;
// other blocks and text between them are skipped), or one DER certificate. Empty input gives an
// empty list. A certificate block that cannot be read is an error (reason
// "invalid_certificate", the message says which block).
Result<std::vector<X509Ptr>> ReadCertificates(std::string_view text);

// The first certificate of `text` (PEM or DER), or an error.
Result<X509Ptr> ReadCertificate(std::string_view text);

// A private key: PEM (PKCS#8, encrypted PKCS#8, traditional RSA/EC, legacy encrypted PEM) or
// DER (PKCS#8 or encrypted PKCS#8). Reasons: "key_encrypted" (encrypted and `password` empty),
// "wrong_key_password" (the password does not open it), "key_encryption_too_costly" (its
// encryption names more than 1,000,000 key-derivation iterations: refused before any is run),
// "invalid_private_key" (anything else).
Result<PkeyPtr> ReadPrivateKey(std::string_view text, std::string_view password = {});

// A certificate signing request, PEM or DER; reason "invalid_csr" when it cannot be read.
Result<X509ReqPtr> ReadCertificateRequest(std::string_view text);

// The private key as unencrypted PKCS#8 PEM.
std::string PrivateKeyToPem(EVP_PKEY* key);

}  // namespace signet::pem

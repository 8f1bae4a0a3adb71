// CaHierarchy: Signet's own certificate authority: an offline-style root and issuing
// intermediates (ECDSA and RSA). Created on first start under <data_dir>/ca/; the root key is
// written encrypted and not loaded by the running service afterwards (only by operator commands
// that need it, such as creating another intermediate).
//
//   <data_dir>/ca/root/{cert.pem,key.pem}
//   <data_dir>/ca/issuers/<name>/{cert.pem,key.pem}     name: "ecdsa-1", "rsa-1", ...
//
// Thread-safety: immutable after LoadOrCreate; issuers' signers are thread-safe.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/status.h"
#include "signet/signer/signer.h"

namespace signet::ca {

// An issuing intermediate whose key lives in a PKCS#11 token. Its certificate is created (signed
// by the root) the first time it is loaded, and kept in <directory>/issuers/<name>/cert.pem.
struct Pkcs11IssuerOptions {
  std::string name;  // e.g. "hsm-1"
  signer::Pkcs11KeyReference key;
};

struct CaHierarchyOptions {
  std::string directory;   // <data_dir>/ca
  std::string passphrase;  // encrypts every CA key file
  std::string organization = "Signet";
  std::string country = "CN";  // ISO 3166-1 alpha-2
  std::string public_url;      // for AIA and CRL URLs in the intermediates
  std::vector<Pkcs11IssuerOptions> pkcs11_issuers;
  // Load the root key and sign a fresh root CRL (BR 4.9.7: at least every 12 months).
  bool sign_root_crl = false;
};

// An issuing intermediate: its certificate and the signer holding its key.
struct Issuer {
  std::string name;
  std::string certificate_pem;
  std::string parents_pem;      // the certificates above it, up to and including its root
  X509* certificate = nullptr;  // owned by the hierarchy
  signer::Signer* signer = nullptr;
};

class CaHierarchy {
 public:
  // Loads the hierarchy, creating the root and the default intermediates if the directory holds
  // none yet. A partially created hierarchy (a crash mid-way) is completed.
  static Result<std::unique_ptr<CaHierarchy>> LoadOrCreate(const CaHierarchyOptions& options,
                                                           const Clock& clock);
  virtual ~CaHierarchy() = default;

  virtual const std::string& root_pem() const = 0;
  // The root's CRL (DER), served at /crl/root.crl.
  virtual const std::string& root_crl_der() const = 0;
  virtual X509* root() const = 0;
  virtual const std::vector<Issuer>& issuers() const = 0;
  // nullptr when there is no issuer of that name.
  virtual const Issuer* Find(const std::string& name) const = 0;
  // The default issuer for a subscriber key algorithm (ECDSA keys: ecdsa-1; RSA keys: rsa-1).
  virtual const Issuer& DefaultIssuerFor(bool rsa_subscriber_key) const = 0;
};

// Adds an existing CA certificate and its key as issuer `name` under `directory`: the key must
// match the certificate, the certificate must be a CA allowed to sign certificates, and
// `parents_pem` must lead from it to a self-signed root (empty when it is a root itself). The
// key is stored re-encrypted under `ca_passphrase`. Loaded by LoadOrCreate from then on.
Status ImportIssuer(const std::string& directory, const std::string& name,
                    const std::string& certificate_pem, const std::string& private_key_pem,
                    const std::string& key_passphrase, const std::string& parents_pem,
                    const std::string& ca_passphrase);

}  // namespace signet::ca

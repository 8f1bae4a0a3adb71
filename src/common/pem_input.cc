#include "signet/common/pem_input.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/ui.h>
#include <openssl/x509.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>

namespace signet::pem {

namespace {

BioPtr MemoryBio(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT_MAX)) return nullptr;
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

bool LooksLikePem(std::string_view text) { return text.find("-----BEGIN ") != text.npos; }

// One PEM block as OpenSSL read it; freed with OPENSSL_free.
struct PemBlock {
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long length = 0;
  ~PemBlock() {
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
};

// An encrypted key names its own key-derivation cost, and OpenSSL pays it before it can tell
// a wrong password: PBKDF2 with 2^31-1 iterations is minutes of a core for a 260-byte upload
// (found with fuzz_pem). Keys made by OpenSSL, Java, Windows or browsers use at most a few
// hundred thousand iterations; scrypt's memory is bounded by OpenSSL itself (32 MiB).
constexpr uint64_t kMaxKdfIterations = 1'000'000;
constexpr uint64_t kMaxScryptParallelism = 16;

bool AtMost(const ASN1_INTEGER* value, uint64_t limit) {
  uint64_t v = 0;
  return value == nullptr || (ASN1_INTEGER_get_uint64(&v, value) == 1 && v <= limit);
}

// Whether decrypting the key that `sig` holds costs a bounded amount of work.
bool KdfCostBounded(const X509_SIG* sig) {
  const X509_ALGOR* algorithm = nullptr;
  X509_SIG_get0(sig, &algorithm, nullptr);
  const ASN1_TYPE* params = algorithm != nullptr ? algorithm->parameter : nullptr;
  if (params == nullptr || params->type != V_ASN1_SEQUENCE) return true;  // fails on its own
  if (OBJ_obj2nid(algorithm->algorithm) != NID_pbes2) {  // PBES1, PKCS#12: salt, iterations
    std::unique_ptr<PBEPARAM, decltype(&PBEPARAM_free)> pbe(
        static_cast<PBEPARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), params)),
        &PBEPARAM_free);
    return !pbe || AtMost(pbe->iter, kMaxKdfIterations);
  }
  std::unique_ptr<PBE2PARAM, decltype(&PBE2PARAM_free)> pbes2(
      static_cast<PBE2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), params)),
      &PBE2PARAM_free);
  if (!pbes2 || pbes2->keyfunc == nullptr || pbes2->keyfunc->parameter == nullptr) return true;
  int kdf = OBJ_obj2nid(pbes2->keyfunc->algorithm);
  if (kdf == NID_id_pbkdf2) {
    std::unique_ptr<PBKDF2PARAM, decltype(&PBKDF2PARAM_free)> pbkdf2(
        static_cast<PBKDF2PARAM*>(
            ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbes2->keyfunc->parameter)),
        &PBKDF2PARAM_free);
    return !pbkdf2 || AtMost(pbkdf2->iter, kMaxKdfIterations);
  }
  if (kdf == NID_id_scrypt) {
    std::unique_ptr<SCRYPT_PARAMS, decltype(&SCRYPT_PARAMS_free)> scrypt(
        static_cast<SCRYPT_PARAMS*>(
            ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), pbes2->keyfunc->parameter)),
        &SCRYPT_PARAMS_free);
    return !scrypt || AtMost(scrypt->parallelizationParameter, kMaxScryptParallelism);
  }
  return true;
}

// Every encrypted PKCS#8 key in `text` (PEM blocks, or the whole text as DER) has a bounded
// key-derivation cost.
bool EncryptedKeysAffordable(std::string_view text) {
  if (!LooksLikePem(text)) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sig(
        d2i_X509_SIG(nullptr, &p, static_cast<long>(text.size())), &X509_SIG_free);
    ERR_clear_error();
    return !sig || KdfCostBounded(sig.get());
  }
  BioPtr bio = MemoryBio(text);
  for (;;) {
    PemBlock block;
    if (PEM_read_bio(bio.get(), &block.name, &block.header, &block.data, &block.length) != 1) {
      ERR_clear_error();
      return true;
    }
    if (std::strcmp(block.name, "ENCRYPTED PRIVATE KEY") != 0) continue;
    const unsigned char* p = block.data;
    std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sig(d2i_X509_SIG(nullptr, &p, block.length),
                                                            &X509_SIG_free);
    ERR_clear_error();
    if (sig && !KdfCostBounded(sig.get())) return false;
  }
}

Status CertificateError(std::string message) {
  return Status::Error(ErrorCode::kMalformed, "invalid_certificate", std::move(message));
}

}  // namespace

int PasswordCallback(char* buf, int size, int /*rwflag*/, void* userdata) {
  auto* source = static_cast<PasswordSource*>(userdata);
  if (source == nullptr) return -1;
  source->asked = true;
  if (source->password.empty() || size <= 0) return -1;
  if (source->password.size() > static_cast<size_t>(size)) return -1;
  std::memcpy(buf, source->password.data(), source->password.size());
  return static_cast<int>(source->password.size());
}

void DisableTerminalPrompts() { UI_set_default_method(UI_null()); }

Result<std::vector<X509Ptr>> ReadCertificates(std::string_view text) {
  std::vector<X509Ptr> out;
  if (text.empty()) return out;
  BioPtr bio = MemoryBio(text);
  if (!bio) return CertificateError("the certificate text is too large");
  if (!LooksLikePem(text)) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(text.size())));
    ERR_clear_error();
    if (!cert) return CertificateError("not a PEM or DER certificate");
    out.push_back(std::move(cert));
    return out;
  }
  // Blocks are read raw (PEM_read_bio decrypts nothing), so an "encrypted" block is refused
  // here instead of reaching a password callback.
  for (int index = 1;; ++index) {
    PemBlock block;
    if (PEM_read_bio(bio.get(), &block.name, &block.header, &block.data, &block.length) != 1) {
      unsigned long err = ERR_peek_last_error();
      ERR_clear_error();
      if (ERR_GET_REASON(err) == PEM_R_NO_START_LINE) break;  // no further block
      return CertificateError("PEM block " + std::to_string(index) +
                              " is damaged (bad base64 or a missing END line)");
    }
    std::string_view name(block.name);
    bool trusted = name == "TRUSTED CERTIFICATE";
    if (name != "CERTIFICATE" && name != "X509 CERTIFICATE" && !trusted) continue;
    if (block.header != nullptr && std::strstr(block.header, "ENCRYPTED") != nullptr) {
      return CertificateError("certificate " + std::to_string(index) +
                              " is marked encrypted; certificates are public, send it as is");
    }
    const unsigned char* p = block.data;
    X509Ptr cert(trusted ? d2i_X509_AUX(nullptr, &p, block.length)
                         : d2i_X509(nullptr, &p, block.length));
    ERR_clear_error();
    if (!cert || p != block.data + block.length) {
      return CertificateError("PEM block " + std::to_string(index) +
                              " is not a readable X.509 certificate");
    }
    out.push_back(std::move(cert));
  }
  return out;
}

Result<X509Ptr> ReadCertificate(std::string_view text) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<X509Ptr> certs, ReadCertificates(text));
  if (certs.empty()) return CertificateError("no certificate found");
  return std::move(certs.front());
}

Result<PkeyPtr> ReadPrivateKey(std::string_view text, std::string_view password) {
  BioPtr bio = MemoryBio(text);
  if (!bio) return MalformedError("the private key is too large", "invalid_private_key");
  if (!EncryptedKeysAffordable(text)) {
    return MalformedError(
        "the private key's encryption asks for more than 1,000,000 key-derivation iterations; "
        "re-encrypt it with ordinary settings (e.g. openssl pkcs8 -topk8 -v2 aes-256-cbc) or "
        "send it unencrypted",
        "key_encryption_too_costly");
  }
  PasswordSource source{password};
  PkeyPtr key;
  if (LooksLikePem(text)) {
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, PasswordCallback, &source));
  } else {
    key.reset(d2i_PrivateKey_bio(bio.get(), nullptr));
    if (!key) {
      bio = MemoryBio(text);
      key.reset(d2i_PKCS8PrivateKey_bio(bio.get(), nullptr, PasswordCallback, &source));
    }
  }
  ERR_clear_error();
  if (key) return key;
  if (source.asked && password.empty()) {
    return Status::Error(ErrorCode::kMalformed, "key_encrypted",
                         "the private key is encrypted with a password: send that password in "
                         "'private_key_password', or send the key unencrypted");
  }
  if (source.asked) {
    return Status::Error(ErrorCode::kMalformed, "wrong_key_password",
                         "the password does not open the private key; check "
                         "'private_key_password'");
  }
  return MalformedError(
      "the private key cannot be read: send one PEM private key (PKCS#8, RSA or EC, encrypted "
      "or not) or its DER",
      "invalid_private_key");
}

Result<X509ReqPtr> ReadCertificateRequest(std::string_view text) {
  BioPtr bio = MemoryBio(text);
  if (!bio) return MalformedError("the CSR is too large", "invalid_csr");
  X509ReqPtr req;
  if (LooksLikePem(text)) {
    req.reset(PEM_read_bio_X509_REQ(bio.get(), nullptr, PasswordCallback, nullptr));
  } else {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    req.reset(d2i_X509_REQ(nullptr, &p, static_cast<long>(text.size())));
  }
  ERR_clear_error();
  if (!req) return MalformedError("not a PEM or DER certificate signing request", "invalid_csr");
  return req;
}

std::string PrivateKeyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace signet::pem

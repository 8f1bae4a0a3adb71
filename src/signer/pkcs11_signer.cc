// PKCS#11 keys through OpenSSL's pkcs11 engine (libp11, Debian's libengine-pkcs11-openssl). The
// ENGINE API is deprecated in OpenSSL 3 but remains the packaged, working route to PKCS#11 here;
// it is confined to this file.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/engine.h>

#include "signer/evp_key_signer.h"
#include "signet/signer/signer.h"

namespace signet::signer {

Result<std::unique_ptr<Signer>> LoadPkcs11Signer(const Pkcs11KeyReference& ref) {
  ENGINE_load_builtin_engines();
  ENGINE* engine = ENGINE_by_id("pkcs11");
  if (!engine) {
    ERR_clear_error();
    return UnavailableError(
        "the OpenSSL pkcs11 engine is not installed (Debian: libengine-pkcs11-openssl)");
  }
  std::shared_ptr<void> owner(engine, [](void* e) {
    ENGINE_finish(static_cast<ENGINE*>(e));
    ENGINE_free(static_cast<ENGINE*>(e));
  });
  if (!ref.module_path.empty() &&
      ENGINE_ctrl_cmd_string(engine, "MODULE_PATH", ref.module_path.c_str(), 0) != 1) {
    return UnavailableError("the PKCS#11 module " + ref.module_path + " cannot be used");
  }
  if (!ref.pin.empty() && ENGINE_ctrl_cmd_string(engine, "PIN", ref.pin.c_str(), 0) != 1) {
    return UnavailableError("the PKCS#11 engine refused the PIN setting");
  }
  if (ENGINE_init(engine) != 1) {
    ERR_clear_error();
    return UnavailableError("the PKCS#11 engine failed to start with module " + ref.module_path);
  }
  PkeyPtr key(ENGINE_load_private_key(engine, ref.uri.c_str(), nullptr, nullptr));
  if (!key) {
    std::string why = OpenSslError();
    return Status::Error(
        ErrorCode::kUnauthorized, "pkcs11_key_unavailable",
        "cannot use the PKCS#11 key " + ref.uri + " (wrong PIN, token or label?): " + why);
  }
  SIGNET_ASSIGN_OR_RETURN(KeyAlgorithm algorithm, AlgorithmOf(key.get()));
  return std::unique_ptr<Signer>(
      std::make_unique<EvpKeySigner>(std::move(key), algorithm, std::move(owner)));
}

}  // namespace signet::signer

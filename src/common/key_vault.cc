#include "signet/common/key_vault.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "signet/common/encoding.h"

namespace signet {

namespace {
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr char kVersion[] = "v1.";
}  // namespace

bool KeyVault::IsSealed(const std::string& text) { return text.rfind(kVersion, 0) == 0; }

Result<KeyVault> KeyVault::OpenOrCreate(const std::string& path, Random& random) {
  namespace fs = std::filesystem;
  if (!fs::exists(path)) {
    std::vector<uint8_t> key = random.Bytes(32);
    std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      chmod(tmp.c_str(), 0600);
      out << Base64Encode(key) << "\n";
      if (!out.flush()) return UnavailableError("cannot write the master key " + path);
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) return UnavailableError("cannot write the master key " + path);
  }
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  auto key = Base64Decode(text);
  if (!key || key->size() != 32) {
    return MalformedError("the master key file " + path + " does not hold 32 base64 bytes",
                          "bad_master_key");
  }
  return KeyVault(std::move(*key), random);
}

KeyVault KeyVault::FromKey(std::vector<uint8_t> key, Random& random) {
  return KeyVault(std::move(key), random);
}

std::string KeyVault::Seal(const std::string& plaintext, const std::string& aad) const {
  std::vector<uint8_t> out(kNonceBytes + plaintext.size() + kTagBytes);
  random_->Fill(out.data(), kNonceBytes);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  int len = 0;
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), out.data());
  EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                    static_cast<int>(aad.size()));
  EVP_EncryptUpdate(ctx.get(), out.data() + kNonceBytes, &len,
                    reinterpret_cast<const unsigned char*>(plaintext.data()),
                    static_cast<int>(plaintext.size()));
  EVP_EncryptFinal_ex(ctx.get(), out.data() + kNonceBytes + len, &len);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                      out.data() + kNonceBytes + plaintext.size());
  return kVersion + Base64UrlEncode(out);
}

Result<std::string> KeyVault::Unseal(const std::string& sealed, const std::string& aad) const {
  static const char kBad[] =
      "a sealed secret cannot be opened: altered, or sealed under another master key";
  if (sealed.rfind(kVersion, 0) != 0) return InternalError(kBad);
  auto bytes = Base64UrlDecode(sealed.substr(sizeof(kVersion) - 1));
  if (!bytes || bytes->size() < kNonceBytes + kTagBytes) return InternalError(kBad);
  size_t n = bytes->size() - kNonceBytes - kTagBytes;
  std::string plain(n, '\0');
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  int len = 0;
  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), bytes->data());
  EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                    static_cast<int>(aad.size()));
  EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                    bytes->data() + kNonceBytes, static_cast<int>(n));
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes->data() + kNonceBytes + n);
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) !=
      1) {
    return InternalError(kBad);
  }
  return plain;
}

}  // namespace signet

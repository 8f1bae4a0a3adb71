// libFuzzer target: the ACME JWS and JWK parsing and verification of include/signet/acme/jws.h on
// arbitrary bytes, as an ACME request body (flattened JWS), keyChange's inner JWS, an external
// account binding, a JWK's JSON, or a SubjectPublicKeyInfo.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "signet/acme/jws.h"

namespace {

using signet::acme::Jwk;

// The public half of test/fuzz/data/acme-account.key.pem, which signed the corpus's "kid"
// requests and is bound by its external account binding: with a known key the fuzzer starts
// from bodies that verify, not only from ones refused at the signature.
constexpr char kAccountJwk[] =
    R"({"crv":"P-256","kty":"EC","x":"ULUEjr3uN5JkTjSrqt7D0BLnNI84j6CixtYHluHZEyM",)"
    R"("y":"fpsC1DadM8C8lX6iKS-G6Y4K5Vg5cGNaGXAZ7UmfnGE"})";
// The MAC key of the corpus's external account binding (raw bytes, as an EAB key is stored).
constexpr char kEabHmacKey[] = "signet-fuzz-eab-hmac-key-32-byte";

const Jwk* account_key = nullptr;

// A key the parser accepted must survive the trip through its SPKI: that is how account keys
// are stored and compared.
void CheckKey(const Jwk& key) {
  (void)key.Thumbprint();
  std::string spki = key.SpkiDer();
  auto again = Jwk::FromSpkiDer(spki);
  if (!again.ok() || again->SpkiDer() != spki || again->kty() != key.kty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  signet::fuzz::TrapPassphrasePrompts();
  auto key = Jwk::Parse(kAccountJwk);
  if (!key.ok()) __builtin_trap();
  account_key = new Jwk(*key);  // kept until exit
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = signet::fuzz::AsString(data, size);

  auto request = signet::acme::ParseJwsRequest(input);
  if (request.ok() && request->jwk) {
    CheckKey(*request->jwk);
    // ParseJwsRequest verified the signature with the embedded key; so must VerifyWith.
    if (!signet::acme::VerifyWith(input, *request->jwk).ok()) __builtin_trap();
  }
  (void)signet::acme::VerifyWith(input, *account_key);

  auto key_change = signet::acme::ParseKeyChangeJws(input);
  if (key_change.ok()) CheckKey(key_change->new_key);

  (void)signet::acme::ParseExternalAccountBinding(input);
  (void)signet::acme::VerifyExternalAccountBinding(input, kEabHmacKey, *account_key);

  auto jwk = Jwk::Parse(input);
  if (jwk.ok()) CheckKey(*jwk);
  auto from_spki = Jwk::FromSpkiDer(input);
  if (from_spki.ok()) CheckKey(*from_spki);

  if (auto decoded = signet::acme::Base64UrlDecode(input)) {
    // Whatever decodes must encode back to something that decodes to the same bytes.
    auto again = signet::acme::Base64UrlDecode(signet::acme::Base64UrlEncode(*decoded));
    if (!again || *again != *decoded) __builtin_trap();
  }
  return 0;
}

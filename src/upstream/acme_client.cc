// The ACME client of upstream CAs (acme_client.h).
#include "signet/upstream/acme_client.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "signet/acme/jws.h"
#include "signet/common/crypto.h"
#include "signet/common/json_post.h"
#include "signet/common/openssl_ptr.h"

namespace signet::upstream {

using nlohmann::json;

namespace {

std::string B64(const std::string& bytes) { return acme::Base64UrlEncode(bytes); }

Status Unreachable(const std::string& url, const std::string& why) {
  return Status::Error(ErrorCode::kUnavailable, "upstream_unreachable",
                       "the upstream CA at " + url + " could not be reached: " + why);
}

std::string Str(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// An upstream's answer that is not what RFC 8555 says it should be.
Status Garbled(const std::string& what) {
  return Status::Error(ErrorCode::kUnavailable, "upstream_garbled",
                       "the upstream CA's answer is not valid ACME: " + what);
}

int RetryAfterSeconds(const JsonPostResult& r) {
  std::string v = r.Header("retry-after");
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 6) {
    return 0;
  }
  return std::stoi(v);
}

// The upstream's problem document as a Status (reason: the ACME error type, short).
Status ProblemStatus(const JsonPostResult& r) {
  json doc = json::parse(r.response, nullptr, false);
  std::string type = doc.is_object() ? Str(doc, "type") : "";
  std::string detail = doc.is_object() ? Str(doc, "detail") : "";
  const std::string prefix = "urn:ietf:params:acme:error:";
  std::string reason = type.rfind(prefix, 0) == 0 ? type.substr(prefix.size()) : "upstream_error";
  if (doc.is_object() && doc.contains("subproblems") && doc["subproblems"].is_array()) {
    for (const json& sub : doc["subproblems"]) {
      if (!sub.is_object()) continue;
      std::string who = sub.contains("identifier") && sub["identifier"].is_object()
                            ? Str(sub["identifier"], "value")
                            : "";
      detail += "; " + (who.empty() ? "" : who + ": ") + Str(sub, "detail");
    }
  }
  if (detail.empty()) detail = "HTTP " + std::to_string(r.status);
  if (int after = RetryAfterSeconds(r); after > 0) {
    detail += " (retry after " + std::to_string(after) + " s)";
  }
  ErrorCode code = reason == "rateLimited"               ? ErrorCode::kRateLimited
                   : reason == "rejectedIdentifier"      ? ErrorCode::kForbidden
                   : reason == "caa"                     ? ErrorCode::kForbidden
                   : reason == "unauthorized"            ? ErrorCode::kForbidden
                   : reason == "externalAccountRequired" ? ErrorCode::kForbidden
                   : r.status >= 500                     ? ErrorCode::kUnavailable
                                                         : ErrorCode::kMalformed;
  return Status::Error(code, reason, "the upstream CA refused: " + detail);
}

UpstreamOrder ReadOrder(const json& j, const std::string& url) {
  UpstreamOrder o;
  o.url = url;
  o.status = Str(j, "status");
  o.finalize = Str(j, "finalize");
  o.certificate = Str(j, "certificate");
  if (j.contains("authorizations") && j["authorizations"].is_array()) {
    for (const json& a : j["authorizations"]) {
      if (a.is_string()) o.authorizations.push_back(a.get<std::string>());
    }
  }
  if (j.contains("error") && j["error"].is_object()) o.error = Str(j["error"], "detail");
  return o;
}

// The DER of an ARI certificate identifier part: base64url of the AKI keyIdentifier and of the
// serial's DER content octets (RFC 9773 section 4.1).
Result<std::string> AriCertId(const std::string& certificate_der) {
  const auto* p = reinterpret_cast<const unsigned char*>(certificate_der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(certificate_der.size())));
  if (!cert) return MalformedError("not a DER certificate");
  const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(cert.get());
  if (aki == nullptr) return MalformedError("the certificate has no authority key id");
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  unsigned char* der = nullptr;
  int length = i2d_ASN1_INTEGER(serial, &der);
  if (length < 2) return MalformedError("the certificate's serial is unreadable");
  // Skip the tag and the (short-form) length: the content octets.
  std::string content(reinterpret_cast<char*>(der) + 2, static_cast<size_t>(length - 2));
  OPENSSL_free(der);
  return B64(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(aki)),
                         static_cast<size_t>(ASN1_STRING_length(aki)))) +
         "." + B64(content);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The account key

struct AcmeAccountKey::Key {
  PkeyPtr pkey;
};

AcmeAccountKey::AcmeAccountKey(AcmeAccountKey&&) noexcept = default;
AcmeAccountKey& AcmeAccountKey::operator=(AcmeAccountKey&&) noexcept = default;
AcmeAccountKey::~AcmeAccountKey() = default;

Result<AcmeAccountKey> AcmeAccountKey::Wrap(std::unique_ptr<Key> key) {
  unsigned char* der = nullptr;
  int length = i2d_PUBKEY(key->pkey.get(), &der);
  if (length <= 0) return InternalError("could not encode the ACME account key");
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  SIGNET_ASSIGN_OR_RETURN(acme::Jwk public_jwk, acme::Jwk::FromSpkiDer(spki));
  AcmeAccountKey out;
  out.key_ = std::move(key);
  out.jwk_json_ = public_jwk.canonical_json();
  out.thumbprint_ = public_jwk.Thumbprint();
  return out;
}

Result<AcmeAccountKey> AcmeAccountKey::Generate() {
  auto key = std::make_unique<Key>();
  key->pkey.reset(EVP_EC_gen("P-256"));
  if (!key->pkey) return InternalError("could not generate an ACME account key");
  return Wrap(std::move(key));
}

Result<AcmeAccountKey> AcmeAccountKey::FromPem(const std::string& pem) {
  auto key = std::make_unique<Key>();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  key->pkey.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key->pkey || EVP_PKEY_get_base_id(key->pkey.get()) != EVP_PKEY_EC) {
    return InternalError("the stored ACME account key is not a P-256 key");
  }
  return Wrap(std::move(key));
}

std::string AcmeAccountKey::Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

std::string AcmeAccountKey::SignEs256(const std::string& input) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t length = 0;
  std::string der;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1) {
    return "";
  }
  der.resize(length);
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &length, data,
                     input.size()) != 1) {
    return "";
  }
  der.resize(length);
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())), ECDSA_SIG_free);
  if (!sig) return "";
  std::string rs(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(rs.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(rs.data()) + 32, 32);
  return B64(rs);
}

// ---------------------------------------------------------------------------------------------
// The client

struct AcmeClient::Impl {
  AcmeClientOptions options;
  AcmeAccountKey key;
  std::mutex mutex;
  std::string account_url;
  std::optional<AcmeDirectory> directory;
  std::vector<std::string> nonces;

  JsonPostResult Send(const std::string& url, const std::string& body, bool keep_long = false) {
    JsonPostRequest r;
    r.url = url;
    r.ca_file = options.ca_file;
    r.public_addresses_only = !options.allow_private_addresses;
    r.timeout_ms = static_cast<int>(options.timeout.count());
    r.keep_response = true;
    r.max_response = keep_long ? (4 << 20) : (1 << 20);
    r.refuse_longer = true;
    r.no_proxy = options.allow_private_addresses;
    if (body.empty()) {
      r.get = true;
    } else {
      r.body = body;
      r.content_type = "application/jose+json";
    }
    JsonPostResult result = PostJson(r);
    if (std::string nonce = result.Header("replay-nonce"); !nonce.empty() && nonce.size() < 200) {
      std::lock_guard<std::mutex> lock(mutex);
      if (nonces.size() < 32) nonces.push_back(nonce);
    }
    return result;
  }

  Result<AcmeDirectory> Directory() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (directory) return *directory;
    }
    JsonPostResult r = Send(options.directory_url, "");
    if (!r.reached) return Unreachable(options.directory_url, r.error);
    if (r.status != 200) {
      return Unreachable(options.directory_url,
                         "its directory answered HTTP " + std::to_string(r.status));
    }
    json j = json::parse(r.response, nullptr, false);
    if (!j.is_object()) return Garbled("the directory is not a JSON object");
    AcmeDirectory d;
    d.new_nonce = Str(j, "newNonce");
    d.new_account = Str(j, "newAccount");
    d.new_order = Str(j, "newOrder");
    d.revoke_cert = Str(j, "revokeCert");
    d.renewal_info = Str(j, "renewalInfo");
    if (j.contains("meta") && j["meta"].is_object()) {
      const json& meta = j["meta"];
      d.external_account_required = meta.value("externalAccountRequired", false);
      if (meta.contains("profiles") && meta["profiles"].is_object()) {
        for (const auto& [name, unused] : meta["profiles"].items()) d.profiles.push_back(name);
      }
    }
    if (d.new_nonce.empty() || d.new_account.empty() || d.new_order.empty()) {
      return Garbled("the directory lacks newNonce, newAccount or newOrder");
    }
    std::lock_guard<std::mutex> lock(mutex);
    directory = d;
    return d;
  }

  Result<std::string> Nonce() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!nonces.empty()) {
        std::string n = nonces.back();
        nonces.pop_back();
        return n;
      }
    }
    SIGNET_ASSIGN_OR_RETURN(AcmeDirectory d, Directory());
    JsonPostResult r = Send(d.new_nonce, "");
    if (!r.reached) return Unreachable(d.new_nonce, r.error);
    std::string n = r.Header("replay-nonce");
    if (n.empty()) return Garbled("newNonce gave no Replay-Nonce");
    std::lock_guard<std::mutex> lock(mutex);
    if (!nonces.empty() && nonces.back() == n) nonces.pop_back();
    return n;
  }

  // A signed POST (payload empty: POST-as-GET). With `use_jwk` the key itself goes in the
  // header (newAccount, revocation by key); else the account URL. A badNonce is retried.
  Result<JsonPostResult> Post(const std::string& url, const std::string& payload,
                              bool use_jwk = false, bool keep_long = false) {
    for (int attempt = 0;; ++attempt) {
      SIGNET_ASSIGN_OR_RETURN(std::string nonce, Nonce());
      json header = {{"alg", "ES256"}, {"nonce", nonce}, {"url", url}};
      if (use_jwk) {
        header["jwk"] = json::parse(key.jwk_json());
      } else {
        std::lock_guard<std::mutex> lock(mutex);
        if (account_url.empty()) return InternalError("no upstream ACME account yet");
        header["kid"] = account_url;
      }
      std::string protected64 = B64(header.dump());
      std::string payload64 = payload.empty() ? "" : B64(payload);
      std::string signature = key.SignEs256(protected64 + "." + payload64);
      json body = {{"protected", protected64}, {"payload", payload64}, {"signature", signature}};
      JsonPostResult r = Send(url, body.dump(), keep_long);
      if (!r.reached) return Unreachable(url, r.error);
      if (r.status >= 400 && attempt < 3) {
        json doc = json::parse(r.response, nullptr, false);
        if (doc.is_object() && Str(doc, "type") == "urn:ietf:params:acme:error:badNonce") continue;
      }
      return r;
    }
  }

  Result<json> PostForJson(const std::string& url, const std::string& payload,
                           JsonPostResult* raw = nullptr, bool use_jwk = false) {
    SIGNET_ASSIGN_OR_RETURN(JsonPostResult r, Post(url, payload, use_jwk));
    if (r.status >= 400) {
      Status problem = ProblemStatus(r);
      if (raw != nullptr) *raw = std::move(r);  // its Retry-After, for the caller
      return problem;
    }
    json j = json::parse(r.response, nullptr, false);
    if (!j.is_object()) return Garbled(url + " did not answer with a JSON object");
    if (raw != nullptr) *raw = std::move(r);
    return j;
  }
};

AcmeClient::AcmeClient(AcmeClientOptions options, AcmeAccountKey key, std::string account_url)
    : impl_(new Impl{std::move(options), std::move(key), {}, std::move(account_url), {}, {}}) {}

AcmeClient::~AcmeClient() = default;

Result<AcmeDirectory> AcmeClient::Directory(bool refresh) {
  if (refresh) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->directory.reset();
  }
  return impl_->Directory();
}

std::string AcmeClient::account_url() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->account_url;
}

Result<std::string> AcmeClient::RegisterAccount(const std::vector<std::string>& contact,
                                                const std::string& eab_kid,
                                                const std::string& eab_hmac_key) {
  SIGNET_ASSIGN_OR_RETURN(AcmeDirectory d, impl_->Directory());
  json payload = {{"termsOfServiceAgreed", true}};
  if (!contact.empty()) payload["contact"] = contact;
  if (!eab_kid.empty()) {
    auto mac_key = acme::Base64UrlDecode(eab_hmac_key);
    if (!mac_key) {
      return MalformedError(
          "the EAB HMAC key must be the CA's base64url text (as its console shows it)");
    }
    json header = {{"alg", "HS256"}, {"kid", eab_kid}, {"url", d.new_account}};
    std::string protected64 = B64(header.dump());
    std::string payload64 = B64(impl_->key.jwk_json());
    Sha256Digest mac =
        HmacSha256({reinterpret_cast<const uint8_t*>(mac_key->data()), mac_key->size()},
                   protected64 + "." + payload64);
    payload["externalAccountBinding"] = {
        {"protected", protected64},
        {"payload", payload64},
        {"signature", B64(std::string(reinterpret_cast<const char*>(mac.data()), mac.size()))}};
  } else if (d.external_account_required) {
    return Status::Error(
        ErrorCode::kForbidden, "externalAccountRequired",
        "the upstream CA requires an external account binding: the operator sets eab_kid "
        "and eab_hmac_key_file in the product's upstream, or the account gives "
        "its own (PUT /api/v1/upstream-eab/{product})");
  }
  JsonPostResult raw;
  SIGNET_ASSIGN_OR_RETURN(json account,
                          impl_->PostForJson(d.new_account, payload.dump(), &raw, true));
  std::string url = raw.Header("location");
  if (url.empty()) return Garbled("newAccount gave no Location");
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->account_url = url;
  return url;
}

Result<UpstreamOrder> AcmeClient::NewOrder(const std::vector<std::string>& dns_names,
                                           const std::string& profile, const std::string& replaces,
                                           int* retry_after_seconds) {
  SIGNET_ASSIGN_OR_RETURN(AcmeDirectory d, impl_->Directory());
  json identifiers = json::array();
  for (const std::string& name : dns_names) {
    identifiers.push_back({{"type", "dns"}, {"value", name}});
  }
  json payload = {{"identifiers", identifiers}};
  if (!profile.empty()) payload["profile"] = profile;
  if (!replaces.empty()) payload["replaces"] = replaces;
  JsonPostResult raw;
  auto j = impl_->PostForJson(d.new_order, payload.dump(), &raw);
  if (retry_after_seconds != nullptr) *retry_after_seconds = RetryAfterSeconds(raw);
  if (!j.ok()) return j.status();
  std::string url = raw.Header("location");
  if (url.empty()) return Garbled("newOrder gave no Location");
  return ReadOrder(*j, url);
}

Result<UpstreamOrder> AcmeClient::GetOrder(const std::string& url) {
  JsonPostResult raw;
  SIGNET_ASSIGN_OR_RETURN(json j, impl_->PostForJson(url, "", &raw));
  UpstreamOrder o = ReadOrder(j, url);
  o.retry_after_seconds = RetryAfterSeconds(raw);
  return o;
}

const UpstreamChallenge* UpstreamAuthorization::Find(const std::string& type) const {
  for (const UpstreamChallenge& c : challenges) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

Result<UpstreamAuthorization> AcmeClient::GetAuthorization(const std::string& url) {
  SIGNET_ASSIGN_OR_RETURN(json j, impl_->PostForJson(url, ""));
  UpstreamAuthorization a;
  a.url = url;
  a.status = Str(j, "status");
  a.wildcard = j.value("wildcard", false);
  if (j.contains("identifier") && j["identifier"].is_object()) {
    a.identifier = Str(j["identifier"], "value");
  }
  if (j.contains("challenges") && j["challenges"].is_array()) {
    for (const json& c : j["challenges"]) {
      if (!c.is_object()) continue;
      UpstreamChallenge ch{Str(c, "type"), Str(c, "url"), Str(c, "token"), Str(c, "status"), ""};
      if (c.contains("error") && c["error"].is_object()) {
        ch.error = Str(c["error"], "detail");
        if (a.error.empty()) a.error = ch.error;
      }
      a.challenges.push_back(std::move(ch));
    }
  }
  return a;
}

Status AcmeClient::RespondToChallenge(const std::string& url) {
  return impl_->PostForJson(url, "{}").status();
}

Result<UpstreamOrder> AcmeClient::Finalize(const std::string& finalize_url,
                                           const std::string& csr_der) {
  json payload = {{"csr", B64(csr_der)}};
  JsonPostResult raw;
  SIGNET_ASSIGN_OR_RETURN(json j, impl_->PostForJson(finalize_url, payload.dump(), &raw));
  std::string url = raw.Header("location");
  UpstreamOrder o = ReadOrder(j, url);
  o.retry_after_seconds = RetryAfterSeconds(raw);
  return o;
}

Result<std::vector<std::string>> AcmeClient::DownloadChains(const std::string& certificate_url) {
  SIGNET_ASSIGN_OR_RETURN(JsonPostResult r, impl_->Post(certificate_url, "", false, true));
  if (r.status >= 400) return ProblemStatus(r);
  if (r.response.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Garbled("the certificate URL did not answer with a PEM chain");
  }
  std::vector<std::string> chains{r.response};
  // Alternate chains (RFC 8555 7.4.2): Link: <url>;rel="alternate", at most three.
  for (const HttpHeader& h : r.headers) {
    if (h.name != "link" || h.value.find("rel=\"alternate\"") == std::string::npos) continue;
    size_t open = h.value.find('<'), close = h.value.find('>');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    auto alternate = impl_->Post(h.value.substr(open + 1, close - open - 1), "", false, true);
    if (alternate.ok() && alternate->status == 200 &&
        alternate->response.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
      chains.push_back(alternate->response);
    }
    if (chains.size() == 4) break;
  }
  return chains;
}

Status AcmeClient::Revoke(const std::string& certificate_der, int reason) {
  SIGNET_ASSIGN_OR_RETURN(AcmeDirectory d, impl_->Directory());
  if (d.revoke_cert.empty()) return Garbled("the directory has no revokeCert");
  json payload = {{"certificate", B64(certificate_der)}, {"reason", reason}};
  SIGNET_ASSIGN_OR_RETURN(JsonPostResult r, impl_->Post(d.revoke_cert, payload.dump()));
  if (r.status >= 400) return ProblemStatus(r);
  return Status::Ok();
}

Result<RenewalWindow> AcmeClient::RenewalInfo(const std::string& certificate_der) {
  SIGNET_ASSIGN_OR_RETURN(AcmeDirectory d, impl_->Directory());
  if (d.renewal_info.empty()) {
    return Status::Error(ErrorCode::kNotFound, "no_renewal_info",
                         "the upstream CA offers no renewal information");
  }
  SIGNET_ASSIGN_OR_RETURN(std::string id, AriCertId(certificate_der));
  std::string url = d.renewal_info + (d.renewal_info.back() == '/' ? "" : "/") + id;
  JsonPostResult r = impl_->Send(url, "");
  if (!r.reached) return Unreachable(url, r.error);
  if (r.status != 200) return ProblemStatus(r);
  json j = json::parse(r.response, nullptr, false);
  if (!j.is_object() || !j.contains("suggestedWindow") || !j["suggestedWindow"].is_object()) {
    return Garbled("renewalInfo has no suggestedWindow");
  }
  auto start = ParseRfc3339(Str(j["suggestedWindow"], "start"));
  auto end = ParseRfc3339(Str(j["suggestedWindow"], "end"));
  if (!start || !end || *end < *start) return Garbled("renewalInfo's window is unreadable");
  return RenewalWindow{*start, *end, Str(j, "explanationURL")};
}

Result<std::string> CsrDer(const std::string& private_key_pem,
                           const std::vector<std::string>& dns_names) {
  if (dns_names.empty()) return MalformedError("a CSR needs at least one name");
  BioPtr bio(BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return InternalError("the order's private key is unreadable");
  std::unique_ptr<X509_REQ, OpenSslFree> req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  X509_NAME* subject = X509_REQ_get_subject_name(req.get());
  const std::string& cn = dns_names.front().size() <= 64 ? dns_names.front() : "";
  if (!cn.empty()) {
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  }
  std::string san;
  for (const std::string& name : dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + name;
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, nullptr, nullptr, req.get(), nullptr, 0);
  std::unique_ptr<X509_EXTENSION, OpenSslFree> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str()));
  if (!ext) return InternalError("could not encode the CSR's names");
  STACK_OF(X509_EXTENSION)* extensions = sk_X509_EXTENSION_new_null();
  sk_X509_EXTENSION_push(extensions, ext.get());
  X509_REQ_add_extensions(req.get(), extensions);
  sk_X509_EXTENSION_free(extensions);
  X509_REQ_set_pubkey(req.get(), key.get());
  if (X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0) {
    return InternalError("could not sign the CSR");
  }
  unsigned char* der = nullptr;
  int length = i2d_X509_REQ(req.get(), &der);
  if (length <= 0) return InternalError("could not encode the CSR");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string AcmeClient::KeyAuthorization(const std::string& token) const {
  return token + "." + impl_->key.thumbprint();
}

std::string AcmeClient::Dns01Value(const std::string& token) const {
  Sha256Digest digest = Sha256(KeyAuthorization(token));
  return B64(std::string(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace signet::upstream

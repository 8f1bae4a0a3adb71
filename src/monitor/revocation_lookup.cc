// Revocation of certificates Signet did not issue: OCSP, else CRL (revocation_lookup.h).
#include "signet/monitor/revocation_lookup.h"

#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <map>
#include <mutex>

#include "signet/common/json_post.h"
#include "signet/common/openssl_ptr.h"

namespace signet::monitor {

namespace {

using State = RevocationAnswer::State;

// Answers older than their nextUpdate by this much are not believed; a responder's clock may be a
// little off.
constexpr std::chrono::minutes kClockSkew{5};
constexpr std::chrono::hours kMaxCrlCache{1};
constexpr size_t kMaxCachedCrls = 64;

struct CertIdFree {
  void operator()(OCSP_CERTID* p) const { OCSP_CERTID_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_free(p); }
};

X509Ptr FromDer(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

bool IsHttpUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::string FirstOcspUrl(X509* leaf) {
  STACK_OF(OPENSSL_STRING)* urls = X509_get1_ocsp(leaf);
  std::string found;
  for (int i = 0; urls != nullptr && i < sk_OPENSSL_STRING_num(urls); ++i) {
    std::string url = sk_OPENSSL_STRING_value(urls, i);
    if (IsHttpUrl(url)) {
      found = url;
      break;
    }
  }
  X509_email_free(urls);
  return found;
}

std::string FirstCrlUrl(X509* leaf) {
  auto* points = static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(leaf, NID_crl_distribution_points, nullptr, nullptr));
  std::string found;
  for (int i = 0; points != nullptr && found.empty() && i < sk_DIST_POINT_num(points); ++i) {
    DIST_POINT* point = sk_DIST_POINT_value(points, i);
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;
    GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
      if (name->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
      std::string url(reinterpret_cast<const char*>(uri->data), uri->length);
      if (IsHttpUrl(url)) {
        found = url;
        break;
      }
    }
  }
  CRL_DIST_POINTS_free(points);
  return found;
}

std::string ReasonName(int reason) {
  if (reason < 0) return "no reason given";
  return OCSP_crl_reason_str(reason);
}

std::string AsnTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return "an unreadable time";
  return FormatRfc3339(std::chrono::time_point_cast<TimePoint::duration>(
      std::chrono::system_clock::from_time_t(timegm(&tm))));
}

// Whether `t` (an update time) is before `now`.
bool Before(const ASN1_TIME* t, TimePoint now) {
  time_t at = std::chrono::system_clock::to_time_t(now);
  return X509_cmp_time(t, &at) < 0;
}

}  // namespace

struct RevocationLookup::Impl {
  const Clock& clock;
  RevocationLookupOptions options;
  std::mutex mutex;
  struct CachedCrl {
    std::shared_ptr<X509_CRL> crl;
    TimePoint until;
  };
  std::map<std::string, CachedCrl> crls;  // by URL

  JsonPostResult Fetch(const std::string& url, const std::string& body, size_t max) {
    JsonPostRequest r;
    r.url = url;
    r.protocols = "http,https";
    r.public_addresses_only = !options.allow_private_addresses;
    r.no_proxy = true;
    r.timeout_ms = static_cast<int>(options.timeout.count());
    r.keep_response = true;
    r.max_response = max;
    r.refuse_longer = true;
    if (body.empty()) {
      r.get = true;
    } else {
      r.body = body;
      r.content_type = "application/ocsp-request";
    }
    return PostJson(r);
  }

  RevocationAnswer Ocsp(const std::string& url, X509* leaf, X509* issuer) {
    RevocationAnswer a;
    a.source = "OCSP " + url;
    std::unique_ptr<OCSP_CERTID, CertIdFree> id(OCSP_cert_to_id(nullptr, leaf, issuer));
    std::unique_ptr<OCSP_REQUEST, OpenSslFree> request(OCSP_REQUEST_new());
    if (!id || !request ||
        OCSP_request_add0_id(request.get(), OCSP_CERTID_dup(id.get())) == nullptr) {
      a.detail = "could not make an OCSP request";
      return a;
    }
    unsigned char* der = nullptr;
    int length = i2d_OCSP_REQUEST(request.get(), &der);
    if (length <= 0) {
      a.detail = "could not make an OCSP request";
      return a;
    }
    std::string body(reinterpret_cast<char*>(der), static_cast<size_t>(length));
    OPENSSL_free(der);
    JsonPostResult got = Fetch(url, body, 64 << 10);
    if (!got.reached || got.status != 200) {
      a.detail = got.reached ? "the responder answered HTTP " + std::to_string(got.status)
                             : "the responder could not be reached: " + got.error;
      return a;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(got.response.data());
    std::unique_ptr<OCSP_RESPONSE, OpenSslFree> response(
        d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(got.response.size())));
    if (!response || OCSP_response_status(response.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
      a.detail = "the responder gave no successful OCSP response";
      return a;
    }
    std::unique_ptr<OCSP_BASICRESP, OpenSslFree> basic(OCSP_response_get1_basic(response.get()));
    std::unique_ptr<X509_STORE, CertIdFree> store(X509_STORE_new());
    std::unique_ptr<STACK_OF(X509), CertIdFree> issuers(sk_X509_new_null());
    if (!basic || !store || !issuers) {
      a.detail = "the OCSP response is not readable";
      return a;
    }
    // The issuer is the anchor: a response signed by it, or by a responder it certified for
    // OCSP signing, is believed; the issuer's own chain is not this check's business.
    X509_STORE_add_cert(store.get(), issuer);
    X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
    sk_X509_push(issuers.get(), issuer);
    if (OCSP_basic_verify(basic.get(), issuers.get(), store.get(), 0) != 1) {
      a.detail = "the OCSP response is not signed by the issuer or a responder it delegated to";
      return a;
    }
    int status = 0, reason = -1;
    ASN1_GENERALIZEDTIME *revoked_at = nullptr, *this_update = nullptr, *next_update = nullptr;
    if (OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, &revoked_at, &this_update,
                              &next_update) != 1) {
      a.detail = "the OCSP response does not speak of this certificate";
      return a;
    }
    TimePoint now = clock.Now();
    if (next_update != nullptr && Before(next_update, now - kClockSkew)) {
      a.detail = "the OCSP response is out of date (next update " + AsnTime(next_update) + ")";
      return a;
    }
    if (status == V_OCSP_CERTSTATUS_GOOD) {
      a.state = State::kGood;
    } else if (status == V_OCSP_CERTSTATUS_REVOKED) {
      a.state = State::kRevoked;
      a.detail = "revoked at " + AsnTime(revoked_at) + " (" + ReasonName(reason) + ")";
    } else {
      a.detail = "the responder does not know this certificate";
    }
    return a;
  }

  std::shared_ptr<X509_CRL> CachedOrFetched(const std::string& url, X509* issuer,
                                            std::string& why_not) {
    TimePoint now = clock.Now();
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto found = crls.find(url);
      if (found != crls.end() && found->second.until > now) return found->second.crl;
    }
    JsonPostResult got = Fetch(url, "", options.max_crl_bytes);
    if (!got.reached || got.status != 200) {
      why_not = got.reached ? "the CRL's server answered HTTP " + std::to_string(got.status)
                            : "the CRL could not be fetched: " + got.error;
      return nullptr;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(got.response.data());
    X509_CRL* raw = d2i_X509_CRL(nullptr, &p, static_cast<long>(got.response.size()));
    if (raw == nullptr) {
      BioPtr bio(BIO_new_mem_buf(got.response.data(), static_cast<int>(got.response.size())));
      raw = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
    }
    std::shared_ptr<X509_CRL> crl(raw, X509_CRL_free);
    if (!crl) {
      why_not = "the CRL is not readable";
      return nullptr;
    }
    EVP_PKEY* key = X509_get0_pubkey(issuer);
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(issuer)) != 0 ||
        key == nullptr || X509_CRL_verify(crl.get(), key) != 1) {
      why_not = "the CRL is not signed by the certificate's issuer";
      return nullptr;
    }
    const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get());
    if (next != nullptr && Before(next, now - kClockSkew)) {
      why_not = "the CRL is out of date (next update " + AsnTime(next) + ")";
      return nullptr;
    }
    TimePoint until = now + kMaxCrlCache;
    if (next != nullptr && Before(next, until)) until = now;  // current now, not for an hour
    std::lock_guard<std::mutex> lock(mutex);
    if (crls.size() >= kMaxCachedCrls) crls.clear();
    crls[url] = {crl, until};
    return crl;
  }

  RevocationAnswer Crl(const std::string& url, X509* leaf, X509* issuer) {
    RevocationAnswer a;
    a.source = "CRL " + url;
    std::shared_ptr<X509_CRL> crl = CachedOrFetched(url, issuer, a.detail);
    if (!crl) return a;
    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_serial(crl.get(), &entry,
                                const_cast<ASN1_INTEGER*>(X509_get0_serialNumber(leaf))) != 1 ||
        entry == nullptr) {
      a.state = State::kGood;
      return a;
    }
    int reason = -1;
    auto* code = static_cast<ASN1_ENUMERATED*>(
        X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr));
    if (code != nullptr) {
      reason = static_cast<int>(ASN1_ENUMERATED_get(code));
      ASN1_ENUMERATED_free(code);
    }
    a.state = State::kRevoked;
    a.detail = "revoked at " + AsnTime(X509_REVOKED_get0_revocationDate(entry)) + " (" +
               ReasonName(reason) + ")";
    return a;
  }
};

RevocationLookup::RevocationLookup(const Clock& clock, RevocationLookupOptions options)
    : impl_(new Impl{clock, options, {}, {}}) {}

RevocationLookup::~RevocationLookup() = default;

RevocationAnswer RevocationLookup::Lookup(const std::string& leaf_der,
                                          const std::string& issuer_der) {
  X509Ptr leaf = FromDer(leaf_der);
  X509Ptr issuer = FromDer(issuer_der);
  if (!leaf || !issuer || X509_check_issued(issuer.get(), leaf.get()) != X509_V_OK) {
    return {State::kUnknown, "", "the served chain does not hold the certificate's issuer"};
  }
  std::string ocsp = FirstOcspUrl(leaf.get());
  std::string crl = FirstCrlUrl(leaf.get());
  RevocationAnswer answer;
  answer.detail = "the certificate names no OCSP responder or CRL";
  if (!ocsp.empty()) {
    answer = impl_->Ocsp(ocsp, leaf.get(), issuer.get());
    if (answer.state != State::kUnknown) return answer;
  }
  if (!crl.empty()) {
    RevocationAnswer from_crl = impl_->Crl(crl, leaf.get(), issuer.get());
    if (from_crl.state != State::kUnknown || ocsp.empty()) return from_crl;
  }
  return answer;
}

}  // namespace signet::monitor

#include "signet/ca/ocsp_responder.h"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "ca/openssl_handles.h"
#include "signet/common/encoding.h"
#include "signet/common/log.h"

namespace signet::ca {

namespace {

std::string EncodeResponse(OCSP_RESPONSE* response) {
  unsigned char* der = nullptr;
  int n = i2d_OCSP_RESPONSE(response, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(std::max(n, 0)));
  OPENSSL_free(der);
  return out;
}

std::string StatusOnly(int status) {
  std::unique_ptr<OCSP_RESPONSE, decltype(&OCSP_RESPONSE_free)> r(
      OCSP_response_create(status, nullptr), &OCSP_RESPONSE_free);
  return EncodeResponse(r.get());
}

time_t ToTimeT(TimePoint t) {
  return static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

struct CachedResponse {
  std::string der;
  TimePoint fresh_until;  // reuse until then
};

}  // namespace

struct OcspResponder::Impl {
  const CaHierarchy& hierarchy;
  sa::IssuanceStore& store;
  const Clock& clock;
  OcspResponderOptions options;
  std::mutex mu;
  std::map<std::string, CachedResponse> cache;  // by issuer + ":" + serial

  // The issuer whose name and key hashes match the request's CertID, or nullptr.
  const Issuer* IssuerFor(OCSP_CERTID* id) {
    ASN1_OBJECT* md_oid = nullptr;
    OCSP_id_get0_info(nullptr, &md_oid, nullptr, nullptr, id);
    const EVP_MD* md = EVP_get_digestbyobj(md_oid);
    if (!md) return nullptr;
    std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> zero(ASN1_INTEGER_new(),
                                                                     &ASN1_INTEGER_free);
    for (const Issuer& issuer : hierarchy.issuers()) {
      OCSP_CERTID* candidate =
          OCSP_cert_id_new(md, X509_get_subject_name(issuer.certificate),
                           X509_get0_pubkey_bitstr(issuer.certificate), zero.get());
      // A digest OpenSSL knows by name but cannot compute (MD4 without the legacy provider)
      // gives no CertID; comparing with it would dereference null and crash signetd on one
      // unauthenticated request (test/fuzz/corpus/ocsp_request/regression-md4-certid.der).
      if (candidate == nullptr) {
        ERR_clear_error();
        return nullptr;
      }
      int cmp = OCSP_id_issuer_cmp(candidate, id);
      OCSP_CERTID_free(candidate);
      if (cmp == 0) return &issuer;
    }
    return nullptr;
  }

  // One signed response for one certificate, from the cache or freshly signed.
  Result<std::string> SingleResponse(const Issuer& issuer, OCSP_CERTID* id,
                                     const std::string& serial_hex) {
    std::string key = issuer.name + ":" + serial_hex;
    TimePoint now = clock.Now();
    {
      std::lock_guard lock(mu);
      auto it = cache.find(key);
      if (it != cache.end() && now < it->second.fresh_until) return it->second.der;
    }
    auto record = store.GetCertificateBySerial(serial_hex);
    if (!record.ok() && record.status().code() != ErrorCode::kNotFound) return record.status();
    bool known = record.ok() && record->issuer == issuer.name;
    int status =
        !known ? V_OCSP_CERTSTATUS_UNKNOWN
               : (record->status == core::CertificateStatus::kRevoked ? V_OCSP_CERTSTATUS_REVOKED
                                                                      : V_OCSP_CERTSTATUS_GOOD);
    std::unique_ptr<OCSP_BASICRESP, decltype(&OCSP_BASICRESP_free)> basic(OCSP_BASICRESP_new(),
                                                                          &OCSP_BASICRESP_free);
    using TimePtr = std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)>;
    TimePoint this_update = std::chrono::time_point_cast<std::chrono::seconds>(now);
    TimePtr this_time(ASN1_TIME_set(nullptr, ToTimeT(this_update)), &ASN1_TIME_free);
    TimePtr next_time(ASN1_TIME_set(nullptr, ToTimeT(this_update + options.validity)),
                      &ASN1_TIME_free);
    TimePtr revoked_time(nullptr, &ASN1_TIME_free);
    int reason = -1;
    if (status == V_OCSP_CERTSTATUS_REVOKED) {
      revoked_time.reset(ASN1_TIME_set(nullptr, ToTimeT(*record->revoked_at)));
      reason = record->revocation_reason == 0 ? -1 : record->revocation_reason;
    }
    OCSP_CERTID* id_copy = OCSP_CERTID_dup(id);
    if (!OCSP_basic_add1_status(basic.get(), id_copy, status, reason, revoked_time.get(),
                                this_time.get(), next_time.get())) {
      OCSP_CERTID_free(id_copy);
      return InternalError("building the OCSP response failed");
    }
    OCSP_CERTID_free(id_copy);
    SIGNET_RETURN_IF_ERROR(issuer.signer->SignOcspResponse(basic.get(), issuer.certificate));
    std::unique_ptr<OCSP_RESPONSE, decltype(&OCSP_RESPONSE_free)> response(
        OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()), &OCSP_RESPONSE_free);
    std::string der = EncodeResponse(response.get());
    // An unknown serial may be issued any moment; do not cache "unknown".
    if (status != V_OCSP_CERTSTATUS_UNKNOWN) {
      TimePoint fresh = std::min(now + options.validity / 2, now + options.cache_ttl);
      std::lock_guard lock(mu);
      cache[key] = {der, fresh};
    }
    return der;
  }
};

OcspResponder::OcspResponder(const CaHierarchy& hierarchy, sa::IssuanceStore& store,
                             const Clock& clock, OcspResponderOptions options)
    : impl_(new Impl{hierarchy, store, clock, options}) {}

OcspResponder::~OcspResponder() = default;

void OcspResponder::Forget(const std::string& serial_hex) {
  std::lock_guard lock(impl_->mu);
  for (auto it = impl_->cache.begin(); it != impl_->cache.end();) {
    it = it->first.size() > serial_hex.size() &&
                 it->first.compare(it->first.size() - serial_hex.size(), serial_hex.size(),
                                   serial_hex) == 0
             ? impl_->cache.erase(it)
             : std::next(it);
  }
}

std::string OcspResponder::Respond(const std::string& request_der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(request_der.data());
  std::unique_ptr<OCSP_REQUEST, decltype(&OCSP_REQUEST_free)> request(
      d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(request_der.size())), &OCSP_REQUEST_free);
  if (!request || OCSP_request_onereq_count(request.get()) != 1) {
    // Signet answers one certificate per request, as the BR profile and every browser do.
    return StatusOnly(OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
  }
  OCSP_CERTID* id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(request.get(), 0));
  const Issuer* issuer = impl_->IssuerFor(id);
  if (!issuer) return StatusOnly(OCSP_RESPONSE_STATUS_UNAUTHORIZED);
  ASN1_INTEGER* serial = nullptr;
  OCSP_id_get0_info(nullptr, nullptr, nullptr, &serial, id);
  BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  std::vector<uint8_t> bytes(static_cast<size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), bytes.data());
  // Serials are positive (RFC 5280 4.1.2.2); a negative one names no certificate of ours and
  // must not be taken for its absolute value, which would answer "good" for a serial never
  // issued (BR 4.9.10). Its "-" keeps it from matching any stored serial: "unknown".
  std::string serial_hex = (BN_is_negative(bn.get()) ? "-" : "") + HexEncode(bytes);
  auto response = impl_->SingleResponse(*issuer, id, serial_hex);
  if (!response.ok()) {
    log::Warn("OCSP response failed", {{"error", response.status().message()}});
    return StatusOnly(OCSP_RESPONSE_STATUS_TRYLATER);
  }
  return *response;
}

}  // namespace signet::ca

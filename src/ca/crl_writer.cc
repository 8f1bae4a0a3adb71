#include "signet/ca/crl_writer.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca/openssl_handles.h"
#include "signet/common/encoding.h"
#include "signet/common/log.h"

namespace signet::ca {

namespace {

struct ReasonName {
  int code;
  const char* name;
};
constexpr ReasonName kReasons[] = {{0, "unspecified"},          {1, "keyCompromise"},
                                   {3, "affiliationChanged"},   {4, "superseded"},
                                   {5, "cessationOfOperation"}, {9, "privilegeWithdrawn"}};

time_t ToTimeT(TimePoint t) {
  return static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

}  // namespace

Result<int> ParseRevocationReason(const std::string& name) {
  for (const ReasonName& r : kReasons) {
    if (name == r.name) return r.code;
  }
  return MalformedError(
      "reason must be one of unspecified, keyCompromise, affiliationChanged, superseded, "
      "cessationOfOperation, privilegeWithdrawn; got '" +
          name + "'",
      "invalid_reason");
}

const char* RevocationReasonName(int code) {
  for (const ReasonName& r : kReasons) {
    if (code == r.code) return r.name;
  }
  return "unspecified";
}

CrlWriter::CrlWriter(const CaHierarchy& hierarchy, sa::IssuanceStore& store, const Clock& clock,
                     CrlWriterOptions options)
    : hierarchy_(hierarchy), store_(store), clock_(clock), options_(std::move(options)) {}

std::string CrlWriter::UrlFor(const std::string& issuer, int shard) const {
  return options_.public_url + "/crl/" + issuer + "/" + std::to_string(shard) + ".crl";
}

Result<std::string> CrlWriter::Generate(const std::string& issuer_name, int shard) {
  const Issuer* issuer = hierarchy_.Find(issuer_name);
  if (!issuer) return NotFoundError("no issuer " + issuer_name);
  if (shard < 0 || shard >= options_.shards) {
    return NotFoundError("no CRL shard " + std::to_string(shard));
  }
  SIGNET_ASSIGN_OR_RETURN(std::vector<sa::RevokedEntry> revoked,
                          store_.ListRevokedCertificates(issuer_name, shard));
  SIGNET_ASSIGN_OR_RETURN(int64_t number, store_.NextCrlNumber(issuer_name, shard));
  TimePoint now = std::chrono::time_point_cast<std::chrono::seconds>(clock_.Now());
  SIGNET_ASSIGN_OR_RETURN(std::string der, Build(*issuer, shard, revoked, number, now));
  SIGNET_RETURN_IF_ERROR(store_.StoreCrl(
      {issuer_name, shard, number, Base64Encode(AsBytes(der)), now, now + options_.lifetime}));
  log::Info("generated CRL", {{"issuer", issuer_name},
                              {"shard", shard},
                              {"number", static_cast<long>(number)},
                              {"entries", static_cast<long>(revoked.size())}});
  return der;
}

Result<std::string> CrlWriter::Build(const Issuer& issuer, int shard,
                                     const std::vector<sa::RevokedEntry>& revoked, int64_t number,
                                     TimePoint this_update_time) const {
  return BuildCrl(issuer, revoked, number, this_update_time, options_.lifetime,
                  UrlFor(issuer.name, shard), /*covers_ca_certificates=*/false);
}

Result<std::string> BuildCrl(const Issuer& issuer, const std::vector<sa::RevokedEntry>& revoked,
                             int64_t number, TimePoint this_update_time,
                             std::chrono::hours lifetime, const std::string& url,
                             bool covers_ca_certificates) {
  using TimePtr = std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)>;
  X509CrlPtr crl(X509_CRL_new());
  X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.certificate));
  TimePtr this_update(ASN1_TIME_set(nullptr, ToTimeT(this_update_time)), &ASN1_TIME_free);
  TimePtr next_update(ASN1_TIME_set(nullptr, ToTimeT(this_update_time + lifetime)),
                      &ASN1_TIME_free);
  X509_CRL_set1_lastUpdate(crl.get(), this_update.get());
  X509_CRL_set1_nextUpdate(crl.get(), next_update.get());

  for (const sa::RevokedEntry& entry : revoked) {
    X509_REVOKED* r = X509_REVOKED_new();
    auto serial = HexDecode(entry.serial_hex);
    if (!serial) {
      X509_REVOKED_free(r);
      return InternalError("stored serial " + entry.serial_hex + " is not hex");
    }
    BignumPtr bn(BN_bin2bn(serial->data(), static_cast<int>(serial->size()), nullptr));
    ASN1_INTEGER* ai = BN_to_ASN1_INTEGER(bn.get(), nullptr);
    X509_REVOKED_set_serialNumber(r, ai);
    ASN1_INTEGER_free(ai);
    ASN1_TIME* when = ASN1_TIME_set(nullptr, ToTimeT(entry.revoked_at));
    X509_REVOKED_set_revocationDate(r, when);
    ASN1_TIME_free(when);
    if (entry.reason != 0) {  // BR 7.2.2: unspecified is expressed by omitting the reason
      ASN1_ENUMERATED* reason = ASN1_ENUMERATED_new();
      ASN1_ENUMERATED_set(reason, entry.reason);
      X509_REVOKED_add1_ext_i2d(r, NID_crl_reason, reason, 0, 0);
      ASN1_ENUMERATED_free(reason);
    }
    X509_CRL_add0_revoked(crl.get(), r);
  }
  X509_CRL_sort(crl.get());

  ASN1_INTEGER* crl_number = ASN1_INTEGER_new();
  ASN1_INTEGER_set_int64(crl_number, number);
  X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number, 0, 0);
  ASN1_INTEGER_free(crl_number);
  if (auto* akid = X509_get0_subject_key_id(issuer.certificate)) {
    AUTHORITY_KEYID* aki = AUTHORITY_KEYID_new();
    aki->keyid = ASN1_OCTET_STRING_dup(akid);
    X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, aki, 0, 0);
    AUTHORITY_KEYID_free(aki);
  }
  // The issuing distribution point ties a shard's CRL to its URL (RFC 5280 5.2.5, BR 7.2.2). A
  // complete CRL (the root's) has none: it covers every certificate of its issuer.
  if (!url.empty()) {
    // The issuing distribution point ties this CRL to its shard (RFC 5280 5.2.5, BR 7.2.2).
    ISSUING_DIST_POINT* idp = ISSUING_DIST_POINT_new();
    idp->distpoint = DIST_POINT_NAME_new();
    idp->distpoint->type = 0;
    idp->distpoint->name.fullname = GENERAL_NAMES_new();
    GENERAL_NAME* uri = GENERAL_NAME_new();
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    ASN1_STRING_set(text, url.data(), static_cast<int>(url.size()));
    GENERAL_NAME_set0_value(uri, GEN_URI, text);
    sk_GENERAL_NAME_push(idp->distpoint->name.fullname, uri);
    // A subscriber CRL covers only end-entity certificates; a root's CRL only CA certificates.
    if (covers_ca_certificates) {
      idp->onlyCA = 0xff;
    } else {
      idp->onlyuser = 0xff;
    }
    X509_CRL_add1_ext_i2d(crl.get(), NID_issuing_distribution_point, idp, 1, 0);
    ISSUING_DIST_POINT_free(idp);
  }

  SIGNET_RETURN_IF_ERROR(issuer.signer->SignCrl(crl.get()));
  unsigned char* der = nullptr;
  int len = i2d_X509_CRL(crl.get(), &der);
  if (len <= 0) return InternalError("encoding the CRL failed");
  std::string der_bytes(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return der_bytes;
}

Status CrlWriter::RefreshAll(bool force) {
  TimePoint now = clock_.Now();
  for (const Issuer& issuer : hierarchy_.issuers()) {
    for (int shard = 0; shard < options_.shards; ++shard) {
      auto existing = store_.GetCrl(issuer.name, shard);
      if (!force && existing.ok() && now < existing->this_update + options_.lifetime / 2) continue;
      auto generated = Generate(issuer.name, shard);
      if (!generated.ok()) return generated.status();
    }
  }
  return Status::Ok();
}

}  // namespace signet::ca

#include "signet/ca/linter.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <set>

#include "ca/openssl_handles.h"
#include "signet/ca/csr.h"
#include "signet/common/encoding.h"
#include "signet/policy/br_rules.h"

namespace signet::ca {

namespace {

using Findings = std::vector<LintFinding>;

EVP_PKEY* SubjectKey(X509* cert, const LintContext& ctx) {
  return ctx.subject_key != nullptr ? ctx.subject_key : X509_get0_pubkey(cert);
}

std::string Asn1String(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

int64_t ToSeconds(const ASN1_TIME* t) {
  struct tm tm {};
  ASN1_TIME_to_tm(t, &tm);
  return static_cast<int64_t>(timegm(&tm));
}

bool SubjectHas(X509* cert, int nid) {
  return X509_NAME_get_index_by_NID(X509_get_subject_name(cert), nid, -1) >= 0;
}

// Public names need a dot; a private PKI may name single-label hosts such as "localhost".
bool ValidDnsName(const std::string& name, bool single_label_ok) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  bool first = true;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    std::string label =
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (first && label == "*") {
      // A wildcard is only allowed as the whole leftmost label.
    } else {
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return false;
      for (char c : label) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
      }
    }
    first = false;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return single_label_ok || name.find('.') != std::string::npos;
}

void LintSerial(X509* cert, Findings& f) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  int bits = BN_num_bits(bn);
  bool negative = BN_is_negative(bn);
  BN_free(bn);
  if (negative || bits == 0) f.push_back({"e_serial_not_positive", "the serial must be positive"});
  if (bits < 64) f.push_back({"e_serial_entropy", "the serial has fewer than 64 bits (BR 7.1)"});
  if (ASN1_STRING_length(serial) > 20)
    f.push_back({"e_serial_too_long", "the serial exceeds 20 octets"});
}

void LintValidity(X509* cert, const LintContext& ctx, Findings& f) {
  int64_t nb = ToSeconds(X509_get0_notBefore(cert));
  int64_t na = ToSeconds(X509_get0_notAfter(cert));
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(ctx.issuance_time.time_since_epoch())
          .count();
  if (na <= nb) f.push_back({"e_validity_inverted", "notAfter is not after notBefore"});
  if (nb > now + 60) f.push_back({"e_not_before_in_future", "notBefore is in the future"});
  if (nb < now - 48 * 3600)
    f.push_back({"e_not_before_backdated", "notBefore is backdated more than 48 hours"});
  if (ctx.type == ProductType::kPrivate) return;
  // BR 6.3.2: the validity period counts both ends, so it is (notAfter - notBefore) + 1 second.
  int64_t period = na - nb + 1;
  int max_days = policy::MaxValidityDays(ctx.issuance_time);
  if (period > int64_t{max_days} * 86400) {
    f.push_back(
        {"e_validity_period_too_long", "the validity period exceeds " + std::to_string(max_days) +
                                           " days, the BR 6.3.2 maximum on the issuance date"});
  }
}

void LintNames(X509* cert, const LintContext& ctx, Findings& f) {
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!sans) {
    f.push_back({"e_san_missing", "the subjectAltName extension is missing (BR 7.1.2.7.12)"});
    return;
  }
  std::set<std::string> in_cert;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
    if (gn->type == GEN_IPADD && ctx.type == ProductType::kPrivate) {
      in_cert.insert("ip:" + HexEncode(std::span<const uint8_t>(
                                 ASN1_STRING_get0_data(gn->d.iPAddress),
                                 static_cast<size_t>(ASN1_STRING_length(gn->d.iPAddress)))));
      continue;
    }
    if (gn->type != GEN_DNS) {
      f.push_back({"e_san_unexpected_type", "subjectAltName holds a name that is not a dNSName"});
      continue;
    }
    std::string name = Asn1String(gn->d.dNSName);
    if (!ValidDnsName(name, ctx.type == ProductType::kPrivate))
      f.push_back({"e_san_dns_name_invalid", "'" + name + "' is not a valid DNS name"});
    in_cert.insert(name);
  }
  GENERAL_NAMES_free(sans);
  std::set<std::string> wanted(ctx.dns_names.begin(), ctx.dns_names.end());
  for (const std::string& ip : ctx.ip_addresses) {
    // Compared as the address bytes, so "::1" and "0:0::1" are the same address.
    ASN1_OCTET_STRING* bytes = a2i_IPADDRESS(ip.c_str());
    wanted.insert(bytes ? "ip:" + HexEncode(std::span<const uint8_t>(
                                      ASN1_STRING_get0_data(bytes),
                                      static_cast<size_t>(ASN1_STRING_length(bytes))))
                        : "ip:?" + ip);
    ASN1_OCTET_STRING_free(bytes);
  }
  if (in_cert != wanted) {
    f.push_back({"e_san_names_mismatch", "subjectAltName does not hold exactly the order's names"});
  }
  int idx = X509_NAME_get_index_by_NID(X509_get_subject_name(cert), NID_commonName, -1);
  if (idx >= 0) {
    std::string cn =
        Asn1String(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(X509_get_subject_name(cert), idx)));
    if (!in_cert.count(cn))
      f.push_back({"e_cn_not_in_san", "the common name " + cn + " is not in subjectAltName"});
  }
}

void LintUsages(X509* cert, const LintContext& ctx, Findings& f) {
  uint32_t eku = X509_get_extended_key_usage(cert);
  if (!(X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) || !(eku & XKU_SSL_SERVER)) {
    f.push_back(
        {"e_eku_server_auth_missing", "extKeyUsage must include serverAuth (BR 7.1.2.7.10)"});
  }
  if (eku & XKU_ANYEKU)
    f.push_back({"e_eku_any", "extKeyUsage must not include anyExtendedKeyUsage"});
  if (eku & (XKU_CODE_SIGN | XKU_SMIME | XKU_OCSP_SIGN | XKU_TIMESTAMP)) {
    f.push_back({"e_eku_forbidden_purpose",
                 "extKeyUsage includes a purpose forbidden for TLS certificates"});
  }
  int crit = -1;
  auto* ku = static_cast<ASN1_BIT_STRING*>(X509_get_ext_d2i(cert, NID_key_usage, &crit, nullptr));
  if (!ku) {
    f.push_back({"w_key_usage_missing", "keyUsage SHOULD be present (BR 7.1.2.7.11)"});
  } else {
    if (crit != 1) f.push_back({"e_key_usage_not_critical", "keyUsage must be critical"});
    uint32_t bits = X509_get_key_usage(cert);
    if (bits & (KU_KEY_CERT_SIGN | KU_CRL_SIGN)) {
      f.push_back(
          {"e_key_usage_ca_bits", "a subscriber certificate must not have keyCertSign or cRLSign"});
    }
    EVP_PKEY* key = SubjectKey(cert, ctx);
    bool rsa = key != nullptr && EVP_PKEY_is_a(key, "RSA");
    if (!rsa && (bits & KU_KEY_ENCIPHERMENT)) {
      f.push_back({"e_key_usage_ecdsa_encipherment", "an ECDSA key cannot have keyEncipherment"});
    }
    if (!(bits & KU_DIGITAL_SIGNATURE)) {
      f.push_back(
          {"e_key_usage_digital_signature_missing", "keyUsage must include digitalSignature"});
    }
    ASN1_BIT_STRING_free(ku);
  }
  auto* bc = static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(cert, NID_basic_constraints, nullptr, nullptr));
  if (bc) {
    if (bc->ca)
      f.push_back({"e_basic_constraints_ca", "a subscriber certificate must not be a CA"});
    BASIC_CONSTRAINTS_free(bc);
  }
}

void LintIdentifiersAndPointers(X509* cert, const LintContext& ctx, Findings& f) {
  const ASN1_OCTET_STRING* akid = X509_get0_authority_key_id(cert);
  const ASN1_OCTET_STRING* issuer_skid =
      ctx.issuer ? X509_get0_subject_key_id(ctx.issuer) : nullptr;
  if (!akid) {
    f.push_back({"e_aki_missing", "authorityKeyIdentifier is missing (BR 7.1.2.11.1)"});
  } else if (issuer_skid && ASN1_OCTET_STRING_cmp(akid, issuer_skid) != 0) {
    f.push_back({"e_aki_mismatch", "authorityKeyIdentifier does not match the issuer's key"});
  }
  if (X509_get_ext_by_NID(cert, NID_subject_key_identifier, -1) >= 0) {
    f.push_back(
        {"w_ski_present", "subjectKeyIdentifier is NOT RECOMMENDED in subscriber certificates"});
  }
  auto* aia = static_cast<AUTHORITY_INFO_ACCESS*>(
      X509_get_ext_d2i(cert, NID_info_access, nullptr, nullptr));
  bool ca_issuers = false;
  if (aia) {
    for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); ++i) {
      const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia, i);
      if (OBJ_obj2nid(ad->method) == NID_ad_ca_issuers && ad->location->type == GEN_URI)
        ca_issuers = true;
    }
    AUTHORITY_INFO_ACCESS_free(aia);
  }
  if (!ca_issuers)
    f.push_back({"e_aia_ca_issuers_missing",
                 "authorityInformationAccess must give caIssuers (BR 7.1.2.7.7)"});
  if (X509_get_ext_by_NID(cert, NID_crl_distribution_points, -1) < 0) {
    f.push_back({"e_crl_distribution_points_missing",
                 "crlDistributionPoints must be present (BR 7.1.2.11.2)"});
  }
  if (X509_get_ext_by_NID(cert, NID_name_constraints, -1) >= 0) {
    f.push_back({"e_name_constraints_present", "nameConstraints must not be present"});
  }
  auto* policies = static_cast<CERTIFICATEPOLICIES*>(
      X509_get_ext_d2i(cert, NID_certificate_policies, nullptr, nullptr));
  bool has_oid = false;
  if (policies) {
    char buf[80];
    for (int i = 0; i < sk_POLICYINFO_num(policies); ++i) {
      OBJ_obj2txt(buf, sizeof buf, sk_POLICYINFO_value(policies, i)->policyid, 1);
      if (std::string(buf) == PolicyOidFor(ctx.type)) has_oid = true;
    }
    CERTIFICATEPOLICIES_free(policies);
  }
  if (!has_oid) {
    f.push_back({"e_policy_oid_missing",
                 std::string("certificatePolicies must include ") + PolicyOidFor(ctx.type)});
  }
}

void LintSubject(X509* cert, const LintContext& ctx, Findings& f) {
  bool org = SubjectHas(cert, NID_organizationName);
  if (ctx.type == ProductType::kDv) {
    for (int nid : {NID_organizationName, NID_organizationalUnitName, NID_localityName,
                    NID_stateOrProvinceName, NID_streetAddress, NID_postalCode}) {
      if (SubjectHas(cert, nid)) {
        f.push_back({"e_dv_subject_has_identity",
                     std::string("a DV certificate must not carry ") + OBJ_nid2ln(nid)});
      }
    }
  }
  if (ctx.type == ProductType::kOv || ctx.type == ProductType::kEv) {
    if (!org) f.push_back({"e_ov_subject_organization_missing", "organizationName is required"});
    if (!SubjectHas(cert, NID_countryName))
      f.push_back({"e_ov_subject_country_missing", "countryName is required"});
    if (!SubjectHas(cert, NID_localityName) && !SubjectHas(cert, NID_stateOrProvinceName)) {
      f.push_back(
          {"e_ov_subject_locality_missing", "localityName or stateOrProvinceName is required"});
    }
  }
  if (ctx.type == ProductType::kEv) {
    if (!SubjectHas(cert, NID_businessCategory))
      f.push_back({"e_ev_business_category_missing", "businessCategory is required (EVG 7.1.4.2)"});
    if (!SubjectHas(cert, NID_jurisdictionCountryName))
      f.push_back({"e_ev_jurisdiction_missing", "jurisdictionCountryName is required"});
    if (!SubjectHas(cert, NID_serialNumber))
      f.push_back(
          {"e_ev_serial_number_missing", "subject serialNumber (registration number) is required"});
  }
}

void LintKey(X509* cert, const LintContext& ctx, Findings& f) {
  // The SPKI as the certificate carries it; i2d_PUBKEY would re-encode through OpenSSL's encoders.
  unsigned char* der = nullptr;
  int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  std::vector<uint8_t> spki(der, der + std::max(len, 0));
  OPENSSL_free(der);
  EVP_PKEY* decoded = SubjectKey(cert, ctx);
  auto key = decoded != nullptr ? CheckSubscriberKey(decoded, spki) : CheckSubscriberKey(spki);
  if (!key.ok() && ctx.type != ProductType::kPrivate) {
    f.push_back({"e_subscriber_key_" + key.status().reason(), key.status().message()});
  }
  if (ctx.issuer) {
    int sig_pkey = 0;
    X509_get_signature_info(cert, nullptr, &sig_pkey, nullptr, nullptr);
    int issuer_pkey = EVP_PKEY_get_base_id(X509_get0_pubkey(ctx.issuer));
    if (sig_pkey != 0 && sig_pkey != issuer_pkey) {
      f.push_back({"e_signature_algorithm_mismatch",
                   "the signature algorithm does not match the issuer's key"});
    }
  }
}

}  // namespace

std::vector<LintFinding> LintSubscriberCertificate(X509* cert, const LintContext& given) {
  // A certificate built from SubjectPublicKeyInfo bytes carries no decoded key; when the
  // caller did not pass it, decode it here once.
  LintContext ctx = given;
  PkeyPtr decoded;
  if (ctx.subject_key == nullptr && X509_get0_pubkey(cert) == nullptr) {
    ERR_clear_error();
    unsigned char* der = nullptr;
    int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
    const unsigned char* p = der;
    if (len > 0) decoded.reset(d2i_PUBKEY(nullptr, &p, len));
    OPENSSL_free(der);
    ERR_clear_error();
    ctx.subject_key = decoded.get();
  }
  Findings f;
  if (X509_get_version(cert) != X509_VERSION_3)
    f.push_back({"e_version_not_3", "the certificate must be v3"});
  LintSerial(cert, f);
  LintValidity(cert, ctx, f);
  LintNames(cert, ctx, f);
  LintUsages(cert, ctx, f);
  LintIdentifiersAndPointers(cert, ctx, f);
  LintSubject(cert, ctx, f);
  LintKey(cert, ctx, f);
  return f;
}

}  // namespace signet::ca

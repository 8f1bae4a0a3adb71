#include "signet/ca/certificate_authority.h"

#include <openssl/err.h>

#include <map>
#include <mutex>

#include "ca/certificate_builder.h"
#include "ca/decoded_keys.h"
#include "ca/openssl_handles.h"
#include "signet/ca/csr.h"
#include "signet/ca/linter.h"
#include "signet/common/encoding.h"
#include "signet/common/log.h"
#include "signet/policy/br_rules.h"

namespace signet::ca {

namespace {

std::string SerialHex(const std::vector<uint8_t>& serial) { return HexEncode(serial); }

std::string ToDerBase64(X509* cert) {
  unsigned char* der = nullptr;
  int n = i2d_X509(cert, &der);
  std::string out =
      Base64Encode(std::span<const uint8_t>(der, static_cast<size_t>(std::max(n, 0))));
  OPENSSL_free(der);
  return out;
}

X509Ptr FromDerBase64(const std::string& b64) {
  auto der = Base64Decode(b64);
  if (!der) return nullptr;
  const unsigned char* p = der->data();
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der->size())));
}

Result<PkeyPtr> DecodePublicKey(const std::vector<uint8_t>& spki_der) {
  if (PkeyPtr recalled = RecallDecodedKey(spki_der)) return recalled;
  const unsigned char* p = spki_der.data();
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!key) {
    ERR_clear_error();
    return Status::Error(ErrorCode::kBadCsr, "unsupported_key", "the public key cannot be parsed");
  }
  return key;
}

TimePoint FromAsn1(const ASN1_TIME* t) {
  struct tm tm {};
  ASN1_TIME_to_tm(t, &tm);
  return FromUnixMicros(static_cast<int64_t>(timegm(&tm)) * 1000000);
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

struct CertificateAuthority::Impl {
  const CaHierarchy& hierarchy;
  sa::IssuanceStore& store;
  const Clock& clock;
  Random& random;
  CertificateAuthorityOptions options;
  std::mutex throwaway_mu;
  std::map<int, PkeyPtr> throwaway_keys;  // by EVP_PKEY base id

  // A key of the issuer's type that is not the issuer's: the linted certificate is signed with it
  // so that nothing the CA key signed ever fails a lint. Made once per type (RSA is slow).
  EVP_PKEY* ThrowawayKeyLike(const EVP_PKEY* issuer_key) {
    int id = EVP_PKEY_get_base_id(issuer_key);
    std::lock_guard lock(throwaway_mu);
    auto it = throwaway_keys.find(id);
    if (it != throwaway_keys.end()) return it->second.get();
    PkeyPtr key(id == EVP_PKEY_RSA
                    ? EVP_RSA_gen(2048)
                    : EVP_EC_gen(EVP_PKEY_get_bits(issuer_key) > 256 ? "P-384" : "P-256"));
    EVP_PKEY* raw = key.get();
    throwaway_keys.emplace(id, std::move(key));
    return raw;
  }

  void AfterStep(const std::string& step) {
    if (options.after_step) options.after_step(step);
  }

  // `key` is decoded from r.public_key_der; the certificate carries those bytes unchanged.
  Result<X509Ptr> BuildToBeSigned(const IssuanceRequest& r, EVP_PKEY* key, const Issuer& issuer,
                                  const std::string& serial_hex) {
    CertificateTemplate t;
    const std::string& cn = r.dns_names.empty() ? r.ip_addresses.front() : r.dns_names.front();
    if (r.type == ProductType::kOv || r.type == ProductType::kEv) {
      const SubjectIdentity& s = r.subject;
      if (r.type == ProductType::kEv) {
        t.subject.push_back({"businessCategory", s.business_category});
        t.subject.push_back({"jurisdictionC", s.jurisdiction_country});
        t.subject.push_back({"serialNumber", s.registration_number});
      }
      t.subject.push_back({"C", s.country});
      if (!s.state.empty()) t.subject.push_back({"ST", s.state});
      if (!s.locality.empty()) t.subject.push_back({"L", s.locality});
      t.subject.push_back({"O", s.organization});
    }
    t.subject.push_back({"CN", cn});
    t.issuer = issuer.certificate;
    t.public_key_spki = r.public_key_der;
    TimePoint now = std::chrono::time_point_cast<std::chrono::seconds>(clock.Now());
    int days = r.validity_days > 0 ? r.validity_days : policy::DefaultValidityDays(now);
    t.not_before = now;
    t.not_after = now + std::chrono::hours(24) * days - std::chrono::seconds(1);
    auto serial = HexDecode(serial_hex);
    t.serial = *serial;
    bool rsa = EVP_PKEY_is_a(key, "RSA");
    std::string san;
    for (const auto& n : r.dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + n;
    for (const auto& ip : r.ip_addresses) san += (san.empty() ? "IP:" : ",IP:") + ip;
    t.extensions = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage,
         rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"},
        {NID_ext_key_usage, "serverAuth"},
        {NID_certificate_policies, PolicyOidFor(r.type)},
        {NID_subject_alt_name, san},
        {NID_authority_key_identifier, "keyid:always"},
        {NID_info_access, "caIssuers;URI:" + options.public_url + "/ca/" + issuer.name + ".der"},
        {NID_crl_distribution_points, "URI:" + options.public_url + "/crl/" + issuer.name + "/" +
                                          std::to_string(ShardFor(serial_hex)) + ".crl"},
    };
    return BuildUnsignedCertificate(t);
  }

  int ShardFor(const std::string& serial_hex) const {
    auto bytes = HexDecode(serial_hex);
    if (!bytes || bytes->empty() || options.crl_shards <= 1) return 0;
    return bytes->back() % options.crl_shards;
  }

  // The to-be-signed certificate with a throwaway signature, linted. Lint errors are a
  // kMalformed Status whose reason is the first lint and whose message lists them all.
  Result<X509Ptr> BuildAndLint(const IssuanceRequest& request, EVP_PKEY* key, const Issuer& issuer,
                               const std::string& serial_hex, const std::string& issuance_id) {
    SIGNET_ASSIGN_OR_RETURN(X509Ptr cert, BuildToBeSigned(request, key, issuer, serial_hex));
    if (X509_sign(cert.get(), ThrowawayKeyLike(issuer.signer->public_key()),
                  issuer.signer->algorithm() == signer::KeyAlgorithm::kEcdsaP384
                      ? EVP_sha384()
                      : EVP_sha256()) <= 0) {
      return InternalError("signing the to-be-signed certificate with the throwaway key failed");
    }
    LintContext ctx{request.type, request.dns_names,  request.ip_addresses,
                    clock.Now(),  issuer.certificate, key};
    std::string errors, first;
    for (const LintFinding& finding : LintSubscriberCertificate(cert.get(), ctx)) {
      if (!finding.is_error()) {
        log::Warn("lint warning", {{"lint", finding.lint}, {"issuance_id", issuance_id}});
        continue;
      }
      if (first.empty()) first = finding.lint;
      errors += (errors.empty() ? "" : "; ") + finding.lint + ": " + finding.message;
    }
    if (!first.empty()) {
      log::Warn("issuance refused by lint", {{"issuance_id", issuance_id}, {"lints", errors}});
      return Status::Error(ErrorCode::kMalformed, first,
                           "the certificate failed the lints: " + errors);
    }
    return cert;
  }

  // `built`: the linted certificate this process built for the issuance, when it has it; else
  // the stored one is read back.
  Result<IssuedCertificate> Complete(const sa::Issuance& issuance, const IssuanceRequest& request,
                                     const sa::Actor& actor, X509Ptr built = nullptr) {
    const Issuer* issuer = hierarchy.Find(issuance.issuer);
    if (!issuer) return InternalError("issuer " + issuance.issuer + " is not loaded");
    X509Ptr cert;
    if (issuance.state == sa::IssuanceState::kReserved) {
      // Reserved by an older signetd, or one that stopped before linting: lint now.
      SIGNET_ASSIGN_OR_RETURN(PkeyPtr key, DecodePublicKey(request.public_key_der));
      auto linted = BuildAndLint(request, key.get(), *issuer, issuance.serial_hex, issuance.id);
      if (!linted.ok()) {
        Status marked = store.MarkIssuanceFailed(issuance.id, linted.status().message(), actor);
        if (!marked.ok()) return marked;
        return linted.status();
      }
      cert = std::move(linted).value();
      SIGNET_RETURN_IF_ERROR(store.MarkIssuanceLinted(issuance.id, ToDerBase64(cert.get())));
      AfterStep("linted");
    } else if (built) {
      cert = std::move(built);
    } else {
      cert = FromDerBase64(issuance.linted_der_base64);
      if (!cert)
        return InternalError("the stored linted certificate of " + issuance.id + " is unreadable");
    }
    SIGNET_RETURN_IF_ERROR(issuer->signer->SignCertificate(cert.get()));
    AfterStep("signed");
    sa::CertificateRecord record;
    record.serial_hex = issuance.serial_hex;
    record.issuance_id = issuance.id;
    record.account_id = issuance.account_id;
    record.issuer = issuer->name;
    record.der_base64 = ToDerBase64(cert.get());
    record.names = Join(request.dns_names);
    record.crl_shard = ShardFor(issuance.serial_hex);
    record.not_before = FromAsn1(X509_get0_notBefore(cert.get()));
    record.not_after = FromAsn1(X509_get0_notAfter(cert.get()));
    Status stored = store.StoreIssuedCertificate(record, actor);
    if (!stored.ok() && stored.reason() == "already_issued") {
      // Someone else completed it meanwhile; theirs is the one certificate of this issuance.
      return Existing(issuance.id);
    }
    SIGNET_RETURN_IF_ERROR(stored);
    log::Info(
        "issued certificate",
        {{"serial", record.serial_hex}, {"issuer", record.issuer}, {"issuance_id", issuance.id}});
    return Render(record);
  }

  Result<IssuedCertificate> Render(const sa::CertificateRecord& record) {
    auto der = Base64Decode(record.der_base64);
    if (!der || der->empty()) {
      return InternalError("stored certificate " + record.serial_hex + " is unreadable");
    }
    const Issuer* issuer = hierarchy.Find(record.issuer);
    IssuedCertificate out;
    out.serial_hex = record.serial_hex;
    out.issuer = record.issuer;
    out.certificate_pem = PemEncode("CERTIFICATE", *der);
    out.der_base64 = record.der_base64;
    out.names = record.names;
    out.chain_pem = issuer ? issuer->certificate_pem + issuer->parents_pem : hierarchy.root_pem();
    out.not_before = record.not_before;
    out.not_after = record.not_after;
    return out;
  }

  Result<IssuedCertificate> Existing(const std::string& issuance_id) {
    SIGNET_ASSIGN_OR_RETURN(sa::CertificateRecord record,
                            store.GetCertificateByIssuance(issuance_id));
    return Render(record);
  }
};

CertificateAuthority::CertificateAuthority(const CaHierarchy& hierarchy, sa::IssuanceStore& store,
                                           const Clock& clock, Random& random,
                                           CertificateAuthorityOptions options)
    : impl_(new Impl{hierarchy, store, clock, random, std::move(options)}) {}

CertificateAuthority::~CertificateAuthority() = default;

int CertificateAuthority::CrlShardFor(const std::string& serial_hex) const {
  return impl_->ShardFor(serial_hex);
}

Result<IssuedCertificate> CertificateAuthority::Issue(const IssuanceRequest& request,
                                                      const sa::Actor& actor) {
  if (request.issuance_id.empty())
    return MalformedError("an issuance needs an id", "invalid_issuance");
  if (request.dns_names.empty() && request.ip_addresses.empty()) {
    return MalformedError("a certificate needs at least one name", "invalid_issuance");
  }
  if (!request.ip_addresses.empty() && request.type != ProductType::kPrivate) {
    return MalformedError("IP addresses are only allowed in private-PKI certificates",
                          "invalid_issuance");
  }
  // Decoded once here for the checks, the template and the lints.
  SIGNET_ASSIGN_OR_RETURN(PkeyPtr decoded, DecodePublicKey(request.public_key_der));
  SIGNET_ASSIGN_OR_RETURN(SubscriberKey key,
                          CheckSubscriberKey(decoded.get(), request.public_key_der));
  const Issuer* chosen = request.issuer.empty() ? &impl_->hierarchy.DefaultIssuerFor(key.is_rsa)
                                                : impl_->hierarchy.Find(request.issuer);
  if (!chosen) return NotFoundError("there is no issuer named " + request.issuer);
  const Issuer& issuer = *chosen;
  sa::Issuance issuance;
  X509Ptr built;
  for (int attempt = 0;; ++attempt) {
    sa::Issuance wanted;
    wanted.id = request.issuance_id;
    wanted.account_id = request.account_id;
    wanted.serial_hex = SerialHex(NewSerial(impl_->random));
    wanted.issuer = issuer.name;
    wanted.request_json = IssuanceRequestToJson(request);
    // Build and lint first, so the reservation records the exact certificate to be signed in
    // the same transaction; a retry after a crash signs that one and no other.
    auto linted = impl_->BuildAndLint(request, decoded.get(), issuer, wanted.serial_hex, wanted.id);
    if (linted.ok()) wanted.linted_der_base64 = ToDerBase64(linted->get());
    auto reserved = impl_->store.ReserveIssuance(wanted, actor);
    if (reserved.ok()) {
      issuance = *reserved;
      if (!linted.ok() && issuance.state == sa::IssuanceState::kReserved &&
          issuance.serial_hex == wanted.serial_hex) {
        // Ours, and refused by the lints: recorded as failed, as a retry will find it.
        SIGNET_RETURN_IF_ERROR(
            impl_->store.MarkIssuanceFailed(issuance.id, linted.status().message(), actor));
        return linted.status();
      }
      if (linted.ok() && issuance.serial_hex == wanted.serial_hex)
        built = std::move(linted).value();
      break;
    }
    if (reserved.status().reason() != "serial_taken" || attempt >= 3) return reserved.status();
  }
  switch (issuance.state) {
    case sa::IssuanceState::kIssued:
      return impl_->Existing(issuance.id);
    case sa::IssuanceState::kFailed:
      return Status::Error(ErrorCode::kMalformed, "issuance_failed",
                           "this issuance was refused earlier: " + issuance.failure);
    default:
      break;
  }
  impl_->AfterStep("reserved");
  if (issuance.state == sa::IssuanceState::kLinted) impl_->AfterStep("linted");
  // Resume from what is stored, so a retry of an interrupted issuance uses the stored request.
  SIGNET_ASSIGN_OR_RETURN(IssuanceRequest stored, IssuanceRequestFromJson(issuance.request_json));
  return impl_->Complete(issuance, stored, actor, std::move(built));
}

Result<int> CertificateAuthority::ResumeUnfinished(const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<sa::Issuance> unfinished,
                          impl_->store.ListUnfinishedIssuances());
  int completed = 0;
  for (const sa::Issuance& issuance : unfinished) {
    auto request = IssuanceRequestFromJson(issuance.request_json);
    if (!request.ok()) {
      log::Error("cannot resume issuance",
                 {{"issuance_id", issuance.id}, {"error", request.status().message()}});
      continue;
    }
    auto done = impl_->Complete(issuance, *request, actor);
    if (done.ok()) {
      ++completed;
    } else {
      log::Warn("resuming issuance failed",
                {{"issuance_id", issuance.id}, {"error", done.status().message()}});
    }
  }
  return completed;
}

}  // namespace signet::ca

#include "signet/monitor/chain_judge.h"

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <cstring>

#include "signet/common/crypto.h"
#include "signet/common/encoding.h"
#include "signet/common/ip_address.h"
#include "signet/common/openssl_ptr.h"

namespace signet::monitor {

namespace {

struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
using StorePtr = std::unique_ptr<X509_STORE, StoreFree>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, StoreFree>;

struct StackFree {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using CertStack = std::unique_ptr<STACK_OF(X509), StackFree>;

std::vector<X509Ptr> ReadPemCertificates(const std::string& pem) {
  std::vector<X509Ptr> out;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(x);
  return out;
}

X509Ptr FromDer(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  return X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

std::string NameText(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return DisplayableUtf8(std::string(data, static_cast<size_t>(n)));
}

TimePoint TimeOf(const ASN1_TIME* t) {
  struct tm tm {};
  ASN1_TIME_to_tm(t, &tm);
  return FromUnixMicros(static_cast<int64_t>(timegm(&tm)) * 1000000);
}

std::vector<std::string> NamesOf(X509* x) {
  std::vector<std::string> names;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type == GEN_DNS) {
      const ASN1_STRING* s = g->d.dNSName;
      names.push_back(
          DisplayableUtf8(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                      static_cast<size_t>(ASN1_STRING_length(s)))));
    } else if (g->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = g->d.iPAddress;
      IpAddress address;
      address.v6 = ASN1_STRING_length(ip) == 16;
      if (ASN1_STRING_length(ip) == 4 || address.v6) {
        std::memcpy(address.bytes.data(), ASN1_STRING_get0_data(ip),
                    static_cast<size_t>(ASN1_STRING_length(ip)));
        names.push_back(address.ToString());
      }
    }
  }
  GENERAL_NAMES_free(sans);
  return names;
}

// "EC P-256", "RSA 2048", "ED25519"; and whether it is weaker than the BR allow.
std::string KeyOf(X509* x, bool* weak) {
  EVP_PKEY* key = X509_get0_pubkey(x);
  *weak = false;
  if (key == nullptr) return "unknown";
  int bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      *weak = bits < 2048;
      return "RSA " + std::to_string(bits);
    case EVP_PKEY_EC: {
      *weak = bits < 256;
      char curve[64] = {0};
      size_t len = 0;
      EVP_PKEY_get_group_name(key, curve, sizeof curve, &len);
      return std::string("EC ") + (std::string(curve) == "prime256v1"  ? "P-256"
                                   : std::string(curve) == "secp384r1" ? "P-384"
                                                                       : std::string(curve));
    }
    default:
      return OBJ_nid2sn(EVP_PKEY_get_base_id(key));
  }
}

std::string Day(TimePoint t) { return FormatRfc3339(t).substr(0, 10); }

}  // namespace

void AddProblem(sa::AddressCheck& check, core::MonitorStatus status, std::string code,
                std::string detail) {
  check.problems.push_back({std::move(code), std::move(detail)});
  if (core::Severity(status) > core::Severity(check.status)) check.status = status;
}

struct ChainJudge::Impl {
  StorePtr store;
  std::vector<X509Ptr> intermediates;

  // X509_V_OK when `leaf` chains to a trusted root through `untrusted`.
  int Verify(X509* leaf, STACK_OF(X509) * untrusted) const {
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted) != 1) {
      return X509_V_ERR_UNSPECIFIED;
    }
    // Expiry is its own problem; here only whom the chain leads to matters.
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    return X509_verify_cert(ctx.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
  }
};

ChainJudge::ChainJudge(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ChainJudge::~ChainJudge() = default;

Result<std::unique_ptr<ChainJudge>> ChainJudge::Create(const TrustAnchors& anchors) {
  auto impl = std::make_unique<Impl>();
  impl->store.reset(X509_STORE_new());
  if (!impl->store) return InternalError("X509_STORE_new failed");
  if (!anchors.system_bundle_file.empty()) {
    // A machine without the bundle still checks Signet's own certificates.
    X509_STORE_load_file(impl->store.get(), anchors.system_bundle_file.c_str());
  }
  for (X509Ptr& root : ReadPemCertificates(anchors.roots_pem)) {
    X509_STORE_add_cert(impl->store.get(), root.get());
  }
  impl->intermediates = ReadPemCertificates(anchors.intermediates_pem);
  return std::unique_ptr<ChainJudge>(new ChainJudge(std::move(impl)));
}

sa::AddressCheck ChainJudge::Judge(const probe::ServedChain& served, const std::string& name,
                                   TimePoint now, int warn_days) const {
  sa::AddressCheck check;
  check.address = served.address;
  check.status = core::MonitorStatus::kOk;
  check.tls_version = served.tls_version;
  X509Ptr leaf = served.certificates_der.empty() ? nullptr : FromDer(served.certificates_der[0]);
  if (!leaf) {
    AddProblem(check, core::MonitorStatus::kCritical, "untrusted",
               "the server sent no readable certificate");
    return check;
  }
  sa::ServedCertificate c;
  c.serial_hex = served.leaf_serial_hex;
  c.names = NamesOf(leaf.get());
  c.subject = NameText(X509_get_subject_name(leaf.get()));
  c.issuer = NameText(X509_get_issuer_name(leaf.get()));
  c.not_before = TimeOf(X509_get0_notBefore(leaf.get()));
  c.not_after = TimeOf(X509_get0_notAfter(leaf.get()));
  c.sha256_hex = Sha256Hex(served.certificates_der[0]);
  bool weak_key = false;
  c.key = KeyOf(leaf.get(), &weak_key);
  check.certificate = c;

  if (now >= c.not_after) {
    AddProblem(check, core::MonitorStatus::kCritical, "expired",
               "the certificate expired on " + Day(c.not_after));
  } else if (now < c.not_before) {
    AddProblem(check, core::MonitorStatus::kCritical, "not_yet_valid",
               "the certificate is valid only from " + Day(c.not_before));
  } else if (c.not_after - now < std::chrono::hours(24) * warn_days) {
    auto days = std::chrono::duration_cast<std::chrono::hours>(c.not_after - now).count() / 24;
    AddProblem(check, core::MonitorStatus::kWarning, "expires_soon",
               "the certificate expires on " + Day(c.not_after) + ", in " + std::to_string(days) +
                   " days");
  }
  bool ip = ParseIpAddress(name).has_value();
  int matched = ip ? X509_check_ip_asc(leaf.get(), name.c_str(), 0)
                   : X509_check_host(leaf.get(), name.data(), name.size(), 0, nullptr);
  if (matched != 1) {
    std::string list;
    for (const auto& n : c.names) list += (list.empty() ? "" : ", ") + n;
    AddProblem(check, core::MonitorStatus::kCritical, "name_mismatch",
               "the certificate is for " + (list.empty() ? c.subject : list) + ", not " + name);
  }
  bool self_signed = X509_check_issued(leaf.get(), leaf.get()) == X509_V_OK;
  CertStack untrusted(sk_X509_new_null());
  for (size_t i = 1; i < served.certificates_der.size(); ++i) {
    if (X509Ptr x = FromDer(served.certificates_der[i])) sk_X509_push(untrusted.get(), x.release());
  }
  int verified = impl_->Verify(leaf.get(), untrusted.get());
  if (verified != X509_V_OK && self_signed) {
    AddProblem(check, core::MonitorStatus::kCritical, "self_signed",
               "the certificate is self-signed: no client trusts it");
  } else if (verified != X509_V_OK) {
    for (const X509Ptr& x : impl_->intermediates) {
      X509_up_ref(x.get());
      sk_X509_push(untrusted.get(), x.get());
    }
    if (impl_->Verify(leaf.get(), untrusted.get()) == X509_V_OK) {
      AddProblem(check, core::MonitorStatus::kCritical, "chain_incomplete",
                 "the server does not send the intermediate certificate of " + c.issuer +
                     "; clients that do not have it fail");
    } else {
      AddProblem(check, core::MonitorStatus::kCritical, "untrusted",
                 std::string("the chain does not lead to a trusted root: ") +
                     X509_verify_cert_error_string(verified));
    }
  }
  if (weak_key) {
    AddProblem(check, core::MonitorStatus::kWarning, "weak_key",
               "the key (" + c.key + ") is weaker than the Baseline Requirements allow (BR 6.1.5)");
  }
  if (served.tls_version == "TLSv1" || served.tls_version == "TLSv1.1" ||
      served.tls_version == "SSLv3") {
    AddProblem(check, core::MonitorStatus::kWarning, "weak_protocol",
               "the server negotiated " + served.tls_version + "; offer TLS 1.2 or 1.3");
  }
  return check;
}

}  // namespace signet::monitor

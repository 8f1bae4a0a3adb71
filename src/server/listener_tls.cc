#include "server/listener_tls.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "signet/ca/subscriber_keys.h"
#include "signet/common/log.h"
#include "signet/common/pem_input.h"

namespace signet::server {

namespace {

namespace fs = std::filesystem;

// Writes via a temporary file and rename, so a crash never leaves half a file.
bool WriteFileAtomically(const fs::path& path, const std::string& content, mode_t mode) {
  fs::path tmp = path;
  tmp += ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return false;
  chmod(tmp.c_str(), mode);
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (fsync(fileno(f)) == 0) && ok;
  std::fclose(f);
  if (!ok) return false;
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool IsIpAddress(const std::string& host) {
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(host.c_str());
  bool is_ip = ip != nullptr;
  ASN1_OCTET_STRING_free(ip);
  return is_ip;
}

bool IsLocal(const std::string& host) {
  return host.empty() || host == "127.0.0.1" || host == "localhost" || host == "::1" ||
         host == "0.0.0.0" || host == "::";
}

// True when the certificate is valid for 30 more days, names `host`, and was issued by one of
// the hierarchy's issuers.
bool IsUsable(const fs::path& cert_path, const std::vector<std::string>& hosts,
              const ca::CaHierarchy& h, TimePoint now) {
  X509* raw = nullptr;
  if (FILE* f = std::fopen(cert_path.c_str(), "rb")) {
    raw = PEM_read_X509(f, nullptr, pem::PasswordCallback, nullptr);
    std::fclose(f);
  }
  std::unique_ptr<X509, decltype(&X509_free)> cert(raw, &X509_free);
  if (!cert) return false;
  time_t soon =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() + 30 * 86400;
  if (X509_cmp_time(X509_get0_notAfter(cert.get()), &soon) <= 0) return false;
  bool ours = false;
  for (const ca::Issuer& issuer : h.issuers()) {
    ours |= X509_check_issued(issuer.certificate, cert.get()) == X509_V_OK;
  }
  if (!ours) return false;
  if (X509_check_host(cert.get(), "localhost", 0, 0, nullptr) != 1) return false;
  for (const std::string& host : hosts) {
    if (IsLocal(host)) continue;
    bool named = IsIpAddress(host) ? X509_check_ip_asc(cert.get(), host.c_str(), 0) == 1
                                   : X509_check_host(cert.get(), host.c_str(), 0, 0, nullptr) == 1;
    if (!named) return false;
  }
  return true;
}

}  // namespace

Result<ListenerTlsFiles> EnsureListenerCertificate(const std::string& data_dir,
                                                   const std::vector<std::string>& hosts,
                                                   const ca::CaHierarchy& hierarchy,
                                                   ca::CertificateAuthority& authority,
                                                   const Clock& clock, Random& random) {
  fs::path dir = fs::path(data_dir) / "tls";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return UnavailableError("cannot create " + dir.string() + ": " + ec.message());
  chmod(dir.c_str(), 0700);
  ListenerTlsFiles files{(dir / "listener.pem").string(), (dir / "listener.key").string(),
                         (fs::path(data_dir) / "ca.pem").string()};
  bool usable =
      fs::exists(files.private_key) && IsUsable(files.cert_chain, hosts, hierarchy, clock.Now());
  if (!usable) {
    SIGNET_ASSIGN_OR_RETURN(ca::GeneratedKey key, ca::GenerateSubscriberKey("ecdsa-p256"));
    ca::IssuanceRequest request;
    request.issuance_id = "listener_" + random.Token(12);
    request.type = ca::ProductType::kPrivate;
    request.dns_names = {"localhost"};
    request.ip_addresses = {"127.0.0.1", "::1"};
    for (auto it = hosts.rbegin(); it != hosts.rend(); ++it) {
      const std::string& host = *it;
      if (IsLocal(host)) continue;
      if (IsIpAddress(host)) {
        if (std::find(request.ip_addresses.begin(), request.ip_addresses.end(), host) ==
            request.ip_addresses.end()) {
          request.ip_addresses.push_back(host);
        }
      } else if (std::find(request.dns_names.begin(), request.dns_names.end(), host) ==
                 request.dns_names.end()) {
        request.dns_names.insert(request.dns_names.begin(), host);  // the first is the CN
      }
    }
    request.public_key_der = key.spki_der;
    sa::Actor actor{"system", "", "system", ""};
    SIGNET_ASSIGN_OR_RETURN(ca::IssuedCertificate issued, authority.Issue(request, actor));
    const ca::Issuer* issuer = hierarchy.Find(issued.issuer);
    if (!WriteFileAtomically(files.private_key, key.private_key_pem, 0600) ||
        !WriteFileAtomically(files.cert_chain,
                             issued.certificate_pem + (issuer ? issuer->certificate_pem : ""),
                             0644)) {
      return UnavailableError("cannot write the listener certificate into " + dir.string());
    }
    log::Info("issued listener certificate",
              {{"serial", issued.serial_hex}, {"issuer", issued.issuer}});
  }
  // Clients trust the root; keep the anchor file in step with the hierarchy.
  if (ReadFile(files.trust_anchor) != hierarchy.root_pem() &&
      !WriteFileAtomically(files.trust_anchor, hierarchy.root_pem(), 0644)) {
    return UnavailableError("cannot write " + files.trust_anchor);
  }
  return files;
}

}  // namespace signet::server

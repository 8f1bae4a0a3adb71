#include "server/ca_setup.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "signet/common/log.h"

namespace signet::server {

namespace {

namespace fs = std::filesystem;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

Result<std::string> CaPassphrase(const Settings& settings, Random& random) {
  if (const char* env = std::getenv("SIGNET_CA_KEY_PASSPHRASE"); env && *env)
    return std::string(env);
  const std::string& file = settings.Get("ca.key_passphrase_file");
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return MalformedError("cannot read ca.key_passphrase_file " + file, "invalid_setting");
    std::stringstream ss;
    ss << in.rdbuf();
    return Trimmed(ss.str());
  }
  // No passphrase configured: keep a generated one beside the keys. This protects nothing against
  // someone who can read the data directory; production should use a file elsewhere or PKCS#11.
  fs::path generated = fs::path(settings.Get("data_dir")) / "ca" / "passphrase";
  if (fs::exists(generated)) {
    std::ifstream in(generated);
    std::stringstream ss;
    ss << in.rdbuf();
    return Trimmed(ss.str());
  }
  std::error_code ec;
  fs::create_directories(generated.parent_path(), ec);
  chmod(generated.parent_path().c_str(), 0700);
  std::string pass = random.Token(32);
  {
    std::ofstream out(generated, std::ios::trunc);
    out << pass << "\n";
  }
  chmod(generated.c_str(), 0600);
  log::Warn(
      "generated a CA key passphrase next to the keys; set ca.key_passphrase_file or "
      "SIGNET_CA_KEY_PASSPHRASE for production",
      {{"path", generated.string()}});
  return pass;
}

namespace {

std::string Der(X509* cert) {
  unsigned char* buf = nullptr;
  int n = i2d_X509(cert, &buf);
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(std::max(n, 0)));
  OPENSSL_free(buf);
  return out;
}

}  // namespace

Result<std::unique_ptr<ca::CaHierarchy>> LoadCaHierarchy(const Settings& settings,
                                                         const std::string& public_url,
                                                         const Clock& clock, Random& random,
                                                         bool sign_root_crl) {
  SIGNET_ASSIGN_OR_RETURN(std::string passphrase, CaPassphrase(settings, random));
  ca::CaHierarchyOptions options;
  options.directory = (fs::path(settings.Get("data_dir")) / "ca").string();
  options.passphrase = passphrase;
  options.organization = settings.Get("ca.organization");
  options.country = settings.Get("ca.country");
  options.public_url = public_url;
  options.sign_root_crl = sign_root_crl;
  std::vector<std::string> pkcs11 = settings.GetList("ca.pkcs11_issuers");
  if (!pkcs11.empty()) {
    std::string pin;
    if (const char* env = std::getenv("SIGNET_PKCS11_PIN"); env && *env) {
      pin = env;
    } else if (settings.Has("ca.pkcs11_pin_file")) {
      std::ifstream in(settings.Get("ca.pkcs11_pin_file"));
      std::getline(in, pin);
    }
    for (const std::string& entry : pkcs11) {
      size_t eq = entry.find('=');
      if (eq == std::string::npos || entry.compare(eq + 1, 7, "pkcs11:") != 0) {
        return MalformedError(
            "ca.pkcs11_issuers entries look like name=pkcs11:token=...;object=...",
            "invalid_setting");
      }
      options.pkcs11_issuers.push_back(
          {entry.substr(0, eq), {settings.Get("ca.pkcs11_module"), entry.substr(eq + 1), pin}});
    }
  }
  return ca::CaHierarchy::LoadOrCreate(options, clock);
}

std::vector<wfe::PublicFile> CaPublicFiles(const ca::CaHierarchy& h) {
  const char* kPem = "application/x-pem-file";
  const char* kDer = "application/pkix-cert";
  std::vector<wfe::PublicFile> files = {
      {"/ca/root.pem", kPem, h.root_pem()},
      {"/ca/root.der", kDer, Der(h.root())},
      {"/crl/root.crl", "application/pkix-crl", h.root_crl_der()}};
  for (const ca::Issuer& i : h.issuers()) {
    files.push_back({"/ca/" + i.name + ".pem", kPem, i.certificate_pem});
    files.push_back({"/ca/" + i.name + ".der", kDer, Der(i.certificate)});
    files.push_back({"/ca/" + i.name + "-chain.pem", kPem, i.certificate_pem + i.parents_pem});
  }
  const ca::Issuer& def = h.DefaultIssuerFor(false);
  files.push_back({"/ca/chain.pem", kPem, def.certificate_pem + h.root_pem()});
  return files;
}

}  // namespace signet::server

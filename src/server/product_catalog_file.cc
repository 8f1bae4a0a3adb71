#include "server/product_catalog_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace signet::server {

namespace {

using nlohmann::json;

const std::set<std::string> kProductFields = {"id",          "name",   "type",        "coverage",
                                              "max_domains", "issuer", "term_months", "upstream"};
const std::set<std::string> kUpstreamFields = {"acme_directory",    "ca_file", "eab_kid",
                                               "eab_hmac_key_file", "profile", "contact"};

Status Bad(const std::string& message) { return MalformedError(message, "bad_setting"); }

Status ReadString(const json& p, const std::string& where, const char* field, std::string* out) {
  auto it = p.find(field);
  if (it == p.end()) return Status::Ok();
  if (!it->is_string()) return Bad(where + ": '" + field + "' must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadInt(const json& p, const std::string& where, const char* field, int* out) {
  auto it = p.find(field);
  if (it == p.end()) return Status::Ok();
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 100000) {
    return Bad(where + ": '" + field + "' must be a whole number");
  }
  *out = it->get<int>();
  return Status::Ok();
}

std::string Listed(const std::set<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + f;
  return out;
}

// The product's "upstream": an ACME CA that issues it (docs/BRANDS.md).
Result<upstream::UpstreamCa> ReadUpstream(const json& u, const std::string& where) {
  if (!u.is_object()) return Bad(where + ": 'upstream' must be an object");
  for (auto it = u.begin(); it != u.end(); ++it) {
    if (kUpstreamFields.count(it.key()) == 0) {
      return Bad(where + ": unknown field 'upstream." + it.key() +
                 "'; allowed: " + Listed(kUpstreamFields));
    }
  }
  upstream::UpstreamCa up;
  SIGNET_RETURN_IF_ERROR(ReadString(u, where, "acme_directory", &up.acme_directory));
  if (up.acme_directory.rfind("https://", 0) != 0) {
    return Bad(where +
               ": 'upstream.acme_directory' must be the https:// URL of the CA's ACME "
               "directory, e.g. https://acme-v02.api.letsencrypt.org/directory");
  }
  SIGNET_RETURN_IF_ERROR(ReadString(u, where, "ca_file", &up.ca_file));
  if (!up.ca_file.empty() && !std::ifstream(up.ca_file)) {
    return Bad(where + ": 'upstream.ca_file' " + up.ca_file + " cannot be read");
  }
  SIGNET_RETURN_IF_ERROR(ReadString(u, where, "eab_kid", &up.eab_kid));
  std::string key_file;
  SIGNET_RETURN_IF_ERROR(ReadString(u, where, "eab_hmac_key_file", &key_file));
  if (up.eab_kid.empty() != key_file.empty()) {
    return Bad(where + ": 'upstream.eab_kid' and 'upstream.eab_hmac_key_file' go together");
  }
  if (!key_file.empty()) {
    std::ifstream in(key_file);
    std::stringstream text;
    text << in.rdbuf();
    up.eab_hmac_key = text.str().substr(0, text.str().find_first_of("\r\n"));
    if (!in || up.eab_hmac_key.empty()) {
      return Bad(where + ": 'upstream.eab_hmac_key_file' " + key_file +
                 " cannot be read or is empty (it holds the CA's EAB HMAC key, base64url)");
    }
  }
  SIGNET_RETURN_IF_ERROR(ReadString(u, where, "profile", &up.profile));
  auto contact = u.find("contact");
  if (contact != u.end()) {
    std::vector<std::string> list;
    if (contact->is_string()) {
      list.push_back(contact->get<std::string>());
    } else if (contact->is_array()) {
      for (const auto& c : *contact) {
        if (!c.is_string()) return Bad(where + ": 'upstream.contact' must hold strings");
        list.push_back(c.get<std::string>());
      }
    } else {
      return Bad(where + ": 'upstream.contact' must be an email address or a list of them");
    }
    for (std::string& c : list) {
      if (c.rfind("mailto:", 0) != 0) c = "mailto:" + c;
      up.contact.push_back(c);
    }
  }
  return up;
}

}  // namespace

Result<ra::ProductCatalog> LoadProductCatalog(const std::string& path) {
  if (path.empty()) return ra::ProductCatalog::Default();
  std::ifstream in(path);
  if (!in) return Bad("cannot read the product catalog " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto j = json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("products") || !j["products"].is_array()) {
    return Bad(path + " must be a JSON object with a \"products\" array");
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "products") return Bad(path + ": unknown field '" + it.key() + "'");
  }
  std::vector<ra::Product> products;
  int index = 0;
  for (const auto& p : j["products"]) {
    std::string where = path + ": product #" + std::to_string(index++);
    if (!p.is_object()) return Bad(where + " is not an object");
    for (auto it = p.begin(); it != p.end(); ++it) {
      if (kProductFields.count(it.key()) == 0) {
        return Bad(where + ": unknown field '" + it.key() +
                   "'; allowed: " + Listed(kProductFields));
      }
    }
    ra::Product product;
    product.coverage = "single";
    SIGNET_RETURN_IF_ERROR(ReadString(p, where, "id", &product.id));
    if (product.id.empty()) return Bad(where + ": 'id' is required");
    where += " (" + product.id + ")";
    SIGNET_RETURN_IF_ERROR(ReadString(p, where, "name", &product.name));
    std::string type;
    SIGNET_RETURN_IF_ERROR(ReadString(p, where, "type", &type));
    auto parsed = ca::ParseProductType(type);
    if (!parsed.ok() || *parsed == ca::ProductType::kPrivate) {
      return Bad(where + ": 'type' must be dv, ov or ev");
    }
    product.type = *parsed;
    SIGNET_RETURN_IF_ERROR(ReadString(p, where, "coverage", &product.coverage));
    SIGNET_RETURN_IF_ERROR(ReadInt(p, where, "max_domains", &product.max_domains));
    SIGNET_RETURN_IF_ERROR(ReadString(p, where, "issuer", &product.issuer));
    SIGNET_RETURN_IF_ERROR(ReadInt(p, where, "term_months", &product.term_months));
    if (p.contains("upstream")) {
      SIGNET_ASSIGN_OR_RETURN(product.upstream, ReadUpstream(p["upstream"], where));
      if (product.type != ca::ProductType::kDv) {
        return Bad(where +
                   ": upstream CAs issue DV products only here; OV and EV are issued "
                   "by Signet's own CA (remove 'upstream' or make the type dv)");
      }
    }
    products.push_back(std::move(product));
  }
  auto catalog = ra::ProductCatalog::FromProducts(std::move(products));
  if (!catalog.ok()) return Bad(path + ": " + catalog.status().message());
  return catalog;
}

}  // namespace signet::server

#include "server/product_catalog_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace signet::server {

namespace {

using nlohmann::json;

const std::set<std::string> kProductFields = {"id",          "name",   "type",       "coverage",
                                              "max_domains", "issuer", "term_months"};

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
        std::string allowed;
        for (const auto& f : kProductFields) allowed += (allowed.empty() ? "" : ", ") + f;
        return Bad(where + ": unknown field '" + it.key() + "'; allowed: " + allowed);
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
    products.push_back(std::move(product));
  }
  auto catalog = ra::ProductCatalog::FromProducts(std::move(products));
  if (!catalog.ok()) return Bad(path + ": " + catalog.status().message());
  return catalog;
}

}  // namespace signet::server

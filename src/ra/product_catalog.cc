#include "signet/ra/product_catalog.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace signet::ra {

ProductCatalog ProductCatalog::Default() {
  using ca::ProductType;
  ProductCatalog c;
  c.products_ = {
      {"dv-single", "DV SSL, single domain", ProductType::kDv, "single", 1, "", 12},
      {"dv-multi", "DV SSL, multi-domain (up to 5)", ProductType::kDv, "multi", 5, "", 12},
      {"dv-wildcard", "DV SSL, wildcard", ProductType::kDv, "wildcard", 1, "", 12},
      {"dv-mixed", "DV SSL, multi-domain with wildcards (up to 5)", ProductType::kDv, "mixed", 5,
       "", 12},
      {"ov-single", "OV SSL, single domain", ProductType::kOv, "single", 1, "", 12},
      {"ov-multi", "OV SSL, multi-domain (up to 5)", ProductType::kOv, "multi", 5, "", 12},
      {"ov-wildcard", "OV SSL, wildcard", ProductType::kOv, "wildcard", 1, "", 12},
      {"ev-single", "EV SSL, single domain", ProductType::kEv, "single", 1, "", 12},
      {"ev-multi", "EV SSL, multi-domain (up to 5)", ProductType::kEv, "multi", 5, "", 12},
      // What ACME clients get by default: 90-day-class certificates, renewed by automation.
      {"acme-dv", "DV by ACME, up to 100 names with wildcards, 3-month term", ProductType::kDv,
       "mixed", 100, "", 3},
  };
  return c;
}

Result<ProductCatalog> ProductCatalog::Load(const std::string& path) {
  if (path.empty()) return Default();
  std::ifstream in(path);
  if (!in) return MalformedError("cannot read the product catalog " + path, "bad_setting");
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("products") || !j["products"].is_array()) {
    return MalformedError(path + " must be a JSON object with a \"products\" array", "bad_setting");
  }
  ProductCatalog c;
  std::set<std::string> ids;
  int index = 0;
  for (const auto& p : j["products"]) {
    std::string where = path + ": product #" + std::to_string(index++);
    if (!p.is_object()) return MalformedError(where + " is not an object", "bad_setting");
    Product product;
    try {
      product.id = p.at("id").get<std::string>();
      product.name = p.value("name", product.id);
      auto type = ca::ParseProductType(p.at("type").get<std::string>());
      if (!type.ok() || *type == ca::ProductType::kPrivate) {
        return MalformedError(where + ": type must be dv, ov or ev", "bad_setting");
      }
      product.type = *type;
      product.coverage = p.value("coverage", "single");
      product.max_domains = p.value("max_domains", 1);
      product.issuer = p.value("issuer", "");
      product.term_months = p.value("term_months", 12);
    } catch (const nlohmann::json::exception& e) {
      return MalformedError(where + ": " + e.what(), "bad_setting");
    }
    static const std::set<std::string> kCoverages = {"single", "multi", "wildcard", "mixed"};
    if (kCoverages.count(product.coverage) == 0) {
      return MalformedError(where + ": coverage must be single, multi, wildcard or mixed",
                            "bad_setting");
    }
    if (product.max_domains < 1 || product.max_domains > 250 || product.term_months < 1 ||
        product.term_months > 60) {
      return MalformedError(where + ": max_domains must be 1-250 and term_months 1-60",
                            "bad_setting");
    }
    if ((product.coverage == "single" || product.coverage == "wildcard") &&
        product.max_domains != 1) {
      return MalformedError(where + ": single and wildcard products have max_domains 1",
                            "bad_setting");
    }
    if (!ids.insert(product.id).second) {
      return MalformedError(where + ": duplicate id " + product.id, "bad_setting");
    }
    c.products_.push_back(product);
  }
  if (c.products_.empty()) return MalformedError(path + " lists no products", "bad_setting");
  return c;
}

const Product* ProductCatalog::Find(const std::string& id) const {
  for (const auto& p : products_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace signet::ra

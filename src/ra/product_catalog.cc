#include "signet/ra/product_catalog.h"

#include <set>
#include <utility>

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

Result<ProductCatalog> ProductCatalog::FromProducts(std::vector<Product> products) {
  ProductCatalog c;
  std::set<std::string> ids;
  int index = 0;
  for (Product& product : products) {
    std::string where = "product #" + std::to_string(index++) + " (" + product.id + ")";
    if (product.id.empty()) return MalformedError(where + ": id is required", "bad_setting");
    if (product.name.empty()) product.name = product.id;
    if (product.type == ca::ProductType::kPrivate) {
      return MalformedError(where + ": type must be dv, ov or ev", "bad_setting");
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
    c.products_.push_back(std::move(product));
  }
  if (c.products_.empty()) return MalformedError("the catalog lists no products", "bad_setting");
  return c;
}

const Product* ProductCatalog::Find(const std::string& id) const {
  for (const auto& p : products_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

}  // namespace signet::ra

// ProductCatalog: what applicants can buy (type x coverage x brand x term), as the operator
// configures it (`products.file`, read by server/product_catalog_file.h), or a built-in default
// catalog.
//
// Thread-safety: immutable once made; share freely.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "signet/ca/profile.h"
#include "signet/common/status.h"
#include "signet/upstream/upstream_clients.h"

namespace signet::ra {

struct Product {
  std::string id;    // e.g. "dv-single"
  std::string name;  // e.g. "DV SSL, single domain"
  ca::ProductType type = ca::ProductType::kDv;
  // single: one name; multi: up to max_domains names, no wildcard; wildcard: one wildcard name;
  // mixed: up to max_domains names, wildcards allowed (each counting as one).
  std::string coverage = "single";
  int max_domains = 1;
  std::string issuer;  // the brand: an issuing CA's name (ecdsa-1, rsa-1, ...); empty: by key
  int term_months = 12;
  std::optional<upstream::UpstreamCa> upstream;  // none: Signet's own CA issues it
};

class ProductCatalog {
 public:
  // A catalog of `products`, checked against the rules of coverage, limits and unique ids; an
  // error names the product ("product #2 (dv-2y): ...").
  static Result<ProductCatalog> FromProducts(std::vector<Product> products);
  static ProductCatalog Default();

  const Product* Find(const std::string& id) const;
  const std::vector<Product>& all() const { return products_; }

 private:
  std::vector<Product> products_;
};

}  // namespace signet::ra

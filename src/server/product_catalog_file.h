// The operator's product catalog file (`products.file`): {"products": [{"id", "name", "type",
// "coverage", "max_domains", "issuer", "term_months"}, ...]}. An unknown field, a wrong type or a
// broken rule stops the start with the file, the product and the field named.
//
// Thread-safety: a pure function of the file.
#pragma once

#include <string>

#include "signet/common/status.h"
#include "signet/ra/product_catalog.h"

namespace signet::server {

// path empty: the built-in catalog.
Result<ra::ProductCatalog> LoadProductCatalog(const std::string& path);

}  // namespace signet::server

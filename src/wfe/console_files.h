// ConsoleFiles: serves the web console's built files (index.html, hashed assets) from a
// directory on disk. Any GET path that is not a file falls back to index.html, so the
// single-page app's own routes (e.g. /orders/ord_x) load the app.
//
// Thread-safety: Serve is const and reads files per request; safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "signet/wfe/http_message.h"

namespace signet::wfe {

class ConsoleFiles {
 public:
  explicit ConsoleFiles(std::string dir) : dir_(std::move(dir)) {}

  // The response for `path`, or nullopt when the console is not installed.
  std::optional<HttpResponse> Serve(const std::string& path) const;

 private:
  std::string dir_;
};

}  // namespace signet::wfe

// The handlers of OCSP (RFC 6960) and of the CA's public files, its certificates and chains and
// the root's CRL (public_handlers.cc). route_table.cc binds them to their routes. Private to wfe.
//
// Thread-safety: the handlers may run concurrently; they keep no state of their own.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "wfe/router.h"

namespace signet::wfe {

struct PublicFile;

class PublicHandlers {
 public:
  // `ocsp` (empty: no OCSP) answers a DER OCSPRequest with a DER OCSPResponse; `files` are
  // served as they are. Both are WebFrontEnd's options and must outlive the handlers.
  PublicHandlers(const std::function<std::string(const std::string&)>& ocsp,
                 const std::vector<PublicFile>& files)
      : ocsp_(ocsp), files_(files) {}

  bool serves_ocsp() const { return static_cast<bool>(ocsp_); }
  const std::vector<PublicFile>& files() const { return files_; }

  HttpResponse OcspPost(RouteContext& ctx);  // the request in the body
  HttpResponse OcspGet(RouteContext& ctx);   // the request in the path, base64 (RFC 6960 A.1)
  // One of files(), as it is.
  static HttpResponse File(const PublicFile& file);

 private:
  HttpResponse OcspAnswer(const std::string& der);

  const std::function<std::string(const std::string&)>& ocsp_;
  const std::vector<PublicFile>& files_;
};

}  // namespace signet::wfe

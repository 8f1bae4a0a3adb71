// OCSP (RFC 6960) over POST and GET, and the CA's public files.
#include "wfe/public_handlers.h"

#include "signet/common/encoding.h"
#include "signet/wfe/web_front_end.h"
#include "wfe/problem.h"

namespace signet::wfe {

HttpResponse PublicHandlers::OcspAnswer(const std::string& der) {
  HttpResponse r;
  r.content_type = "application/ocsp-response";
  r.body = ocsp_(der);
  r.headers.emplace_back("Cache-Control", "public, max-age=3600, no-transform");
  return r;
}

HttpResponse PublicHandlers::OcspPost(RouteContext& ctx) {
  if (ctx.request.Header("content-type") != "application/ocsp-request") {
    return ProblemResponse(415, "unsupported_media_type",
                           "send Content-Type: application/ocsp-request", ctx.request.request_id);
  }
  return OcspAnswer(ctx.request.body);
}

HttpResponse PublicHandlers::OcspGet(RouteContext& ctx) {
  // The path was percent-decoded already; base64 may also arrive unencoded.
  auto der = Base64Decode(ctx.params["request"]);
  return OcspAnswer(der ? std::string(der->begin(), der->end()) : std::string());
}

HttpResponse PublicHandlers::File(const PublicFile& file) {
  HttpResponse r;
  r.content_type = file.content_type;
  r.body = file.body;
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return r;
}

}  // namespace signet::wfe

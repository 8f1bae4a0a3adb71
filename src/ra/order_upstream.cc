// A brand's order at its upstream CA (OrderService::Impl::AdvanceUpstream; docs/BRANDS.md).
//
// The journey stays Signet's: the applicant sees validations in the order's method (dns_txt,
// dns_cname, dns_auto, file) whose values are the upstream's challenges, Signet checks the
// record itself first (a clear message while the applicant is still at the DNS console), then
// tells the upstream, whose answer decides. Each call of AdvanceUpstream moves the order one
// step as far as it can; while the upstream works, it queues the next look a few seconds later.
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ra/order_service_impl.h"
#include "signet/ca/certificate_reader.h"
#include "signet/common/encoding.h"
#include "signet/common/openssl_ptr.h"
#include "signet/common/pem_input.h"
#include "signet/upstream/upstream_clients.h"

namespace signet::ra {

namespace {

// Refusals that retrying will not change: the order ends with the upstream's reason.
bool IsFinal(const Status& s) {
  static const std::set<std::string> kFinal = {"rejectedIdentifier",
                                               "caa",
                                               "unauthorized",
                                               "malformed",
                                               "badCSR",
                                               "unsupportedIdentifier",
                                               "externalAccountRequired",
                                               "invalidContact",
                                               "orderNotReady",
                                               "badRevocationReason",
                                               "unsupportedContact",
                                               "compound"};
  return kFinal.count(s.reason()) > 0;
}

// The challenge type that answers a validation method.
std::string ChallengeType(const std::string& method) {
  return method == "file" ? "http-01" : "dns-01";
}

std::string DerOf(X509* cert) {
  unsigned char* der = nullptr;
  int length = i2d_X509(cert, &der);
  if (length <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

}  // namespace

// While the upstream works, the order is looked at again soon (its Retry-After, else two
// seconds), not on the job runner's backoff, which doubles from five seconds.
Status OrderService::Impl::AdvanceUpstreamLater(const std::string& order_id, int seconds) {
  return AdvanceUpstreamLaterAt(order_id, std::clamp(seconds, 1, 60));
}

Status OrderService::Impl::AdvanceUpstreamLaterAt(const std::string& order_id, int seconds) {
  auto job =
      storage.EnqueueJob("order.advance", EncodeJobPayload({{"id", order_id}}),
                         clock.Now() + std::chrono::seconds(std::clamp(seconds, 1, 3600)), 50);
  return job.status();
}

Status OrderService::Impl::FailUpstream(sa::Order o, const std::string& reason,
                                        const sa::Actor& actor) {
  o.dcv_status = core::DcvStatus::kFailed;
  SIGNET_ASSIGN_OR_RETURN(
      std::vector<sa::NewJob> announce,
      Announcement(o, "order.failed", "The certificate authority refused the order",
                   "The brand's certificate authority refused the order: " + reason +
                       "\nCorrect what it names and place a new order."));
  auto updated = storage.UpdateOrder(o, core::OrderStatus::kProcessing,
                                     Event(actor, "upstream.failed", reason), actor, {}, announce);
  if (!updated.ok() && updated.status().reason() != "status_changed") return updated.status();
  return Status::Ok();
}

Status OrderService::Impl::AdvanceUpstream(sa::Order o, const Product& product,
                                           const sa::Actor& actor) {
  if (o.dcv_status == core::DcvStatus::kFailed) return Status::Ok();  // ended; a new order
  if (upstream_clients == nullptr) return InternalError("no upstream CA clients are set up");
  auto client_or = upstream_clients->For(*product.upstream, o.account_id);
  if (!client_or.ok()) {
    if (IsFinal(client_or.status())) return FailUpstream(o, client_or.status().message(), actor);
    (void)storage.AppendOrderEvent(
        {"", o.id, {}, "system", "upstream.unavailable", client_or.status().message()});
    return client_or.status();
  }
  upstream::AcmeClient& client = **client_or;
  core::Application& app = o.application;
  std::vector<std::string> names;
  for (const auto& n : CertificateNames(app)) names.push_back(n.name);

  // 1. The order at the upstream, placed once (a crash before its URL is stored places another,
  // which the upstream lets expire).
  if (o.upstream_order_url.empty()) {
    // A renewal names what it replaces (RFC 9773 section 5), to CAs that offer ARI.
    std::string replaces;
    auto directory = client.Directory();
    if (!o.continues_certificate_id.empty() && directory.ok() && !directory->renewal_info.empty()) {
      auto predecessor = storage.GetManagedCertificate(o.account_id, o.continues_certificate_id);
      auto der = predecessor.ok() ? Base64Decode(predecessor->der_base64) : std::nullopt;
      auto facts = der ? ca::ReadCertificateDer(std::string(der->begin(), der->end()))
                       : Result<ca::CertificateFacts>(InternalError("no predecessor"));
      if (facts.ok()) replaces = facts->ari_id;
    }
    int retry_after = 0;
    auto placed = client.NewOrder(names, product.upstream->profile, replaces, &retry_after);
    if (!placed.ok()) {
      if (IsFinal(placed.status())) return FailUpstream(o, placed.status().message(), actor);
      if (placed.status().reason() == "rateLimited" && retry_after > 0) {
        // The CA said when: come back then (at most an hour later; the job's backoff beyond).
        (void)storage.AppendOrderEvent(
            {"", o.id, {}, "system", "upstream.rate_limited", placed.status().message()});
        SIGNET_RETURN_IF_ERROR(AdvanceUpstreamLaterAt(o.id, retry_after));
        return Status::Ok();
      }
      return placed.status();
    }
    SIGNET_ASSIGN_OR_RETURN(o.upstream_order_url, storage.SetOrderUpstreamUrl(o.id, placed->url));
    (void)storage.AppendOrderEvent(
        {"",
         o.id,
         {},
         "system",
         "upstream.ordered",
         "order " + o.upstream_order_url + (replaces.empty() ? "" : ", replacing " + replaces)});
  }
  auto fetched = client.GetOrder(o.upstream_order_url);
  if (!fetched.ok()) return fetched.status();
  upstream::UpstreamOrder uo = *fetched;

  // 2. Its authorizations: a validation for each pending one, answered when Signet sees it.
  if (uo.status == "pending") {
    bool answered = false;
    SIGNET_ASSIGN_OR_RETURN(auto links, storage.ListOrderValidations(o.id));
    std::map<std::string, std::string> linked(links.begin(), links.end());
    std::string method = app.Method();
    for (const std::string& url : uo.authorizations) {
      SIGNET_ASSIGN_OR_RETURN(upstream::UpstreamAuthorization a, client.GetAuthorization(url));
      if (a.status == "valid") continue;
      if (a.status != "pending") {
        return FailUpstream(
            o, a.identifier + ": " + (a.error.empty() ? "authorization " + a.status : a.error),
            actor);
      }
      const upstream::UpstreamChallenge* ch = a.Find(ChallengeType(method));
      if (ch == nullptr) {
        return FailUpstream(o,
                            a.identifier + ": the CA offers no " + ChallengeType(method) +
                                " challenge for it; order again with another validation method",
                            actor);
      }
      std::string key = (a.wildcard ? "*." : "") + a.identifier;
      auto found = linked.find(key);
      if (found == linked.end()) {
        UpstreamChallengeInput in{
            ch->url, a.url, ch->token,
            method == "file" ? client.KeyAuthorization(ch->token) : client.Dns01Value(ch->token)};
        SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation v,
                                StartValidation(o, app, key, method, actor, in));
        SIGNET_RETURN_IF_ERROR(storage.LinkOrderValidation(o.id, key, v.id));
        continue;
      }
      SIGNET_ASSIGN_OR_RETURN(sa::DomainValidation v,
                              storage.GetDomainValidation(o.account_id, found->second));
      if (v.status == core::ValidationStatus::kValid && ch->status == "pending") {
        Status responded = client.RespondToChallenge(ch->url);
        if (!responded.ok()) {
          // Another worker (the advance job and a "check now" at once) answered it first: the
          // upstream then refuses a second answer, which is no failure.
          auto again = client.GetAuthorization(url);
          const upstream::UpstreamChallenge* now =
              again.ok() ? again->Find(ChallengeType(method)) : nullptr;
          if (now == nullptr || now->status == "pending") return responded;
        }
        answered = true;
        (void)storage.AppendOrderEvent(
            {"", o.id, {}, "system", "upstream.challenge_answered", key + ": " + ch->type});
      } else if (ch->status == "processing") {
        answered = true;
      } else if (IsStopped(v, clock.Now())) {
        return FailUpstream(
            o, key + ": " + (v.last_error.empty() ? "validation stopped" : v.last_error), actor);
      }
    }
    // Waiting for the applicant: each validation's change brings the order back here.
    return answered ? AdvanceUpstreamLater(o.id, uo.retry_after_seconds) : Status::Ok();
  }
  // 3. Finalize with the order's key.
  if (uo.status == "ready") {
    std::string csr_der;
    if (!o.csr_pem.empty()) {
      BioPtr bio(BIO_new_mem_buf(o.csr_pem.data(), static_cast<int>(o.csr_pem.size())));
      std::unique_ptr<X509_REQ, OpenSslFree> req(
          PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
      unsigned char* der = nullptr;
      int length = req ? i2d_X509_REQ(req.get(), &der) : 0;
      if (length <= 0) return InternalError("the order's CSR is unreadable");
      csr_der.assign(reinterpret_cast<char*>(der), static_cast<size_t>(length));
      OPENSSL_free(der);
    } else {
      SIGNET_ASSIGN_OR_RETURN(std::string key_pem, vault.Unseal(o.sealed_private_key, o.id));
      SIGNET_ASSIGN_OR_RETURN(csr_der, upstream::CsrDer(key_pem, names));
    }
    auto finalized = client.Finalize(uo.finalize, csr_der);
    if (!finalized.ok()) {
      if (IsFinal(finalized.status())) return FailUpstream(o, finalized.status().message(), actor);
      return finalized.status();
    }
    (void)storage.AppendOrderEvent({"", o.id, {}, "system", "upstream.finalized", ""});
    uo = *finalized;
  }
  if (uo.status == "processing" || uo.status == "ready") {
    return AdvanceUpstreamLater(o.id, uo.retry_after_seconds);
  }
  if (uo.status != "valid") {
    // Name the authorization that failed, when one did: that is what the applicant fixes.
    std::string reason = uo.error.empty() ? "the order is " + uo.status : uo.error;
    for (const std::string& url : uo.authorizations) {
      auto a = client.GetAuthorization(url);
      if (a.ok() && a->status == "invalid") {
        reason = a->identifier + ": " + (a->error.empty() ? reason : a->error);
        break;
      }
    }
    return FailUpstream(o, reason, actor);
  }

  // 4. The certificate and its chains, stored like any other, in the order's lineage.
  SIGNET_ASSIGN_OR_RETURN(std::vector<std::string> chains, client.DownloadChains(uo.certificate));
  SIGNET_ASSIGN_OR_RETURN(std::vector<X509Ptr> certs, pem::ReadCertificates(chains.front()));
  if (certs.empty()) return InternalError("the upstream's chain holds no certificate");
  SIGNET_ASSIGN_OR_RETURN(ca::CertificateFacts leaf, ca::ReadCertificateDer(DerOf(certs[0].get())));
  std::string chain_pem;
  size_t leaf_end = chains.front().find("-----END CERTIFICATE-----");
  if (leaf_end != std::string::npos) {
    size_t next = chains.front().find("-----BEGIN", leaf_end);
    if (next != std::string::npos) chain_pem = chains.front().substr(next);
  }
  o.status = core::OrderStatus::kIssued;
  o.dcv_status = core::DcvStatus::kValid;
  o.certificate_serial = leaf.serial_hex;
  o.issued_at = clock.Now();
  sa::ManagedCertificate tracked;
  tracked.id = leaf.serial_hex;  // as an order's certificate_id names it
  tracked.account_id = o.account_id;
  tracked.source = core::CertificateSource::kUpstream;
  tracked.order_id = o.id;
  tracked.serial_hex = leaf.serial_hex;
  tracked.der_base64 =
      Base64Encode({reinterpret_cast<const uint8_t*>(leaf.der.data()), leaf.der.size()});
  tracked.chain_pem = chain_pem;
  tracked.names = [&] {
    std::string joined;
    for (const auto& n : leaf.names) joined += (joined.empty() ? "" : ",") + n;
    return joined;
  }();
  tracked.issuer_name = leaf.issuer;
  tracked.not_before = leaf.not_before;
  tracked.not_after = leaf.not_after;
  tracked.lineage_id = o.lineage_id.empty() ? o.id : o.lineage_id;
  if (!o.sealed_private_key.empty()) {
    // Downloads of non-Signet certificates open the key under the certificate's id.
    SIGNET_ASSIGN_OR_RETURN(std::string key_pem, vault.Unseal(o.sealed_private_key, o.id));
    tracked.sealed_private_key = vault.Seal(key_pem, tracked.id);
  }
  SIGNET_ASSIGN_OR_RETURN(
      std::vector<sa::NewJob> announce,
      Announcement(o, "order.issued", "Your certificate is issued",
                   notify::CertificateIssuedText(notify::Links(options.public_url), o.names,
                                                 leaf.serial_hex, leaf.not_after)));
  auto updated = storage.MarkOrderIssued(
      o, Event(actor, "issued", "serial " + leaf.serial_hex + " by " + leaf.issuer), tracked, actor,
      announce);
  if (!updated.ok() && updated.status().reason() != "status_changed") return updated.status();
  return Status::Ok();
}

Status OrderService::RevokeAtUpstream(const sa::ManagedCertificate& m, int reason) {
  SIGNET_ASSIGN_OR_RETURN(sa::Order o, impl_->storage.GetOrder(m.account_id, m.order_id));
  SIGNET_ASSIGN_OR_RETURN(const Product* product, impl_->ProductOf(o));
  if (!product->upstream) {
    return InternalError("the product " + product->id + " of order " + o.id +
                         " has no upstream CA any more: revoke the certificate at its CA");
  }
  if (impl_->upstream_clients == nullptr) return InternalError("no upstream CA clients");
  SIGNET_ASSIGN_OR_RETURN(auto client,
                          impl_->upstream_clients->For(*product->upstream, m.account_id));
  auto der = Base64Decode(m.der_base64);
  if (!der) return InternalError("the stored certificate " + m.id + " is unreadable");
  Status revoked = client->Revoke(std::string(der->begin(), der->end()), reason);
  // Revoked before (by an earlier attempt that was not recorded): the CA says so.
  if (!revoked.ok() && revoked.reason() == "alreadyRevoked") return Status::Ok();
  return revoked;
}

Result<int> OrderService::RenewUpstreamCertificates() {
  if (impl_->upstream_clients == nullptr) return 0;
  TimePoint now = impl_->clock.Now();
  SIGNET_ASSIGN_OR_RETURN(auto certificates,
                          impl_->storage.ListRenewableUpstreamCertificates(now, 1000));
  int started = 0;
  for (const sa::ManagedCertificate& m : certificates) {
    SIGNET_ASSIGN_OR_RETURN(auto successor, impl_->storage.FindOrderContinuing(m.id));
    if (successor) continue;  // renewed already (or being renewed)
    auto order = impl_->storage.GetOrder(m.account_id, m.order_id);
    if (!order.ok()) continue;
    const Product* product = impl_->products.Find(order->product_id);
    if (product == nullptr || !product->upstream) continue;
    TimePoint due = m.not_before + (m.not_after - m.not_before) * 2 / 3;
    auto client = impl_->upstream_clients->For(*product->upstream, m.account_id);
    if (client.ok()) {
      auto der = Base64Decode(m.der_base64);
      auto window = der ? (*client)->RenewalInfo(std::string(der->begin(), der->end()))
                        : Result<upstream::RenewalWindow>(InternalError("unreadable"));
      if (window.ok()) due = window->start;
    }
    if (now < due) continue;
    const sa::Actor system{"system", m.account_id, "system", ""};
    auto renewal = ContinueCertificate(m.account_id, m.id, m.order_id, "upstream.renewal", system);
    if (!renewal.ok()) {
      log::Warn("renewing an upstream certificate failed",
                {{"certificate", m.id}, {"error", renewal.status().message()}});
      continue;
    }
    ++started;
  }
  return started;
}

Result<std::vector<OrderService::UpstreamHealth>> OrderService::CheckUpstreams() {
  std::vector<UpstreamHealth> out;
  std::map<std::string, size_t> seen;  // directory + kid -> index
  for (const Product& p : impl_->products.all()) {
    if (!p.upstream) continue;
    std::string key = p.upstream->acme_directory + "\n" + p.upstream->eab_kid;
    if (auto it = seen.find(key); it != seen.end()) {
      out[it->second].products.push_back(p.id);
      continue;
    }
    seen[key] = out.size();
    UpstreamHealth h;
    h.acme_directory = p.upstream->acme_directory;
    h.products.push_back(p.id);
    if (impl_->upstream_clients == nullptr) {
      h.error = "no upstream clients";
      out.push_back(std::move(h));
      continue;
    }
    auto client = impl_->upstream_clients->For(*p.upstream);
    if (!client.ok()) {
      h.error = client.status().message();
    } else {
      auto directory = (*client)->Directory(/*refresh=*/true);
      if (directory.ok()) {
        h.reachable = true;
        h.external_account_required = directory->external_account_required;
        h.renewal_info = !directory->renewal_info.empty();
        h.profiles = directory->profiles;
      } else {
        h.error = directory.status().message();
      }
      h.account_url = (*client)->account_url();
    }
    out.push_back(std::move(h));
  }
  return out;
}

namespace {

Result<const Product*> BrandProduct(const ProductCatalog& products, const std::string& id) {
  const Product* p = products.Find(id);
  if (p == nullptr) return NotFoundError("no product " + id);
  if (!p->upstream) {
    return MalformedError("the product " + id +
                              " is issued by Signet's own CA, which needs no "
                              "external account binding",
                          "not_a_brand");
  }
  return p;
}

}  // namespace

Status OrderService::SetUpstreamEab(const std::string& account_id, const std::string& product_id,
                                    const std::string& eab_kid, const std::string& eab_hmac_key,
                                    const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(const Product* p, BrandProduct(impl_->products, product_id));
  if (eab_kid.empty() || eab_kid.size() > 200) {
    return MalformedError("'eab_kid' must be the key id the CA gave you", "invalid_field");
  }
  auto key = Base64UrlDecode(eab_hmac_key);
  if (!key || key->size() < 16) {
    return MalformedError(
        "'eab_hmac_key' must be the HMAC key the CA gave you, base64url as its console shows it",
        "invalid_field");
  }
  if (impl_->upstream_clients == nullptr) return InternalError("no upstream CA clients");
  return impl_->upstream_clients->PutApplicantEab(account_id, product_id, *p->upstream, eab_kid,
                                                  eab_hmac_key, actor);
}

Result<std::vector<sa::UpstreamEabCredential>> OrderService::ListUpstreamEab(
    const std::string& account_id) {
  return impl_->storage.ListUpstreamEabCredentials(account_id);
}

Status OrderService::DeleteUpstreamEab(const std::string& account_id, const std::string& product_id,
                                       const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(const Product* p, BrandProduct(impl_->products, product_id));
  return impl_->storage.DeleteUpstreamEabCredential(account_id, p->upstream->acme_directory, actor);
}

}  // namespace signet::ra

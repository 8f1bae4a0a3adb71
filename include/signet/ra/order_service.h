// OrderService: the applicant's and reviewer's journey (PRODUCT.md, "The applicant's journey").
// An order is bought for a product, its application is completed (and may be saved as a draft),
// then submitted: domain validation and, for OV/EV, organization review run side by side, and
// the certificate is issued only when both have passed. Every step is on the order's timeline,
// and the applicant is notified (email and webhook, through the durable outbox).
//
// Thread-safety: all methods may be called from many threads at once; state changes are
// compare-and-set in storage, so concurrent workers never move one order twice.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/status.h"
#include "signet/core/application.h"
#include "signet/ra/domain_validation_service.h"
#include "signet/ra/product_catalog.h"
#include "signet/sa/storage.h"

namespace signet {
class KeyVault;
}  // namespace signet
namespace signet::ca {
class CertificateAuthority;
class CaHierarchy;
using KeyVault = signet::KeyVault;  // common/key_vault.h
}  // namespace signet::ca
namespace signet::notify {
class Notifier;
}
namespace signet::va {
class NamePolicy;
}

namespace signet::upstream {
class UpstreamClients;
}  // namespace signet::upstream

namespace signet::ra {

struct OrderOptions {
  std::string data_dir;  // attachments live in <data_dir>/attachments
  size_t max_attachment_bytes = 5 * 1024 * 1024;
  std::string public_url;
};

// One validation an order waits for: the name it was made for, and the certificate names it
// proves (its own, and names below it the order asked for without a validation of their own).
struct OrderValidation {
  std::string domain;
  ValidationView validation;
  std::vector<std::string> covers;
};

// One line of the order's timeline. People of the order's account are named by their membership
// id and email ("alice@x did this"); anyone else (staff, "system") as stored.
struct TimelineEntry {
  TimePoint at;
  std::string event;
  std::string actor;
  std::string actor_email;  // empty when not a person of the account
  std::string detail;
};

struct OrderView {
  sa::Order order;
  const Product* product = nullptr;  // null when the catalog no longer has it
  std::vector<std::string> names;    // what the certificate carries (after submission)
  std::vector<OrderValidation> validations;
  std::vector<TimelineEntry> timeline;
  std::vector<sa::Attachment> attachments;
};

class OrderService {
 public:
  OrderService(sa::Storage& storage, const ProductCatalog& products, const va::NamePolicy& names,
               DomainValidationService& validations, ca::CertificateAuthority& authority,
               const ca::CaHierarchy& hierarchy, const ca::KeyVault& vault,
               notify::Notifier& notifier, const Clock& clock, Random& random,
               OrderOptions options);
  ~OrderService();

  // The accounts at the brands' upstream CAs (docs/BRANDS.md); products with an "upstream" are
  // ordered from them. Set once, at start, before any order is processed.
  void SetUpstreamClients(upstream::UpstreamClients* clients);
  // Revokes a certificate of source upstream at the CA that issued it (revokeCert with `reason`,
  // a CRL reason code), through the account of its order's brand.
  Status RevokeAtUpstream(const sa::ManagedCertificate& certificate, int reason);
  // The scheduled renewal of upstream certificates: each one whose time has come — the start
  // of the upstream's ARI window where it offers one, else two thirds of its lifetime — gets
  // its successor order once (ContinueCertificate), submitted with the same application; its
  // order at the upstream names the predecessor in `replaces` when the CA offers ARI. Returns
  // how many renewals were started.
  Result<int> RenewUpstreamCertificates();

  // How each upstream CA of the catalog is doing, for operators: its directory fetched now.
  struct UpstreamHealth {
    std::string acme_directory;
    std::vector<std::string> products;
    bool reachable = false;
    std::string error;  // why not reachable, or why no account could be made
    std::string account_url;
    bool external_account_required = false;
    bool renewal_info = false;  // offers ARI
    std::vector<std::string> profiles;
  };
  Result<std::vector<UpstreamHealth>> CheckUpstreams();

  // An applicant account's own external account binding for the CA of a brand product (CAs that
  // bind each customer): its orders of that CA's brands use an account made with it. The HMAC
  // key is sealed and never shown again.
  Status SetUpstreamEab(const std::string& account_id, const std::string& product_id,
                        const std::string& eab_kid, const std::string& eab_hmac_key,
                        const sa::Actor& actor);
  Result<std::vector<sa::UpstreamEabCredential>> ListUpstreamEab(const std::string& account_id);
  Status DeleteUpstreamEab(const std::string& account_id, const std::string& product_id,
                           const sa::Actor& actor);

  Result<sa::Order> Create(const std::string& account_id, const std::string& product_id,
                           const sa::Actor& actor);
  // Replaces the application (see docs/ORDERS.md) with `input` as the applicant gave it; it is
  // checked, completed and its secrets sealed. Allowed while the order is pending_information or
  // review_failed; after submission names and key cannot change.
  Result<sa::Order> PutApplication(const std::string& account_id, const std::string& order_id,
                                   const core::Application& input, const sa::Actor& actor);
  Result<sa::Order> Submit(const std::string& account_id, const std::string& order_id,
                           const sa::Actor& actor);
  Result<sa::Order> Resubmit(const std::string& account_id, const std::string& order_id,
                             const sa::Actor& actor);
  Result<sa::Order> Cancel(const std::string& account_id, const std::string& order_id,
                           const sa::Actor& actor);
  // Checks every pending validation of the order now, then advances it.
  Result<sa::Order> CheckValidations(const std::string& account_id, const std::string& order_id,
                                     const sa::Actor& actor);
  // Starts a stopped validation of the order again: a validation that expired (its random value
  // is older than BR 3.2.2.4 allows) or failed is replaced by a new one of the same name and the
  // order's method, with a new random value; the order waits for it. 409 validation_not_stopped
  // for a validation still pending or valid.
  Result<sa::Order> RestartValidation(const std::string& account_id, const std::string& order_id,
                                      const std::string& validation_id, const sa::Actor& actor);
  // kind: confirmation_letter, application_form, service_agreement, business_license,
  // id_card_front, id_card_back, revocation_letter. JPG, PNG or PDF, by content.
  Result<sa::Attachment> AddAttachment(const std::string& account_id, const std::string& order_id,
                                       const std::string& kind, const std::string& content,
                                       const sa::Actor& actor);
  // The stored bytes of an attachment (account_id empty: staff).
  Result<std::string> AttachmentContent(const std::string& account_id, const std::string& order_id,
                                        const std::string& attachment_id,
                                        std::string* content_type);
  // Reviewers: approve or reject (with a reason the applicant sees). `checks_detail` says what
  // the reviewer confirmed, as the front end words it for the timeline (the approval's detail).
  Result<sa::Order> Review(const std::string& order_id, const std::string& decision,
                           const std::string& reason, const std::string& checks_detail,
                           const sa::Actor& actor);

  // A new order from an existing one: same product and application (secrets carried over),
  // optionally with another key (none keeps the choice), submitted at once when `submit`.
  // `event` goes on both timelines.
  Result<sa::Order> CreateFromOrder(const std::string& account_id, const std::string& source_id,
                                    const std::optional<core::KeyChoice>& key, bool submit,
                                    const std::string& event, const sa::Actor& actor);
  // The order that continues certificate `certificate_id` (issued by `source_id`): the next
  // certificate of its term or its automatic renewal, created, filled and submitted. At most one
  // per certificate, and resumable: after a crash at any step (or on another node) a second call
  // finishes the same order instead of losing it or starting another.
  Result<sa::Order> ContinueCertificate(const std::string& account_id,
                                        const std::string& certificate_id,
                                        const std::string& source_id, const std::string& event,
                                        const sa::Actor& actor);
  // Merges untouched orders of the same type, brand and term: the first is kept with the summed
  // allowance of common and wildcard names, the others are closed (PRODUCT.md, merge).
  Result<sa::Order> Merge(const std::string& account_id, const std::vector<std::string>& order_ids,
                          const sa::Actor& actor);
  // ACME (RFC 8555): an order for exactly `names` (nothing added), whose key arrives with the
  // CSR at finalize. The names were checked by the ACME layer against the name policy.
  // `acme` is stored with the order, in one transaction. OV products take the saved
  // organization and administrator (ids of the account's profiles).
  Result<sa::Order> CreateAcme(const std::string& account_id, const std::string& product_id,
                               const std::vector<std::string>& names,
                               const std::string& organization_id,
                               const std::string& administrator_id, const sa::AcmeOrderRows& acme,
                               const sa::Actor& actor);
  // Finalize: the CSR's key becomes the certificate's, the order is submitted, and when its
  // validations are valid it is issued before this returns (else the advance job issues it).
  // `csr_spki_der` is the CSR's key as the caller parsed and checked it (so it is not parsed
  // twice on the request).
  Result<sa::Order> FinalizeAcme(const std::string& account_id, const std::string& order_id,
                                 const std::string& csr_pem,
                                 const std::vector<uint8_t>& csr_spki_der, const sa::Actor& actor);

  // Job "order.advance" (payload {"id"}): moves a processing order on (DCV state, issuance).
  Status RunAdvanceJob(const std::string& payload);
  // Called when a validation changes: queues the orders waiting for it.
  void OnValidationChanged(const std::string& validation_id);
  // Moves on every order that is `processing` and was last changed at least `idle` ago: the
  // order row is the durable record of work to do, so an order whose inline issuance or queued
  // job was lost to a crash (kill -9 after the state change, before the job was stored) is
  // finished here, at start and periodically, by whichever node runs it. Advancing is a
  // compare-and-set, so two nodes doing this at once issue one certificate. Returns how many
  // orders were looked at.
  Result<int> ResumeProcessing(std::chrono::seconds idle);
  // The order with what the applicant needs to see: its validations (and which names each
  // stands for), its timeline (people named) and its attachments.
  Result<OrderView> View(const sa::Order& order);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signet::ra

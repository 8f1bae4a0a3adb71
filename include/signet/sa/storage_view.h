// StorageView: the read-only view of storage that the web front end holds (as Boulder's WFE holds
// only a StorageAuthorityReadOnly client). It forwards the reads wfe needs and offers no method
// that writes, so every change a request makes goes through ra, accounts or notify, which hold
// the writable interface. Add a read here when a handler needs one; never a write.
//
// Thread-safety: as the wrapped Storage (safe from many threads; calls block).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "signet/sa/storage.h"

namespace signet::sa {

class StorageView {
 public:
  explicit StorageView(Storage& storage) : s_(storage) {}

  std::string Backend() const { return s_.Backend(); }
  Status Ping() const { return s_.Ping(); }

  Result<Account> GetAccount(const std::string& id) const { return s_.GetAccount(id); }
  Result<Account> GetAccountByName(const std::string& name) const {
    return s_.GetAccountByName(name);
  }
  Result<User> GetUser(const std::string& id) const { return s_.GetUser(id); }
  Result<Membership> GetMembership(const std::string& user_id,
                                   const std::string& account_id) const {
    return s_.GetMembership(user_id, account_id);
  }
  Result<Membership> GetMembershipById(const std::string& account_id, const std::string& id) const {
    return s_.GetMembershipById(account_id, id);
  }
  Result<Page<Membership>> ListMembers(const std::string& account_id,
                                       const PageRequest& page) const {
    return s_.ListMembers(account_id, page);
  }
  Result<Page<ApiKey>> ListApiKeys(const std::string& account_id, const std::string& user_id,
                                   const PageRequest& page) const {
    return s_.ListApiKeys(account_id, user_id, page);
  }

  Result<Organization> GetOrganization(const std::string& account_id, const std::string& id) const {
    return s_.GetOrganization(account_id, id);
  }
  Result<Page<Organization>> ListOrganizations(const std::string& account_id,
                                               const PageRequest& page) const {
    return s_.ListOrganizations(account_id, page);
  }
  Result<Administrator> GetAdministrator(const std::string& account_id,
                                         const std::string& id) const {
    return s_.GetAdministrator(account_id, id);
  }
  Result<Page<Administrator>> ListAdministrators(const std::string& account_id,
                                                 const PageRequest& page) const {
    return s_.ListAdministrators(account_id, page);
  }

  Result<Page<AuditEvent>> ListAuditEvents(const std::string& account_id,
                                           const PageRequest& page) const {
    return s_.ListAuditEvents(account_id, page);
  }
  Result<Page<Job>> ListJobs(std::optional<JobState> state, const PageRequest& page) const {
    return s_.ListJobs(state, page);
  }
  Result<CrlRecord> GetCrl(const std::string& issuer, int shard) const {
    return s_.GetCrl(issuer, shard);
  }

  Result<DomainValidation> GetDomainValidation(const std::string& account_id,
                                               const std::string& id) const {
    return s_.GetDomainValidation(account_id, id);
  }
  Result<Page<DomainValidation>> ListDomainValidations(const std::string& account_id,
                                                       const std::string& domain,
                                                       const PageRequest& page) const {
    return s_.ListDomainValidations(account_id, domain, page);
  }
  Result<Page<ValidationAttempt>> ListValidationAttempts(const std::string& account_id,
                                                         const std::string& validation_id,
                                                         const PageRequest& page) const {
    return s_.ListValidationAttempts(account_id, validation_id, page);
  }

  Result<Order> GetOrder(const std::string& account_id, const std::string& id) const {
    return s_.GetOrder(account_id, id);
  }
  Result<Page<Order>> ListOrders(const std::string& account_id, const OrderFilter& filter,
                                 const PageRequest& page) const {
    return s_.ListOrders(account_id, filter, page);
  }
  Result<std::vector<Attachment>> ListAttachments(const std::string& order_id) const {
    return s_.ListAttachments(order_id);
  }

  Result<std::vector<NotificationChannel>> ListNotificationChannels(
      const std::string& account_id) const {
    return s_.ListNotificationChannels(account_id);
  }

  Result<AcmeAccount> GetAcmeAccount(const std::string& id) const { return s_.GetAcmeAccount(id); }
  Result<AcmeAccount> GetAcmeAccountByThumbprint(const std::string& thumbprint) const {
    return s_.GetAcmeAccountByThumbprint(thumbprint);
  }

 private:
  Storage& s_;
};

}  // namespace signet::sa

// SavedParties: an account's saved organizations and administrators (the applicant's company and
// contact person), reused across OV/EV orders. The write side of those profiles: the web front
// end reads them through sa::StorageView and changes them only here.
//
// Thread-safety: safe from many threads (storage is); calls block.
#pragma once

#include <string>

#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet::ra {

class SavedParties {
 public:
  SavedParties(sa::OrganizationStore& organizations, sa::AdministratorStore& administrators)
      : organizations_(organizations), administrators_(administrators) {}

  Result<sa::Organization> AddOrganization(const sa::Organization& org, const sa::Actor& actor) {
    return organizations_.CreateOrganization(org, actor);
  }
  Result<sa::Organization> ReplaceOrganization(const sa::Organization& org,
                                               const sa::Actor& actor) {
    return organizations_.UpdateOrganization(org, actor);
  }
  Status RemoveOrganization(const std::string& account_id, const std::string& id,
                            const sa::Actor& actor) {
    return organizations_.DeleteOrganization(account_id, id, actor);
  }

  Result<sa::Administrator> AddAdministrator(const sa::Administrator& a, const sa::Actor& actor) {
    return administrators_.CreateAdministrator(a, actor);
  }
  Result<sa::Administrator> ReplaceAdministrator(const sa::Administrator& a,
                                                 const sa::Actor& actor) {
    return administrators_.UpdateAdministrator(a, actor);
  }
  Status RemoveAdministrator(const std::string& account_id, const std::string& id,
                             const sa::Actor& actor) {
    return administrators_.DeleteAdministrator(account_id, id, actor);
  }

 private:
  sa::OrganizationStore& organizations_;
  sa::AdministratorStore& administrators_;
};

}  // namespace signet::ra

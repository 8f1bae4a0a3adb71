// AccountService: applicant accounts, users and their roles, API keys and console sessions.
// Decides who a caller is (authentication); routes decide what they may do with it.
//
// Thread-safety: safe to call from many threads; every call blocks on storage (and password
// hashing), so event-loop callers must run it on the blocking pool.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "signet/accounts/password_hash.h"
#include "signet/common/clock.h"
#include "signet/common/random.h"
#include "signet/common/status.h"
#include "signet/sa/storage.h"

namespace signet::accounts {

// The authenticated caller of a request.
struct Principal {
  std::string user_id;
  std::string account_id;
  std::string email;
  sa::Role role = sa::Role::kMember;
  enum class Via { kApiKey, kSession } via = Via::kApiKey;
  std::string api_key_id;  // when via API key
  std::string csrf_token;  // when via session: unsafe methods must echo it in X-CSRF-Token
};

struct IssuedApiKey {
  sa::ApiKey key;
  std::string secret;  // shown once; only its hash is stored
};

struct LoginResult {
  Principal principal;
  std::string session_token;  // the cookie value; only its hash is stored
  sa::Session session;
};

struct InitialAdmin {
  sa::User user;
  std::string password;
  std::string api_key;
};

struct AccountServiceOptions {
  std::chrono::seconds session_lifetime = std::chrono::hours(12);
  // last_used_at is written at most this often per key, so reads do not each cause a write.
  std::chrono::seconds api_key_touch_interval = std::chrono::seconds(60);
  ScryptParams password_params;
};

// The account that staff users (reviewers, admins) belong to when none is given.
inline constexpr char kStaffAccountName[] = "staff";
inline constexpr char kInitialAdminEmail[] = "admin@signet.local";

class AccountService {
 public:
  AccountService(sa::Storage& storage, const Clock& clock, Random& random,
                 AccountServiceOptions options = {});

  // Owners and members join `account_name` (created if missing, required); staff default to the
  // staff account. An empty password means the user can only use API keys.
  Result<sa::User> CreateUser(const std::string& email, const std::string& role,
                              const std::string& account_name, const std::string& password,
                              const sa::Actor& actor);
  Result<IssuedApiKey> CreateApiKey(const std::string& user_id, const std::string& name,
                                    const sa::Actor& actor);
  Result<IssuedApiKey> CreateApiKeyForEmail(const std::string& email, const std::string& name,
                                            const sa::Actor& actor);

  Result<Principal> AuthenticateApiKey(const std::string& secret);
  Result<LoginResult> Login(const std::string& email, const std::string& password,
                            const sa::Actor& actor);
  Result<Principal> AuthenticateSession(const std::string& session_token);
  Status Logout(const std::string& session_token, const sa::Actor& actor);

  // On first start: creates admin@signet.local with a random password and API key, once.
  // Returns nullopt when an initial admin already exists.
  Result<std::optional<InitialAdmin>> EnsureInitialAdmin();

 private:
  Result<Principal> PrincipalFor(const std::string& user_id);

  sa::Storage& storage_;
  const Clock& clock_;
  Random& random_;
  AccountServiceOptions options_;
  std::string dummy_password_hash_;  // verified against when the email is unknown, for timing
};

// Lower-cases and checks the shape of an email address; the error says what is wrong.
Result<std::string> NormalizeEmail(const std::string& email);

}  // namespace signet::accounts

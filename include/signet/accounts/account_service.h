// AccountService: people, their memberships of accounts (role and status), invitations, API keys
// and console sessions. Decides who a caller is and in which account they act (authentication);
// routes decide what they may do with it.
//
// A person (sa::User) is one email address with one password across the service; they act in
// one account at a time (a session or API key names it), with the role of their membership
// there. Owners never create logins or set passwords: they invite, and the invitation link goes
// only to the invitee's address, so an owner learns nothing about whether that address already
// uses Signet elsewhere (the answer and the list entry are the same either way).
//
// Thread-safety: safe to call from many threads; every call blocks on storage (and password
// hashing), so event-loop callers must run it on the blocking pool.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

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

// A new invitation: `token` goes into the link sent to the invitee (and is shown to admins);
// only its hash is stored.
struct Invitation {
  sa::Membership member;
  std::string token;
};

// What the holder of an invitation link sees before accepting.
struct InvitationView {
  sa::Membership member;
  std::string account_name;
  bool password_set = false;  // accepting asks for the existing password, else a new one
};

// A password reset link to send: `token` goes into the link, only its hash is stored.
struct PasswordResetLink {
  std::string email;
  std::string token;
  TimePoint expires_at;
};

// What the holder of a reset link sees before choosing a password.
struct PasswordResetView {
  std::string email;
  TimePoint expires_at;
};

// One of the person's browser sessions, as they see it in their list.
struct SessionInfo {
  std::string id;  // public: derived from the stored hash, never the cookie or its hash
  sa::Session session;
  bool current = false;
};

// One account the signed-in person may act in.
struct AccountChoice {
  std::string account_id;
  std::string name;
  sa::Role role = sa::Role::kMember;
};

struct InitialAdmin {
  sa::Membership user;
  std::string password;
  std::string api_key;
};

struct AccountServiceOptions {
  std::chrono::seconds session_lifetime = std::chrono::hours(12);
  // last_used_at is written at most this often per key, so reads do not each cause a write.
  std::chrono::seconds api_key_touch_interval = std::chrono::seconds(60);
  ScryptParams password_params;
  std::chrono::seconds invitation_lifetime = std::chrono::hours(24 * 7);
  std::chrono::seconds password_reset_lifetime = std::chrono::hours(1);
  // At most one reset email per person this often, so the form cannot flood a mailbox.
  std::chrono::seconds password_reset_interval = std::chrono::minutes(5);
};

// The account that staff users (reviewers, admins) belong to when none is given.
inline constexpr char kStaffAccountName[] = "staff";
inline constexpr char kInitialAdminEmail[] = "admin@signet.local";

class AccountService {
 public:
  AccountService(sa::Storage& storage, const Clock& clock, Random& random,
                 AccountServiceOptions options = {});

  // The operator's path (signetd admin create-user, admins giving a password): the person joins
  // `account_name` (created if missing; owners and members must name one, staff default to the
  // staff account) at once. A password is set only for a person without one; an empty password
  // means API keys only until they set one.
  Result<sa::Membership> CreateUser(const std::string& email, const std::string& role,
                                    const std::string& account_name, const std::string& password,
                                    const sa::Actor& actor);
  // Owners' and admins' path: an invited membership, whoever the email belongs to, with a token
  // valid for options.invitation_lifetime.
  Result<Invitation> Invite(const std::string& email, const std::string& role,
                            const std::string& account_id, const sa::Actor& actor);
  // A fresh token for a membership not yet accepted (invited, or withdrawn); the previous link
  // stops working.
  Result<Invitation> RenewInvitation(const std::string& user_id, const std::string& account_id,
                                     const sa::Actor& actor);
  // NotFound (invitation_invalid) for unknown, used, withdrawn or expired tokens alike.
  Result<InvitationView> LookUpInvitation(const std::string& token);
  // A new person chooses `password`; a person who has one proves it. Signs them in to the
  // invitation's account.
  Result<LoginResult> AcceptInvitation(const std::string& token, const std::string& password,
                                       const sa::Actor& actor);
  // Changes a member's role and/or status (active or disabled; disabling an invitation withdraws
  // it, and only a fresh invitation accepted makes it active: not_accepted). Refuses to leave an
  // account without an active owner (last_owner).
  Result<sa::Membership> UpdateMember(const std::string& user_id, const std::string& account_id,
                                      std::optional<sa::Role> role,
                                      std::optional<sa::MembershipStatus> status,
                                      const sa::Actor& actor);

  // Sets a person's password (12+ characters); their open sessions stay (the operator's tool for
  // a forgotten password).
  Status ResetPassword(const std::string& email, const std::string& password,
                       const sa::Actor& actor);

  // Self-service reset, step 1: a link for `email` when there is one to send (a known person,
  // with or without a password yet, and no link sent within options.password_reset_interval).
  // nullopt otherwise; the caller answers the same either way, so the form reveals nothing about
  // who exists.
  Result<std::optional<PasswordResetLink>> RequestPasswordReset(const std::string& email,
                                                                const sa::Actor& actor);
  // NotFound (reset_invalid) for unknown, used and expired tokens alike.
  Result<PasswordResetView> LookUpPasswordReset(const std::string& token);
  // Step 2: the new password (12+ characters); the link is used up and every session of the
  // person ends. Returns the person's email.
  Result<std::string> CompletePasswordReset(const std::string& token, const std::string& password,
                                            const sa::Actor& actor);

  // The person's browser sessions, newest first; `current_token` (the caller's cookie, may be
  // empty) marks theirs.
  Result<std::vector<SessionInfo>> ListSessions(const std::string& user_id,
                                                const std::string& current_token);
  // Ends one of the person's own sessions by its public id; NotFound for anyone else's.
  Status EndSession(const std::string& user_id, const std::string& session_id,
                    const sa::Actor& actor);

  Result<IssuedApiKey> CreateApiKey(const std::string& user_id, const std::string& account_id,
                                    const std::string& name, const sa::Actor& actor);
  Status RevokeApiKey(const std::string& account_id, const std::string& key_id,
                      const sa::Actor& actor);
  // `account_name` may be empty when the person belongs to one account only.
  Result<IssuedApiKey> CreateApiKeyForEmail(const std::string& email,
                                            const std::string& account_name,
                                            const std::string& name, const sa::Actor& actor);

  Result<Principal> AuthenticateApiKey(const std::string& secret);
  // Signs in to `account_id`, or when empty to the person's oldest active membership.
  Result<LoginResult> Login(const std::string& email, const std::string& password,
                            const std::string& account_id, const sa::Actor& actor);
  Result<Principal> AuthenticateSession(const std::string& session_token);
  // Moves the session to another account the person is an active member of.
  Result<Principal> SwitchAccount(const std::string& session_token, const std::string& account_id,
                                  const sa::Actor& actor);
  Status Logout(const std::string& session_token, const sa::Actor& actor);
  // The accounts the person may act in (active memberships), oldest first.
  Result<std::vector<AccountChoice>> AccountsOf(const std::string& user_id);

  // The id of the account named `account_name`; with `create`, the account is made when missing
  // (an admin inviting a new team's first owner, the operator's create-user).
  Result<std::string> AccountIdByName(const std::string& account_name, bool create,
                                      const sa::Actor& actor);

  // On first start: creates admin@signet.local with a random password and API key, once.
  // Returns nullopt when an initial admin already exists.
  Result<std::optional<InitialAdmin>> EnsureInitialAdmin();

 private:
  // The caller acting in `account_id`; Unauthorized unless the membership is active.
  Result<Principal> PrincipalFor(const std::string& user_id, const std::string& account_id);
  Result<LoginResult> StartSession(const std::string& user_id, const std::string& account_id,
                                   const sa::Actor& actor);

  sa::Storage& storage_;
  const Clock& clock_;
  Random& random_;
  AccountServiceOptions options_;
  std::string dummy_password_hash_;  // verified against when the email is unknown, for timing
};

// Lower-cases and checks the shape of an email address; the error says what is wrong.
Result<std::string> NormalizeEmail(const std::string& email);

}  // namespace signet::accounts

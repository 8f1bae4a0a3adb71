#include "signet/accounts/account_service.h"

#include <algorithm>
#include <cctype>

#include "signet/common/crypto.h"
#include "signet/common/log.h"

namespace signet::accounts {

namespace {

constexpr char kApiKeyPrefix[] = "sk_";
constexpr size_t kApiKeyRandomBytes = 32;  // 256 bits
constexpr size_t kMinPasswordLength = 12;

sa::Actor SystemActor() { return {"system", "", "system", ""}; }

}  // namespace

Result<std::string> NormalizeEmail(const std::string& email) {
  std::string e = email;
  std::transform(e.begin(), e.end(), e.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t at = e.find('@');
  if (e.empty() || e.size() > 254) {
    return MalformedError("email must be between 1 and 254 characters", "invalid_email");
  }
  if (at == std::string::npos || at == 0 || at != e.rfind('@') || at + 1 >= e.size() ||
      e.find('.', at) == std::string::npos || e.back() == '.') {
    return MalformedError("'" + email + "' is not an email address like name@example.com",
                          "invalid_email");
  }
  for (unsigned char c : e) {
    if (c <= 0x20 || c == 0x7f || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' ||
        c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') {
      return MalformedError("email contains a character that is not allowed", "invalid_email");
    }
  }
  return e;
}

AccountService::AccountService(sa::Storage& storage, const Clock& clock, Random& random,
                               AccountServiceOptions options)
    : storage_(storage), clock_(clock), random_(random), options_(options) {
  auto dummy = HashPassword(random_.Token(16), random_, options_.password_params);
  if (dummy.ok()) dummy_password_hash_ = *dummy;
}

Result<std::string> AccountService::AccountIdByName(const std::string& account_name, bool create,
                                                    const sa::Actor& actor) {
  if (account_name.size() > 100) {
    return MalformedError("account name is longer than 100 characters", "invalid_account");
  }
  auto existing = storage_.GetAccountByName(account_name);
  if (existing.ok()) return existing->id;
  if (existing.status().code() != ErrorCode::kNotFound) return existing.status();
  if (!create) return NotFoundError("no account named '" + account_name + "'");
  auto created = storage_.CreateAccount(account_name, actor);
  if (created.ok()) return created->id;
  if (created.status().reason() != "already_exists") return created.status();
  SIGNET_ASSIGN_OR_RETURN(sa::Account again, storage_.GetAccountByName(account_name));
  return again.id;
}

namespace {

Result<sa::Role> ParseRoleName(const std::string& role_name) {
  auto role = sa::ParseRole(role_name);
  if (!role) {
    return MalformedError(
        "role must be one of owner, member, reviewer, admin; got '" + role_name + "'",
        "invalid_role");
  }
  return *role;
}

Status CheckNewPassword(const std::string& password) {
  if (password.size() < kMinPasswordLength) {
    return MalformedError("password must have at least 12 characters", "weak_password");
  }
  return Status::Ok();
}

}  // namespace

Result<sa::Membership> AccountService::CreateUser(const std::string& email,
                                                  const std::string& role_name,
                                                  const std::string& account_name,
                                                  const std::string& password,
                                                  const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
  SIGNET_ASSIGN_OR_RETURN(sa::Role role, ParseRoleName(role_name));
  std::string account = account_name;
  if (account.empty()) {
    if (!sa::IsStaff(role)) {
      return MalformedError("owners and members belong to an applicant account: give --account",
                            "account_required");
    }
    account = kStaffAccountName;
  }
  if (!password.empty()) SIGNET_RETURN_IF_ERROR(CheckNewPassword(password));
  std::string password_hash;
  if (!password.empty()) {
    auto person = storage_.GetUserByEmail(normalized);
    if (person.ok() && !person->password_hash.empty()) {
      return ConflictError(normalized +
                               " already signs in with a password of their own; omit the " +
                               "password to add them to '" + account + "'",
                           "password_already_set");
    }
    if (!person.ok() && person.status().code() != ErrorCode::kNotFound) return person.status();
    SIGNET_ASSIGN_OR_RETURN(password_hash,
                            HashPassword(password, random_, options_.password_params));
  }
  SIGNET_ASSIGN_OR_RETURN(std::string account_id, AccountIdByName(account, true, actor));
  sa::Membership m;
  m.account_id = account_id;
  m.email = normalized;
  m.role = role;
  m.status = sa::MembershipStatus::kActive;
  m.invited_by = actor.user_id;
  return storage_.AddMember(m, password_hash, actor);
}

Result<Invitation> AccountService::Invite(const std::string& email, const std::string& role_name,
                                          const std::string& account_id, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
  SIGNET_ASSIGN_OR_RETURN(sa::Role role, ParseRoleName(role_name));
  Invitation inv;
  inv.token = random_.Token(32);
  sa::Membership m;
  m.account_id = account_id;
  m.email = normalized;
  m.role = role;
  m.status = sa::MembershipStatus::kInvited;
  m.invitation_hash = Sha256Hex(inv.token);
  m.invitation_expires_at = clock_.Now() + options_.invitation_lifetime;
  m.invited_by = actor.user_id;
  SIGNET_ASSIGN_OR_RETURN(inv.member, storage_.AddMember(m, "", actor));
  return inv;
}

Result<Invitation> AccountService::RenewInvitation(const std::string& user_id,
                                                   const std::string& account_id,
                                                   const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Membership m, storage_.GetMembership(user_id, account_id));
  // An open invitation, or one withdrawn before it was accepted, can be sent (again).
  if (m.accepted_at) {
    return ConflictError(m.email + " has joined this account already (status " +
                             sa::MembershipStatusName(m.status) + ")",
                         "not_invited");
  }
  m.status = sa::MembershipStatus::kInvited;
  Invitation inv;
  inv.token = random_.Token(32);
  m.invitation_hash = Sha256Hex(inv.token);
  m.invitation_expires_at = clock_.Now() + options_.invitation_lifetime;
  SIGNET_RETURN_IF_ERROR(storage_.UpdateMembership(m, "user.invite", actor));
  inv.member = m;
  return inv;
}

Result<InvitationView> AccountService::LookUpInvitation(const std::string& token) {
  static const char kInvalid[] =
      "this invitation link is not valid: it was used, withdrawn or has expired; ask the account's "
      "owner to send a new one";
  if (token.empty() || token.size() > 100)
    return Status::Error(ErrorCode::kNotFound, "invitation_invalid", kInvalid);
  auto m = storage_.FindMembershipByInvitation(Sha256Hex(token));
  if (!m.ok()) {
    if (m.status().code() == ErrorCode::kNotFound) {
      return Status::Error(ErrorCode::kNotFound, "invitation_invalid", kInvalid);
    }
    return m.status();
  }
  if (m->status != sa::MembershipStatus::kInvited || !m->invitation_expires_at ||
      *m->invitation_expires_at <= clock_.Now()) {
    return Status::Error(ErrorCode::kNotFound, "invitation_invalid", kInvalid);
  }
  InvitationView view;
  view.member = *m;
  SIGNET_ASSIGN_OR_RETURN(sa::Account account, storage_.GetAccount(m->account_id));
  view.account_name = account.name;
  SIGNET_ASSIGN_OR_RETURN(sa::User person, storage_.GetUser(m->user_id));
  view.password_set = !person.password_hash.empty();
  return view;
}

Result<LoginResult> AccountService::AcceptInvitation(const std::string& token,
                                                     const std::string& password,
                                                     const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(InvitationView view, LookUpInvitation(token));
  SIGNET_ASSIGN_OR_RETURN(sa::User person, storage_.GetUser(view.member.user_id));
  sa::Actor as_invitee = actor;
  as_invitee.user_id = person.id;
  as_invitee.account_id = view.member.account_id;
  std::string new_hash;
  if (person.password_hash.empty()) {
    SIGNET_RETURN_IF_ERROR(CheckNewPassword(password));
    SIGNET_ASSIGN_OR_RETURN(new_hash, HashPassword(password, random_, options_.password_params));
  } else if (!VerifyPassword(password, person.password_hash)) {
    return UnauthorizedError(
        "the password is wrong: this address already signs in to Signet, so accept with that "
        "password (or reset it from the sign-in page)");
  }
  SIGNET_RETURN_IF_ERROR(
      storage_.AcceptInvitation(person.id, view.member.account_id, new_hash, as_invitee));
  return StartSession(person.id, view.member.account_id, as_invitee);
}

Result<sa::Membership> AccountService::UpdateMember(const std::string& user_id,
                                                    const std::string& account_id,
                                                    std::optional<sa::Role> role,
                                                    std::optional<sa::MembershipStatus> status,
                                                    const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Membership m, storage_.GetMembership(user_id, account_id));
  sa::Membership updated = m;
  if (role) updated.role = *role;
  if (status) {
    if (*status == sa::MembershipStatus::kInvited) {
      return MalformedError(
          "status may be set to active or disabled; to invite again use "
          "POST /api/v1/users/{id}/invitation",
          "invalid_status");
    }
    if (*status == sa::MembershipStatus::kActive && !m.accepted_at) {
      // Invited (or an invitation withdrawn): only the person's acceptance makes it active.
      return ConflictError(m.email +
                               " has not accepted an invitation to this account; send a "
                               "fresh one (POST /api/v1/users/{id}/invitation) and they "
                               "become active when they accept it",
                           "not_accepted");
    }
    updated.status = *status;
    if (updated.status == sa::MembershipStatus::kDisabled) {
      updated.invitation_hash.clear();
      updated.invitation_expires_at.reset();
    }
  }
  bool was_active_owner = m.role == sa::Role::kOwner && m.status == sa::MembershipStatus::kActive;
  bool stays_active_owner =
      updated.role == sa::Role::kOwner && updated.status == sa::MembershipStatus::kActive;
  if (was_active_owner && !stays_active_owner) {
    SIGNET_ASSIGN_OR_RETURN(sa::Page<sa::Membership> members,
                            storage_.ListMembers(account_id, {500, ""}));
    int owners = 0;
    for (const sa::Membership& other : members.items) {
      if (other.role == sa::Role::kOwner && other.status == sa::MembershipStatus::kActive) {
        ++owners;
      }
    }
    if (owners <= 1) {
      return ConflictError(
          "the account would have no active owner left; make someone else an "
          "owner first",
          "last_owner");
    }
  }
  SIGNET_RETURN_IF_ERROR(storage_.UpdateMembership(updated, "user.update", actor));
  return updated;
}

Status AccountService::ResetPassword(const std::string& email, const std::string& password,
                                     const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
  SIGNET_RETURN_IF_ERROR(CheckNewPassword(password));
  auto user = storage_.GetUserByEmail(normalized);
  if (!user.ok()) {
    if (user.status().code() == ErrorCode::kNotFound) {
      return NotFoundError("no person with email " + normalized + "; add one with create-user");
    }
    return user.status();
  }
  SIGNET_ASSIGN_OR_RETURN(std::string hash,
                          HashPassword(password, random_, options_.password_params));
  return storage_.SetUserPassword(user->id, hash, actor);
}

namespace {
std::string PublicSessionId(const std::string& id_hash) {
  return "ses_" + Sha256Hex(id_hash).substr(0, 24);
}
Status ResetInvalid() {
  return Status::Error(ErrorCode::kNotFound, "reset_invalid",
                       "this password reset link is unknown, used or expired; ask for a new one");
}
}  // namespace

Result<std::optional<PasswordResetLink>> AccountService::RequestPasswordReset(
    const std::string& email, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
  auto user = storage_.GetUserByEmail(normalized);
  if (!user.ok()) {
    if (user.status().code() == ErrorCode::kNotFound) return std::optional<PasswordResetLink>();
    return user.status();
  }
  // A person without a password yet (made by `signetd admin create-user` without one, or invited
  // and not yet accepted) may set one this way too: the link proves the address is theirs, as an
  // invitation does, and a password alone gives no access to an account they have not joined.
  PasswordResetLink link;
  link.email = user->email;
  link.token = random_.Token(32);
  TimePoint now = clock_.Now();
  link.expires_at = now + options_.password_reset_lifetime;
  SIGNET_ASSIGN_OR_RETURN(
      bool started, storage_.StartPasswordReset(user->id, Sha256Hex(link.token), link.expires_at,
                                                now, options_.password_reset_interval, actor));
  if (!started) return std::optional<PasswordResetLink>();
  return std::optional<PasswordResetLink>(std::move(link));
}

Result<PasswordResetView> AccountService::LookUpPasswordReset(const std::string& token) {
  if (token.empty() || token.size() > 200) return ResetInvalid();
  auto user = storage_.GetUserByResetHash(Sha256Hex(token));
  if (!user.ok()) {
    return user.status().code() == ErrorCode::kNotFound ? ResetInvalid() : user.status();
  }
  if (!user->reset_expires_at || clock_.Now() >= *user->reset_expires_at) return ResetInvalid();
  return PasswordResetView{user->email, *user->reset_expires_at};
}

Result<std::string> AccountService::CompletePasswordReset(const std::string& token,
                                                          const std::string& password,
                                                          const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(PasswordResetView view, LookUpPasswordReset(token));
  SIGNET_RETURN_IF_ERROR(CheckNewPassword(password));
  SIGNET_ASSIGN_OR_RETURN(sa::User user, storage_.GetUserByEmail(view.email));
  SIGNET_ASSIGN_OR_RETURN(std::string hash,
                          HashPassword(password, random_, options_.password_params));
  sa::Actor as_person = actor;
  as_person.user_id = user.id;
  Status done = storage_.CompletePasswordReset(user.id, Sha256Hex(token), hash, as_person);
  if (!done.ok()) return done.code() == ErrorCode::kNotFound ? ResetInvalid() : done;
  return user.email;
}

Result<std::vector<SessionInfo>> AccountService::ListSessions(const std::string& user_id,
                                                              const std::string& current_token) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<sa::Session> sessions,
                          storage_.ListSessions(user_id, clock_.Now()));
  std::string current_hash = current_token.empty() ? "" : Sha256Hex(current_token);
  std::vector<SessionInfo> out;
  for (sa::Session& s : sessions) {
    SessionInfo info;
    info.id = PublicSessionId(s.id_hash);
    info.current = !current_hash.empty() && s.id_hash == current_hash;
    info.session = std::move(s);
    out.push_back(std::move(info));
  }
  return out;
}

Status AccountService::EndSession(const std::string& user_id, const std::string& session_id,
                                  const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<sa::Session> sessions,
                          storage_.ListSessions(user_id, clock_.Now()));
  for (const sa::Session& s : sessions) {
    if (PublicSessionId(s.id_hash) == session_id) return storage_.DeleteSession(s.id_hash, actor);
  }
  return NotFoundError("you have no session " + session_id);
}

Result<IssuedApiKey> AccountService::CreateApiKey(const std::string& user_id,
                                                  const std::string& account_id,
                                                  const std::string& name, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::Membership member, storage_.GetMembership(user_id, account_id));
  if (member.status != sa::MembershipStatus::kActive) {
    return ForbiddenError(member.email + " is not an active user of this account");
  }
  if (name.size() > 100)
    return MalformedError("name is longer than 100 characters", "invalid_name");
  IssuedApiKey issued;
  issued.secret = kApiKeyPrefix + random_.Token(kApiKeyRandomBytes);
  sa::ApiKey key;
  key.account_id = account_id;
  key.user_id = user_id;
  key.name = name;
  key.prefix = issued.secret.substr(0, 10);
  // The key has 256 random bits, so a fast hash suffices: nothing to brute-force.
  key.key_hash = Sha256Hex(issued.secret);
  SIGNET_ASSIGN_OR_RETURN(issued.key, storage_.CreateApiKey(key, actor));
  return issued;
}

Status AccountService::RevokeApiKey(const std::string& account_id, const std::string& key_id,
                                    const sa::Actor& actor) {
  return storage_.RevokeApiKey(account_id, key_id, actor);
}

Result<IssuedApiKey> AccountService::CreateApiKeyForEmail(const std::string& email,
                                                          const std::string& account_name,
                                                          const std::string& name,
                                                          const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
  auto user = storage_.GetUserByEmail(normalized);
  if (!user.ok()) {
    if (user.status().code() == ErrorCode::kNotFound) {
      return NotFoundError("no user with email " + normalized + "; create it with create-user");
    }
    return user.status();
  }
  std::string account_id;
  if (!account_name.empty()) {
    SIGNET_ASSIGN_OR_RETURN(account_id, AccountIdByName(account_name, false, actor));
  } else {
    SIGNET_ASSIGN_OR_RETURN(std::vector<AccountChoice> accounts, AccountsOf(user->id));
    if (accounts.empty()) {
      return NotFoundError(normalized + " is not an active user of any account");
    }
    if (accounts.size() > 1) {
      std::string names;
      for (const AccountChoice& a : accounts) names += (names.empty() ? "" : ", ") + a.name;
      return MalformedError(
          normalized + " belongs to several accounts (" + names + "): give --account",
          "account_required");
    }
    account_id = accounts.front().account_id;
  }
  return CreateApiKey(user->id, account_id, name, actor);
}

Result<Principal> AccountService::PrincipalFor(const std::string& user_id,
                                               const std::string& account_id) {
  auto member = storage_.GetMembership(user_id, account_id);
  if (!member.ok()) {
    if (member.status().code() == ErrorCode::kNotFound) {
      return UnauthorizedError("you are no longer a user of this account; sign in again");
    }
    return member.status();
  }
  if (member->status != sa::MembershipStatus::kActive) {
    return Status::Error(ErrorCode::kUnauthorized, "membership_disabled",
                         "your access to this account is disabled; ask one of its owners");
  }
  Principal p;
  p.user_id = member->user_id;
  p.account_id = member->account_id;
  p.email = member->email;
  p.role = member->role;
  return p;
}

Result<Principal> AccountService::AuthenticateApiKey(const std::string& secret) {
  static const char kBadKey[] = "the API key is not valid; create a new one with create-api-key";
  if (secret.rfind(kApiKeyPrefix, 0) != 0 || secret.size() > 100) return UnauthorizedError(kBadKey);
  auto key = storage_.FindApiKeyByHash(Sha256Hex(secret));
  if (!key.ok()) {
    if (key.status().code() == ErrorCode::kNotFound) return UnauthorizedError(kBadKey);
    return key.status();
  }
  if (key->revoked_at) return UnauthorizedError("this API key was revoked; use another key");
  TimePoint now = clock_.Now();
  if (!key->last_used_at || now - *key->last_used_at > options_.api_key_touch_interval) {
    Status touched = storage_.TouchApiKey(key->id, now);
    if (!touched.ok()) log::Warn("could not record API key use", {{"key_id", key->id}});
  }
  SIGNET_ASSIGN_OR_RETURN(Principal p, PrincipalFor(key->user_id, key->account_id));
  p.via = Principal::Via::kApiKey;
  p.api_key_id = key->id;
  return p;
}

Result<std::vector<AccountChoice>> AccountService::AccountsOf(const std::string& user_id) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<sa::Membership> memberships,
                          storage_.ListMembershipsOfUser(user_id));
  std::vector<AccountChoice> out;
  for (const sa::Membership& m : memberships) {
    if (m.status != sa::MembershipStatus::kActive) continue;
    SIGNET_ASSIGN_OR_RETURN(sa::Account account, storage_.GetAccount(m.account_id));
    out.push_back({m.account_id, account.name, m.role});
  }
  return out;
}

Result<LoginResult> AccountService::StartSession(const std::string& user_id,
                                                 const std::string& account_id,
                                                 const sa::Actor& actor) {
  LoginResult result;
  result.session_token = random_.Token(32);
  result.session.id_hash = Sha256Hex(result.session_token);
  result.session.user_id = user_id;
  result.session.account_id = account_id;
  result.session.csrf_token = random_.Token(24);
  result.session.created_at = clock_.Now();
  result.session.expires_at = result.session.created_at + options_.session_lifetime;
  result.session.remote_address = actor.source;
  result.session.user_agent = actor.user_agent;
  sa::Actor as_user = actor;
  as_user.user_id = user_id;
  as_user.account_id = account_id;
  SIGNET_RETURN_IF_ERROR(storage_.CreateSession(result.session, as_user));
  SIGNET_ASSIGN_OR_RETURN(result.principal, PrincipalFor(user_id, account_id));
  result.principal.via = Principal::Via::kSession;
  result.principal.csrf_token = result.session.csrf_token;
  return result;
}

Result<LoginResult> AccountService::Login(const std::string& email, const std::string& password,
                                          const std::string& account_id, const sa::Actor& actor) {
  static const char kBadLogin[] = "email or password is wrong";
  auto normalized = NormalizeEmail(email);
  auto user = normalized.ok() ? storage_.GetUserByEmail(*normalized)
                              : Result<sa::User>(NotFoundError("unknown"));
  if (!user.ok() && user.status().code() != ErrorCode::kNotFound) return user.status();
  bool known = user.ok() && !user->password_hash.empty();
  // Hash even for unknown users so response time does not reveal which emails exist.
  bool match = VerifyPassword(password, known ? user->password_hash : dummy_password_hash_);
  if (!known || !match) {
    // A person is not of one account, so the refusal is audited without one (staff see it).
    sa::AuditEvent refused;
    refused.action = "session.login_refused";
    refused.target_type = "user";
    refused.target_id = user.ok() ? user->id : "";
    Status s = storage_.AppendAuditEvent(refused, actor);
    if (!s.ok()) log::Warn("could not audit a refused login", {{"error", s.ToString()}});
    return UnauthorizedError(kBadLogin);
  }
  SIGNET_ASSIGN_OR_RETURN(std::vector<AccountChoice> accounts, AccountsOf(user->id));
  if (accounts.empty()) {
    return ForbiddenError(
        "you are not an active user of any account: open the invitation link you were sent, or "
        "ask an account's owner to enable you");
  }
  std::string chosen = accounts.front().account_id;
  if (!account_id.empty()) {
    auto it = std::find_if(accounts.begin(), accounts.end(),
                           [&](const AccountChoice& a) { return a.account_id == account_id; });
    if (it == accounts.end()) {
      return ForbiddenError("you are not an active user of account " + account_id +
                            "; omit account_id to sign in to your first account");
    }
    chosen = account_id;
  }
  return StartSession(user->id, chosen, actor);
}

Result<Principal> AccountService::AuthenticateSession(const std::string& session_token) {
  static const char kExpired[] = "the session has ended; sign in again";
  if (session_token.empty() || session_token.size() > 100) return UnauthorizedError(kExpired);
  auto session = storage_.GetSession(Sha256Hex(session_token));
  if (!session.ok()) {
    if (session.status().code() == ErrorCode::kNotFound) return UnauthorizedError(kExpired);
    return session.status();
  }
  if (session->expires_at <= clock_.Now()) return UnauthorizedError(kExpired);
  SIGNET_ASSIGN_OR_RETURN(Principal p, PrincipalFor(session->user_id, session->account_id));
  p.via = Principal::Via::kSession;
  p.csrf_token = session->csrf_token;
  return p;
}

Result<Principal> AccountService::SwitchAccount(const std::string& session_token,
                                                const std::string& account_id,
                                                const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(Principal current, AuthenticateSession(session_token));
  auto target = PrincipalFor(current.user_id, account_id);
  if (!target.ok()) {
    if (target.status().code() == ErrorCode::kUnauthorized) {
      return ForbiddenError("you are not an active user of account " + account_id);
    }
    return target.status();
  }
  sa::Actor as_user = actor;
  as_user.user_id = current.user_id;
  as_user.account_id = account_id;
  SIGNET_RETURN_IF_ERROR(storage_.SetSessionAccount(Sha256Hex(session_token), account_id, as_user));
  target->via = Principal::Via::kSession;
  target->csrf_token = current.csrf_token;
  return *target;
}

Status AccountService::Logout(const std::string& session_token, const sa::Actor& actor) {
  return storage_.DeleteSession(Sha256Hex(session_token), actor);
}

Result<std::optional<InitialAdmin>> AccountService::EnsureInitialAdmin() {
  auto existing = storage_.GetUserByEmail(kInitialAdminEmail);
  if (existing.ok()) return std::optional<InitialAdmin>();
  if (existing.status().code() != ErrorCode::kNotFound) return existing.status();
  InitialAdmin admin;
  admin.password = random_.Token(18);
  sa::Actor actor = SystemActor();
  SIGNET_ASSIGN_OR_RETURN(admin.user, CreateUser(kInitialAdminEmail, "admin", kStaffAccountName,
                                                 admin.password, actor));
  SIGNET_ASSIGN_OR_RETURN(IssuedApiKey key, CreateApiKey(admin.user.user_id, admin.user.account_id,
                                                         "initial admin", actor));
  admin.api_key = key.secret;
  return std::optional<InitialAdmin>(std::move(admin));
}

}  // namespace signet::accounts

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

Result<sa::User> AccountService::CreateUser(const std::string& email, const std::string& role_name,
                                            const std::string& account_name,
                                            const std::string& password, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(std::string normalized, NormalizeEmail(email));
  auto role = sa::ParseRole(role_name);
  if (!role) {
    return MalformedError(
        "role must be one of owner, member, reviewer, admin; got '" + role_name + "'",
        "invalid_role");
  }
  std::string account = account_name;
  if (account.empty()) {
    if (!sa::IsStaff(*role)) {
      return MalformedError("owners and members belong to an applicant account: give --account",
                            "account_required");
    }
    account = kStaffAccountName;
  }
  if (account.size() > 100) {
    return MalformedError("account name is longer than 100 characters", "invalid_account");
  }
  if (!password.empty() && password.size() < kMinPasswordLength) {
    return MalformedError("password must have at least 12 characters", "weak_password");
  }
  auto existing = storage_.GetAccountByName(account);
  std::string account_id;
  if (existing.ok()) {
    account_id = existing->id;
  } else if (existing.status().code() == ErrorCode::kNotFound) {
    auto created = storage_.CreateAccount(account, actor);
    if (created.ok()) {
      account_id = created->id;
    } else if (created.status().reason() == "already_exists") {
      SIGNET_ASSIGN_OR_RETURN(sa::Account again, storage_.GetAccountByName(account));
      account_id = again.id;
    } else {
      return created.status();
    }
  } else {
    return existing.status();
  }
  sa::User user;
  user.account_id = account_id;
  user.email = normalized;
  user.role = *role;
  if (!password.empty()) {
    SIGNET_ASSIGN_OR_RETURN(user.password_hash,
                            HashPassword(password, random_, options_.password_params));
  }
  return storage_.CreateUser(user, actor);
}

Result<IssuedApiKey> AccountService::CreateApiKey(const std::string& user_id,
                                                  const std::string& name, const sa::Actor& actor) {
  SIGNET_ASSIGN_OR_RETURN(sa::User user, storage_.GetUser(user_id));
  if (name.size() > 100)
    return MalformedError("name is longer than 100 characters", "invalid_name");
  IssuedApiKey issued;
  issued.secret = kApiKeyPrefix + random_.Token(kApiKeyRandomBytes);
  sa::ApiKey key;
  key.account_id = user.account_id;
  key.user_id = user.id;
  key.name = name;
  key.prefix = issued.secret.substr(0, 10);
  // The key has 256 random bits, so a fast hash suffices: nothing to brute-force.
  key.key_hash = Sha256Hex(issued.secret);
  SIGNET_ASSIGN_OR_RETURN(issued.key, storage_.CreateApiKey(key, actor));
  return issued;
}

Result<IssuedApiKey> AccountService::CreateApiKeyForEmail(const std::string& email,
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
  return CreateApiKey(user->id, name, actor);
}

Result<Principal> AccountService::PrincipalFor(const std::string& user_id) {
  SIGNET_ASSIGN_OR_RETURN(sa::User user, storage_.GetUser(user_id));
  Principal p;
  p.user_id = user.id;
  p.account_id = user.account_id;
  p.email = user.email;
  p.role = user.role;
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
  SIGNET_ASSIGN_OR_RETURN(Principal p, PrincipalFor(key->user_id));
  p.via = Principal::Via::kApiKey;
  p.api_key_id = key->id;
  return p;
}

Result<LoginResult> AccountService::Login(const std::string& email, const std::string& password,
                                          const sa::Actor& actor) {
  static const char kBadLogin[] = "email or password is wrong";
  auto normalized = NormalizeEmail(email);
  auto user = normalized.ok() ? storage_.GetUserByEmail(*normalized)
                              : Result<sa::User>(NotFoundError("unknown"));
  if (!user.ok() && user.status().code() != ErrorCode::kNotFound) return user.status();
  bool known = user.ok() && !user->password_hash.empty();
  // Hash even for unknown users so response time does not reveal which emails exist.
  bool match = VerifyPassword(password, known ? user->password_hash : dummy_password_hash_);
  if (!known || !match) {
    sa::AuditEvent refused;
    refused.account_id = user.ok() ? user->account_id : "";
    refused.action = "session.login_refused";
    refused.target_type = "user";
    refused.target_id = user.ok() ? user->id : "";
    Status s = storage_.AppendAuditEvent(refused, actor);
    if (!s.ok()) log::Warn("could not audit a refused login", {{"error", s.ToString()}});
    return UnauthorizedError(kBadLogin);
  }
  LoginResult result;
  result.session_token = random_.Token(32);
  result.session.id_hash = Sha256Hex(result.session_token);
  result.session.user_id = user->id;
  result.session.account_id = user->account_id;
  result.session.csrf_token = random_.Token(24);
  result.session.created_at = clock_.Now();
  result.session.expires_at = result.session.created_at + options_.session_lifetime;
  sa::Actor as_user = actor;
  as_user.user_id = user->id;
  as_user.account_id = user->account_id;
  SIGNET_RETURN_IF_ERROR(storage_.CreateSession(result.session, as_user));
  SIGNET_ASSIGN_OR_RETURN(result.principal, PrincipalFor(user->id));
  result.principal.via = Principal::Via::kSession;
  result.principal.csrf_token = result.session.csrf_token;
  return result;
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
  SIGNET_ASSIGN_OR_RETURN(Principal p, PrincipalFor(session->user_id));
  p.via = Principal::Via::kSession;
  p.csrf_token = session->csrf_token;
  return p;
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
  SIGNET_ASSIGN_OR_RETURN(IssuedApiKey key, CreateApiKey(admin.user.id, "initial admin", actor));
  admin.api_key = key.secret;
  return std::optional<InitialAdmin>(std::move(admin));
}

}  // namespace signet::accounts

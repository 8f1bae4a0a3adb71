#include "cli/views.h"

namespace signet::cli {

void PrintSessionView(std::ostream& out, const nlohmann::json& session, const std::string& server) {
  const auto& user = session.value("user", nlohmann::json::object());
  const auto& account = session.value("account", nlohmann::json::object());
  Fields()
      .Add("Server", server)
      .Add("User", Field(user, "email") + " (" + Field(user, "role") + ")")
      .Add("Account", Field(account, "name") + " (" + Field(account, "id") + ")")
      .Add("Authenticated by", Field(session, "authenticated_by"))
      .Print(out);
}

}  // namespace signet::cli

// The order application's REST form: reading it from a request body (types and field names are
// checked here; the rules are ra's) and showing it (secrets never: a key password shows only as
// `password_set`). Private to wfe.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "signet/common/status.h"
#include "signet/core/application.h"

namespace signet::wfe {

// The top-level fields an application may have.
const std::set<std::string>& ApplicationFieldNames();
// A request's application object; 400 with the field named when a type or a field name is wrong.
Result<core::Application> ApplicationFromJson(const nlohmann::json& input);
// {"generate": {"algorithm", "password"?}} or {"csr": PEM}, as `where` names it in errors.
Result<core::KeyChoice> KeyChoiceFromJson(const nlohmann::json& input, const std::string& where);
nlohmann::json ApplicationJson(const core::Application& application);

}  // namespace signet::wfe

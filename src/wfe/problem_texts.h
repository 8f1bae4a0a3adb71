// Localized problem details: the REST API's problem documents keep their stable `code` and give
// `detail` in the caller's language (Accept-Language: zh-CN or en). English details are written
// where an error is raised; the Chinese ones are a table by code (problem_texts_zh.cc), so one
// translation serves every place that raises a code.
//
// Thread-safety: stateless functions over constant tables.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signet/wfe/http_message.h"

namespace signet::wfe {

// The zh-CN sentence for a problem code, or nothing for a code without one.
std::optional<std::string_view> ChineseProblemDetail(std::string_view code);
// Every code with a zh-CN sentence, sorted.
std::vector<std::string_view> ChineseProblemCodes();

// Whether the language range the caller weights highest in `accept_language` is Chinese
// ("zh", "zh-CN", "zh-Hans"...). Absent or malformed headers mean English.
bool PrefersChinese(std::string_view accept_language);

// The Chinese detail for a problem: the code's sentence, followed by the names the English
// detail quotes ('field', 'value') so the specifics are not lost. Nothing for an unknown code.
std::optional<std::string> ChineseDetail(std::string_view code, std::string_view english_detail);

// Rewrites `response`'s detail in Chinese when it is a problem document, the caller prefers
// Chinese and the code has a sentence; otherwise leaves it as it is.
void LocalizeProblem(HttpResponse& response, std::string_view accept_language);

}  // namespace signet::wfe

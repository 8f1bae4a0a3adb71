// Accept-Language negotiation and the rewriting of problem details (problem_texts.h).
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "wfe/problem_texts.h"

namespace signet::wfe {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The q value of one "range;q=0.8" element (RFC 9110 12.4.2); 1 without one, -1 if malformed.
double Weight(std::string_view params) {
  double q = 1.0;
  size_t at = params.find(';');
  while (at != std::string_view::npos) {
    params.remove_prefix(at + 1);
    size_t next = params.find(';');
    std::string_view p = Trim(params.substr(0, next));
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      std::string value(p.substr(2));
      char* end = nullptr;
      q = std::strtod(value.c_str(), &end);
      if (value.empty() || end != value.c_str() + value.size() || q < 0 || q > 1) return -1;
    }
    at = next;
  }
  return q;
}

}  // namespace

bool PrefersChinese(std::string_view header) {
  if (header.size() > 1024) return false;
  double best = 0;
  bool chinese = false;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view element = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    std::string_view range = Trim(element.substr(0, element.find(';')));
    double q = Weight(element);
    if (range.empty() || q <= 0 || q <= best) continue;  // the first of equal weights wins
    best = q;
    std::string lower(range);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    chinese = lower == "zh" || lower.rfind("zh-", 0) == 0;
  }
  return chinese;
}

std::optional<std::string> ChineseDetail(std::string_view code, std::string_view english) {
  std::optional<std::string_view> sentence = ChineseProblemDetail(code);
  if (!sentence) return std::nullopt;
  std::string out(*sentence);
  std::vector<std::string> quoted;
  for (size_t open = english.find('\''); open != std::string_view::npos;) {
    size_t close = english.find('\'', open + 1);
    if (close == std::string_view::npos) break;
    std::string token(english.substr(open + 1, close - open - 1));
    if (!token.empty() && token.size() <= 200 &&
        std::find(quoted.begin(), quoted.end(), token) == quoted.end()) {
      quoted.push_back(std::move(token));
    }
    open = english.find('\'', close + 1);
  }
  if (!quoted.empty()) {
    // "……重试（method）。": the names go inside the sentence's final full stop.
    const std::string stop = "。";
    bool stopped =
        out.size() >= stop.size() && out.compare(out.size() - stop.size(), stop.size(), stop) == 0;
    if (stopped) out.resize(out.size() - stop.size());
    out += "（";
    for (size_t i = 0; i < quoted.size(); ++i) out += (i ? "、" : "") + quoted[i];
    out += "）";
    if (stopped) out += stop;
  }
  return out;
}

void LocalizeProblem(HttpResponse& response, std::string_view accept_language) {
  if (response.content_type != "application/problem+json" || !PrefersChinese(accept_language)) {
    return;
  }
  // ordered_json keeps ProblemResponse's member order when detail is replaced in place.
  auto doc = nlohmann::ordered_json::parse(response.body, nullptr, false);
  if (!doc.is_object() || !doc.contains("code") || !doc["code"].is_string()) return;
  std::optional<std::string> zh =
      ChineseDetail(doc["code"].get<std::string>(), doc.value("detail", ""));
  if (!zh) return;
  doc["detail"] = *zh;
  response.body = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.headers.emplace_back("Content-Language", "zh-CN");
}

}  // namespace signet::wfe

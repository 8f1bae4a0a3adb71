// zh-CN problem details: Accept-Language negotiation, the rewriting of a problem document, and
// the table itself (sorted, and a sentence for every code the sources raise at run time).
#include "wfe/problem_texts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "wfe/problem.h"

namespace signet::wfe {
namespace {

TEST(ProblemTextsTest, TheHighestWeightedLanguageWins) {
  EXPECT_TRUE(PrefersChinese("zh-CN"));
  EXPECT_TRUE(PrefersChinese("zh-CN,zh;q=0.9,en;q=0.8"));
  EXPECT_TRUE(PrefersChinese("zh"));
  EXPECT_TRUE(PrefersChinese("ZH-hans"));
  EXPECT_TRUE(PrefersChinese("en;q=0.5, zh-CN;q=0.9"));
  EXPECT_FALSE(PrefersChinese("en"));
  EXPECT_FALSE(PrefersChinese("en-US,en;q=0.9,zh-CN;q=0.8"));
  EXPECT_FALSE(PrefersChinese(""));
  EXPECT_FALSE(PrefersChinese("zh-CN;q=0"));
  EXPECT_FALSE(PrefersChinese("zh-CN;q=banana"));
  EXPECT_FALSE(PrefersChinese("zhx"));
  EXPECT_FALSE(PrefersChinese(std::string(2000, 'z')));
  EXPECT_FALSE(PrefersChinese(",,;;q=,"));
}

TEST(ProblemTextsTest, TheDetailKeepsWhatTheEnglishQuoted) {
  auto zh = ChineseDetail("invalid_field", "'method' must be one of dns_txt, file");
  ASSERT_TRUE(zh);
  EXPECT_NE(zh->find("（method）。"), std::string::npos) << *zh;
  EXPECT_FALSE(ChineseDetail("no_such_code_anywhere", "x"));
}

TEST(ProblemTextsTest, AProblemDocumentIsRewrittenOnlyForChinese) {
  HttpResponse english = ProblemResponse(409, "validation_not_stopped", "it is pending", "r1");
  HttpResponse chinese = english;
  LocalizeProblem(english, "en-US");
  LocalizeProblem(chinese, "zh-CN,en;q=0.5");
  auto e = nlohmann::json::parse(english.body);
  auto z = nlohmann::json::parse(chinese.body);
  EXPECT_EQ(e["detail"], "it is pending");
  EXPECT_EQ(z["code"], "validation_not_stopped");
  EXPECT_EQ(z["status"], 409);
  EXPECT_EQ(z["request_id"], "r1");
  EXPECT_EQ(z["detail"].get<std::string>(), *ChineseProblemDetail("validation_not_stopped"));
  EXPECT_EQ(chinese.body.find("\"type\""), 1u) << "member order kept";

  HttpResponse ok;
  ok.content_type = "application/json";
  ok.body = R"({"code":"invalid_field"})";
  LocalizeProblem(ok, "zh-CN");
  EXPECT_EQ(ok.body, R"({"code":"invalid_field"})");
}

TEST(ProblemTextsTest, TheTableIsSortedAndHasNoEnglishLeftOver) {
  std::vector<std::string_view> codes = ChineseProblemCodes();
  ASSERT_FALSE(codes.empty());
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
  EXPECT_EQ(std::adjacent_find(codes.begin(), codes.end()), codes.end());
  for (std::string_view c : codes) {
    std::string_view zh = *ChineseProblemDetail(c);
    EXPECT_FALSE(zh.empty()) << c;
    // Every sentence is Chinese: it has CJK text (UTF-8 lead bytes 0xE4..0xE9).
    EXPECT_TRUE(std::any_of(zh.begin(), zh.end(), [](char ch) {
      auto u = static_cast<unsigned char>(ch);
      return u >= 0xE4 && u <= 0xE9;
    })) << c;
  }
}

// Codes raised only at start-up or by the CLI: they never reach a REST client.
const std::set<std::string> kNotForClients = {
    "config_syntax",  "config_unreadable", "bad_setting",     "unknown_setting", "invalid_setting",
    "folder_missing", "node_file_missing", "tls_config",      "bad_master_key",  "wrong_master_key",
    "lease_lost",     "unknown_job_kind",  "bad_job_payload",
};

TEST(ProblemTextsTest, EveryCodeTheSourcesRaiseHasAChineseSentence) {
  // The forms that give a Status its code: the last argument of the error helpers, the reason of
  // Status::Error and Rejected, and the code of a ProblemResponse.
  const std::regex helper(
      R"((?:MalformedError|ConflictError|NotFoundError|ForbiddenError|UnauthorizedError)\s*\()");
  const std::regex last_reason(R"re(,\s*"([a-z][a-z0-9_]+)"\s*\)$)re");
  const std::regex leading(
      R"re((?:Rejected\(\s*|Status::Error\(\s*ErrorCode::\w+,\s*|ProblemResponse\(\s*\d+,\s*)"([a-z][a-z0-9_]+)")re");
  std::set<std::string> raised;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(SIGNET_SOURCE_DIR)) {
    std::string ext = entry.path().extension().string();
    if (ext != ".cc" && ext != ".h") continue;
    std::string dir = entry.path().parent_path().filename().string();
    if (dir == "server" || dir == "acme") continue;  // start-up; ACME problems stay English
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (auto it = std::sregex_iterator(s.begin(), s.end(), leading); it != std::sregex_iterator();
         ++it) {
      raised.insert((*it)[1]);
    }
    for (auto it = std::sregex_iterator(s.begin(), s.end(), helper); it != std::sregex_iterator();
         ++it) {
      // The call's arguments: up to the matching parenthesis.
      size_t at = static_cast<size_t>(it->position() + it->length());
      int depth = 1;
      size_t end = at;
      for (; end < s.size() && depth > 0; ++end) {
        if (s[end] == '(') ++depth;
        if (s[end] == ')') --depth;
      }
      std::string call = s.substr(at, end - at);
      std::smatch m;
      if (std::regex_search(call, m, last_reason)) raised.insert(m[1]);
    }
  }
  // Status::Of(code, ...) and the shorthands raise the code's own name.
  for (int c = static_cast<int>(ErrorCode::kMalformed);
       c <= static_cast<int>(ErrorCode::kUserActionRequired); ++c) {
    raised.insert(std::string(ErrorCodeName(static_cast<ErrorCode>(c))));
  }
  ASSERT_GT(raised.size(), 40u) << "the scan of " << SIGNET_SOURCE_DIR << " found too little";
  for (const std::string& code : raised) {
    if (kNotForClients.count(code) != 0) continue;
    EXPECT_TRUE(ChineseProblemDetail(code))
        << "no zh-CN problem detail for '" << code << "': add it to src/wfe/problem_texts_zh.cc";
  }
}

}  // namespace
}  // namespace signet::wfe

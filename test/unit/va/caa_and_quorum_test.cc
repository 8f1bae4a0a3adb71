// CAA decisions against a scripted resolver (the real-DNS cases are in the integration tests),
// and the BR 3.2.2.9 quorum table.
#include <gtest/gtest.h>

#include <map>

#include "signet/va/caa_checker.h"
#include "signet/va/perspective.h"

namespace signet::va {
namespace {

std::string Caa(uint8_t flags, const std::string& tag, const std::string& value) {
  std::string rd(1, static_cast<char>(flags));
  rd += static_cast<char>(tag.size());
  return rd + tag + value;
}

class ScriptedResolver final : public DnsResolver {
 public:
  std::map<std::string, DnsAnswer> answers;
  std::map<std::string, Status> failures;
  Result<DnsAnswer> Resolve(const std::string& name, DnsType) override {
    if (auto f = failures.find(name); f != failures.end()) return f->second;
    if (auto a = answers.find(name); a != answers.end()) return a->second;
    DnsAnswer empty;
    empty.query = name;
    return empty;
  }
  bool Validating() const override { return true; }
  void Set(const std::string& name, std::vector<std::string> rdata) {
    DnsAnswer a;
    a.query = a.canonical = name;
    a.rdata = std::move(rdata);
    answers[name] = a;
  }
};

class CaaTest : public ::testing::Test {
 protected:
  ScriptedResolver dns_;
  CaaChecker checker_{dns_, {"signet.local"}};
  Result<CaaResult> Check(const std::string& name, bool wildcard = false,
                          const std::string& account = "https://ca/acct/1",
                          const std::string& method = "ca-dns-txt") {
    return checker_.Check({name, wildcard, account, method});
  }
};

TEST_F(CaaTest, NoRecordsPermit) {
  auto r = Check("www.example.com");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->permitted);
}

TEST_F(CaaTest, ClimbsToTheParent) {
  dns_.Set("example.com", {Caa(0, "issue", "other-ca.example")});
  auto r = Check("a.b.example.com");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->permitted);
  EXPECT_EQ(r->relevant_name, "example.com");
  EXPECT_NE(r->detail.find("CAA 0 issue \"signet.local\""), std::string::npos) << r->detail;
  dns_.Set("b.example.com", {Caa(0, "issue", "Signet.Local; foo=bar")});
  r = Check("a.b.example.com");
  EXPECT_TRUE(r->permitted) << r->detail;
}

TEST_F(CaaTest, IssuewildGovernsWildcards) {
  dns_.Set("example.com", {Caa(0, "issue", "signet.local"), Caa(0, "issuewild", ";")});
  EXPECT_TRUE(Check("example.com")->permitted);
  EXPECT_FALSE(Check("example.com", true)->permitted);
  dns_.Set("example.com", {Caa(0, "issue", "other.example"), Caa(0, "issuewild", "signet.local")});
  EXPECT_FALSE(Check("example.com")->permitted);
  EXPECT_TRUE(Check("example.com", true)->permitted);
}

TEST_F(CaaTest, CriticalUnknownTagForbids) {
  dns_.Set("example.com", {Caa(0, "issue", "signet.local"), Caa(128, "tbs", "x")});
  EXPECT_FALSE(Check("example.com")->permitted);
  dns_.Set("example.com", {Caa(0, "issue", "signet.local"), Caa(0, "tbs", "x")});
  EXPECT_TRUE(Check("example.com")->permitted);
}

TEST_F(CaaTest, AccountUriAndValidationMethods) {
  dns_.Set("example.com", {Caa(0, "issue", "signet.local; accounturi=https://ca/acct/1")});
  EXPECT_TRUE(Check("example.com")->permitted);
  EXPECT_FALSE(Check("example.com", false, "https://ca/acct/2")->permitted);
  dns_.Set("example.com", {Caa(0, "issue", "signet.local; validationmethods=dns-01,ca-dns-txt")});
  EXPECT_TRUE(Check("example.com")->permitted);
  EXPECT_FALSE(Check("example.com", false, "x", "ca-file")->permitted);
}

TEST_F(CaaTest, FailedOrBogusLookupIsNeverPermission) {
  dns_.failures["example.com"] = Status::Error(ErrorCode::kDns, "dns_error", "SERVFAIL");
  EXPECT_FALSE(Check("www.example.com").ok());
  dns_.failures.clear();
  DnsAnswer bogus;
  bogus.dnssec = DnssecState::kBogus;
  bogus.why_bogus = "signature expired";
  dns_.answers["www.example.com"] = bogus;
  auto r = Check("www.example.com");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "dnssec_bogus");
}

TEST(CaaMethodLabelTest, Labels) {
  EXPECT_EQ(CaaMethodLabel("dns_txt"), "ca-dns-txt");
  EXPECT_EQ(CaaMethodLabel("http-01"), "http-01");
}

TEST(QuorumTest, BrTable) {
  EXPECT_EQ(AllowedNonCorroborations(0), 0);
  EXPECT_EQ(AllowedNonCorroborations(1), 0);
  EXPECT_EQ(AllowedNonCorroborations(2), 1);
  EXPECT_EQ(AllowedNonCorroborations(5), 1);
  EXPECT_EQ(AllowedNonCorroborations(6), 2);
}

class FixedPerspective final : public Perspective {
 public:
  FixedPerspective(std::string name, bool ok) : name_(std::move(name)), ok_(ok) {}
  std::string Name() const override { return name_; }
  PerspectiveResult Check(const CheckRequest&) override {
    PerspectiveResult r;
    r.perspective = name_;
    r.ok = ok_;
    return r;
  }

 private:
  std::string name_;
  bool ok_;
};

CorroboratedResult Corroborate(bool primary_ok, std::vector<bool> remotes) {
  FixedPerspective primary("primary", primary_ok);
  std::vector<std::unique_ptr<Perspective>> rs;
  for (size_t i = 0; i < remotes.size(); ++i) {
    rs.push_back(std::make_unique<FixedPerspective>("r" + std::to_string(i), remotes[i]));
  }
  Corroborator c(primary, std::move(rs));
  return c.Check({"dns_txt", "x", "y"});
}

TEST(QuorumTest, Corroboration) {
  EXPECT_TRUE(Corroborate(true, {}).ok);
  EXPECT_NE(Corroborate(true, {}).summary.find("single perspective"), std::string::npos);
  EXPECT_FALSE(Corroborate(false, {true, true, true}).ok);
  EXPECT_TRUE(Corroborate(true, {true, true, false}).ok);
  EXPECT_FALSE(Corroborate(true, {true, false, false}).ok);
  EXPECT_FALSE(Corroborate(true, {false}).ok);
  EXPECT_TRUE(Corroborate(true, {true, true, true, true, true, false, false}).ok);
}

TEST(PerspectiveJsonTest, RoundTrip) {
  CheckRequest req{"caa", "example.com", "", true, "https://a", "ca-file"};
  auto back = CheckRequestFromJson(CheckRequestToJson(req));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->kind, "caa");
  EXPECT_TRUE(back->wildcard);
  EXPECT_FALSE(CheckRequestFromJson("{\"kind\":\"x\",\"name\":\"y\"}").ok());
  EXPECT_FALSE(CheckRequestFromJson("[]").ok());
}

}  // namespace
}  // namespace signet::va

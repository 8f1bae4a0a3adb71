#include "signet/va/domain_name.h"

#include <gtest/gtest.h>

namespace signet::va {
namespace {

class DomainNameTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = NamePolicy::Create({{"test"}, ""});
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    policy_ = std::move(p).value();
  }
  std::string Reason(const std::string& name) {
    auto r = policy_->Parse(name);
    EXPECT_FALSE(r.ok()) << name << " was accepted as " << (r.ok() ? r->name : "");
    if (r.ok()) return "";
    EXPECT_EQ(r.status().code(), ErrorCode::kRejectedIdentifier);
    EXPECT_FALSE(r.status().message().empty());
    return r.status().reason();
  }
  std::unique_ptr<NamePolicy> policy_;
};

TEST_F(DomainNameTest, NormalisesCaseTrailingDotAndIdn) {
  auto r = policy_->Parse("WWW.Example.COM.");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "www.example.com");
  EXPECT_EQ(r->base, "www.example.com");
  EXPECT_EQ(r->registrable, "example.com");
  EXPECT_FALSE(r->wildcard);

  auto idn = policy_->Parse("例子.中国");
  ASSERT_TRUE(idn.ok()) << idn.status().ToString();
  EXPECT_EQ(idn->name, "xn--fsqu00a.xn--fiqs8s");

  auto uk = policy_->Parse("Shop.Example.co.uk");
  ASSERT_TRUE(uk.ok());
  EXPECT_EQ(uk->registrable, "example.co.uk");
}

TEST_F(DomainNameTest, Wildcards) {
  auto r = policy_->Parse("*.Example.com");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->wildcard);
  EXPECT_EQ(r->name, "*.example.com");
  EXPECT_EQ(r->base, "example.com");
  EXPECT_EQ(Reason("*.*.example.com"), "invalid_wildcard");
  EXPECT_EQ(Reason("a.*.com"), "invalid_wildcard");
  EXPECT_EQ(Reason("w*.example.com"), "invalid_wildcard");
  EXPECT_EQ(Reason("*.co.uk"), "wildcard_on_public_suffix");
  EXPECT_EQ(Reason("*.com"), "wildcard_on_public_suffix");
  EXPECT_EQ(Reason("*.github.io"), "wildcard_on_public_suffix");
  EXPECT_TRUE(policy_->Parse("*.user.github.io").ok());
}

TEST_F(DomainNameTest, RefusesBadNames) {
  EXPECT_EQ(Reason(""), "empty_name");
  EXPECT_EQ(Reason("localhost"), "not_fully_qualified");
  EXPECT_EQ(Reason("server.local"), "internal_name");
  EXPECT_EQ(Reason("db.corp"), "internal_name");
  EXPECT_EQ(Reason("co.uk"), "public_suffix");
  EXPECT_EQ(Reason("com"), "public_suffix");
  EXPECT_EQ(Reason("a..example.com"), "empty_label");
  EXPECT_EQ(Reason("_dmarc.example.com"), "invalid_character");
  EXPECT_EQ(Reason("exa mple.com"), "invalid_character");
  EXPECT_EQ(Reason("-a.example.com"), "invalid_hyphen");
  EXPECT_EQ(Reason("ab--cd.example.com"), "reserved_label");
  EXPECT_EQ(Reason("xn--zz.example.com"), "invalid_idn");
  // libidn2 stops at a NUL: the rest of the name must not silently disappear.
  EXPECT_EQ(Reason(std::string("b\xC3\xBC"
                               "cher.example.com\0.evil.test",
                               30)),
            "invalid_character");
  // Names are taken as given or refused, never silently trimmed.
  EXPECT_EQ(Reason(" www.example.com"), "surrounding_space");
  EXPECT_EQ(Reason("www.example.com\t"), "surrounding_space");
}

TEST_F(DomainNameTest, IdnRulesAreTheSameForALabelsAndULabels) {
  // Junk that merely decodes is not an A-label.
  EXPECT_EQ(Reason("xn--a.example.com"), "invalid_idn");
  // An emoji is disallowed by IDNA2008 whichever way it is written.
  EXPECT_EQ(Reason("\xF0\x9F\x98\x80.example.com"), "invalid_idn");  // U+1F600 as U-label
  EXPECT_EQ(Reason("xn--e28h.example.com"), "invalid_idn");          // and as A-label
  // A valid A-label and its U-label are the same name.
  auto a = policy_->Parse("xn--bcher-kva.example.com");
  auto u = policy_->Parse(
      "b\xC3\xBC"
      "cher.example.com");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(a->name, u->name);
  EXPECT_TRUE(policy_->Parse("XN--BCHER-KVA.example.com").ok());
  EXPECT_EQ(Reason(std::string(64, 'a') + ".example.com"), "label_too_long");
  std::string long_name;
  for (int i = 0; i < 5; ++i) long_name += std::string(60, 'a') + ".";
  EXPECT_EQ(Reason(long_name + "com"), "name_too_long");
  EXPECT_EQ(Reason("1.2.3.4.5"), "invalid_tld");
}

TEST_F(DomainNameTest, RefusesIpAddresses) {
  EXPECT_EQ(Reason("10.1.2.3"), "reserved_ip");
  EXPECT_EQ(Reason("127.0.0.1"), "reserved_ip");
  EXPECT_EQ(Reason("192.168.1.1"), "reserved_ip");
  EXPECT_EQ(Reason("[::1]"), "reserved_ip");
  EXPECT_EQ(Reason("fd00::1"), "reserved_ip");
  EXPECT_EQ(Reason("100.64.0.1"), "reserved_ip");
  EXPECT_EQ(Reason("8.8.8.8"), "ip_address_unsupported");
}

TEST_F(DomainNameTest, InternalSuffixesAreConfigurable) {
  auto r = policy_->Parse("www.shop.test");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->registrable, "shop.test");
  EXPECT_EQ(Reason("test"), "public_suffix");
  EXPECT_EQ(Reason("*.test"), "wildcard_on_public_suffix");
}

TEST_F(DomainNameTest, CoverageAddsTheBareDomain) {
  auto parse = [&](const std::string& n) { return *policy_->Parse(n); };
  auto names = WithCoveredNames({parse("*.a.com")}, *policy_);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0].name, "*.a.com");
  EXPECT_EQ(names[1].name, "a.com");

  names = WithCoveredNames({parse("www.a.com"), parse("a.com")}, *policy_);
  ASSERT_EQ(names.size(), 2u);

  names = WithCoveredNames({parse("*.p.a.com")}, *policy_);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[1].name, "p.a.com");  // the wildcard's own base, never a.com

  names = WithCoveredNames({parse("www.co.uk.example.com")}, *policy_);
  EXPECT_EQ(names.size(), 2u);
  names = WithCoveredNames({parse("shop.a.com")}, *policy_);
  EXPECT_EQ(names.size(), 1u);
}

TEST_F(DomainNameTest, ValidationCoverage) {
  EXPECT_TRUE(ValidationCovers("a.com", "a.com", false));
  EXPECT_FALSE(ValidationCovers("a.com", "www.a.com", false));
  EXPECT_TRUE(ValidationCovers("a.com", "www.a.com", true));
  EXPECT_FALSE(ValidationCovers("a.com", "xa.com", true));
}

}  // namespace
}  // namespace signet::va

#include "signet/common/encoding.h"

#include <gtest/gtest.h>

namespace signet {
namespace {

TEST(EncodingTest, RoundTripsEveryLength) {
  for (size_t n = 0; n < 40; ++n) {
    std::vector<uint8_t> bytes(n);
    for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(i * 37 + 250);
    EXPECT_EQ(*Base64Decode(Base64Encode(bytes)), bytes) << n;
    EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(bytes)), bytes) << n;
    EXPECT_EQ(*HexDecode(HexEncode(bytes)), bytes) << n;
  }
}

TEST(EncodingTest, KnownVectorsAndJunk) {
  EXPECT_EQ(Base64Encode(AsBytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode(std::vector<uint8_t>{0xfb, 0xff}), "-_8");
  EXPECT_FALSE(Base64UrlDecode("a+b/").has_value());
  EXPECT_FALSE(Base64UrlDecode("a").has_value());
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

}  // namespace
}  // namespace signet

namespace signet {
namespace {

TEST(DisplayableUtf8Test, KeepsUtf8AndReplacesWhatIsNotText) {
  EXPECT_EQ(DisplayableUtf8("plain\ttext\n"), "plain\ttext\n");
  EXPECT_EQ(DisplayableUtf8("北京示例有限公司"), "北京示例有限公司");
  EXPECT_EQ(DisplayableUtf8("latin-1 \xe9t\xe9"), "latin-1 ?t?");
  EXPECT_EQ(DisplayableUtf8(std::string("nul\0bell\a", 9)), "nul?bell?");
  EXPECT_EQ(DisplayableUtf8("cut \xe5\x8c"), "cut ??");
  EXPECT_EQ(DisplayableUtf8("\x1b[31mred"), "?[31mred");
}

}  // namespace
}  // namespace signet

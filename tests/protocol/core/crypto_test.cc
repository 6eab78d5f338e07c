#include <catch2/catch.hpp>

#include "protocol/core/crypto.h"
#include "protocol/core/ids.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"

using namespace edastack;

TEST_CASE("digests and encodings", "[core]") {
  CHECK(crypto::Md5Hex("hello\n") == "b1946ac92492d2347c6235b4d2611184");
  CHECK(crypto::Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(crypto::Base64Encode("hello") == "aGVsbG8=");
  CHECK(*crypto::Base64Decode("aGVsbG8=") == "hello");
  CHECK_FALSE(crypto::Base64Decode("a$b=").has_value());
  CHECK(crypto::Crc32("hello\n") == 0x363a3020u);  // PROTOCOLS.md §1.3: NjowIA==
  CHECK(crypto::Crc32("123456789") == 0xCBF43926u);
  CHECK(crypto::Crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339u);
  CHECK(crypto::Crc32("") == 0u);
  CHECK(crypto::Crc32c("123456789") == 0xE3069283u);
  CHECK(crypto::Crc64Nvme("123456789") == 0xAE8B14860A799888ull);
}

TEST_CASE("uuid shape", "[core]") {
  std::string u = ids::Uuid();
  REQUIRE(u.size() == 36);
  CHECK(u[14] == '4');
  CHECK(u != ids::Uuid());
}

TEST_CASE("uri encoding and forms", "[core]") {
  CHECK(str::UriEncode("a b+c/d~") == "a%20b%2Bc%2Fd~");
  CHECK(str::UriEncode("a b/c", true) == "a%20b/c");
  CHECK(str::UriDecode("a+b%2Bc", true) == "a b+c");
  CHECK(str::UriDecode("a+b%2Bc", false) == "a+b+c");
  auto f = str::ParseForm("Action=Send&A.1=x%26y&bare");
  REQUIRE(f.size() == 3);
  CHECK(f[1].second == "x&y");
  CHECK(f[2].first == "bare");
  CHECK(str::IsValidUtf8("h\xc3\xa9llo"));
  CHECK_FALSE(str::IsValidUtf8("\xc3"));
  CHECK_FALSE(str::IsValidUtf8("\xed\xa0\x80"));  // surrogate
}

TEST_CASE("time formats", "[core]") {
  int64_t ms = 1795876087123;  // 2026-11-28T...
  CHECK(timefmt::Iso8601Millis(ms).size() == 24);
  CHECK(*timefmt::ParseIso8601(timefmt::Iso8601Millis(ms)) == ms);
  CHECK(*timefmt::ParseAmzDate(timefmt::AmzDate(ms)) == ms / 1000 * 1000);
  CHECK(timefmt::Rfc7231(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(*timefmt::ParseRfc7231("Thu, 01 Jan 1970 00:00:10 GMT") == 10000);
}

TEST_CASE("crc32 of long and chained input matches the bitwise definition", "[core]") {
  std::string s;
  for (int i = 0; i < 1000; ++i) s += static_cast<char>((i * 7919) & 0xFF);
  uint32_t c = ~0u;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
  }
  CHECK(crypto::Crc32(s) == ~c);
  CHECK(crypto::Crc32(s.substr(13), crypto::Crc32(s.substr(0, 13))) == ~c);
}

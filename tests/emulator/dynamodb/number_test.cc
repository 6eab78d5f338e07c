#include <catch2/catch.hpp>

#include "emulator/dynamodb/attribute_value.h"
#include "emulator/dynamodb/number.h"

using edastack::dynamodb::Decimal;
using edastack::dynamodb::Json;
using edastack::dynamodb::NormalizeNumber;

TEST_CASE("ddb number normalisation", "[ddb][number]") {
  struct C { const char* in; const char* out; };
  C cases[] = {{"1.0", "1"},       {"00042", "42"},     {"1.5E2", "150"},   {"-0", "0"},
               {"0.000", "0"},     {"+7", "7"},         {".5", "0.5"},      {"5.", "5"},
               {"-1.250", "-1.25"}, {"1e-3", "0.001"},  {"12345678901234567890123456789012345678",
                                                          "12345678901234567890123456789012345678"}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); ++i) {
    auto r = NormalizeNumber(cases[i].in);
    INFO(cases[i].in);
    REQUIRE(r.ok());
    CHECK(r.value() == cases[i].out);
  }
  auto big = NormalizeNumber("1E+125");
  REQUIRE(big.ok());
  CHECK(big.value() == "1" + std::string(125, '0'));
  auto tiny = NormalizeNumber("1E-130");
  REQUIRE(tiny.ok());
  CHECK(tiny.value() == "0." + std::string(129, '0') + "1");
}

TEST_CASE("ddb number rejects bad input", "[ddb][number]") {
  for (const char* bad : {"", "abc", "1.2.3", "1e", "--1", " 1", "1 ", "0x10", "NaN", "Infinity"}) {
    INFO(bad);
    auto r = NormalizeNumber(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "ValidationException");
  }
  CHECK_FALSE(NormalizeNumber("123456789012345678901234567890123456789").ok());  // 39 digits
  CHECK_FALSE(NormalizeNumber("1E126").ok());
  CHECK_FALSE(NormalizeNumber("1E-131").ok());
  CHECK(NormalizeNumber("1000000000000000000000000000000000000000000").ok());  // trailing zeros
}

TEST_CASE("ddb number compare and arithmetic", "[ddb][number]") {
  auto d = [](const char* s) { return Decimal::Parse(s).value(); };
  CHECK(d("1").Compare(d("1.0")) == 0);
  CHECK(d("-1").Compare(d("1")) < 0);
  CHECK(d("10").Compare(d("9")) > 0);
  CHECK(d("-10").Compare(d("-9")) < 0);
  CHECK(d("0.001").Compare(d("0.01")) < 0);
  CHECK(Decimal::Add(d("0.1"), d("0.2")).value().ToString() == "0.3");
  CHECK(Decimal::Sub(d("1"), d("3")).value().ToString() == "-2");
  CHECK(Decimal::Add(d("-5"), d("5")).value().ToString() == "0");
  CHECK(Decimal::Add(d("99999999999999999999999999999999999999"), d("1")).value().ToString() ==
        "100000000000000000000000000000000000000");
  CHECK_FALSE(Decimal::Add(d("99999999999999999999999999999999999999"), d("0.1")).ok());
}

TEST_CASE("ddb number sort keys order like numbers", "[ddb][number]") {
  const char* sorted[] = {"-1000", "-10.5", "-10", "-9.99", "-1", "-0.5", "-0.05", "0",
                          "0.001", "0.5",   "1",   "1.5",   "9",  "10",   "10.01", "1E20"};
  for (size_t i = 0; i + 1 < sizeof(sorted) / sizeof(sorted[0]); ++i) {
    INFO(sorted[i] << " < " << sorted[i + 1]);
    CHECK(Decimal::Parse(sorted[i]).value().SortKey() < Decimal::Parse(sorted[i + 1]).value().SortKey());
  }
}

TEST_CASE("ddb attribute values normalise and validate", "[ddb][value]") {
  using edastack::dynamodb::NormalizeValue;
  Json v = {{"NS", {"1.0", "2"}}};
  REQUIRE(NormalizeValue(v).ok());
  CHECK(v["NS"][0] == "1");
  Json dup = {{"NS", {"1", "1.0"}}};
  CHECK_FALSE(NormalizeValue(dup).ok());
  Json empty = {{"SS", Json::array()}};
  auto e = NormalizeValue(empty);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("may not be empty") != std::string::npos);
  Json two = {{"S", "a"}, {"N", "1"}};
  CHECK_FALSE(NormalizeValue(two).ok());
  Json badb = {{"B", "!!!"}};
  CHECK_FALSE(NormalizeValue(badb).ok());
  Json nul = {{"NULL", false}};
  CHECK_FALSE(NormalizeValue(nul).ok());
  Json nested = {{"M", {{"a", {{"L", {{{"N", "01"}}}}}}}}};
  REQUIRE(NormalizeValue(nested).ok());
  CHECK(nested["M"]["a"]["L"][0]["N"] == "1");
}

TEST_CASE("ddb item size follows AWS accounting", "[ddb][value]") {
  using edastack::dynamodb::ItemSize;
  CHECK(ItemSize(Json{{"ab", {{"S", "xyz"}}}}) == 5);
  CHECK(ItemSize(Json{{"n", {{"N", "123"}}}}) == 1 + 3);
  CHECK(ItemSize(Json{{"b", {{"BOOL", true}}}}) == 2);
  CHECK(ItemSize(Json{{"m", {{"M", {{"k", {{"S", "v"}}}}}}}}) == 1 + 3 + 1 + 1 + 1);
}

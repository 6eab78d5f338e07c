// Invalid filter policies / event patterns and the errors AWS gives for them.
#include <catch2/catch.hpp>

#include <string>

#include "emulator/filter/pattern.h"

using edastack::filter::Dialect;
using edastack::filter::Pattern;
using nlohmann::json;

namespace {

struct Bad {
  const char* pattern;
  const char* reason;  // a substring of the message
};

const Bad kBadForBoth[] = {
    {R"({"source":"x"})", "\"source\" must be an object or an array"},
    {R"({"source":[]})", "Empty arrays are not allowed"},
    {R"({"a":[{"EXISTS":true}]})", "Unrecognized match type EXISTS"},
    {R"({"a":[{"bogus":1}]})", "Unrecognized match type bogus"},
    {R"({"a":[{"exists":"yes"}]})", "exists match pattern must be either true or false."},
    {R"({"a":[{"prefix":5}]})", "prefix match pattern must be a string"},
    {R"({"a":[{"suffix":[]}]})", "suffix match pattern must be a string"},
    {R"({"a":[{"equals-ignore-case":1}]})", "equals-ignore-case match pattern must be a string"},
    {R"({"a":[{"numeric":["<","100"]}]})", "Value of < must be numeric"},
    {R"({"a":[{"numeric":["!=",1]}]})", "Unrecognized numeric range operator: !="},
    {R"({"a":[{"numeric":[">",10,">",20]}]})", "Bad numeric range operator: >"},
    {R"({"a":[{"numeric":[">",10,"<",5]}]})", "Bottom must be less than top"},
    {R"({"a":[{"numeric":["<",10,">",5]}]})", "Too many elements in numeric expression"},
    {R"({"a":[{"numeric":["=",1,"<",5]}]})", "Too many elements in numeric expression"},
    {R"({"a":[{"numeric":[5]}]})", "Invalid member in numeric match"},
    {R"({"a":[{"numeric":"5"}]})", "numeric"},
    {R"({"a":[{"anything-but":[true]}]})", "Inside anything but list"},
    {R"({"a":[{"anything-but":true}]})", "Value of anything-but must be"},
    {R"({"a":[{"anything-but":{"numeric":[">",1]}}]})", "Unsupported anything-but pattern"},
    {R"({"a":[{"cidr":"10.0.0.0"}]})", "Malformed CIDR, one '/' required"},
    {R"({"a":[{"cidr":"10.0.0.300/24"}]})", "Nonstandard IP address"},
    {R"({"a":[{"cidr":"10.0.0.0/33"}]})", "Nonstandard IP address"},
    {R"({"a":[{"prefix":"x","suffix":"y"}]})", "exactly one member"},
    {R"({"a":[["x"]]})", "Match value must be String, number, true, false, or null"},
    {R"({"$or":{"a":["x"]}})", "Or relationship"},
    {R"({"$or":[{"a":["x"]}]})", "Or relationship"},
    {R"({"$or":[{"a":["x"]},"b"]})", "Or relationship"},
    {R"([1,2])", "Filter is not an object"},
};

}  // namespace

TEST_CASE("filter: invalid patterns are rejected with each dialect's error", "[filter]") {
  for (const auto& b : kBadForBoth) {
    INFO(b.pattern);
    auto eb = Pattern::Parse(b.pattern, Dialect::kEventBridge);
    REQUIRE_FALSE(eb.ok());
    CHECK(eb.error().code == "InvalidEventPatternException");
    CHECK(eb.error().http_status == 400);
    CHECK(eb.error().message.rfind("Event pattern is not valid. Reason: ", 0) == 0);
    CHECK(eb.error().message.find(b.reason) != std::string::npos);
    for (Dialect d : {Dialect::kSnsAttributes, Dialect::kSnsBody}) {
      auto sns = Pattern::Parse(b.pattern, d);
      REQUIRE_FALSE(sns.ok());
      CHECK(sns.error().code == "InvalidParameter");
      CHECK(sns.error().message.rfind("Invalid parameter: FilterPolicy: ", 0) == 0);
      CHECK(sns.error().message.find(b.reason) != std::string::npos);
    }
  }
}

TEST_CASE("filter: not JSON", "[filter]") {
  auto eb = Pattern::Parse("{not json", Dialect::kEventBridge);
  REQUIRE_FALSE(eb.ok());
  CHECK(eb.error().code == "InvalidEventPatternException");
  auto sns = Pattern::Parse("{not json", Dialect::kSnsAttributes);
  REQUIRE_FALSE(sns.ok());
  CHECK(sns.error().code == "InvalidParameter");
}

TEST_CASE("filter: EventBridge-only operators are unknown to SNS", "[filter]") {
  for (const char* p : {R"({"a":[{"wildcard":"*.png"}]})",
                        R"({"a":[{"prefix":{"equals-ignore-case":"x"}}]})",
                        R"({"a":[{"anything-but":{"wildcard":"x*"}}]})"}) {
    INFO(p);
    CHECK(Pattern::Parse(p, Dialect::kEventBridge).ok());
    auto sns = Pattern::Parse(p, Dialect::kSnsBody);
    REQUIRE_FALSE(sns.ok());
    CHECK(sns.error().code == "InvalidParameter");
  }
  auto w = Pattern::Parse(R"({"a":[{"wildcard":"a**b"}]})", Dialect::kEventBridge);
  REQUIRE_FALSE(w.ok());
  CHECK(w.error().message.find("Consecutive wildcard characters") != std::string::npos);
}

TEST_CASE("filter: SNS limits on keys, combinations and nesting", "[filter]") {
  // Five keys pass, six fail (both scopes); EventBridge has no such limit.
  const char* five = R"({"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"]})";
  const char* six = R"({"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]})";
  CHECK(Pattern::Parse(five, Dialect::kSnsAttributes).ok());
  auto r = Pattern::Parse(six, Dialect::kSnsAttributes);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys");
  CHECK_FALSE(Pattern::Parse(six, Dialect::kSnsBody).ok());
  CHECK(Pattern::Parse(six, Dialect::kEventBridge).ok());

  // 5 * 5 * 6 = 150 passes; 5 * 5 * 7 = 175 is too complex.
  json ok = {{"a", {"1", "2", "3", "4", "5"}}, {"b", {"1", "2", "3", "4", "5"}},
             {"c", {"1", "2", "3", "4", "5", "6"}}};
  CHECK(Pattern::Compile(ok, Dialect::kSnsAttributes).ok());
  json complex = ok;
  complex["c"].push_back("7");
  auto c = Pattern::Compile(complex, Dialect::kSnsAttributes);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message == "Invalid parameter: FilterPolicy: Filter policy is too complex");
  CHECK(Pattern::Compile(complex, Dialect::kEventBridge).ok());

  // Attribute scope does not nest; body scope does.
  auto nested = Pattern::Parse(R"({"a":{"b":["x"]}})", Dialect::kSnsAttributes);
  REQUIRE_FALSE(nested.ok());
  CHECK(nested.error().code == "InvalidParameter");
  CHECK(Pattern::Parse(R"({"a":{"b":["x"]}})", Dialect::kSnsBody).ok());
  CHECK_FALSE(Pattern::Parse(R"({"a":{}})", Dialect::kEventBridge).ok());

  // SNS numeric values are limited to +-1e9.
  CHECK_FALSE(Pattern::Parse(R"({"n":[{"numeric":[">",2e9]}]})", Dialect::kSnsAttributes).ok());
  CHECK(Pattern::Parse(R"({"n":[{"numeric":[">",2e9]}]})", Dialect::kEventBridge).ok());
}

TEST_CASE("filter: empty policy matches everything, non-object documents match nothing",
          "[filter]") {
  auto p = Pattern::Parse("{}", Dialect::kSnsAttributes);
  REQUIRE(p.ok());
  CHECK(p->Matches(json::object()));
  auto q = Pattern::Parse(R"({"a":["x"]})", Dialect::kSnsBody);
  REQUIRE(q.ok());
  CHECK_FALSE(q->Matches(json("a plain string body")));
  CHECK(Pattern().Matches(json::object()));
}

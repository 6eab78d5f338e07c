// Tokenizer, parser and evaluator cases for DynamoDB expressions.
#include <catch2/catch.hpp>

#include "emulator/dynamodb/expr/evaluator.h"
#include "emulator/dynamodb/expr/parser.h"
#include "emulator/dynamodb/expr/tokenizer.h"

using namespace edastack::dynamodb;
using namespace edastack::dynamodb::expr;

namespace {

const Json& TestItem() {
  static const Json item = Json::parse(R"({
    "pk": {"S": "user#1"}, "age": {"N": "42"}, "score": {"N": "7.5"},
    "name": {"S": "Alice"}, "tags": {"SS": ["red", "blue"]}, "nums": {"NS": ["1", "2", "3"]},
    "bin": {"B": "AQID"}, "bins": {"BS": ["AQ==", "Ag=="]}, "ok": {"BOOL": true},
    "nothing": {"NULL": true}, "lst": {"L": [{"S": "a"}, {"N": "5"}, {"M": {"deep": {"S": "x"}}}]},
    "mp": {"M": {"inr": {"M": {"v": {"N": "3"}}}, "s": {"S": "hello world"}}},
    "status": {"S": "active"}, "a-b": {"S": "dash"}
  })");
  return item;
}

const Json& Values() {
  static const Json v = Json::parse(R"({
    ":42": {"N": "42"}, ":42f": {"N": "42.0"}, ":10": {"N": "10"}, ":50": {"N": "50"},
    ":alice": {"S": "Alice"}, ":al": {"S": "Al"}, ":red": {"S": "red"}, ":green": {"S": "green"},
    ":2": {"N": "2"}, ":9": {"N": "9"}, ":t_ss": {"S": "SS"}, ":t_n": {"S": "N"}, ":t_m": {"S": "M"},
    ":t_l": {"S": "L"}, ":t_null": {"S": "NULL"}, ":t_bool": {"S": "BOOL"}, ":t_b": {"S": "B"},
    ":t_bs": {"S": "BS"}, ":t_ns": {"S": "NS"}, ":t_s": {"S": "S"}, ":true": {"BOOL": true},
    ":world": {"S": "world"}, ":x": {"S": "x"}, ":3": {"N": "3"}, ":5": {"N": "5"},
    ":a": {"S": "a"}, ":b01": {"B": "AQ=="}, ":b1": {"B": "AQ=="}, ":active": {"S": "active"},
    ":user": {"S": "user#"}, ":1": {"N": "1"}, ":11": {"N": "11"}, ":5s": {"S": "5"}
  })");
  return v;
}

const Json& Names() {
  static const Json n = Json::parse(R"({"#s": "status", "#n": "name", "#ab": "a-b", "#m": "mp",
                                        "#missing": "zzz", "#dot": "mp.s"})");
  return n;
}

bool Eval(const std::string& text) {
  ParseContext pc(Names(), Values());
  auto c = pc.ParseCondition(text, "ConditionExpression");
  INFO(text);
  if (!c.ok()) FAIL(c.error().message);
  return Evaluate(c.value(), TestItem());
}

std::string ParseError(const std::string& text, const Json& names = Names(),
                       const Json& values = Values()) {
  ParseContext pc(names, values);
  auto c = pc.ParseCondition(text, "ConditionExpression");
  if (c.ok()) return "";
  return c.error().message;
}

}  // namespace

TEST_CASE("ddb tokenizer splits expressions", "[ddb][expr][tokenizer]") {
  auto t = Tokenize("a.b[12] <= :v AND #n <> size(x)", "ConditionExpression");
  REQUIRE(t.ok());
  std::vector<Tok> kinds;
  for (const auto& tok : t.value()) kinds.push_back(tok.kind);
  std::vector<Tok> want = {Tok::kIdent, Tok::kDot,    Tok::kIdent,  Tok::kLBracket, Tok::kNumber,
                           Tok::kRBracket, Tok::kLe, Tok::kValue,  Tok::kIdent,    Tok::kName,
                           Tok::kNe,    Tok::kIdent,  Tok::kLParen, Tok::kIdent,    Tok::kRParen,
                           Tok::kEnd};
  CHECK(kinds == want);
  CHECK(t.value()[7].text == ":v");
  CHECK(t.value()[9].text == "#n");
}

TEST_CASE("ddb tokenizer operators", "[ddb][expr][tokenizer]") {
  struct C { const char* text; Tok kind; };
  C cases[] = {{"=", Tok::kEq}, {"<>", Tok::kNe}, {"<", Tok::kLt}, {"<=", Tok::kLe},
               {">", Tok::kGt}, {">=", Tok::kGe}, {"+", Tok::kPlus}, {"-", Tok::kMinus},
               {",", Tok::kComma}, {"(", Tok::kLParen}, {")", Tok::kRParen}};
  for (const auto& c : cases) {
    auto t = Tokenize(c.text, "X");
    REQUIRE(t.ok());
    CHECK(t.value()[0].kind == c.kind);
    CHECK(t.value()[1].kind == Tok::kEnd);
  }
}

TEST_CASE("ddb tokenizer rejects stray characters", "[ddb][expr][tokenizer]") {
  for (const char* bad : {"a $ b", "a ! b", "# = :v", "a = :", "a ; b", "a & b", "a ? b", "'a'"}) {
    INFO(bad);
    auto t = Tokenize(bad, "ConditionExpression");
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().message.find("Invalid ConditionExpression: Syntax error; token:") == 0);
  }
}

TEST_CASE("ddb tokenizer keeps whitespace-free forms", "[ddb][expr][tokenizer]") {
  auto t = Tokenize("a=:v", "X");
  REQUIRE(t.ok());
  CHECK(t.value().size() == 4);
  auto t2 = Tokenize("  \t\n a  ", "X");
  REQUIRE(t2.ok());
  CHECK(t2.value().size() == 2);
}

TEST_CASE("ddb condition comparisons", "[ddb][expr][eval]") {
  struct C { const char* e; bool want; };
  C cases[] = {
      {"age = :42", true},          {"age = :42f", true},         {"age <> :42", false},
      {"age < :50", true},          {"age <= :42", true},         {"age > :42", false},
      {"age >= :42", true},         {"age > :10", true},          {"age < :10", false},
      {"#n = :alice", true},        {"#n <> :alice", false},      {"#n > :al", true},
      {"#n < :al", false},          {"age = :alice", false},      {"age < :alice", false},
      {"zzz = :42", false},         {"zzz <> :42", true},         {"#missing < :42", false},
      {":42 = age", true},          {":10 < age", true},          {"score > :5", true},
      {"score < :9", true},         {"bin = :b1", false},         {"ok = :true", true},
      {"#s = :active", true},       {"mp.inr.v = :3", true},   {"mp.inr.v > :2", true},
      {"lst[1] = :5", true},       {"lst[0] = :a", true},       {"lst[2].deep = :x", true},
      {"lst[7] = :a", false},      {"#m.s = :world", false},     {"#ab = :a", false},
      {"age = age", true},          {"age <> score", true},       {"age > score", true},
  };
  for (const auto& c : cases) {
    INFO(c.e);
    CHECK(Eval(c.e) == c.want);
  }
}

TEST_CASE("ddb condition BETWEEN and IN", "[ddb][expr][eval]") {
  struct C { const char* e; bool want; };
  C cases[] = {
      {"age BETWEEN :10 AND :50", true},   {"age BETWEEN :42 AND :42", true},
      {"age BETWEEN :10 AND :11", false},  {"score BETWEEN :5 AND :9", true},
      {"#n BETWEEN :al AND :alice", true}, {"zzz BETWEEN :1 AND :9", false},
      {"age BETWEEN :al AND :alice", false},
      {"age IN (:10, :42)", true},         {"age IN (:10)", false},
      {"#n IN (:alice, :al)", true},       {"zzz IN (:1)", false},
      {"age IN (:42f)", true},             {"#s IN (:active)", true},
      {"age in (:42)", true},              {"age between :10 and :50", true},
  };
  for (const auto& c : cases) {
    INFO(c.e);
    CHECK(Eval(c.e) == c.want);
  }
}

TEST_CASE("ddb condition functions", "[ddb][expr][eval]") {
  struct C { const char* e; bool want; };
  C cases[] = {
      {"attribute_exists(age)", true},           {"attribute_exists(zzz)", false},
      {"attribute_not_exists(zzz)", true},       {"attribute_not_exists(age)", false},
      {"attribute_exists(mp.inr.v)", true},   {"attribute_exists(mp.inr.w)", false},
      {"attribute_exists(lst[2].deep)", true},  {"attribute_exists(lst[9])", false},
      {"attribute_exists(#missing)", false},     {"attribute_exists(#m)", true},
      {"attribute_type(tags, :t_ss)", true},     {"attribute_type(tags, :t_n)", false},
      {"attribute_type(age, :t_n)", true},       {"attribute_type(mp, :t_m)", true},
      {"attribute_type(lst, :t_l)", true},      {"attribute_type(nothing, :t_null)", true},
      {"attribute_type(ok, :t_bool)", true},     {"attribute_type(bin, :t_b)", true},
      {"attribute_type(bins, :t_bs)", true},     {"attribute_type(nums, :t_ns)", true},
      {"attribute_type(#n, :t_s)", true},        {"attribute_type(zzz, :t_s)", false},
      {"begins_with(#n, :al)", true},            {"begins_with(#n, :alice)", true},
      {"begins_with(#n, :red)", false},          {"begins_with(pk, :user)", true},
      {"begins_with(bin, :b01)", true},          {"begins_with(zzz, :al)", false},
      {"contains(tags, :red)", true},            {"contains(tags, :green)", false},
      {"contains(#n, :al)", true},               {"contains(mp.s, :world)", true},
      {"contains(nums, :2)", true},              {"contains(nums, :9)", false},
      {"contains(lst, :a)", true},              {"contains(lst, :5)", true},
      {"contains(lst, :x)", false},             {"contains(bins, :b1)", true},
      {"contains(age, :42)", false},             {"contains(zzz, :a)", false},
      {"size(#n) = :5", true},                   {"size(tags) = :2", true},
      {"size(nums) = :3", true},                 {"size(lst) = :3", true},
      {"size(mp) = :2", true},                  {"size(bin) = :3", true},
      {"size(age) = :2", false},                 {"size(zzz) = :1", false},
      {"size(#n) > :2", true},                   {"size(mp.s) = :11", true},
      {"size(tags) BETWEEN :1 AND :3", true},    {"size(lst) IN (:3)", true},
  };
  for (const auto& c : cases) {
    INFO(c.e);
    CHECK(Eval(c.e) == c.want);
  }
}

TEST_CASE("ddb condition logic and precedence", "[ddb][expr][eval]") {
  struct C { const char* e; bool want; };
  C cases[] = {
      {"age = :42 AND #n = :alice", true},       {"age = :42 AND #n = :al", false},
      {"age = :10 OR #n = :alice", true},        {"age = :10 OR #n = :al", false},
      {"NOT age = :10", true},                   {"NOT age = :42", false},
      {"NOT (age = :10 OR age = :42)", false},   {"(age = :10 OR age = :42) AND ok = :true", true},
      {"age = :10 OR age = :42 AND ok = :true", true},
      {"age = :42 OR age = :10 AND ok = :true", true},
      {"age = :10 AND ok = :true OR #n = :alice", true},
      {"NOT age = :10 AND NOT age = :11", true}, {"NOT NOT age = :42", true},
      {"((age = :42))", true},                   {"NOT attribute_exists(zzz)", true},
      {"attribute_exists(age) AND attribute_not_exists(zzz)", true},
      {"age = :42 and #n = :alice", true},       {"age = :10 or #n = :alice", true},
      {"not age = :10", true},
      {"(age = :10 OR #n = :alice) AND (size(tags) = :2 OR zzz = :1)", true},
      {"age = :10 OR (age = :11 OR (age = :42 AND NOT (#n = :al)))", true},
  };
  for (const auto& c : cases) {
    INFO(c.e);
    CHECK(Eval(c.e) == c.want);
  }
}

TEST_CASE("ddb condition syntax errors", "[ddb][expr][parser]") {
  const char* bad[] = {"age =",         "age = :42 AND",    "= :42",        "age :42",
                       "(age = :42",    "age = :42)",       "age BETWEEN :10", "age IN ()",
                       "age IN :42",    "AND age = :42",    "age == :42",   "age = :42 :10",
                       "a.[0] = :42",   "a[x] = :42",       "NOT",          "size(age)",
                       "age BETWEEN :10 OR :50", "attribute_exists(age",  "a..b = :42"};
  for (const char* e : bad) {
    INFO(e);
    std::string msg = ParseError(e);
    CHECK_FALSE(msg.empty());
    CHECK(msg.find("Invalid ConditionExpression") == 0);
  }
}

TEST_CASE("ddb condition semantic errors", "[ddb][expr][parser]") {
  CHECK(ParseError("#nope = :42") ==
        "Invalid ConditionExpression: An expression attribute name used in the document path is "
        "not defined; attribute name: #nope");
  CHECK(ParseError("age = :nope") ==
        "Invalid ConditionExpression: An expression attribute value used in expression is not "
        "defined; attribute value: :nope");
  CHECK(ParseError("status = :active") ==
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
  CHECK(ParseError("name = :alice").find("reserved keyword: name") != std::string::npos);
  CHECK(ParseError("size = :42").find("reserved keyword") != std::string::npos);
  CHECK(ParseError("foo(age)").find("Invalid function name; function: foo") != std::string::npos);
  CHECK(ParseError("attribute_exists(:42)").find("requires a document path") != std::string::npos);
  CHECK(ParseError("attribute_exists(age, :42)").find("Incorrect number of operands") != std::string::npos);
  CHECK(ParseError("begins_with(age)").find("Incorrect number of operands") != std::string::npos);
  CHECK(ParseError("attribute_type(age, :alice)").find("Invalid attribute type name found") != std::string::npos);
  CHECK(ParseError("begins_with(#n, :42)").find("operator or function: begins_with, operand type: N") != std::string::npos);
  CHECK(ParseError("age BETWEEN :50 AND :10").find("BETWEEN operator requires upper bound") != std::string::npos);
  CHECK(ParseError("   ") == "Invalid ConditionExpression: The expression can not be empty;");
  CHECK(ParseError("age = :42", Json(), Json()).find("attribute value: :42") != std::string::npos);
}

TEST_CASE("ddb unused placeholders are reported", "[ddb][expr][parser]") {
  Json names = {{"#a", "age"}, {"#unused", "x"}};
  Json values = {{":v", {{"N", "1"}}}, {":w", {{"N", "2"}}}};
  ParseContext pc(names, values);
  REQUIRE(pc.ParseCondition("#a = :v", "ConditionExpression").ok());
  auto s = pc.CheckAllUsed();
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message ==
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}");
  Json names2 = {{"#a", "age"}};
  ParseContext pc2(names2, values);
  REQUIRE(pc2.ParseCondition("#a = :v", "ConditionExpression").ok());
  auto s2 = pc2.CheckAllUsed();
  REQUIRE_FALSE(s2.ok());
  CHECK(s2.error().message ==
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
  ParseContext pc3(names2, Json{{":v", {{"N", "1"}}}});
  REQUIRE(pc3.ParseCondition("#a = :v", "ConditionExpression").ok());
  CHECK(pc3.CheckAllUsed().ok());
}

namespace {

Json Update(const Json& item, const std::string& text, std::vector<Path>* touched = nullptr) {
  ParseContext pc(Names(), Values());
  auto u = pc.ParseUpdate(text);
  INFO(text);
  if (!u.ok()) FAIL(u.error().message);
  Json out = item;
  auto s = ApplyUpdate(u.value(), out, touched);
  if (!s.ok()) FAIL(s.error().message);
  return out;
}

std::string UpdateError(const std::string& text, const Json& item = TestItem()) {
  ParseContext pc(Names(), Values());
  auto u = pc.ParseUpdate(text);
  if (!u.ok()) return u.error().message;
  Json out = item;
  auto s = ApplyUpdate(u.value(), out, nullptr);
  return s.ok() ? "" : s.error().message;
}

}  // namespace

TEST_CASE("ddb update SET", "[ddb][expr][update]") {
  const Json& it = TestItem();
  CHECK(Update(it, "SET age = :10")["age"]["N"] == "10");
  CHECK(Update(it, "SET age = age + :1")["age"]["N"] == "43");
  CHECK(Update(it, "SET age = age - :50")["age"]["N"] == "-8");
  CHECK(Update(it, "SET score = score + :2")["score"]["N"] == "9.5");
  CHECK(Update(it, "SET newattr = :a")["newattr"]["S"] == "a");
  CHECK(Update(it, "SET age = :1 + :2")["age"]["N"] == "3");
  CHECK(Update(it, "SET cnt = if_not_exists(cnt, :1)")["cnt"]["N"] == "1");
  CHECK(Update(it, "SET age = if_not_exists(age, :1)")["age"]["N"] == "42");
  CHECK(Update(it, "SET cnt = if_not_exists(cnt, :10) + :1")["cnt"]["N"] == "11");
  Json l = Update(it, "SET mp.s = :x");
  CHECK(l["mp"]["M"]["s"]["S"] == "x");
  CHECK(Update(it, "SET mp.inr.w = :5")["mp"]["M"]["inr"]["M"]["w"]["N"] == "5");
  CHECK(Update(it, "SET lst[0] = :x")["lst"]["L"][0]["S"] == "x");
  CHECK(Update(it, "SET lst[10] = :x")["lst"]["L"].size() == 4);
  CHECK(Update(it, "SET lst[2].deep = :a")["lst"]["L"][2]["M"]["deep"]["S"] == "a");
  CHECK(Update(it, "SET #s = :alice")["status"]["S"] == "Alice");
  CHECK(Update(it, "SET a1 = age, a2 = #n")["a2"]["S"] == "Alice");
  CHECK(Update(it, "set age = :1")["age"]["N"] == "1");
}

TEST_CASE("ddb update list_append", "[ddb][expr][update]") {
  Json vals = Values();
  vals[":l"] = {{"L", {{{"S", "z"}}}}};
  ParseContext pc(Names(), vals);
  auto u = pc.ParseUpdate("SET lst = list_append(lst, :l), l2 = list_append(:l, lst)");
  REQUIRE(u.ok());
  Json item = TestItem();
  REQUIRE(ApplyUpdate(u.value(), item, nullptr).ok());
  CHECK(item["lst"]["L"].size() == 4);
  CHECK(item["lst"]["L"][3]["S"] == "z");
  CHECK(item["l2"]["L"][0]["S"] == "z");
  ParseContext pc2(Names(), vals);
  auto bad = pc2.ParseUpdate("SET lst = list_append(lst, :a)");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("list_append") != std::string::npos);
}

TEST_CASE("ddb update REMOVE ADD DELETE", "[ddb][expr][update]") {
  const Json& it = TestItem();
  CHECK_FALSE(Update(it, "REMOVE age").contains("age"));
  Json r = Update(it, "REMOVE age, mp.inr, lst[0], lst[1]");
  CHECK_FALSE(r.contains("age"));
  CHECK_FALSE(r["mp"]["M"].contains("inr"));
  CHECK(r["lst"]["L"].size() == 1);
  CHECK(r["lst"]["L"][0].contains("M"));
  CHECK(Update(it, "REMOVE zzz") == it);
  CHECK(Update(it, "ADD age :1")["age"]["N"] == "43");
  CHECK(Update(it, "ADD newnum :5")["newnum"]["N"] == "5");
  Json vals = Values();
  (void)vals;
  Json added = Update(it, "ADD age :1, cnt :2");
  CHECK(added["cnt"]["N"] == "2");
  CHECK(Update(it, "SET age = :1 REMOVE score")["age"]["N"] == "1");
  CHECK(Update(it, "REMOVE score SET age = :1")["age"]["N"] == "1");
}

TEST_CASE("ddb update sets", "[ddb][expr][update]") {
  Json vals = Values();
  vals[":ss"] = {{"SS", {"red", "green"}}};
  vals[":rm"] = {{"SS", {"red", "blue"}}};
  vals[":ns"] = {{"NS", {"2", "9"}}};
  ParseContext pc(Names(), vals);
  auto u = pc.ParseUpdate("ADD tags :ss, nums :ns");
  REQUIRE(u.ok());
  Json item = TestItem();
  REQUIRE(ApplyUpdate(u.value(), item, nullptr).ok());
  CHECK(item["tags"]["SS"].size() == 3);
  CHECK(item["nums"]["NS"].size() == 4);
  ParseContext pc2(Names(), vals);
  auto d = pc2.ParseUpdate("DELETE tags :rm");
  REQUIRE(d.ok());
  Json item2 = TestItem();
  REQUIRE(ApplyUpdate(d.value(), item2, nullptr).ok());
  CHECK_FALSE(item2.contains("tags"));  // emptied set disappears
  ParseContext pc3(Names(), vals);
  auto mismatch = pc3.ParseUpdate("ADD tags :ns");
  REQUIRE(mismatch.ok());
  Json item3 = TestItem();
  auto s = ApplyUpdate(mismatch.value(), item3, nullptr);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "An operand in the update expression has an incorrect data type");
}

TEST_CASE("ddb update errors", "[ddb][expr][update]") {
  CHECK(UpdateError("SET age = zzz + :1") ==
        "The provided expression refers to an attribute that does not exist in the item");
  CHECK(UpdateError("SET #n = #n + :1") ==
        "An operand in the update expression has an incorrect data type");
  CHECK(UpdateError("SET nomap.x = :1") ==
        "The document path provided in the update expression is invalid for update");
  CHECK(UpdateError("SET age.x = :1") ==
        "The document path provided in the update expression is invalid for update");
  CHECK(UpdateError("SET age = :1, age = :2").find("Two document paths overlap") != std::string::npos);
  CHECK(UpdateError("SET mp = :1 REMOVE mp.s").find("Two document paths overlap") != std::string::npos);
  CHECK(UpdateError("SET age = :1 SET score = :2").find("can only be used once") != std::string::npos);
  CHECK(UpdateError("ADD age :alice").find("Incorrect operand type") != std::string::npos);
  CHECK(UpdateError("DELETE tags :1").find("Incorrect operand type") != std::string::npos);
  CHECK(UpdateError("SET age = :alice + :1").find("Incorrect operand type") != std::string::npos);
  CHECK(UpdateError("SET").find("Syntax error") != std::string::npos);
  CHECK(UpdateError("UPSERT age = :1").find("Syntax error") != std::string::npos);
  CHECK(UpdateError("SET age :1").find("Syntax error") != std::string::npos);
  CHECK(UpdateError("REMOVE").find("Syntax error") != std::string::npos);
  CHECK(UpdateError("SET status = :1").find("reserved keyword: status") != std::string::npos);
  CHECK(UpdateError("SET age = :undefined").find("not defined") != std::string::npos);
  CHECK(UpdateError("SET age = size(x)").find("function") != std::string::npos);
  CHECK(UpdateError("").find("can not be empty") != std::string::npos);
}

TEST_CASE("ddb update reports touched paths", "[ddb][expr][update]") {
  std::vector<Path> touched;
  Json out = Update(TestItem(), "SET age = :1, mp.inr.v = :2 REMOVE score", &touched);
  REQUIRE(touched.size() == 3);
  Json p = Project(out, touched);
  CHECK(p["age"]["N"] == "1");
  CHECK(p["mp"]["M"]["inr"]["M"]["v"]["N"] == "2");
  CHECK_FALSE(p["mp"]["M"].contains("s"));
  CHECK_FALSE(p.contains("score"));
}

TEST_CASE("ddb projection", "[ddb][expr][projection]") {
  ParseContext pc(Names(), Json());
  auto paths = pc.ParseProjection("age, #n, mp.inr.v, lst[2].deep, lst[0], zzz");
  REQUIRE(paths.ok());
  Json p = Project(TestItem(), paths.value());
  CHECK(p["age"]["N"] == "42");
  CHECK(p["name"]["S"] == "Alice");
  CHECK(p["mp"]["M"]["inr"]["M"]["v"]["N"] == "3");
  CHECK_FALSE(p["mp"]["M"].contains("s"));
  REQUIRE(p["lst"]["L"].size() == 2);
  CHECK(p["lst"]["L"][0]["S"] == "a");
  CHECK(p["lst"]["L"][1]["M"]["deep"]["S"] == "x");
  CHECK_FALSE(p.contains("zzz"));
  CHECK(p.size() == 4);
  ParseContext pc2(Names(), Json());
  auto overlap = pc2.ParseProjection("mp, mp.s");
  REQUIRE_FALSE(overlap.ok());
  CHECK(overlap.error().message.find("Two document paths overlap") != std::string::npos);
  ParseContext pc3(Names(), Json());
  CHECK_FALSE(pc3.ParseProjection("a,").ok());
  ParseContext pc4(Names(), Json());
  CHECK_FALSE(pc4.ParseProjection("data").ok());  // reserved
  ParseContext pc5(Names(), Json());
  auto dotted = pc5.ParseProjection("#dot");
  REQUIRE(dotted.ok());
  CHECK(Project(TestItem(), dotted.value()).empty());  // "mp.s" is one attribute name
}

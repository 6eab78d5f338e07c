// What a target receives: envelope, Input, InputPath and InputTransformer (PROTOCOLS.md §6.3).
#include "emulator/events/input_transform.h"

#include <catch2/catch.hpp>

using namespace edastack::events;

namespace {

OrderedJson Envelope() {
  return BuildEnvelope(
      "11111111-2222-3333-4444-555555555555", "OrderPlaced", "app.orders", "000000000000",
      1795860000000, "us-east-1", {"arn:aws:s3:::x"},
      OrderedJson::parse(R"({"status":"NEW","id":42,"items":[{"sku":"A"}],"note":"say \"hi\""})"));
}

std::string Render(const std::vector<std::pair<std::string, std::string>>& paths,
                   const std::string& tpl) {
  OrderedJson env = Envelope();
  std::string text = env.dump();
  TransformContext ctx{env, text, "arn:aws:events:us-east-1:000000000000:rule/r1", "r1",
                       1795860001000};
  InputTransformer xf;
  xf.paths = paths;
  xf.has_paths = true;
  xf.input_template = tpl;
  return RenderTemplate(xf, ctx);
}

const std::vector<std::pair<std::string, std::string>> kPaths = {
    {"st", "$.detail.status"},        {"id", "$.detail.id"},        {"items", "$.detail.items"},
    {"sku", "$.detail.items[0].sku"}, {"missing", "$.detail.nope"}, {"dt", "$.detail-type"},
    {"note", "$.detail.note"}};

}  // namespace

TEST_CASE("envelope: AWS member order, minified, time without milliseconds", "[events]") {
  CHECK(Envelope().dump() ==
        R"({"version":"0","id":"11111111-2222-3333-4444-555555555555","detail-type":"OrderPlaced",)"
        R"("source":"app.orders","account":"000000000000","time":"2026-11-28T10:00:00Z",)"
        R"("region":"us-east-1","resources":["arn:aws:s3:::x"],)"
        R"("detail":{"status":"NEW","id":42,"items":[{"sku":"A"}],"note":"say \"hi\""}})");
}

TEST_CASE("input transformer: the documented substitution table", "[events]") {
  // Bare placeholder: the JSON value.
  CHECK(Render(kPaths, R"({"s": <st>, "n": <id>})") == R"({"s": "NEW", "n": 42})");
  CHECK(Render(kPaths, R"({"items": <items>})") == R"({"items": [{"sku":"A"}]})");
  // Inside a JSON string: the raw text, not escaped.
  CHECK(Render(kPaths, R"({"m": "order <id> is <st>"})") == R"({"m": "order 42 is NEW"})");
  // A template that is one quoted string keeps its quotes.
  CHECK(Render(kPaths, R"("order <id> is <st>")") == R"("order 42 is NEW")");
  // A plain-text template: raw substitution.
  CHECK(Render(kPaths, "<sku> is in state <st>") == "A is in state NEW");
  CHECK(Render(kPaths, R"(<sku> is in state "<st>")") == R"(A is in state "NEW")");
  // An absent path: "" when bare, nothing inside a string.
  CHECK(Render(kPaths, R"({"x": <missing>, "y": "a<missing>b"})") == R"({"x": "", "y": "ab"})");
  // Escaped quotes inside template strings do not end the string.
  CHECK(Render(kPaths, R"({"q": "\"<st>\"", "b": <st>})") == R"({"q": "\"NEW\"", "b": "NEW"})");
  // Keys with dashes, array indices.
  CHECK(Render(kPaths, R"({"t": <dt>})") == R"({"t": "OrderPlaced"})");
  // A string value holding quotes, bare: properly escaped JSON.
  CHECK(Render(kPaths, R"({"n": <note>})") == R"({"n": "say \"hi\""})");
}

TEST_CASE("input transformer: predefined variables", "[events]") {
  CHECK(Render({}, R"({"r": <aws.events.rule-arn>, "n": "<aws.events.rule-name>"})") ==
        R"({"r": "arn:aws:events:us-east-1:000000000000:rule/r1", "n": "r1"})");
  CHECK(Render({}, R"({"t": <aws.events.event.ingestion-time>})") ==
        R"({"t": "2026-11-28T10:00:01Z"})");
  std::string whole = Render({}, R"({"e": <aws.events.event.json>})");
  CHECK(whole == std::string(R"({"e": )") + Envelope().dump() + "}");
  std::string partial = Render({}, R"({"e": <aws.events.event>})");
  auto parsed = OrderedJson::parse(partial);
  CHECK(parsed["e"]["detailType"] == "OrderPlaced");
  CHECK_FALSE(parsed["e"].contains("detail"));
  CHECK_FALSE(parsed["e"].contains("detail-type"));
  CHECK(parsed["e"].begin().key() == "version");
}

TEST_CASE("target input: envelope, Input, InputPath", "[events]") {
  OrderedJson env = Envelope();
  std::string text = env.dump();
  TransformContext ctx{env, text, "arn", "r1", 0};
  Target t;
  t.id = "t1";
  CHECK(*RenderTargetInput(t, ctx) == text);
  t.input = R"({"constant":true})";
  CHECK(*RenderTargetInput(t, ctx) == R"({"constant":true})");
  t.input.reset();
  t.input_path = "$.detail.status";
  CHECK(*RenderTargetInput(t, ctx) == R"("NEW")");  // a string arrives with its quotes
  t.input_path = "$.detail";
  CHECK(*RenderTargetInput(t, ctx) == env["detail"].dump());
  t.input_path = "$.detail.items[0]";
  CHECK(*RenderTargetInput(t, ctx) == R"({"sku":"A"})");
  t.input_path = "$";
  CHECK(*RenderTargetInput(t, ctx) == text);
  t.input_path = "$.detail.nope";
  CHECK_FALSE(RenderTargetInput(t, ctx).has_value());
}

TEST_CASE("target input validation", "[events]") {
  Target t;
  t.id = "t1";
  t.arn = "arn:aws:sqs:us-east-1:000000000000:q";
  CHECK(ValidateTargetInput(t).ok());
  t.input = "{}";
  t.input_path = "$.detail";
  auto both = ValidateTargetInput(t);
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().code == "ValidationException");
  CHECK(both.error().message ==
        "Only one of Input, InputPath, or InputTransformer must be provided for target t1.");
  t.input_path.reset();
  t.input = "not json";
  CHECK_FALSE(ValidateTargetInput(t).ok());
  t.input.reset();
  t.input_path = "detail.status";
  CHECK_FALSE(ValidateTargetInput(t).ok());
  t.input_path.reset();
  InputTransformer xf;
  xf.paths = {{"st", "$.detail.status"}};
  xf.input_template = R"({"s": <st>, "x": <other>})";
  t.input_transformer = xf;
  auto bad = ValidateTargetInput(t);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "InputTemplate for target t1 contains invalid placeholder other.");
  t.input_transformer->input_template = R"({"s": <st>, "r": <aws.events.rule-name>})";
  CHECK(ValidateTargetInput(t).ok());
  t.input_transformer->input_template = R"({<st>: "v"})";
  auto key = ValidateTargetInput(t);
  REQUIRE_FALSE(key.ok());
  CHECK(key.error().message == "InputTemplate for target t1 uses placeholder st as an object key.");
  t.input_transformer->input_template = R"({"k": "a <st>: b", "n": <st>})";
  CHECK(ValidateTargetInput(t).ok());
  t.input_transformer->paths = {{"AWSthing", "$.detail"}};
  t.input_transformer->input_template = "<AWSthing>";
  CHECK_FALSE(ValidateTargetInput(t).ok());
  t.input_transformer->paths = {{"bad name", "$.detail"}};
  CHECK_FALSE(ValidateTargetInput(t).ok());
  t.input_transformer->paths = {{"ok", "$.detail["}};
  t.input_transformer->input_template = "<ok>";
  CHECK_FALSE(ValidateTargetInput(t).ok());
}

TEST_CASE("json paths", "[events]") {
  for (const char* p : {"$", "$.detail", "$.detail-type", "$.detail.items[0].sku", "$.a_b.c"})
    CHECK(IsValidJsonPath(p));
  for (const char* p : {"", "detail", "$.", "$..a", "$.a[", "$.a[x]", "$['a']", "$.a b"})
    CHECK_FALSE(IsValidJsonPath(p));
}

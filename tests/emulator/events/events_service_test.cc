// EventBridge through Emulator::Handle (JSON 1.1 wire in, JSON out), with a fake SQS service
// that records what the delivery worker sends it, and an in-process function target.
#include "emulator/events/events_service.h"

#include <catch2/catch.hpp>
#include <mutex>

#include "emulator/server/emulator.h"

using namespace edastack;
using nlohmann::json;

namespace {

// Records SendMessage calls; queues whose name starts with "missing" do not exist.
class FakeSqs : public ServiceHandler {
 public:
  struct Call {
    std::string operation, authorization, body;
  };
  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override {
    std::lock_guard<std::mutex> lock(mu_);
    json b = json::parse(req.body);
    http::Response res;
    res.SetHeader("Content-Type", "application/x-amz-json-1.0");
    if (b["QueueUrl"].get<std::string>().find("/missing") != std::string::npos) {
      res.status = 400;
      res.body = R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no queue"})";
      return res;
    }
    calls.push_back({route.operation, req.Header("Authorization"), req.body});
    res.body = R"({"MessageId":"m1"})";
    return res;
  }
  std::vector<Call> Calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls;
  }
  std::vector<json> Bodies() {
    std::vector<json> out;
    for (const auto& c : Calls()) out.push_back(json::parse(c.body));
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<Call> calls;
};

struct Fixture {
  ManualClock clock{1795860000000};
  Emulator emu{EmulatorOptions{"", true}, clock};
  FakeSqs* sqs = nullptr;
  events::EventsService* events = nullptr;
  std::vector<std::string> invoked;
  std::mutex mu;

  Fixture() {
    auto fake = std::make_unique<FakeSqs>();
    sqs = fake.get();
    emu.AddService(http::Service::kSqs, std::move(fake));
    auto svc = std::make_unique<events::EventsService>(emu);
    events = svc.get();
    emu.AddService(http::Service::kEvents, std::move(svc));
    emu.functions().Register("fn", [this](const std::string& e) -> Result<std::string> {
      std::lock_guard<std::mutex> lock(mu);
      invoked.push_back(e);
      return std::string("{}");
    });
  }

  http::Response Raw(const std::string& op, const std::string& body, bool internal = false) {
    http::Request req;
    req.method = "POST";
    req.target = "/";
    req.headers.emplace("Host", "localhost:4566");
    req.headers.emplace("Content-Type", "application/x-amz-json-1.1");
    req.headers.emplace("X-Amz-Target", "AWSEvents." + op);
    if (internal) req.headers.emplace("x-edastack-internal", "1");
    req.body = body;
    return emu.Handle(req);
  }
  json Call(const std::string& op, const json& body, int expect_status = 200) {
    auto res = Raw(op, body.dump());
    INFO(op << " " << res.body);
    CHECK(res.status == expect_status);
    return res.body.empty() ? json::object() : json::parse(res.body);
  }
  void Idle() { events->TEST_delivery().TEST_WaitIdle(); }
};

json PutEvent(const std::string& source, const json& detail,
              const std::string& type = "OrderPlaced") {
  return {{"Source", source}, {"DetailType", type}, {"Detail", detail.dump()}};
}

}  // namespace

TEST_CASE("events: buses", "[events]") {
  Fixture f;
  auto list = f.Call("ListEventBuses", json::object());
  REQUIRE(list["EventBuses"].size() == 1);
  CHECK(list["EventBuses"][0]["Name"] == "default");
  CHECK(list["EventBuses"][0]["CreationTime"].is_number());
  auto created = f.Call("CreateEventBus", {{"Name", "orders"}, {"Description", "d"}});
  CHECK(created["EventBusArn"] == "arn:aws:events:us-east-1:000000000000:event-bus/orders");
  auto dup = f.Call("CreateEventBus", {{"Name", "orders"}}, 400);
  CHECK(dup["__type"] == "ResourceAlreadyExistsException");
  CHECK(dup["message"] == "Event bus orders already exists.");
  auto d = f.Call("DescribeEventBus",
                  {{"Name", "arn:aws:events:us-east-1:000000000000:event-bus/orders"}});
  CHECK(d["Name"] == "orders");
  CHECK(d["Description"] == "d");
  CHECK(f.Call("DescribeEventBus", {{"Name", "nope"}}, 400)["__type"] ==
        "ResourceNotFoundException");
  CHECK(f.Call("DeleteEventBus", {{"Name", "default"}}, 400)["message"] ==
        "Cannot delete event bus default.");
  f.Call("DeleteEventBus", {{"Name", "unknown-bus"}});
  auto page = f.Call("ListEventBuses", {{"Limit", 1}});
  REQUIRE(page["EventBuses"].size() == 1);
  CHECK(page["EventBuses"][0]["Name"] == "default");
  auto page2 = f.Call("ListEventBuses", {{"Limit", 1}, {"NextToken", page["NextToken"]}});
  CHECK(page2["EventBuses"][0]["Name"] == "orders");
  CHECK_FALSE(page2.contains("NextToken"));
  f.Call("DeleteEventBus", {{"Name", "orders"}});
  CHECK(f.Call("ListEventBuses", json::object())["EventBuses"].size() == 1);
}

TEST_CASE("events: rules and their errors", "[events]") {
  Fixture f;
  auto bad = f.Call("PutRule", {{"Name", "r1"}, {"EventPattern", R"({"source":"x"})"}}, 400);
  CHECK(bad["__type"] == "InvalidEventPatternException");
  CHECK(f.Call("ListRules", json::object())["Rules"].empty());  // bad input changed nothing
  CHECK(f.Call("PutRule", {{"Name", "r1"}}, 400)["__type"] == "ValidationException");
  CHECK(f.Call("PutRule",
               {{"Name", "r1"}, {"EventBusName", "nobus"}, {"EventPattern", R"({"source":["a"]})"}},
               400)["__type"] == "ResourceNotFoundException");
  CHECK(f.Call("PutRule", {{"Name", "bad name"}, {"EventPattern", R"({"source":["a"]})"}},
               400)["__type"] == "ValidationException");
  std::string big = R"({"source":[")" + std::string(5000, 'a') + R"("]})";
  CHECK(f.Call("PutRule", {{"Name", "r1"}, {"EventPattern", big}}, 400)["__type"] ==
        "ValidationException");

  auto arn = f.Call(
      "PutRule", {{"Name", "r1"}, {"EventPattern", R"({"source":["a"]})"}, {"Description", "one"}});
  CHECK(arn["RuleArn"] == "arn:aws:events:us-east-1:000000000000:rule/r1");
  f.Call("CreateEventBus", {{"Name", "b2"}});
  auto arn2 = f.Call(
      "PutRule", {{"Name", "r1"}, {"EventBusName", "b2"}, {"EventPattern", R"({"source":["a"]})"}});
  CHECK(arn2["RuleArn"] == "arn:aws:events:us-east-1:000000000000:rule/b2/r1");
  auto d = f.Call("DescribeRule", {{"Name", "r1"}});
  CHECK(d["State"] == "ENABLED");
  CHECK(d["Description"] == "one");
  CHECK(d["EventBusName"] == "default");
  CHECK(d["CreatedBy"] == "000000000000");
  CHECK(d["EventPattern"] == R"({"source":["a"]})");
  // An upsert replaces every field; omitted ones become empty.
  f.Call("PutRule",
         {{"Name", "r1"}, {"EventPattern", R"({"source":["b"]})"}, {"State", "DISABLED"}});
  d = f.Call("DescribeRule", {{"Name", "r1"}});
  CHECK_FALSE(d.contains("Description"));
  CHECK(d["State"] == "DISABLED");
  f.Call("EnableRule", {{"Name", "r1"}});
  CHECK(f.Call("DescribeRule", {{"Name", "r1"}})["State"] == "ENABLED");
  auto nf = f.Call("DisableRule", {{"Name", "nope"}}, 400);
  CHECK(nf["__type"] == "ResourceNotFoundException");
  CHECK(nf["message"] == "Rule nope does not exist on EventBus default.");
  f.Call("PutRule", {{"Name", "r2"}, {"ScheduleExpression", "rate(5 minutes)"}});
  CHECK(f.Call("PutRule", {{"Name", "r3"}, {"ScheduleExpression", "every day"}}, 400)["__type"] ==
        "ValidationException");
  auto page = f.Call("ListRules", {{"Limit", 1}});
  REQUIRE(page["Rules"].size() == 1);
  CHECK(page["Rules"][0]["Name"] == "r1");
  CHECK_FALSE(page["Rules"][0].contains("CreatedBy"));
  auto page2 = f.Call("ListRules", {{"Limit", 1}, {"NextToken", page["NextToken"]}});
  CHECK(page2["Rules"][0]["Name"] == "r2");
  CHECK(f.Call("ListRules", {{"NamePrefix", "r2"}})["Rules"].size() == 1);
  f.Call("DeleteRule", {{"Name", "r2"}});
  f.Call("DeleteRule", {{"Name", "never-existed"}});
  CHECK(f.Call("DeleteRule", {{"Name", "x"}, {"EventBusName", "nobus"}}, 400)["__type"] ==
        "ResourceNotFoundException");
  CHECK(f.Call("ListRules", json::object())["Rules"].size() == 1);
  CHECK(f.Call("Bogus", json::object(), 400)["__type"] == "UnknownOperationException");
  auto res = f.Raw("ListRules", "{not json");
  CHECK(res.status == 400);
  CHECK(json::parse(res.body)["__type"] == "SerializationException");
}

TEST_CASE("events: targets", "[events]") {
  Fixture f;
  f.Call("PutRule", {{"Name", "r1"}, {"EventPattern", R"({"source":["a"]})"}});
  json targets = json::array();
  for (int i = 1; i <= 5; ++i)
    targets.push_back({{"Id", "t" + std::to_string(i)},
                       {"Arn", "arn:aws:sqs:us-east-1:000000000000:q" + std::to_string(i)}});
  auto put = f.Call("PutTargets", {{"Rule", "r1"}, {"Targets", targets}});
  CHECK(put["FailedEntryCount"] == 0);
  CHECK(put["FailedEntries"].is_array());
  auto sixth =
      f.Call("PutTargets",
             {{"Rule", "r1"},
              {"Targets", {{{"Id", "t6"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:q6"}}}}},
             400);
  CHECK(sixth["__type"] == "LimitExceededException");
  // Same id replaces in place.
  f.Call("PutTargets", {{"Rule", "r1"},
                        {"Targets",
                         {{{"Id", "t1"},
                           {"Arn", "arn:aws:sqs:us-east-1:000000000000:other"},
                           {"Input", R"({"a":1})"}}}}});
  auto list = f.Call("ListTargetsByRule", {{"Rule", "r1"}});
  REQUIRE(list["Targets"].size() == 5);
  CHECK(list["Targets"][0]["Id"] == "t1");
  CHECK(list["Targets"][0]["Arn"] == "arn:aws:sqs:us-east-1:000000000000:other");
  CHECK(list["Targets"][0]["Input"] == R"({"a":1})");
  auto page = f.Call("ListTargetsByRule", {{"Rule", "r1"}, {"Limit", 2}});
  REQUIRE(page["Targets"].size() == 2);
  auto page2 =
      f.Call("ListTargetsByRule", {{"Rule", "r1"}, {"Limit", 2}, {"NextToken", page["NextToken"]}});
  CHECK(page2["Targets"][0]["Id"] == "t3");
  auto both = f.Call(
      "PutTargets",
      {{"Rule", "r1"},
       {"Targets", {{{"Id", "t1"}, {"Arn", "arn:x"}, {"Input", "{}"}, {"InputPath", "$.detail"}}}}},
      400);
  CHECK(both["__type"] == "ValidationException");
  CHECK(f.Call("ListTargetsByRule", {{"Rule", "r1"}})["Targets"][0]["Input"] == R"({"a":1})");
  auto fifo =
      f.Call("PutTargets",
             {{"Rule", "r1"},
              {"Targets", {{{"Id", "t1"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:q.fifo"}}}}},
             400);
  CHECK(fifo["__type"] == "ValidationException");
  CHECK(f.Call("ListTargetsByRule", {{"Rule", "nope"}}, 400)["__type"] ==
        "ResourceNotFoundException");
  CHECK(f.Call("DeleteRule", {{"Name", "r1"}}, 400)["message"] ==
        "Rule can't be deleted since it has targets.");
  f.Call("RemoveTargets", {{"Rule", "r1"}, {"Ids", {"t1", "t2", "t3", "t4", "t5", "zz"}}});
  CHECK(f.Call("ListTargetsByRule", {{"Rule", "r1"}})["Targets"].empty());
  f.Call("DeleteRule", {{"Name", "r1"}});
}

TEST_CASE("events: PutEvents validation stays inside a 200 per entry", "[events]") {
  Fixture f;
  json eleven = json::array();
  for (int i = 0; i < 11; ++i) eleven.push_back(PutEvent("app", {{"i", i}}));
  auto too_many = f.Call("PutEvents", {{"Entries", eleven}}, 400);
  CHECK(too_many["__type"] == "ValidationException");
  CHECK(f.Call("PutEvents", {{"Entries", json::array()}}, 400)["__type"] == "ValidationException");
  json big = json::array();
  for (int i = 0; i < 2; ++i) big.push_back(PutEvent("app", {{"s", std::string(140 * 1024, 'x')}}));
  CHECK(f.Call("PutEvents", {{"Entries", big}}, 400)["__type"] == "ValidationException");

  auto res = f.Call("PutEvents", {{"Entries",
                                   {PutEvent("app", {{"a", 1}}),
                                    {{"DetailType", "t"}, {"Detail", "{}"}},
                                    {{"Source", "s"}, {"Detail", "{}"}},
                                    {{"Source", "s"}, {"DetailType", "t"}},
                                    {{"Source", "s"}, {"DetailType", "t"}, {"Detail", "[1,2]"}},
                                    PutEvent("aws.s3", json::object())}}});
  CHECK(res["FailedEntryCount"] == 5);
  REQUIRE(res["Entries"].size() == 6);
  CHECK(res["Entries"][0]["EventId"].get<std::string>().size() == 36);
  CHECK(res["Entries"][1]["ErrorCode"] == "InvalidArgument");
  CHECK(res["Entries"][1]["ErrorMessage"] ==
        "Parameter Source is not valid. Reason: Source is a required argument.");
  CHECK(res["Entries"][2]["ErrorMessage"] ==
        "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
  CHECK(res["Entries"][3]["ErrorMessage"] ==
        "Parameter Detail is not valid. Reason: Detail is a required argument.");
  CHECK(res["Entries"][4]["ErrorCode"] == "MalformedDetail");
  CHECK(res["Entries"][5]["ErrorCode"] == "NotAuthorizedForSourceException");
  // The emulator's own services (S3) may use aws.* sources.
  auto internal =
      f.Raw("PutEvents",
            json{{"Entries", {PutEvent("aws.s3", json::object(), "Object Created")}}}.dump(), true);
  CHECK(json::parse(internal.body)["FailedEntryCount"] == 0);
  // Unknown bus: accepted, dropped.
  json e = PutEvent("app", json::object());
  e["EventBusName"] = "no-such-bus";
  CHECK(f.Call("PutEvents", {{"Entries", {e}}})["FailedEntryCount"] == 0);
}

TEST_CASE("events: delivery to SQS, functions, only enabled matching rules", "[events]") {
  Fixture f;
  f.Call("PutRule", {{"Name", "orders"},
                     {"EventPattern", R"({"source":["app.orders"],"detail":{"status":["NEW"]}})"}});
  f.Call("PutTargets",
         {{"Rule", "orders"},
          {"Targets",
           {{{"Id", "q"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:orders-q"}},
            {{"Id", "fn"}, {"Arn", "arn:aws:lambda:us-east-1:000000000000:function:fn"}},
            {{"Id", "xf"},
             {"Arn", "arn:aws:sqs:us-east-1:000000000000:xf-q"},
             {"InputTransformer",
              {{"InputPathsMap", {{"st", "$.detail.status"}, {"id", "$.detail.id"}}},
               {"InputTemplate", R"({"s": <st>, "m": "order <id> is <st>"})"}}}},
            {{"Id", "path"},
             {"Arn", "arn:aws:sqs:us-east-1:000000000000:path-q"},
             {"InputPath", "$.detail.status"}}}}});
  f.Call(
      "PutRule",
      {{"Name", "off"}, {"EventPattern", R"({"source":["app.orders"]})"}, {"State", "DISABLED"}});
  f.Call("PutTargets",
         {{"Rule", "off"},
          {"Targets", {{{"Id", "q"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:off-q"}}}}});

  json e1 = PutEvent("app.orders", {{"status", "NEW"}, {"id", 42}});
  e1["Time"] = 1795860000;
  e1["Resources"] = {"arn:aws:s3:::x"};
  auto res = f.Call("PutEvents", {{"Entries",
                                   {e1, PutEvent("app.orders", {{"status", "OLD"}}),
                                    PutEvent("other", {{"status", "NEW"}})}}});
  CHECK(res["FailedEntryCount"] == 0);
  std::string id = res["Entries"][0]["EventId"];
  f.Idle();

  auto calls = f.sqs->Calls();
  REQUIRE(calls.size() == 3);
  for (const auto& c : calls) {
    CHECK(c.operation == "SendMessage");
    CHECK(c.authorization.rfind("AWS4-HMAC-SHA256 Credential=test/", 0) == 0);
  }
  std::map<std::string, std::string> by_queue;
  for (const auto& b : f.sqs->Bodies()) by_queue[b["QueueUrl"]] = b["MessageBody"];
  std::string envelope =
      R"({"version":"0","id":")" + id +
      R"(","detail-type":"OrderPlaced","source":"app.orders","account":"000000000000",)"
      R"("time":"2026-11-28T10:00:00Z","region":"us-east-1","resources":["arn:aws:s3:::x"],)"
      R"("detail":{"id":42,"status":"NEW"}})";  // detail keeps the order it was sent in
  CHECK(by_queue["http://localhost:4566/000000000000/orders-q"] == envelope);
  CHECK(by_queue["http://localhost:4566/000000000000/xf-q"] ==
        R"({"s": "NEW", "m": "order 42 is NEW"})");
  CHECK(by_queue["http://localhost:4566/000000000000/path-q"] == R"("NEW")");
  CHECK(by_queue.count("http://localhost:4566/000000000000/off-q") == 0);  // disabled rule
  std::lock_guard<std::mutex> lock(f.mu);
  REQUIRE(f.invoked.size() == 1);
  CHECK(f.invoked[0] == envelope);
}

TEST_CASE("events: a failing target never fails PutEvents, the dead-letter queue gets it",
          "[events]") {
  Fixture f;
  f.Call("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":["app"]})"}});
  f.Call("PutTargets",
         {{"Rule", "r"},
          {"Targets",
           {{{"Id", "gone"},
             {"Arn", "arn:aws:sqs:us-east-1:000000000000:missing-q"},
             {"DeadLetterConfig", {{"Arn", "arn:aws:sqs:us-east-1:000000000000:dlq"}}}},
            {{"Id", "ok"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:ok-q"}},
            {{"Id", "nofn"}, {"Arn", "arn:aws:lambda:us-east-1:000000000000:function:none"}}}}});
  auto res = f.Call("PutEvents", {{"Entries", {PutEvent("app", {{"k", "v"}})}}});
  CHECK(res["FailedEntryCount"] == 0);
  f.Idle();
  auto bodies = f.sqs->Bodies();
  REQUIRE(bodies.size() == 2);
  std::map<std::string, json> by_queue;
  for (const auto& b : bodies) by_queue[b["QueueUrl"]] = b;
  REQUIRE(by_queue.count("http://localhost:4566/000000000000/ok-q"));
  const json& dlq = by_queue["http://localhost:4566/000000000000/dlq"];
  CHECK(dlq["MessageAttributes"]["ERROR_CODE"]["StringValue"] ==
        "com.amazonaws.sqs#QueueDoesNotExist");
  CHECK(dlq["MessageAttributes"]["RULE_ARN"]["StringValue"] ==
        "arn:aws:events:us-east-1:000000000000:rule/r");
  CHECK(json::parse(dlq["MessageBody"].get<std::string>())["detail"]["k"] == "v");
}

TEST_CASE("events: TestEventPattern", "[events]") {
  Fixture f;
  std::string event =
      R"({"id":"1","account":"000000000000","source":"app","time":"2026-11-28T10:00:00Z",)"
      R"("region":"us-east-1","resources":[],"detail-type":"t","detail":{"n":5}})";
  CHECK(f.Call("TestEventPattern", {{"EventPattern", R"({"detail":{"n":[{"numeric":[">",1]}]}})"},
                                    {"Event", event}})["Result"] == true);
  CHECK(f.Call("TestEventPattern",
               {{"EventPattern", R"({"source":["other"]})"}, {"Event", event}})["Result"] == false);
  CHECK(f.Call("TestEventPattern",
               {{"EventPattern", R"({"source":["app"]})"}, {"Event", R"({"source":"app"})"}},
               400)["message"] == "Parameter Event is not valid.");
  CHECK(f.Call("TestEventPattern",
               {{"EventPattern", R"({"source":[{"EXISTS":true}]})"}, {"Event", event}},
               400)["message"] ==
        "Event pattern is not valid. Reason: Unrecognized match type EXISTS");
}

TEST_CASE("events: consecutive deliveries to one queue go out as one SendMessageBatch",
          "[events]") {
  Fixture f;
  f.Call("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":["app"]})"}});
  f.Call("PutTargets", {{"Rule", "r"},
                        {"Targets",
                         {{{"Id", "q"},
                           {"Arn", "arn:aws:sqs:us-east-1:000000000000:fifo.fifo"},
                           {"SqsParameters", {{"MessageGroupId", "g"}}}}}}});
  json entries = json::array();
  for (int i = 0; i < 4; ++i) entries.push_back(PutEvent("app", {{"i", i}}));
  auto res = f.Call("PutEvents", {{"Entries", entries}});
  f.Idle();
  auto calls = f.sqs->Calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].operation == "SendMessageBatch");
  json b = json::parse(calls[0].body);
  REQUIRE(b["Entries"].size() == 4);
  for (int i = 0; i < 4; ++i) {
    CHECK(json::parse(b["Entries"][i]["MessageBody"].get<std::string>())["detail"]["i"] == i);
    CHECK(b["Entries"][i]["MessageGroupId"] == "g");
    CHECK(b["Entries"][i]["MessageDeduplicationId"] == res["Entries"][i]["EventId"]);
  }
}

TEST_CASE("events: rule and target changes apply to the next PutEvents (cache invalidation)",
          "[events]") {
  Fixture f;
  auto put = [&](const std::string& source) {
    f.Call("PutEvents", {{"Entries", {PutEvent(source, json::object())}}});
    f.Idle();
    return f.sqs->Calls().size();
  };
  f.Call("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":["a"]})"}});
  f.Call("PutTargets",
         {{"Rule", "r"},
          {"Targets", {{{"Id", "q"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:q"}}}}});
  CHECK(put("a") == 1);
  f.Call("DisableRule", {{"Name", "r"}});
  CHECK(put("a") == 1);
  f.Call("EnableRule", {{"Name", "r"}});
  CHECK(put("a") == 2);
  f.Call("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":["b"]})"}});
  CHECK(put("a") == 2);
  CHECK(put("b") == 3);
  f.Call("RemoveTargets", {{"Rule", "r"}, {"Ids", {"q"}}});
  CHECK(put("b") == 3);
  f.Call("PutTargets",
         {{"Rule", "r"},
          {"Targets", {{{"Id", "q"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:q"}}}}});
  CHECK(put("b") == 4);
  f.emu.Reset();
  CHECK(put("b") == 4);
}

TEST_CASE("events: tags on buses and rules", "[events]") {
  Fixture f;
  f.Call("CreateEventBus", {{"Name", "b"}, {"Tags", {{{"Key", "team"}, {"Value", "a"}}}}});
  auto rule = f.Call("PutRule", {{"Name", "r"},
                                 {"EventBusName", "b"},
                                 {"EventPattern", R"({"source":["a"]})"},
                                 {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}})["RuleArn"];
  std::string bus = "arn:aws:events:us-east-1:000000000000:event-bus/b";
  CHECK(f.Call("ListTagsForResource", {{"ResourceARN", bus}})["Tags"] ==
        json::parse(R"([{"Key":"team","Value":"a"}])"));
  CHECK(f.Call("ListTagsForResource", {{"ResourceARN", rule}})["Tags"] ==
        json::parse(R"([{"Key":"k","Value":"v"}])"));
  f.Call("TagResource",
         {{"ResourceARN", rule},
          {"Tags", {{{"Key", "k"}, {"Value", "w"}}, {{"Key", "x"}, {"Value", "y"}}}}});
  CHECK(f.Call("ListTagsForResource", {{"ResourceARN", rule}})["Tags"] ==
        json::parse(R"([{"Key":"k","Value":"w"},{"Key":"x","Value":"y"}])"));
  f.Call("UntagResource", {{"ResourceARN", rule}, {"TagKeys", {"k"}}});
  CHECK(f.Call("ListTagsForResource", {{"ResourceARN", rule}})["Tags"] ==
        json::parse(R"([{"Key":"x","Value":"y"}])"));
  // An upsert of the rule keeps its tags.
  f.Call("PutRule",
         {{"Name", "r"}, {"EventBusName", "b"}, {"EventPattern", R"({"source":["z"]})"}});
  CHECK(f.Call("ListTagsForResource", {{"ResourceARN", rule}})["Tags"].size() == 1);
  CHECK(f.Call("ListTagsForResource",
               {{"ResourceARN", "arn:aws:events:us-east-1:000000000000:rule/nope"}},
               400)["__type"] == "ResourceNotFoundException");
  CHECK(f.Call("ListTagsForResource",
               {{"ResourceARN", "arn:aws:events:us-east-1:000000000000:event-bus/default"}})["Tags"]
            .empty());
}

TEST_CASE("events: scheduled rules fire by the clock with the Scheduled Event envelope",
          "[events]") {
  Fixture f;
  f.Call("PutRule", {{"Name", "every5"}, {"ScheduleExpression", "rate(5 minutes)"}});
  f.Call("PutTargets", {{"Rule", "every5"},
                        {"Targets", {{{"Id", "q"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:tick"}},
                                     {{"Id", "c"},
                                      {"Arn", "arn:aws:sqs:us-east-1:000000000000:const"},
                                      {"Input", R"({"job":"cleanup"})"}}}}});
  f.Call("PutRule", {{"Name", "noon"}, {"ScheduleExpression", "cron(0 12 * * ? *)"}});
  f.Call("PutTargets", {{"Rule", "noon"},
                        {"Targets", {{{"Id", "n"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:noon"}}}}});
  f.Call("PutRule", {{"Name", "off"}, {"ScheduleExpression", "rate(1 minute)"}, {"State", "DISABLED"}});
  f.Call("PutTargets", {{"Rule", "off"},
                        {"Targets", {{{"Id", "o"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:off"}}}}});
  auto& sched = f.events->TEST_scheduler();
  const int64_t t0 = f.clock.NowMillis();  // 10:00:00, when the rules were created
  CHECK(sched.FireDue(t0) == 0);           // first sight: nothing is due yet
  CHECK(sched.FireDue(t0 + 4 * 60000) == 0);
  CHECK(sched.FireDue(t0 + 5 * 60000 + 300) == 1);
  CHECK(sched.FireDue(t0 + 5 * 60000 + 900) == 0);  // once per firing time
  f.Idle();
  auto bodies = f.sqs->Bodies();
  REQUIRE(bodies.size() == 2);
  std::map<std::string, std::string> by_queue;
  for (const auto& b : bodies) by_queue[b["QueueUrl"]] = b["MessageBody"];
  CHECK(by_queue["http://localhost:4566/000000000000/const"] == R"({"job":"cleanup"})");
  auto e = json::parse(by_queue["http://localhost:4566/000000000000/tick"]);
  CHECK(e["detail-type"] == "Scheduled Event");
  CHECK(e["source"] == "aws.events");
  CHECK(e["time"] == "2026-11-28T10:05:00Z");
  CHECK(e["resources"] == json::array({"arn:aws:events:us-east-1:000000000000:rule/every5"}));
  CHECK(e["detail"] == json::object());
  // Missed firing times are not made up: from 10:05 to 12:00:30 the rate rule fires once,
  // and the cron rule fires at noon.
  CHECK(sched.FireDue(t0 + 120 * 60000 + 30000) == 2);
  f.Idle();
  bodies = f.sqs->Bodies();
  REQUIRE(bodies.size() == 5);  // the rate rule's two targets again, and the noon one
  int noon = 0;
  for (const auto& b : bodies)
    if (b["QueueUrl"] == "http://localhost:4566/000000000000/noon") {
      ++noon;
      CHECK(json::parse(b["MessageBody"].get<std::string>())["time"] == "2026-11-28T12:00:00Z");
    }
  CHECK(noon == 1);
  for (const auto& b : bodies) CHECK(b["QueueUrl"] != "http://localhost:4566/000000000000/off");
  // A deleted rule stops firing.
  f.Call("RemoveTargets", {{"Rule", "every5"}, {"Ids", {"q", "c"}}});
  f.Call("DeleteRule", {{"Name", "every5"}});
  CHECK(sched.FireDue(t0 + 200 * 60000) == 0);
}

// The functions, the poller and the API handlers against a fake AWS endpoint.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>


#include "pipeline/api/http_api.h"
#include "pipeline/functions/functions.h"
#include "pipeline/runtime/poller.h"
#include "tests/pipeline/fake_aws.h"
#include "tests/pipeline/function_fixture.h"

using namespace edastack;
using namespace edastack::pipeline;
using nlohmann::json;

namespace {

using edastack::pipeline::testing::FakeEnv;
using Fixture = edastack::pipeline::testing::FunctionFixture;

aws::SqsMessage SnsMessage(const json& event, int receive_count = 1) {
  aws::SqsMessage m;
  m.message_id = "mid";
  m.receipt_handle = "rh";
  m.body = json({{"Type", "Notification"},
                 {"MessageId", "x"},
                 {"TopicArn", FakeEnv().topic_arn},
                 {"Message", event.dump()}})
               .dump();
  m.attributes["ApproximateReceiveCount"] = std::to_string(receive_count);
  return m;
}

const json kEvent = {{"eventId", "e-1"}, {"type", "order"}, {"source", "api"},
                     {"payload", {{"n", 1}}}, {"timestamp", "2026-11-28T10:00:00.000Z"}};

}  // namespace

TEST_CASE("processor stores PROCESSED with ttl and sends a confirmation", "[pipeline][fn]") {
  Fixture f;
  ProcessorFunction fn(f.Ctx());
  REQUIRE(fn.Handle(SnsMessage(kEvent, 2)).ok());
  REQUIRE(f.stack.fake.items.count("e-1"));
  const json& item = f.stack.fake.items["e-1"];
  CHECK(item["status"]["S"] == "PROCESSED");
  CHECK(item["type"]["S"] == "order");
  CHECK(item["attempts"]["N"] == "2");
  CHECK(item["payload"] == json({{"M", {{"n", {{"N", "1"}}}}}}));
  CHECK(item["createdAt"]["S"] == "2026-11-28T10:00:00.000Z");
  int64_t now_s = f.stack.clock.NowSeconds();
  CHECK(item["ttl"]["N"] == std::to_string(now_s + 7 * 24 * 3600));
  const auto& put = f.stack.fake.calls[0];
  CHECK(put.op == "PutItem");
  CHECK(put.body["ConditionExpression"] == "attribute_not_exists(eventId)");
  auto& sent = f.stack.fake.queues[FakeEnv().confirmation_queue_url];
  REQUIRE(sent.size() == 1);
  CHECK(json::parse(sent[0])["eventId"] == "e-1");
  CHECK(f.metrics.Get(Metrics::kProcessed, ProcessorFunction::kName) == 1);
  CHECK(f.metrics.Get(Metrics::kRetries, ProcessorFunction::kName) == 1);
  CHECK(f.metrics.ObservationCount(ProcessorFunction::kName) == 1);
}

TEST_CASE("processor: a duplicate never makes a second record", "[pipeline][fn]") {
  Fixture f;
  ProcessorFunction fn(f.Ctx());
  REQUIRE(fn.Handle(SnsMessage(kEvent)).ok());
  json first = f.stack.fake.items["e-1"];
  f.stack.clock.Advance(5000);
  // Still PROCESSED (a crash may have lost the confirmation): confirm again, keep the record.
  REQUIRE(fn.Handle(SnsMessage(kEvent)).ok());
  CHECK(f.stack.fake.items["e-1"] == first);
  CHECK(f.stack.fake.queues[FakeEnv().confirmation_queue_url].size() == 2);
  // Once CONFIRMED: nothing more is sent.
  f.stack.fake.items["e-1"]["status"]["S"] = "CONFIRMED";
  REQUIRE(fn.Handle(SnsMessage(kEvent)).ok());
  CHECK(f.stack.fake.queues[FakeEnv().confirmation_queue_url].size() == 2);
  CHECK(f.metrics.Get(Metrics::kDuplicates, ProcessorFunction::kName) == 2);
}

TEST_CASE("processor fails invalid messages deterministically, without writing",
          "[pipeline][fn]") {
  Fixture f;
  ProcessorFunction fn(f.Ctx());
  aws::SqsMessage garbage;
  garbage.body = "{not json";
  CHECK(fn.Handle(garbage).error().code == "InvalidEvent");
  json no_type = kEvent;
  no_type.erase("type");
  CHECK(fn.Handle(SnsMessage(no_type)).error().code == "InvalidEvent");
  json poison = kEvent;
  poison["payload"]["fail"] = true;
  for (int i = 0; i < 3; ++i) CHECK(fn.Handle(SnsMessage(poison)).error().code == "InjectedFailure");
  CHECK(f.stack.fake.Count("PutItem") == 0);
  CHECK(f.stack.fake.queues.empty());
  CHECK(f.metrics.Get(Metrics::kFailed, ProcessorFunction::kName) == 5);
}

TEST_CASE("processor: a DynamoDB error is retried (not deleted)", "[pipeline][fn]") {
  Fixture f;
  f.stack.fake.fail_op = "PutItem";
  ProcessorFunction fn(f.Ctx());
  CHECK(!fn.Handle(SnsMessage(kEvent)).ok());
  CHECK(f.stack.fake.queues.empty());
}

TEST_CASE("confirmation sender marks CONFIRMED once and notifies once", "[pipeline][fn]") {
  Fixture f;
  ProcessorFunction processor(f.Ctx());
  REQUIRE(processor.Handle(SnsMessage(kEvent)).ok());
  ConfirmationFunction fn(f.Ctx());
  aws::SqsMessage m;
  m.body = f.stack.fake.queues[FakeEnv().confirmation_queue_url][0];
  REQUIRE(fn.Handle(m).ok());
  CHECK(f.stack.fake.items["e-1"]["status"]["S"] == "CONFIRMED");
  CHECK(f.stack.fake.items["e-1"]["history"]["L"].size() == 2);
  auto& notes = f.stack.fake.topics[FakeEnv().notifications_topic_arn];
  REQUIRE(notes.size() == 1);
  CHECK(json::parse(notes[0])["status"] == "CONFIRMED");
  // Redelivered: idempotent, no second notification.
  REQUIRE(fn.Handle(m).ok());
  CHECK(notes.size() == 1);
  CHECK(f.metrics.Get(Metrics::kDuplicates, ConfirmationFunction::kName) == 1);
  // Unknown event or no eventId: failures.
  aws::SqsMessage unknown;
  unknown.body = R"({"eventId":"nope"})";
  CHECK(!fn.Handle(unknown).ok());
  unknown.body = R"({"x":1})";
  CHECK(fn.Handle(unknown).error().code == "InvalidEvent");
}

TEST_CASE("confirmation sender: a failed notification is published on redelivery",
          "[pipeline][fn]") {
  Fixture f;
  ProcessorFunction processor(f.Ctx());
  REQUIRE(processor.Handle(SnsMessage(kEvent)).ok());
  ConfirmationFunction fn(f.Ctx());
  aws::SqsMessage m;
  m.body = f.stack.fake.queues[FakeEnv().confirmation_queue_url][0];
  auto& notes = f.stack.fake.topics[FakeEnv().notifications_topic_arn];
  f.stack.fake.fail_op = "Publish";
  f.stack.fake.fail_times = 1;
  // The record is confirmed, the publish fails: the message fails (it will be redelivered).
  CHECK(!fn.Handle(m).ok());
  CHECK(f.stack.fake.items["e-1"]["status"]["S"] == "CONFIRMED");
  CHECK(f.stack.fake.items["e-1"].contains("notificationPending"));
  CHECK(notes.empty());
  // Redelivered: published now, the mark cleared, still one CONFIRMED history entry.
  REQUIRE(fn.Handle(m).ok());
  REQUIRE(notes.size() == 1);
  CHECK(json::parse(notes[0])["eventId"] == "e-1");
  CHECK(!f.stack.fake.items["e-1"].contains("notificationPending"));
  CHECK(f.stack.fake.items["e-1"]["history"]["L"].size() == 2);
  // A third delivery is a plain duplicate.
  REQUIRE(fn.Handle(m).ok());
  CHECK(notes.size() == 1);
}

TEST_CASE("ingest normalises an S3 event and publishes it to the main topic", "[pipeline][fn]") {
  Fixture f;
  f.stack.fake.objects["/bkt/dir/a%20b.txt"] = "text/plain";
  IngestFunction fn(f.Ctx());
  aws::SqsMessage m;
  m.body = R"({"source":"aws.s3","detail-type":"Object Created","detail":{"bucket":{"name":"bkt"},
    "object":{"key":"dir/a b.txt","size":11,"etag":"abc"}}})";
  REQUIRE(fn.Handle(m).ok());
  auto& published = f.stack.fake.topics[FakeEnv().topic_arn];
  REQUIRE(published.size() == 1);
  json e = json::parse(published[0]);
  CHECK(e["eventId"] == S3EventId("bkt", "dir/a b.txt", "abc"));
  CHECK(e["type"] == "s3.object.created");
  CHECK(e["source"] == "s3");
  CHECK(e["payload"] == json({{"bucket", "bkt"}, {"key", "dir/a b.txt"}, {"size", 11},
                              {"etag", "abc"}, {"contentType", "text/plain"}}));
  // The same object again: the same eventId (the processor's conditional put dedups).
  REQUIRE(fn.Handle(m).ok());
  CHECK(json::parse(published[1])["eventId"] == e["eventId"]);
  aws::SqsMessage bad;
  bad.body = R"({"unrelated":true})";
  CHECK(!fn.Handle(bad).ok());
}

TEST_CASE("poller deletes only the messages its handler processed", "[pipeline][poller]") {
  testing::FakeStack stack;
  for (int i = 0; i < 3; ++i)
    stack.fake.to_receive.push_back(
        {{"MessageId", "m" + std::to_string(i)}, {"ReceiptHandle", "rh" + std::to_string(i)},
         {"Body", i == 1 ? "bad" : "good"}, {"Attributes", {{"ApproximateReceiveCount", "1"}}}});
  PollerOptions o;
  o.queue_url = "http://fake/0/q";
  o.wait_seconds = 0;
  o.retry_visibility_seconds = 4;
  Poller poller(stack.apis.sqs, o, [](const aws::SqsMessage& m) -> Status {
    if (m.body == "bad") return MakeError("InvalidEvent", "bad");
    return OkStatus();
  });
  auto n = poller.PollOnce();
  REQUIRE(n.ok());
  CHECK(*n == 3);
  const testing::Call* del = nullptr;
  const testing::Call* vis = nullptr;
  for (const auto& c : stack.fake.calls) {
    if (c.op == "DeleteMessageBatch") del = &c;
    if (c.op == "ChangeMessageVisibilityBatch") vis = &c;
  }
  REQUIRE(del);
  REQUIRE(del->body["Entries"].size() == 2);
  CHECK(del->body["Entries"][0]["ReceiptHandle"] == "rh0");
  CHECK(del->body["Entries"][1]["ReceiptHandle"] == "rh2");
  REQUIRE(vis);
  REQUIRE(vis->body["Entries"].size() == 1);
  CHECK(vis->body["Entries"][0]["ReceiptHandle"] == "rh1");
  CHECK(vis->body["Entries"][0]["VisibilityTimeout"] == 4);
  const auto& recv = stack.fake.calls[0];
  CHECK(recv.op == "ReceiveMessage");
  CHECK(recv.body["MaxNumberOfMessages"] == 10);
  // An empty receive deletes nothing.
  auto calls_before = stack.fake.calls.size();
  REQUIRE(*poller.PollOnce() == 0);
  CHECK(stack.fake.calls.size() == calls_before + 1);
}

TEST_CASE("poller threads run at the niceness they were given", "[pipeline][poller]") {
  testing::FakeStack stack;
  stack.fake.to_receive.push_back({{"MessageId", "m0"}, {"ReceiptHandle", "rh0"}, {"Body", "x"},
                                   {"Attributes", {{"ApproximateReceiveCount", "1"}}}});
  PollerOptions o;
  o.queue_url = "http://fake/0/q";
  o.wait_seconds = 0;
  o.concurrency = 1;
  o.nice = 7;
  std::promise<int> seen;
  auto got = seen.get_future();
  std::atomic<bool> once{false};
  Poller poller(stack.apis.sqs, o, [&](const aws::SqsMessage&) -> Status {
    errno = 0;
    int n = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
    if (!once.exchange(true)) seen.set_value(n);
    return OkStatus();
  });
  poller.Start();
  REQUIRE(got.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  int nice = got.get();
  poller.Stop();
  CHECK(nice == 7);
  // The calling thread keeps its own niceness.
  CHECK(getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))) != 7);
}

TEST_CASE("API: POST /events validates and publishes; GET reads the table", "[pipeline][api]") {
  Fixture f;
  HttpApi api(f.Ctx());
  CHECK(api.PostEvent("{oops").status == 400);
  CHECK(api.PostEvent("[1]").status == 400);
  auto missing_type = api.PostEvent(R"({"payload":{}})");
  CHECK(missing_type.status == 400);
  CHECK(json::parse(missing_type.body)["error"].get<std::string>().find("type") !=
        std::string::npos);
  CHECK(api.PostEvent(R"({"type":"t"})").status == 400);
  CHECK(api.PostEvent(R"({"type":"t","payload":{},"eventId":""})").status == 400);
  json big = {{"type", "t"}, {"payload", {{"b", std::string(256 * 1024, 'x')}}}};
  CHECK(api.PostEvent(big.dump()).status == 400);
  CHECK(f.stack.fake.Count("Publish") == 0);

  auto ok = api.PostEvent(R"({"type":"t","payload":{"a":1},"eventId":"given"})");
  CHECK(ok.status == 202);
  CHECK(json::parse(ok.body)["eventId"] == "given");
  auto generated = api.PostEvent(R"({"type":"t","payload":{}})");
  CHECK(generated.status == 202);
  CHECK(json::parse(generated.body)["eventId"].get<std::string>().size() == 36);
  auto& published = f.stack.fake.topics[FakeEnv().topic_arn];
  REQUIRE(published.size() == 2);
  CHECK(json::parse(published[0])["source"] == "api");

  CHECK(api.GetEvent("given").status == 404);
  ProcessorFunction processor(f.Ctx());
  aws::SqsMessage m = SnsMessage(json::parse(published[0]));
  REQUIRE(processor.Handle(m).ok());
  auto got = api.GetEvent("given");
  CHECK(got.status == 200);
  json rec = json::parse(got.body);
  CHECK(rec["status"] == "PROCESSED");
  CHECK(rec["payload"] == json({{"a", 1}}));
  CHECK(rec["history"].size() == 1);

  f.stack.fake.fail_op = "Publish";
  CHECK(api.PostEvent(R"({"type":"t","payload":{}})").status == 502);
}

TEST_CASE("metrics render Prometheus text", "[pipeline][metrics]") {
  Metrics m;
  m.Inc(Metrics::kProcessed, "fn");
  m.Observe("fn", 0.003);
  m.AddGaugeProvider([] {
    return std::vector<std::pair<std::string, double>>{{"edastack_pipeline_dlq_depth", 2}};
  });
  std::string text = m.Render();
  CHECK(text.find("edastack_pipeline_events_processed_total{function=\"fn\"} 1") !=
        std::string::npos);
  CHECK(text.find("edastack_pipeline_processing_seconds_bucket{function=\"fn\",le=\"0.005\"} 1") !=
        std::string::npos);
  CHECK(text.find("edastack_pipeline_processing_seconds_bucket{function=\"fn\",le=\"0.0025\"} 0") !=
        std::string::npos);
  CHECK(text.find("edastack_pipeline_dlq_depth 2") != std::string::npos);
}

// SQS operations over an in-memory database with a manual clock.
#include <catch2/catch.hpp>

#include <thread>

#include "emulator/sqs/sqs_backend.h"
#include "emulator/sqs/sqs_message_codec.h"
#include "protocol/core/crypto.h"
#include "tests/emulator/test_context.h"

using namespace edastack;
using namespace edastack::sqs;

namespace {

struct Fixture {
  ManualClock clock;
  storage::Database db{":memory:"};
  SqsBackend sqs{db, clock};

  RequestContext Ctx() { return testing::TestContext(clock.NowMillis()); }
  std::string Create(const std::string& name, StringMap attrs = {}) {
    auto r = sqs.CreateQueue(Ctx(), {name, std::move(attrs), {}});
    REQUIRE(r.ok());
    return r->queue_url;
  }
  SendResult Send(const std::string& url, const std::string& body,
                  std::optional<std::string> group = std::nullopt,
                  std::optional<std::string> dedup = std::nullopt) {
    SendMessageRequest req;
    req.queue_url = url;
    req.entry.body = body;
    req.entry.group_id = group;
    req.entry.dedup_id = dedup;
    auto r = sqs.SendMessage(Ctx(), req);
    REQUIRE(r.ok());
    return r.value();
  }
  std::vector<ReceivedMessage> Receive(const std::string& url, int max = 10,
                                       std::optional<int64_t> vis = std::nullopt) {
    ReceiveMessageRequest req;
    req.queue_url = url;
    req.max_messages = max;
    req.visibility_timeout = vis;
    req.system_attribute_names = {"All"};
    req.message_attribute_names = {"All"};
    auto r = sqs.ReceiveMessage(Ctx(), req);
    REQUIRE(r.ok());
    return r->messages;
  }
  StringMap Attrs(const std::string& url) {
    auto r = sqs.GetQueueAttributes(Ctx(), {url, {"All"}});
    REQUIRE(r.ok());
    return r->attributes;
  }
};

}  // namespace

TEST_CASE("attribute MD5 matches AWS's vector", "[sqs]") {
  Attributes a;
  a["a"] = AttributeValue{"String", "x", ""};
  CHECK(AttributesMd5(a) == "a512aac9938034acb0b3c3d965944bf1");
  auto back = DecodeAttributes(EncodeAttributes(a));
  REQUIRE(back);
  CHECK(back->at("a").string_value == "x");
  CHECK(AttributesMd5({}) == "");
}

TEST_CASE("message text and batch id validation", "[sqs]") {
  CHECK(IsValidMessageText("hello \t\r\n \xE2\x82\xAC \xF0\x9F\x98\x80"));
  CHECK_FALSE(IsValidMessageText(std::string("a\0b", 3)));
  CHECK_FALSE(IsValidMessageText("\x01"));
  CHECK_FALSE(IsValidMessageText("\xEF\xBF\xBE"));  // U+FFFE
  CHECK_FALSE(IsValidMessageText("\xC0\x80"));      // overlong
  CHECK(IsValidBatchId("a-B_9"));
  CHECK_FALSE(IsValidBatchId("a b"));
  CHECK_FALSE(IsValidBatchId(std::string(81, 'a')));
  CHECK(NameSelected({"order.*"}, "order.id"));
  CHECK_FALSE(NameSelected({"order.*"}, "orders"));
  CHECK(NameSelected({".*"}, "x"));
}

TEST_CASE("visibility timeout hides and expiry re-delivers", "[sqs]") {
  Fixture f;
  auto url = f.Create("q", {{"VisibilityTimeout", "10"}});
  f.Send(url, "m");
  auto first = f.Receive(url);
  REQUIRE(first.size() == 1);
  CHECK(first[0].md5_body == crypto::Md5Hex("m"));
  CHECK(f.Receive(url).empty());
  CHECK(f.Attrs(url)["ApproximateNumberOfMessagesNotVisible"] == "1");
  f.clock.Advance(9999);
  CHECK(f.Receive(url).empty());
  f.clock.Advance(1);
  auto again = f.Receive(url);
  REQUIRE(again.size() == 1);
  CHECK(again[0].system_attributes.at("ApproximateReceiveCount") == "2");
  CHECK(again[0].receipt_handle != first[0].receipt_handle);
  // The stale handle cannot change visibility once the message is visible again...
  f.clock.Advance(10000);
  auto r = f.sqs.ChangeMessageVisibility(f.Ctx(), {url, first[0].receipt_handle, 5});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "MessageNotInflight");
  // ...but any handle deletes.
  REQUIRE(f.sqs.DeleteMessage(f.Ctx(), {url, first[0].receipt_handle}).ok());
  CHECK(f.Receive(url).empty());
  auto bad = f.sqs.DeleteMessage(f.Ctx(), {url, "nonsense"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "ReceiptHandleIsInvalid");
}

TEST_CASE("delay seconds from message and queue", "[sqs]") {
  Fixture f;
  auto url = f.Create("d", {{"DelaySeconds", "5"}});
  f.Send(url, "queue-delayed");
  SendMessageRequest req;
  req.queue_url = url;
  req.entry.body = "no-delay";
  req.entry.delay_seconds = 0;
  REQUIRE(f.sqs.SendMessage(f.Ctx(), req).ok());
  auto got = f.Receive(url);
  REQUIRE(got.size() == 1);
  CHECK(got[0].body == "no-delay");
  CHECK(f.Attrs(url)["ApproximateNumberOfMessagesDelayed"] == "1");
  f.clock.Advance(5000);
  got = f.Receive(url);
  REQUIRE(got.size() == 1);
  CHECK(got[0].body == "queue-delayed");
}

TEST_CASE("redrive moves the message after maxReceiveCount receives", "[sqs]") {
  Fixture f;
  auto dlq = f.Create("dlq");
  auto src = f.Create("src", {{"RedrivePolicy",
                               R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq",)"
                               R"("maxReceiveCount":"2"})"}});
  auto sent = f.Send(src, "poison");
  f.clock.Advance(1000);
  REQUIRE(f.Receive(src, 1, 0).size() == 1);
  REQUIRE(f.Receive(src, 1, 0).size() == 1);
  CHECK(f.Receive(src, 1, 0).empty());
  auto moved = f.Receive(dlq);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].message_id == sent.message_id);
  CHECK(moved[0].body == "poison");
  CHECK(moved[0].system_attributes.at("ApproximateReceiveCount") == "1");
  CHECK(moved[0].system_attributes.at("DeadLetterQueueSourceArn") ==
        "arn:aws:sqs:us-east-1:000000000000:src");
  // SentTimestamp is the original send time.
  CHECK(moved[0].system_attributes.at("SentTimestamp") ==
        std::to_string(f.clock.NowMillis() - 1000));
}

TEST_CASE("redrive policy validation", "[sqs]") {
  Fixture f;
  auto r = f.sqs.CreateQueue(
      f.Ctx(), {"src", {{"RedrivePolicy",
                          R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:none","maxReceiveCount":2})"}},
                {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "InvalidAttributeValue");
  f.Create("dlq");
  r = f.sqs.CreateQueue(
      f.Ctx(), {"src", {{"RedrivePolicy",
                          R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":0})"}},
                {}});
  REQUIRE_FALSE(r.ok());
  auto list = f.sqs.ListQueues(f.Ctx(), {});
  REQUIRE(list.ok());
  CHECK(list->queue_urls.size() == 1);  // bad input created nothing
}

TEST_CASE("retention drops old messages when read", "[sqs]") {
  Fixture f;
  auto url = f.Create("r", {{"MessageRetentionPeriod", "60"}});
  f.Send(url, "old");
  f.clock.Advance(59000);
  f.Send(url, "new");
  f.clock.Advance(1000);
  auto got = f.Receive(url);
  REQUIRE(got.size() == 1);
  CHECK(got[0].body == "new");
}

TEST_CASE("FIFO keeps group order, blocks in-flight groups and deduplicates", "[sqs]") {
  Fixture f;
  auto url = f.Create("f.fifo", {{"FifoQueue", "true"}});
  auto s1 = f.Send(url, "a1", "a", "1");
  f.Send(url, "b1", "b", "2");
  f.Send(url, "a2", "a", "3");
  auto dup = f.Send(url, "other body", "a", "1");
  CHECK(dup.message_id == s1.message_id);
  CHECK(dup.md5_body == crypto::Md5Hex("other body"));
  CHECK(s1.sequence_number.size() == 20);

  auto got = f.Receive(url, 1);
  REQUIRE(got.size() == 1);
  CHECK(got[0].body == "a1");
  auto next = f.Receive(url, 10);
  REQUIRE(next.size() == 1);
  CHECK(next[0].body == "b1");  // a2 waits for a1
  REQUIRE(f.sqs.DeleteMessage(f.Ctx(), {url, got[0].receipt_handle}).ok());
  next = f.Receive(url, 10);
  REQUIRE(next.size() == 1);
  CHECK(next[0].body == "a2");

  // The dedup window is five minutes.
  f.clock.Advance(5 * 60 * 1000);
  auto again = f.Send(url, "a1", "a", "1");
  CHECK(again.message_id != s1.message_id);
}

TEST_CASE("create queue is idempotent only for equal attributes", "[sqs]") {
  Fixture f;
  auto url = f.Create("same", {{"VisibilityTimeout", "30"}});
  CHECK(url == "http://localhost:4566/000000000000/same");
  CHECK(f.Create("same") == url);
  auto r = f.sqs.CreateQueue(f.Ctx(), {"same", {{"DelaySeconds", "3"}}, {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "QueueNameExists");
  CHECK(r.error().QueryCode() == "QueueAlreadyExists");
  r = f.sqs.CreateQueue(f.Ctx(), {"bad name", {}, {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "InvalidParameterValue");
  r = f.sqs.CreateQueue(f.Ctx(), {"x", {{"ContentBasedDeduplication", "true"}}, {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "InvalidAttributeName");
  r = f.sqs.CreateQueue(f.Ctx(), {"x", {{"MaximumMessageSize", "1048577"}}, {}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "InvalidAttributeValue");
}

TEST_CASE("maximum message size counts body and attributes", "[sqs]") {
  Fixture f;
  auto url = f.Create("small", {{"MaximumMessageSize", "1024"}});
  SendMessageRequest req;
  req.queue_url = url;
  req.entry.body = std::string(1000, 'x');
  req.entry.attributes["attr"] = AttributeValue{"String", std::string(20, 'y'), ""};
  auto r = f.sqs.SendMessage(f.Ctx(), req);
  REQUIRE_FALSE(r.ok());  // 1000 + 4 + 6 + 20 > 1024
  CHECK(r.error().code == "InvalidParameterValue");
  req.entry.attributes.clear();
  CHECK(f.sqs.SendMessage(f.Ctx(), req).ok());
}

TEST_CASE("batch partial failure and whole-call errors", "[sqs]") {
  Fixture f;
  auto url = f.Create("b");
  SendMessageBatchRequest req;
  req.queue_url = url;
  req.entries.push_back({"one", "1", {}, {}, {}, {}, {}});
  req.entries.push_back({"two", "", {}, {}, {}, {}, {}});
  auto r = f.sqs.SendMessageBatch(f.Ctx(), req);
  REQUIRE(r.ok());
  CHECK(r->successful.size() == 1);
  REQUIRE(r->failed.size() == 1);
  CHECK(r->failed[0].id == "two");
  req.entries[1].id = "one";
  r = f.sqs.SendMessageBatch(f.Ctx(), req);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "BatchEntryIdsNotDistinct");
  CHECK(f.Attrs(url)["ApproximateNumberOfMessages"] == "1");
}

TEST_CASE("RedriveAllowPolicy decides which queues may use a DLQ", "[sqs]") {
  Fixture f;
  f.Create("dlq", {{"RedriveAllowPolicy",
                    R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:ok"]})"}});
  const std::string policy =
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":3})";
  CHECK(f.sqs.CreateQueue(f.Ctx(), {"ok", {{"RedrivePolicy", policy}}, {}}).ok());
  auto denied = f.sqs.CreateQueue(f.Ctx(), {"other", {{"RedrivePolicy", policy}}, {}});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "InvalidAttributeValue");
  auto sources = f.sqs.ListDeadLetterSourceQueues(
      f.Ctx(), {"http://localhost:4566/000000000000/dlq", std::nullopt, ""});
  REQUIRE(sources.ok());
  CHECK(sources->queue_urls == std::vector<std::string>{"http://localhost:4566/000000000000/ok"});
}

TEST_CASE("FIFO returns one group's messages together and holds a group with one in flight",
          "[sqs]") {
  Fixture f;
  auto url = f.Create("g.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  f.Send(url, "a1", "a");
  f.Send(url, "b1", "b");
  f.Send(url, "a2", "a");
  f.Send(url, "b2", "b");
  auto got = f.Receive(url, 3);
  REQUIRE(got.size() == 3);
  CHECK(got[0].body == "a1");
  CHECK(got[1].body == "a2");
  CHECK(got[2].body == "b1");
  // a1 back to visible while a2 is still in flight: group a stays held.
  REQUIRE(f.sqs.ChangeMessageVisibility(f.Ctx(), {url, got[0].receipt_handle, 0}).ok());
  auto next = f.Receive(url, 10);
  CHECK(next.empty());  // b2 waits behind b1, a1 behind a2
  REQUIRE(f.sqs.DeleteMessage(f.Ctx(), {url, got[2].receipt_handle}).ok());
  next = f.Receive(url, 10);
  REQUIRE(next.size() == 1);
  CHECK(next[0].body == "b2");
}

TEST_CASE("long poll returns when a send wakes it", "[sqs]") {
  SystemClock clock;
  storage::Database db(":memory:");
  SqsBackend sqs(db, clock);
  RequestContext ctx;
  ctx.account = "000000000000";
  ctx.region = "us-east-1";
  ctx.host = "h";
  ctx.now_ms = clock.NowMillis();
  auto url = sqs.CreateQueue(ctx, {"lp", {}, {}}).value().queue_url;
  bool sent_ok = false;  // Catch2 assertions are not thread-safe: check after join
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    RequestContext c = ctx;
    c.now_ms = clock.NowMillis();
    SendMessageRequest req;
    req.queue_url = url;
    req.entry.body = "wake";
    sent_ok = sqs.SendMessage(c, req).ok();
  });
  ReceiveMessageRequest req;
  req.queue_url = url;
  req.wait_seconds = 10;
  auto t0 = std::chrono::steady_clock::now();
  auto r = sqs.ReceiveMessage(ctx, req);
  auto waited = std::chrono::steady_clock::now() - t0;
  sender.join();
  REQUIRE(sent_ok);
  REQUIRE(r.ok());
  REQUIRE(r->messages.size() == 1);
  CHECK(r->messages[0].body == "wake");
  CHECK(waited < std::chrono::seconds(5));  // woken, not timed out
}

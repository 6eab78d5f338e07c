// The functions on whole poller batches (one transaction, one batch send per batch, per-message
// fallback), the batch chunking and the API's publish group.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "pipeline/api/publish_group.h"
#include "pipeline/functions/batch_send.h"
#include "pipeline/functions/functions.h"
#include "tests/pipeline/fake_aws.h"
#include "tests/pipeline/function_fixture.h"

using namespace edastack;
using namespace edastack::pipeline;
using nlohmann::json;

namespace {

using edastack::pipeline::testing::FakeEnv;
using Fixture = edastack::pipeline::testing::FunctionFixture;

aws::SqsMessage Event(const std::string& id, bool fail = false) {
  json e = {{"eventId", id}, {"type", "order"}, {"payload", {{"fail", fail}}}};
  aws::SqsMessage m;
  m.message_id = "mid-" + id;
  m.body = json({{"Type", "Notification"}, {"TopicArn", FakeEnv().topic_arn}, {"Message", e.dump()}})
               .dump();
  m.attributes["ApproximateReceiveCount"] = "1";
  return m;
}

}  // namespace

TEST_CASE("processor batch: one transaction, one SendMessageBatch, bad messages fail alone",
          "[pipeline][batch]") {
  Fixture f;
  ProcessorFunction fn(f.Ctx());
  auto out = fn.HandleBatch({Event("a"), Event("bad", true), Event("b")});
  REQUIRE(out.size() == 3);
  CHECK(out[0].ok());
  CHECK(out[1].error().code == "InjectedFailure");
  CHECK(out[2].ok());
  CHECK(f.stack.fake.Count("TransactWriteItems") == 1);
  CHECK(f.stack.fake.Count("PutItem") == 0);
  CHECK(f.stack.fake.Count("SendMessageBatch") == 1);
  CHECK(f.stack.fake.Count("SendMessage") == 0);
  CHECK(f.stack.fake.items.size() == 2);
  CHECK(f.stack.fake.items["a"]["status"]["S"] == "PROCESSED");
  CHECK(f.stack.fake.queues[FakeEnv().confirmation_queue_url].size() == 2);
  CHECK(f.metrics.Get(Metrics::kProcessed, ProcessorFunction::kName) == 2);
  CHECK(f.metrics.Get(Metrics::kFailed, ProcessorFunction::kName) == 1);
}

TEST_CASE("processor batch: a duplicate cancels the transaction, then each event is put alone",
          "[pipeline][batch]") {
  Fixture f;
  ProcessorFunction fn(f.Ctx());
  REQUIRE(fn.Handle(Event("a")).ok());
  json first = f.stack.fake.items["a"];
  f.stack.fake.items["a"]["status"]["S"] = "CONFIRMED";
  f.stack.clock.Advance(1000);
  // "a" again (already CONFIRMED: nothing to send), "b" new, and "b" twice in one batch.
  auto out = fn.HandleBatch({Event("a"), Event("b"), Event("b")});
  for (const auto& s : out) CHECK(s.ok());
  CHECK(f.stack.fake.items.size() == 2);
  CHECK(f.stack.fake.items["a"]["processedAt"] == first["processedAt"]);
  CHECK(f.stack.fake.Count("TransactWriteItems") == 0);  // repeated eventId: no transaction
  CHECK(f.stack.fake.Count("PutItem") == 4);
  // b (new) and b (duplicate, still PROCESSED) are confirmed; a is not.
  auto& sent = f.stack.fake.queues[FakeEnv().confirmation_queue_url];
  REQUIRE(sent.size() == 3);
  CHECK(json::parse(sent[1])["eventId"] == "b");
  CHECK(json::parse(sent[2])["eventId"] == "b");
  CHECK(f.metrics.Get(Metrics::kDuplicates, ProcessorFunction::kName) == 2);

  // A batch of distinct events, one of them known: the transaction is cancelled, the
  // fallback writes the new one and leaves the known one alone.
  auto again = fn.HandleBatch({Event("a"), Event("c")});
  CHECK(again[0].ok());
  CHECK(again[1].ok());
  CHECK(f.stack.fake.Count("TransactWriteItems") == 1);
  CHECK(f.stack.fake.items.count("c"));
  CHECK(f.stack.fake.items["a"]["processedAt"] == first["processedAt"]);
}

TEST_CASE("processor batch: a confirmation that cannot be sent fails only its message",
          "[pipeline][batch]") {
  Fixture f;
  ProcessorFunction fn(f.Ctx());
  // The confirmation of "b" fails inside the SendMessageBatch: only b's message fails.
  f.stack.clock.Set(0);
  f.stack.fake.fail_entry_body = json({{"eventId", "b"}, {"processedAt", "1970-01-01T00:00:00.000Z"},
                                       {"status", "PROCESSED"}, {"type", "order"}}).dump();
  auto out = fn.HandleBatch({Event("a"), Event("b")});
  CHECK(out[0].ok());
  CHECK(!out[1].ok());
  CHECK(f.stack.fake.queues[FakeEnv().confirmation_queue_url].size() == 1);
  // Its redelivery finds the record still PROCESSED and confirms it.
  f.stack.fake.fail_entry_body = "";
  REQUIRE(fn.Handle(Event("b")).ok());
  CHECK(f.stack.fake.queues[FakeEnv().confirmation_queue_url].size() == 2);
  f.stack.fake.fail_op = "SendMessageBatch";
  auto failed = fn.HandleBatch({Event("c"), Event("d")});
  CHECK(!failed[0].ok());
  CHECK(!failed[1].ok());
  // The records exist; the redelivery confirms them (duplicates still PROCESSED).
  f.stack.fake.fail_op = "";
  auto retried = fn.HandleBatch({Event("c"), Event("d")});
  CHECK(retried[0].ok());
  CHECK(retried[1].ok());
  CHECK(f.stack.fake.queues[FakeEnv().confirmation_queue_url].size() == 4);
}

TEST_CASE("confirmation batch: one transaction, one PublishBatch, a failed entry is marked",
          "[pipeline][batch]") {
  Fixture f;
  ProcessorFunction processor(f.Ctx());
  for (const char* id : {"a", "b", "c"}) REQUIRE(processor.Handle(Event(id)).ok());
  ConfirmationFunction fn(f.Ctx());
  std::vector<aws::SqsMessage> batch;
  for (const auto& body : f.stack.fake.queues[FakeEnv().confirmation_queue_url]) {
    aws::SqsMessage m;
    m.body = body;
    batch.push_back(m);
  }
  // b's notification fails inside the PublishBatch.
  f.stack.fake.fail_entry_body =
      json({{"confirmedAt", "1970-01-01T00:00:00.000Z"}, {"eventId", "b"}, {"status", "CONFIRMED"},
            {"type", "order"}}).dump();
  f.stack.clock.Set(0);
  auto out = fn.HandleBatch(batch);
  CHECK(out[0].ok());
  CHECK(!out[1].ok());
  CHECK(out[2].ok());
  CHECK(f.stack.fake.Count("TransactWriteItems") == 1);
  CHECK(f.stack.fake.Count("UpdateItem") == 1);  // the notificationPending mark of b
  CHECK(f.stack.fake.Count("PublishBatch") == 1);
  for (const char* id : {"a", "b", "c"}) CHECK(f.stack.fake.items[id]["status"]["S"] == "CONFIRMED");
  CHECK(f.stack.fake.items["b"].contains("notificationPending"));
  auto& notes = f.stack.fake.topics[FakeEnv().notifications_topic_arn];
  CHECK(notes.size() == 2);
  // The whole batch again (a redelivery): the transaction is cancelled; a and c are plain
  // duplicates, b's notification is published now and its mark cleared.
  f.stack.fake.fail_entry_body = "";
  auto again = fn.HandleBatch(batch);
  for (const auto& s : again) CHECK(s.ok());
  CHECK(notes.size() == 3);
  CHECK(json::parse(notes[2])["eventId"] == "b");
  CHECK(!f.stack.fake.items["b"].contains("notificationPending"));
  CHECK(f.stack.fake.items["b"]["history"]["L"].size() == 2);
  CHECK(f.metrics.Get(Metrics::kDuplicates, ConfirmationFunction::kName) == 2);
}

TEST_CASE("batch chunks respect the entry and byte limits", "[pipeline][batch]") {
  CHECK(ChunkEnds({}, 10, 100).empty());
  CHECK(ChunkEnds({1, 1, 1}, 2, 100) == std::vector<size_t>{2, 3});
  CHECK(ChunkEnds({60, 30, 20, 200, 5}, 10, 100) == std::vector<size_t>{2, 3, 4, 5});
}

namespace {

// A FakeAws behind a lock, whose calls wait until the test opens the gate.
class GatedTransport : public client::Transport {
 public:
  testing::FakeAws fake;
  std::string Origin() const override { return fake.Origin(); }
  Result<http::Response> Send(const http::Request& req) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++entered_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return open_; });
    }
    std::lock_guard<std::mutex> lock(fake_mu_);
    return fake.Send(req);
  }
  void WaitEntered(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_, fake_mu_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool open_ = false;
};

}  // namespace

TEST_CASE("publish group: requests that arrive during a publish share one PublishBatch",
          "[pipeline][batch]") {
  GatedTransport transport;
  ManualClock clock;
  client::AwsClient client(transport, testing::FakeStack::Config(), clock,
                           client::RetryPolicy{1, 1, 1});
  aws::Sns sns(client);
  PublishGroup group(sns, FakeEnv().topic_arn);
  std::vector<Result<std::string>> results(3, Result<std::string>(std::string()));
  std::vector<std::thread> threads;
  auto publish = [&](int i) {
    threads.emplace_back([&, i] { results[i] = group.Publish("m" + std::to_string(i), "s"); });
  };
  static_assert(PublishGroup::kMaxInFlight == 1, "the sequence below assumes one in flight");
  publish(0);
  transport.WaitEntered(1);  // m0 is being published, alone
  publish(1);
  publish(2);
  while (group.TEST_queued() < 2) std::this_thread::yield();  // both wait behind m0
  transport.Open();
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(r.ok());
  CHECK(transport.fake.Count("Publish") == 1);
  CHECK(transport.fake.Count("PublishBatch") == 1);  // m1 and m2 together
  CHECK(transport.fake.topics[FakeEnv().topic_arn].size() == 3);
  CHECK(group.calls() == 2);
  CHECK(group.messages() == 3);
  // A failed batch fails each of its requests; the group still works afterwards.
  transport.fake.fail_op = "Publish";
  CHECK(!group.Publish("x", "s").ok());
  transport.fake.fail_op = "";
  CHECK(group.Publish("y", "s").ok());
}

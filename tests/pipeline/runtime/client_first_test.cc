#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <thread>

#include "pipeline/runtime/client_first.h"
#include "pipeline/runtime/poller.h"
#include "tests/pipeline/fake_aws.h"

using namespace edastack;
using namespace edastack::pipeline;
using namespace std::chrono_literals;

namespace {

// Runs WaitTurn on a thread; `done` becomes ready when it returns.
struct Waiter {
  std::future<bool> done;
  explicit Waiter(ClientFirst& gate)
      : done(std::async(std::launch::async, [&gate] { return gate.WaitTurn(); })) {}
  bool returned_within(std::chrono::milliseconds d) {
    return done.wait_for(d) == std::future_status::ready;
  }
};

}  // namespace

TEST_CASE("client first: a calm API lets every batch go at once", "[pipeline][client_first]") {
  ClientFirst gate(60s, 2, 1ms);
  CHECK_FALSE(gate.WaitTurn());
  CHECK(gate.waits() == 0);
  ClientFirst::Request one(&gate);  // below `busy`: still calm
  CHECK(gate.in_flight() == 1);
  CHECK_FALSE(gate.WaitTurn());
  ClientFirst::Request no_gate(nullptr);  // a pipeline without the gate
  CHECK(gate.in_flight() == 1);
}

TEST_CASE("client first: a busy API holds batches back until it is calm again",
          "[pipeline][client_first]") {
  ClientFirst gate(60s, 2, 1ms);
  std::optional<ClientFirst::Request> a, b;
  a.emplace(&gate);
  b.emplace(&gate);
  CHECK(gate.in_flight() == 2);
  // The first batch of the period goes (the functions never starve) ...
  CHECK(gate.WaitTurn());
  // ... the next waits while the requests are served.
  Waiter w(gate);
  CHECK_FALSE(w.returned_within(200ms));
  b.reset();  // below busy: calm after the grace
  REQUIRE(w.returned_within(5s));
  CHECK(w.done.get());
  CHECK(gate.in_flight() == 1);
  CHECK(gate.waits() == 2);
}

TEST_CASE("client first: a dip shorter than the grace does not let a batch through",
          "[pipeline][client_first]") {
  ClientFirst gate(60s, 2, 300ms);
  std::optional<ClientFirst::Request> a, b;
  a.emplace(&gate);
  b.emplace(&gate);
  REQUIRE(gate.WaitTurn());  // the period's batch
  Waiter w(gate);
  CHECK_FALSE(w.returned_within(50ms));
  b.reset();         // a group commit answers its batch ...
  b.emplace(&gate);  // ... and the next request arrives at once
  CHECK_FALSE(w.returned_within(600ms));
  gate.Release();
  REQUIRE(w.returned_within(5s));
}

TEST_CASE("client first: under a burst that never ends one batch goes per max_wait",
          "[pipeline][client_first]") {
  ClientFirst gate(40ms, 1, 1ms);
  ClientFirst::Request busy(&gate);
  REQUIRE(gate.WaitTurn());
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) CHECK(gate.WaitTurn());
  auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(waited >= 3 * 40ms - 5ms);  // each later batch waited out its period
}

TEST_CASE("client first: Release ends the waits (shutdown)", "[pipeline][client_first]") {
  ClientFirst gate(60s, 1, 1ms);
  ClientFirst::Request busy(&gate);
  REQUIRE(gate.WaitTurn());
  Waiter w(gate);
  CHECK_FALSE(w.returned_within(100ms));
  gate.Release();
  REQUIRE(w.returned_within(5s));
  auto t0 = std::chrono::steady_clock::now();
  gate.WaitTurn();  // after Release: at once, not after max_wait
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
}

TEST_CASE("poller waits its turn behind the API's requests", "[pipeline][poller][client_first]") {
  testing::FakeStack stack;
  stack.fake.to_receive.push_back({{"MessageId", "m0"}, {"ReceiptHandle", "rh0"}, {"Body", "x"},
                                   {"Attributes", {{"ApproximateReceiveCount", "1"}}}});
  ClientFirst gate(60s, 1, 1ms);
  std::optional<ClientFirst::Request> request;
  request.emplace(&gate);
  REQUIRE(gate.WaitTurn());  // this period's batch is taken
  PollerOptions o;
  o.queue_url = "http://fake/0/q";
  o.wait_seconds = 0;
  o.concurrency = 1;
  o.client_first = &gate;
  std::promise<void> handled;
  auto got = handled.get_future();
  std::atomic<bool> once{false};
  Poller poller(stack.apis.sqs, o, [&](const aws::SqsMessage&) -> Status {
    if (!once.exchange(true)) handled.set_value();
    return OkStatus();
  });
  poller.Start();
  // While the request is served, the poller does not even receive.
  CHECK(got.wait_for(300ms) == std::future_status::timeout);
  request.reset();
  REQUIRE(got.wait_for(5s) == std::future_status::ready);
  gate.Release();
  poller.Stop();
}

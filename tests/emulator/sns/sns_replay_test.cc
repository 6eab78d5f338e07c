// Durable fan-out: a publish acknowledged while deliveries were held (as if the process died
// right after answering) is delivered by the next process over the same database file.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/sns/sns_service.h"
#include "protocol/http/server.h"
#include "protocol/core/strings.h"
#include "tests/emulator/replay_helpers.h"

using namespace edastack;
using edastack::testing::DataDir;
using edastack::testing::Eventually;

namespace {

struct Process : edastack::testing::ReplayProcess {
  explicit Process(const EmulatorOptions& o)
      : ReplayProcess(o, [](Emulator& e) {
          e.AddService(http::Service::kSns, std::make_unique<sns::SnsService>(e));
        }) {}
  std::string Call(const std::string& form) {
    http::Request req;
    req.method = "POST";
    req.target = "/";
    req.headers.emplace("Host", "localhost:4566");
    req.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    req.body = "Version=2010-03-31&" + form;
    auto res = emu->Handle(req);
    REQUIRE(res.status == 200);
    return res.body;
  }
  std::string Topic(const std::string& form) {
    std::string body = Call(form);
    auto a = body.find("<TopicArn>") + 10;
    return str::UriEncode(body.substr(a, body.find("</TopicArn>") - a));
  }
};

// An http endpoint on a free port that records the JSON documents POSTed to it.
struct Endpoint {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<nlohmann::json> posts;
  http::Server server;
  int port = 0;
  std::thread thread;
  Endpoint()
      : server(http::ServerOptions{"127.0.0.1", 0, 8, 5, 5}, [this](http::Request& req) {
          std::string body;
          if (req.body_reader)
            req.body_reader([&](const char* d, size_t n) {
              body.append(d, n);
              return true;
            });
          {
            std::lock_guard<std::mutex> g(mu);
            posts.push_back(nlohmann::json::parse(body, nullptr, false));
          }
          cv.notify_all();
          return http::Response();
        }) {
    port = server.Bind();
    REQUIRE(port > 0);
    thread = std::thread([this] { server.Serve(); });
  }
  ~Endpoint() {
    server.Stop();
    thread.join();
  }
  std::vector<nlohmann::json> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return posts.size() >= n; });
    return posts;
  }
};

}  // namespace

TEST_CASE("sns: a subscription confirmation pending at a crash is sent after restart",
          "[sns][outbox]") {
  DataDir dir("sns-replay-confirm");
  Endpoint ep;
  std::string url = str::UriEncode("http://127.0.0.1:" + std::to_string(ep.port) + "/hook");
  {
    Process p(dir.Options(/*hold=*/true));
    std::string t = p.Topic("Action=CreateTopic&Name=t");
    p.Call("Action=Subscribe&Protocol=http&TopicArn=" + t + "&Endpoint=" + url);
    std::string body = p.Call("Action=Subscribe&Protocol=http&TopicArn=" + t + "&Endpoint=" +
                              url + "2&ReturnSubscriptionArn=true");
    // Recorded in the Subscribe transaction, one row per confirmation.
    CHECK(p.emu->outbox().Pending("sns-confirm").size() == 2);
    // The second subscription goes away before the restart: its confirmation is not sent.
    auto arn_begin = body.find("<SubscriptionArn>") + 17;
    std::string arn = body.substr(arn_begin, body.find("</SubscriptionArn>") - arn_begin);
    REQUIRE(arn.rfind("arn:aws:sns:", 0) == 0);
    p.Call("Action=Unsubscribe&SubscriptionArn=" + str::UriEncode(arn));
  }  // destroyed without sending
  CHECK(ep.WaitFor(1).empty());
  {
    Process p(dir.Options(/*hold=*/false));
    auto posts = ep.WaitFor(1);
    REQUIRE(posts.size() == 1);
    CHECK(posts[0]["Type"] == "SubscriptionConfirmation");
    CHECK(posts[0]["SubscribeURL"].get<std::string>().find("Action=ConfirmSubscription") !=
          std::string::npos);
    CHECK(Eventually([&] { return p.emu->outbox().Count() == 0; }));
  }
  Process p(dir.Options(false));
  CHECK(p.emu->outbox().Count() == 0);
  CHECK(ep.WaitFor(2).size() == 1);  // sent once
}

TEST_CASE("sns: fan-outs pending at a crash are delivered after restart, FIFO in order",
          "[sns][outbox]") {
  DataDir dir("sns-replay");
  {
    Process p(dir.Options(/*hold=*/true));
    std::string t = p.Topic("Action=CreateTopic&Name=t");
    std::string f = p.Topic(
        "Action=CreateTopic&Name=f.fifo&Attributes.entry.1.key=FifoTopic&Attributes.entry.1."
        "value=true&Attributes.entry.2.key=ContentBasedDeduplication&Attributes.entry.2.value=true");
    p.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + t +
           "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq"
           "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true");
    p.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + f +
           "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq.fifo"
           "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true");
    for (int i = 0; i < 5; ++i) {
      p.Call("Action=Publish&TopicArn=" + t + "&Message=std" + std::to_string(i));
      p.Call("Action=Publish&TopicArn=" + f + "&MessageGroupId=g&Message=fifo" +
             std::to_string(i));
    }
    CHECK(p.emu->outbox().Count() == 10);
    CHECK(p.sqs->Count() == 0);
  }  // destroyed without delivering
  {
    Process p(dir.Options(/*hold=*/false));
    auto got = p.sqs->WaitFor(10);
    REQUIRE(got.size() == 10);
    std::vector<std::string> fifo;
    for (const auto& b : got)
      if (b.rfind("fifo", 0) == 0) fifo.push_back(b);
    CHECK(fifo == std::vector<std::string>{"fifo0", "fifo1", "fifo2", "fifo3", "fifo4"});
    // Delivered rows are deleted once the dispatcher goes idle.
    CHECK(Eventually([&] { return p.emu->outbox().Count() == 0; }));
    // New publishes still flow.
    std::string t = p.Topic("Action=CreateTopic&Name=t");
    p.Call("Action=Publish&TopicArn=" + t + "&Message=after");
    CHECK(p.sqs->WaitFor(11).size() == 11);
    CHECK(Eventually([&] { return p.emu->outbox().Count() == 0; }));
  }
  {
    Process p(dir.Options(false));
    p.emu->outbox().Flush();
    CHECK(p.emu->outbox().Count() == 0);  // nothing replayed twice
  }
}

TEST_CASE("sns: a replayed fan-out that was waiting for a retry keeps its due time",
          "[sns][outbox]") {
  DataDir dir("sns-replay-due");
  {
    Process p(dir.Options(/*hold=*/true));
    std::string t = p.Topic("Action=CreateTopic&Name=t");
    p.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + t +
           "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq");
    p.Call("Action=Publish&TopicArn=" + t + "&Message=now");
    p.Call("Action=Publish&TopicArn=" + t + "&Message=later");
    auto rows = p.emu->outbox().Pending("sns");
    REQUIRE(rows.size() == 2);
    // The second one's first round failed; its retry is due in 1.5 s.
    p.emu->outbox().Reschedule(rows[1].id, 1, p.clock.NowMillis() + 1500);
  }
  Process p(dir.Options(/*hold=*/false));
  auto first = p.sqs->WaitFor(1);
  REQUIRE(first.size() == 1);
  CHECK(first[0].find("\"Message\":\"now\"") != std::string::npos);
  CHECK(p.sqs->Count() == 1);  // "later" waits for its due time
  auto both = p.sqs->WaitFor(2);
  REQUIRE(both.size() == 2);
  CHECK(both[1].find("\"Message\":\"later\"") != std::string::npos);
  CHECK(Eventually([&] { return p.emu->outbox().Count() == 0; }));
}

TEST_CASE("sns: a reset clears pending fan-outs", "[sns][outbox]") {
  DataDir dir("sns-reset");
  Process p(dir.Options(true));
  std::string t = p.Topic("Action=CreateTopic&Name=t");
  p.Call("Action=Subscribe&Protocol=sqs&TopicArn=" + t +
         "&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq");
  p.Call("Action=Publish&TopicArn=" + t + "&Message=x");
  CHECK(p.emu->outbox().Count() == 1);
  p.emu->Reset();
  CHECK(p.emu->outbox().Count() == 0);
}

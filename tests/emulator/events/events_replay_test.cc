// Durable PutEvents: deliveries of an acknowledged PutEvents that were held (as if the process
// died right after answering) are made by the next process over the same database file.
#include <catch2/catch.hpp>

#include "emulator/events/events_service.h"
#include "tests/emulator/replay_helpers.h"

using namespace edastack;
using edastack::testing::DataDir;
using edastack::testing::Eventually;
using edastack::testing::RecordingSqs;
using nlohmann::json;

namespace {

struct Process {
  ManualClock clock{1795860000000};
  std::unique_ptr<Emulator> emu;
  RecordingSqs* sqs = nullptr;
  events::EventsService* events = nullptr;
  explicit Process(const EmulatorOptions& o) {
    emu = std::make_unique<Emulator>(o, clock);
    auto fake = std::make_unique<RecordingSqs>();
    sqs = fake.get();
    emu->AddService(http::Service::kSqs, std::move(fake));
    auto svc = std::make_unique<events::EventsService>(*emu);
    events = svc.get();
    emu->AddService(http::Service::kEvents, std::move(svc));
    emu->Start();
  }
  ~Process() { emu->Shutdown(); }
  json Call(const std::string& op, const json& body) {
    http::Request req;
    req.method = "POST";
    req.target = "/";
    req.headers.emplace("Host", "localhost:4566");
    req.headers.emplace("Content-Type", "application/x-amz-json-1.1");
    req.headers.emplace("X-Amz-Target", "AWSEvents." + op);
    req.body = body.dump();
    auto res = emu->Handle(req);
    INFO(op << " " << res.body);
    REQUIRE(res.status == 200);
    return res.body.empty() ? json::object() : json::parse(res.body);
  }
};

}  // namespace

TEST_CASE("events: deliveries pending at a crash are made after restart", "[events][outbox]") {
  DataDir dir("events-replay");
  std::vector<std::string> ids;
  {
    Process p(dir.Options(/*hold=*/true));
    p.Call("PutRule", {{"Name", "r"}, {"EventPattern", R"({"source":["app"]})"}});
    p.Call("PutTargets",
           {{"Rule", "r"},
            {"Targets", {{{"Id", "q"}, {"Arn", "arn:aws:sqs:us-east-1:000000000000:q"}}}}});
    for (int i = 0; i < 3; ++i) {
      json entries = json::array();
      for (int k = 0; k < 2; ++k)
        entries.push_back({{"Source", "app"},
                           {"DetailType", "t"},
                           {"Detail", json{{"n", i * 2 + k}}.dump()}});
      entries.push_back({{"Source", "other"}, {"DetailType", "t"}, {"Detail", "{}"}});
      auto res = p.Call("PutEvents", {{"Entries", entries}});
      CHECK(res["FailedEntryCount"] == 0);
      ids.push_back(res["Entries"][0]["EventId"]);
      ids.push_back(res["Entries"][1]["EventId"]);
    }
    CHECK(p.emu->outbox().Count() == 3);  // one row per PutEvents call
    CHECK(p.sqs->Count() == 0);
  }
  {
    Process p(dir.Options(/*hold=*/false));
    auto got = p.sqs->WaitFor(6);
    REQUIRE(got.size() == 6);
    for (size_t i = 0; i < got.size(); ++i) {
      auto e = json::parse(got[i]);
      CHECK(e["id"] == ids[i]);  // in PutEvents order
      CHECK(e["detail"]["n"] == static_cast<int>(i));
    }
    p.events->TEST_delivery().TEST_WaitIdle();
    CHECK(Eventually([&] { return p.emu->outbox().Count() == 0; }));
  }
}

TEST_CASE("events: PutEvents matching no rule writes no outbox row", "[events][outbox]") {
  DataDir dir("events-norow");
  Process p(dir.Options(false));
  p.Call("PutEvents", {{"Entries", {{{"Source", "x"}, {"DetailType", "t"}, {"Detail", "{}"}}}}});
  CHECK(p.emu->outbox().Count() == 0);
}

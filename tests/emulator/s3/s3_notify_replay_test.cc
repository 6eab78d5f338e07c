// Durable S3 notifications: the notification of an acknowledged PutObject, held as if the
// process died right after answering, is delivered by the next process over the same data.
#include <catch2/catch.hpp>

#include "emulator/s3/s3_service.h"
#include "tests/emulator/replay_helpers.h"
#include "tests/emulator/s3/s3_test_request.h"

using namespace edastack;
using edastack::testing::DataDir;
using edastack::testing::Eventually;

namespace {

struct Process : edastack::testing::ReplayProcess {
  explicit Process(const EmulatorOptions& o)
      : ReplayProcess(o, [](Emulator& e) {
          e.AddService(http::Service::kS3, std::make_unique<s3::S3Service>(e));
        }) {}
  int Call(const std::string& method, const std::string& target, const std::string& body = "") {
    http::Request r = edastack::testing::S3Request(method, target, body);
    return emu->Handle(r).status;
  }
};

}  // namespace

TEST_CASE("s3: notifications pending at a crash are delivered after restart", "[s3][outbox]") {
  DataDir dir("s3-replay");
  {
    Process p(dir.Options(/*hold=*/true));
    REQUIRE(p.Call("PUT", "/ntf-replay") == 200);
    std::string cfg =
        "<NotificationConfiguration><QueueConfiguration><Id>q</Id>"
        "<Queue>arn:aws:sqs:us-east-1:000000000000:q</Queue>"
        "<Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>";
    REQUIRE(p.Call("PUT", "/ntf-replay?notification", cfg) == 200);
    size_t validation = p.sqs->Count();  // the s3:TestEvent sent by the configuration check
    REQUIRE(p.Call("PUT", "/ntf-replay/a.txt", "a") == 200);
    REQUIRE(p.Call("PUT", "/ntf-replay/b.txt", "b") == 200);
    CHECK(p.emu->outbox().Count() == 2);
    CHECK(p.sqs->Count() == validation);
  }
  {
    Process p(dir.Options(/*hold=*/false));
    auto got = p.sqs->WaitFor(2);
    REQUIRE(got.size() == 2);
    auto a = nlohmann::json::parse(got[0])["Records"][0];
    auto b = nlohmann::json::parse(got[1])["Records"][0];
    CHECK(a["s3"]["object"]["key"] == "a.txt");
    CHECK(b["s3"]["object"]["key"] == "b.txt");
    CHECK(a["eventName"] == "ObjectCreated:Put");
    CHECK(Eventually([&] { return p.emu->outbox().Count() == 0; }));
    // Live notifications still flow, after the commit.
    REQUIRE(p.Call("PUT", "/ntf-replay/c.txt", "c") == 200);
    CHECK(p.sqs->WaitFor(3).size() == 3);
  }
}

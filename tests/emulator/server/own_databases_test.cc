// SQS and DynamoDB in database files of their own: data survives a restart there, Reset
// clears every file, and a data directory of the old one-file layout is moved at start-up.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/server/emulator.h"
#include "tests/emulator/replay_helpers.h"

using namespace edastack;
using nlohmann::json;

namespace {

http::Response Call(Emulator& emu, const std::string& target, const json& body) {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.headers.emplace("Host", "localhost:4566");
  r.headers.emplace("Content-Type", "application/x-amz-json-1.0");
  r.headers.emplace("X-Amz-Target", target);
  r.body = body.dump();
  return emu.Handle(r);
}

void CreateBoth(Emulator& emu) {
  REQUIRE(Call(emu, "AmazonSQS.CreateQueue", {{"QueueName", "kept"}}).status == 200);
  REQUIRE(Call(emu, "AmazonSQS.SendMessage",
               {{"QueueUrl", "http://localhost:4566/000000000000/kept"}, {"MessageBody", "m"}})
              .status == 200);
  REQUIRE(Call(emu, "DynamoDB_20120810.CreateTable",
               {{"TableName", "kept"},
                {"AttributeDefinitions", {{{"AttributeName", "k"}, {"AttributeType", "S"}}}},
                {"KeySchema", {{{"AttributeName", "k"}, {"KeyType", "HASH"}}}},
                {"BillingMode", "PAY_PER_REQUEST"}})
              .status == 200);
  REQUIRE(Call(emu, "DynamoDB_20120810.PutItem",
               {{"TableName", "kept"}, {"Item", {{"k", {{"S", "a"}}}, {"v", {{"N", "1"}}}}}})
              .status == 200);
}

// Whether the queue, its message and the table's item are there.
void CheckBoth(Emulator& emu) {
  auto got = Call(emu, "DynamoDB_20120810.GetItem",
                  {{"TableName", "kept"}, {"Key", {{"k", {{"S", "a"}}}}}});
  REQUIRE(got.status == 200);
  CHECK(json::parse(got.body)["Item"]["v"]["N"] == "1");
  auto attrs = Call(emu, "AmazonSQS.GetQueueAttributes",
                    {{"QueueUrl", "http://localhost:4566/000000000000/kept"},
                     {"AttributeNames", {"ApproximateNumberOfMessages"}}});
  REQUIRE(attrs.status == 200);
  CHECK(json::parse(attrs.body)["Attributes"]["ApproximateNumberOfMessages"] == "1");
}

// Rebuilds the one-file layout of older versions: every table of sqs.db and dynamodb.db,
// with its rows and migration record, copied into edastack.db; then the two files removed.
void MergeIntoOneFile(const std::filesystem::path& dir) {
  {
    storage::Database main((dir / "edastack.db").string());
    auto lock = main.Lock();
    for (const char* file : {"sqs.db", "dynamodb.db"}) {
      main.ExecScript("ATTACH DATABASE '" + (dir / file).string() + "' AS o;");
      std::vector<std::pair<std::string, std::string>> objects;
      {
        auto s = main.Prepare(
            "SELECT name, sql FROM o.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE "
            "'sqlite_%' AND name <> 'schema_migrations' ORDER BY type DESC");  // tables first
        while (s.Step()) objects.emplace_back(s.Text(0), s.Text(1));
      }
      for (const auto& [name, sql] : objects) {
        main.ExecScript(sql + ";");
        if (sql.rfind("CREATE TABLE", 0) == 0)
          main.ExecScript("INSERT INTO main.\"" + name + "\" SELECT * FROM o.\"" + name + "\";");
      }
      main.ExecScript("INSERT INTO main.schema_migrations SELECT * FROM o.schema_migrations;");
      main.ExecScript("DETACH DATABASE o;");
    }
  }
  for (const char* file : {"sqs.db", "dynamodb.db"})
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(dir / (std::string(file) + suffix));
}

// One run of the emulator over `dir` that creates the queue and the table, then stops.
void FirstRun(const testing::DataDir& dir, const Clock& clock) {
  Emulator emu(dir.Options(false), clock);
  RegisterAllServices(emu);
  CreateBoth(emu);
  emu.Shutdown();
}

}  // namespace

TEST_CASE("SQS and DynamoDB keep their own files, which survive a restart",
          "[emulator][storage]") {
  testing::DataDir dir("own-dbs");
  ManualClock clock;
  FirstRun(dir, clock);
  CHECK(std::filesystem::exists(dir.path / "sqs.db"));
  CHECK(std::filesystem::exists(dir.path / "dynamodb.db"));
  {
    Emulator emu(dir.Options(false), clock);
    RegisterAllServices(emu);
    CheckBoth(emu);
    // Reset clears every file.
    emu.Reset();
    CHECK(Call(emu, "DynamoDB_20120810.DescribeTable", {{"TableName", "kept"}}).status == 400);
    CHECK(Call(emu, "AmazonSQS.GetQueueUrl", {{"QueueName", "kept"}}).status == 400);
    emu.Shutdown();
  }
}

TEST_CASE("a data directory of the one-file layout is moved at start-up",
          "[emulator][storage]") {
  testing::DataDir dir("own-dbs-upgrade");
  ManualClock clock;
  FirstRun(dir, clock);
  MergeIntoOneFile(dir.path);
  REQUIRE_FALSE(std::filesystem::exists(dir.path / "sqs.db"));
  {
    Emulator emu(dir.Options(false), clock);
    RegisterAllServices(emu);
    CheckBoth(emu);
    emu.Shutdown();
  }
  {
    storage::Database main((dir.path / "edastack.db").string());
    auto lock = main.Lock();
    auto s = main.Prepare(
        "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'sqs_%' OR name LIKE 'ddb_%'");
    REQUIRE(s.Step());
    CHECK(s.Int(0) == 0);
  }
  CHECK(std::filesystem::exists(dir.path / "sqs.db"));
  CHECK(std::filesystem::exists(dir.path / "dynamodb.db"));
}

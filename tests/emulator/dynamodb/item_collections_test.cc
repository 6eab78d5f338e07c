// Item collections: ItemCollectionMetrics and ItemCollectionSizeLimitExceededException on
// tables with a local secondary index, with the 10 GB limit lowered to 10 KiB (so one
// SizeEstimateRangeGB step is 1 KiB, 2^-20 GB).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "emulator/dynamodb/operations.h"
#include "protocol/core/clock.h"
#include "tests/emulator/dynamodb/ddb_test_calls.h"

using namespace edastack;
using namespace edastack::dynamodb;

namespace {

constexpr int64_t kLimit = 10 * 1024;
// A padded item with the LSI sort key: ItemSize 1014 (pk 3, sk 4, lsk 4, pdx 1003) plus its
// KEYS_ONLY LSI entry 111 (pk, sk, lsk and 100 bytes of overhead).
constexpr int64_t kPadded = 1125;

struct Fixture : testing::DdbCalls {
  explicit Fixture(const std::string& path = ":memory:", int64_t limit = kLimit)
      : db(path), ddb(db, DdbOptions{limit}) {}
  storage::Database db;
  DynamoDb ddb;
  DynamoDb& Ddb() override { return ddb; }

  void MakeTable(bool lsi = true, const std::string& name = "tbl") {
    std::string lsis = R"(,"LocalSecondaryIndexes":[{"IndexName":"bylsk","KeySchema":[
        {"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"lsk","KeyType":"RANGE"}],
        "Projection":{"ProjectionType":"KEYS_ONLY"}}])";
    Ok("CreateTable",
       R"({"TableName":")" + name + R"(","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
        {"AttributeName":"sk","AttributeType":"N"})" +
           std::string(lsi ? R"(,{"AttributeName":"lsk","AttributeType":"S"})" : "") + R"(],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}])" +
           (lsi ? lsis : "") + "}");
  }
  // A PutItem body of a padded item (kPadded bytes in its collection).
  static std::string PutBody(const std::string& pk, int sk, const std::string& table = "tbl") {
    return R"({"TableName":")" + table +
           R"(","ReturnItemCollectionMetrics":"SIZE","Item":{"pk":{"S":")" + pk +
           R"("},"sk":{"N":")" + std::to_string(sk) + R"("},"lsk":{"S":"x"},"pdx":{"S":")" +
           std::string(1000, 'p') + "\"}}}";
  }
  Json Put(const std::string& pk, int sk) { return Ok("PutItem", PutBody(pk, sk)); }
  int Count(const std::string& pk) {
    return Ok("Query", R"({"TableName":"tbl","KeyConditionExpression":"pk = :p",
        "ExpressionAttributeValues":{":p":{"S":")" +
                           pk + "\"}}}")["Count"];
  }
};

// The KiB step of a metrics object's lower bound, checking the range is one step wide.
int64_t Step(const Json& metrics) {
  const Json& range = metrics.at("SizeEstimateRangeGB");
  REQUIRE(range.size() == 2);
  double lo = range[0].get<double>() * (1 << 20), hi = range[1].get<double>() * (1 << 20);
  CHECK(hi - lo == 1.0);
  return static_cast<int64_t>(lo);
}

}  // namespace

TEST_CASE("ddb collections: no metrics for a table without a local index", "[ddb][collections]") {
  Fixture f;
  f.MakeTable(false);
  CHECK_FALSE(f.Put("a", 1).contains("ItemCollectionMetrics"));
  CHECK_FALSE(f.Ok("UpdateItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
      "UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"N":"1"}},
      "ReturnItemCollectionMetrics":"SIZE"})")
                  .contains("ItemCollectionMetrics"));
  CHECK_FALSE(f.Ok("DeleteItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
      "ReturnItemCollectionMetrics":"SIZE"})")
                  .contains("ItemCollectionMetrics"));
  auto b = f.Ok("BatchWriteItem", R"({"ReturnItemCollectionMetrics":"SIZE","RequestItems":{"tbl":[
      {"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"2"}}}}]}})");
  CHECK(b["ItemCollectionMetrics"] == Json::object());
  auto t = f.Ok("TransactWriteItems", R"({"ReturnItemCollectionMetrics":"SIZE","TransactItems":[
      {"Put":{"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"3"}}}}]})");
  CHECK(t["ItemCollectionMetrics"] == Json::object());
  // Without a local index there is no limit to hit either.
  for (int i = 10; i < 20; ++i) f.Put("a", i);
  CHECK(f.Count("a") == 12);
}

TEST_CASE("ddb collections: metrics on every write path grow with the collection",
          "[ddb][collections]") {
  Fixture f;
  f.MakeTable();
  auto m = f.Put("a", 1)["ItemCollectionMetrics"];
  CHECK(m["ItemCollectionKey"] == Json::parse(R"({"pk":{"S":"a"}})"));
  CHECK(Step(m) == 1);                                       // 1125 bytes
  CHECK(Step(f.Put("a", 2)["ItemCollectionMetrics"]) == 2);  // 2250
  // UpdateItem creating a padded item.
  auto u = f.Ok("UpdateItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"3"}},
      "UpdateExpression":"SET lsk = :l, pdx = :p","ReturnItemCollectionMetrics":"SIZE",
      "ExpressionAttributeValues":{":l":{"S":"x"},":p":{"S":")" +
                                  std::string(1000, 'p') + "\"}}}");
  CHECK(Step(u["ItemCollectionMetrics"]) == 3);  // 3375
  // BatchWriteItem: one entry per collection, each with its size after the whole batch.
  Json batch = Json::parse(R"({"ReturnItemCollectionMetrics":"SIZE","RequestItems":{"tbl":[]}})");
  for (auto [pk, sk] : {std::pair{"a", 4}, {"a", 5}, {"b", 1}})
    batch["RequestItems"]["tbl"].push_back(
        {{"PutRequest", {{"Item", Json::parse(Fixture::PutBody(pk, sk))["Item"]}}}});
  auto b = f.Ok("BatchWriteItem", batch.dump())["ItemCollectionMetrics"]["tbl"];
  REQUIRE(b.size() == 2);
  CHECK(b[0]["ItemCollectionKey"]["pk"]["S"] == "a");
  CHECK(Step(b[0]) == 5);  // 5625
  CHECK(b[1]["ItemCollectionKey"]["pk"]["S"] == "b");
  CHECK(Step(b[1]) == 1);
  // TransactWriteItems.
  Json tx = Json::parse(R"({"ReturnItemCollectionMetrics":"SIZE","TransactItems":[]})");
  Json put = Json::parse(Fixture::PutBody("a", 6));
  put.erase("ReturnItemCollectionMetrics");
  tx["TransactItems"].push_back({{"Put", put}});
  auto t = f.Ok("TransactWriteItems", tx.dump())["ItemCollectionMetrics"]["tbl"];
  REQUIRE(t.size() == 1);
  CHECK(Step(t[0]) == 6);  // 6750
  // DeleteItem shrinks it; an item without the LSI sort key has no index entry (1010 bytes).
  auto d = f.Ok("DeleteItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"6"}},
      "ReturnItemCollectionMetrics":"SIZE"})");
  CHECK(Step(d["ItemCollectionMetrics"]) == 5);
  auto u2 = f.Ok("UpdateItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"5"}},
      "UpdateExpression":"REMOVE lsk","ReturnItemCollectionMetrics":"SIZE"})");
  CHECK(Step(u2["ItemCollectionMetrics"]) == (5 * kPadded - 115) / 1024);
}

TEST_CASE("ddb collections: an item counts with its entry in each local index that has it",
          "[ddb][collections]") {
  TableMeta t = TableMeta::FromSpec(1, Json::parse(R"({"TableName":"t",
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
      {"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"l1","AttributeType":"S"},
      {"AttributeName":"l2","AttributeType":"S"},{"AttributeName":"l3","AttributeType":"S"},
      {"AttributeName":"v","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
    "LocalSecondaryIndexes":[
      {"IndexName":"all","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
        {"AttributeName":"l1","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}},
      {"IndexName":"inc","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
        {"AttributeName":"l2","KeyType":"RANGE"}],
        "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["v"]}},
      {"IndexName":"keys","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
        {"AttributeName":"l3","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
    "GlobalSecondaryIndexes":[{"IndexName":"g","KeySchema":[{"AttributeName":"v","KeyType":"HASH"}],
      "Projection":{"ProjectionType":"ALL"}}]})"));
  REQUIRE(t.has_lsi);
  // ItemSize 21: pk 3, sk 4, l1 3, l2 3, v 5, w 3.
  Json item = Json::parse(R"({"pk":{"S":"a"},"sk":{"N":"1"},"l1":{"S":"x"},"l2":{"S":"y"},
      "v":{"S":"vvvv"},"w":{"N":"12"}})");
  REQUIRE(ItemSize(item) == 21);
  // + ALL: the item and 100; + INCLUDE: pk, sk, l2, v and 100; KEYS_ONLY: no l3, no entry.
  CHECK(CollectionItemBytes(t, item) == 21 + 121 + 115);
  item["l3"] = Json::parse(R"({"S":"z"})");  // now 24 bytes, and in every index
  CHECK(CollectionItemBytes(t, item) == 24 + 124 + 115 + 110);
  CHECK_FALSE(TableMeta::FromSpec(2, Json::parse(R"({"TableName":"t",
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})"))
                  .has_lsi);
}

TEST_CASE("ddb collections: the estimate at AWS's limit is in whole gigabytes",
          "[ddb][collections]") {
  Fixture f(":memory:", kItemCollectionLimitBytes);
  f.MakeTable();
  CHECK(f.Put("a", 1)["ItemCollectionMetrics"]["SizeEstimateRangeGB"] == Json::parse("[0.0, 1.0]"));
  CHECK(SizeEstimateRangeGB(int64_t{23} << 29, kItemCollectionLimitBytes) ==
        Json::parse("[11.0, 12.0]"));
}

TEST_CASE("ddb collections: a write past the limit fails and changes nothing",
          "[ddb][collections]") {
  Fixture f;
  f.MakeTable();
  for (int i = 1; i <= 9; ++i) f.Put("a", i);  // 10125 of 10240 bytes
  const std::string exceeded =
      "ItemCollectionSizeLimitExceededException: Collection size exceeded.";
  CHECK(f.Err("PutItem", Fixture::PutBody("a", 10)) == exceeded);
  CHECK(f.Err("UpdateItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"10"}},
      "UpdateExpression":"SET pdx = :p","ExpressionAttributeValues":{":p":{"S":")" +
                                std::string(200, 'p') + "\"}}}") == exceeded);
  CHECK(f.Err("UpdateItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
      "UpdateExpression":"SET more = :p","ExpressionAttributeValues":{":p":{"S":")" +
                                std::string(200, 'p') + "\"}}}") == exceeded);
  // The whole batch fails, including its write to another collection.
  Json batch = Json::parse(R"({"RequestItems":{"tbl":[]}})");
  for (auto [pk, sk] : {std::pair{"b", 1}, {"a", 10}})
    batch["RequestItems"]["tbl"].push_back(
        {{"PutRequest", {{"Item", Json::parse(Fixture::PutBody(pk, sk))["Item"]}}}});
  CHECK(f.Err("BatchWriteItem", batch.dump()) == exceeded);
  // A transaction is cancelled with the reason AWS gives.
  Json tx = Json::parse(R"({"TransactItems":[]})");
  for (auto [pk, sk] : {std::pair{"b", 1}, {"a", 10}}) {
    Json put = Json::parse(Fixture::PutBody(pk, sk));
    put.erase("ReturnItemCollectionMetrics");
    tx["TransactItems"].push_back({{"Put", put}});
  }
  auto r = f.Call("TransactWriteItems", tx.dump());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "TransactionCanceledException");
  CHECK(r.error().message.find("[None, ItemCollectionSizeLimitExceeded]") != std::string::npos);
  std::string reasons;
  for (const auto& kv : r.error().extra)
    if (kv.first == "CancellationReasons") reasons = kv.second;
  CHECK(Json::parse(reasons)[1] ==
        Json::parse(
            R"({"Code":"ItemCollectionSizeLimitExceeded","Message":"Collection size exceeded."})"));
  CHECK(f.Count("a") == 9);
  CHECK(f.Count("b") == 0);
  CHECK(
      f.Ok("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})")["Item"].count(
          "more") == 0);
  // Writes that do not grow the collection are allowed, as are other collections.
  CHECK(Step(f.Put("a", 9)["ItemCollectionMetrics"]) == 9);
  CHECK(Step(f.Put("b", 1)["ItemCollectionMetrics"]) == 1);
  // A delete makes room again.
  f.Ok("DeleteItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  CHECK(Step(f.Put("a", 10)["ItemCollectionMetrics"]) == 9);
  CHECK(f.Count("a") == 9);
}

TEST_CASE("ddb collections: sizes survive restarts, TTL, table changes and lost counters",
          "[ddb][collections]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("edastack-ddb-collections-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "ddb.db").string();
  int64_t now_s = 0;
  {
    Fixture f(path);
    f.MakeTable();
    for (int i = 1; i <= 3; ++i) f.Put("a", i);
    now_s = f.clock.NowSeconds();
  }
  Fixture f(path);  // reopened: the running size was committed with the items
  CHECK(Step(f.Put("a", 4)["ItemCollectionMetrics"]) == 4);
  // A database without stored sizes (or a lost row) is recounted from the items.
  {
    auto lock = f.db.Lock();
    f.db.Prepare("DELETE FROM ddb_collections").Exec();
  }
  CHECK(Step(f.Put("a", 4)["ItemCollectionMetrics"]) == 4);
  for (int i = 5; i <= 9; ++i) f.Put("a", i);
  CHECK(f.Err("PutItem", Fixture::PutBody("a", 10)).find("ItemCollectionSize") == 0);
  // Adding a global index changes no collection size.
  f.Ok("UpdateTable", R"({"TableName":"tbl","AttributeDefinitions":[
      {"AttributeName":"lsk","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{
      "IndexName":"g","KeySchema":[{"AttributeName":"lsk","KeyType":"HASH"}],
      "Projection":{"ProjectionType":"ALL"}}}]})");
  CHECK(Step(f.Put("a", 9)["ItemCollectionMetrics"]) == 9);
  // TTL: an expired item still counts until the sweeper deletes it; overwriting it
  // replaces its size.
  f.Ok("UpdateTimeToLive",
       R"({"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  f.Ok("UpdateItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
      "UpdateExpression":"SET exp = :e","ExpressionAttributeValues":{":e":{"N":")" +
                         std::to_string(now_s + 5) + "\"}}}");
  f.Ok("UpdateItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"2"}},
      "UpdateExpression":"SET exp = :e","ExpressionAttributeValues":{":e":{"N":")" +
                         std::to_string(now_s + 5) + "\"}}}");
  f.clock.Advance(10000);
  CHECK(f.Err("PutItem", Fixture::PutBody("a", 10)).find("ItemCollectionSize") == 0);
  CHECK(Step(f.Put("a", 1)["ItemCollectionMetrics"]) == 9);  // replaced the expired item
  CHECK(f.ddb.SweepExpired(f.clock.NowMillis()) == 1);       // removes sk 2
  CHECK(Step(f.Put("a", 10)["ItemCollectionMetrics"]) == 9);
  // DeleteTable and a new table of the same name start from nothing.
  f.Ok("DeleteTable", R"({"TableName":"tbl"})");
  f.MakeTable();
  CHECK(Step(f.Put("a", 1)["ItemCollectionMetrics"]) == 1);
  std::filesystem::remove_all(dir);
}

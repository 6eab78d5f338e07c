// DynamoDb operations over an in-memory database with a manual clock.
#include "emulator/dynamodb/operations.h"

#include <catch2/catch.hpp>
#include <set>

#include "protocol/core/clock.h"
#include "tests/emulator/dynamodb/ddb_test_calls.h"

using namespace edastack;
using namespace edastack::dynamodb;

namespace {

struct Fixture : testing::DdbCalls {
  storage::Database db{":memory:"};
  DynamoDb ddb{db};
  DynamoDb& Ddb() override { return ddb; }

  void MakeTable(const std::string& extra = "") {
    Ok("CreateTable", R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
        {"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},
        {"AttributeName":"sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
      "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"})" +
                          extra + "}");
  }
  void Put(const std::string& pk, int sk, const std::string& more = "") {
    Ok("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":")" + pk + R"("},"sk":{"N":")" +
                      std::to_string(sk) + "\"}" + more + "}}");
  }
};

}  // namespace

TEST_CASE("ddb ops create, describe, duplicate, delete", "[ddb][ops]") {
  Fixture f;
  f.MakeTable();
  auto d = f.Ok("DescribeTable", R"({"TableName":"tbl"})");
  CHECK(d["Table"]["TableStatus"] == "ACTIVE");
  CHECK(d["Table"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE");
  CHECK(d["Table"]["LatestStreamArn"].get<std::string>().find("table/tbl/stream/") !=
        std::string::npos);
  CHECK(f.Err("CreateTable", R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})") ==
        "ResourceInUseException: Table already exists: tbl");
  CHECK(f.Err("DescribeTable", R"({"TableName":"nope"})").find("ResourceNotFoundException") == 0);
  CHECK(
      f.Err(
           "CreateTable",
           R"({"TableName":"tb2","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})")
          .find("ReadCapacityUnits and WriteCapacityUnits") != std::string::npos);
  CHECK(
      f.Err(
           "CreateTable",
           R"({"TableName":"tb2","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"x","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})")
          .find("Number of attributes in KeySchema") != std::string::npos);
  f.Ok("DeleteTable", R"({"TableName":"tbl"})");
  CHECK(f.Ok("ListTables", "{}")["TableNames"].empty());
}

TEST_CASE("ddb ops a failed call changes nothing", "[ddb][ops]") {
  Fixture f;
  f.MakeTable();
  f.Put("a", 1, R"(,"v":{"N":"1"})");
  // The update's second action fails at run time: the first must not be applied.
  CHECK(f.Err("UpdateItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
      "UpdateExpression":"SET w = :one, v = v + :s","ExpressionAttributeValues":{":one":{"N":"1"},":s":{"S":"x"}}})")
            .find("ValidationException") == 0);
  auto g = f.Ok("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  CHECK_FALSE(g["Item"].contains("w"));
  // A batch with one bad entry writes nothing.
  CHECK(f.Err("BatchWriteItem",
              R"({"RequestItems":{"tbl":[{"PutRequest":{"Item":{"pk":{"S":"b"},"sk":{"N":"1"}}}},
      {"PutRequest":{"Item":{"pk":{"S":"c"},"sk":{"S":"bad"}}}}]}})")
            .find("ValidationException") == 0);
  CHECK(f.Ok("Scan", R"({"TableName":"tbl"})")["Count"] == 1);
}

TEST_CASE("ddb ops GSI keys-only query and pagination", "[ddb][ops]") {
  Fixture f;
  f.MakeTable();
  for (int i = 0; i < 10; ++i)
    f.Put("p" + std::to_string(i), i, R"(,"g":{"S":"G"},"big":{"S":"xx"})");
  f.Put("nog", 1);  // sparse: not in the index
  Json seen = Json::array();
  std::string esk;
  int pages = 0;
  while (true) {
    std::string body =
        R"({"TableName":"tbl","IndexName":"byg","KeyConditionExpression":"g = :g AND sk >= :z",
        "ExpressionAttributeValues":{":g":{"S":"G"},":z":{"N":"3"}},"Limit":3,"ScanIndexForward":false)" +
        (esk.empty() ? "" : ",\"ExclusiveStartKey\":" + esk) + "}";
    auto r = f.Ok("Query", body);
    for (auto& it : r["Items"]) {
      CHECK_FALSE(it.contains("big"));  // KEYS_ONLY
      seen.push_back(it["sk"]["N"]);
    }
    ++pages;
    if (!r.contains("LastEvaluatedKey")) break;
    CHECK(r["LastEvaluatedKey"].contains("g"));
    esk = r["LastEvaluatedKey"].dump();
  }
  CHECK(seen == Json::parse(R"(["9","8","7","6","5","4","3"])"));
  CHECK(pages == 3);
}

TEST_CASE("ddb ops parallel scan covers every item once", "[ddb][ops]") {
  Fixture f;
  f.MakeTable();
  for (int i = 0; i < 50; ++i) f.Put("k" + std::to_string(i), i);
  std::set<std::string> all;
  int total = 0;
  for (int seg = 0; seg < 4; ++seg) {
    auto r = f.Ok("Scan", R"({"TableName":"tbl","Segment":)" + std::to_string(seg) +
                              R"(,"TotalSegments":4})");
    for (auto& it : r["Items"]) {
      all.insert(it["pk"]["S"].get<std::string>());
      ++total;
    }
  }
  CHECK(total == 50);
  CHECK(all.size() == 50);
  CHECK(f.Err("Scan", R"({"TableName":"tbl","Segment":4,"TotalSegments":4})")
            .find("ValidationException") == 0);
}

TEST_CASE("ddb ops TTL hides and sweeps expired items with a stream record", "[ddb][ops][ttl]") {
  Fixture f;
  f.MakeTable();
  int64_t now_s = f.clock.NowSeconds();
  f.Put("old", 1, R"(,"exp":{"N":")" + std::to_string(now_s + 10) + "\"}");
  f.Put("keep", 1, R"(,"exp":{"N":")" + std::to_string(now_s + 1000) + "\"}");
  f.Ok("UpdateTimeToLive",
       R"({"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  CHECK(
      f.Err(
           "UpdateTimeToLive",
           R"({"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})")
          .find("ValidationException") == 0);
  CHECK(f.Ok("DescribeTimeToLive",
             R"({"TableName":"tbl"})")["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED");
  CHECK(f.Ok("Scan", R"({"TableName":"tbl"})")["Count"] == 2);
  f.clock.Advance(11000);
  // Expired: invisible before any sweep.
  CHECK(f.Ok("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"old"},"sk":{"N":"1"}}})")
            .count("Item") == 0);
  CHECK(f.Ok("Scan", R"({"TableName":"tbl"})")["Count"] == 1);
  CHECK(f.ddb.SweepExpired(f.clock.NowMillis()) == 1);
  CHECK(f.ddb.SweepExpired(f.clock.NowMillis()) == 0);
  auto d = f.Ok("DescribeTable", R"({"TableName":"tbl"})");
  CHECK(d["Table"]["ItemCount"] == 1);
  std::string arn = d["Table"]["LatestStreamArn"];
  auto desc = f.Ok("DescribeStream", R"({"StreamArn":")" + arn + "\"}", true);
  std::string shard = desc["StreamDescription"]["Shards"][0]["ShardId"];
  auto it = f.Ok("GetShardIterator",
                 R"({"StreamArn":")" + arn + R"(","ShardId":")" + shard +
                     R"(","ShardIteratorType":"TRIM_HORIZON"})",
                 true);
  auto recs = f.Ok("GetRecords",
                   R"({"ShardIterator":")" + it["ShardIterator"].get<std::string>() + "\"}", true);
  REQUIRE(recs["Records"].size() == 3);  // two INSERTs, one TTL REMOVE
  CHECK(recs["Records"][0]["eventName"] == "INSERT");
  CHECK(recs["Records"][2]["eventName"] == "REMOVE");
  CHECK(recs["Records"][2]["userIdentity"]["PrincipalId"] == "dynamodb.amazonaws.com");
  CHECK(recs["Records"][2]["dynamodb"]["OldImage"]["pk"]["S"] == "old");
  CHECK(recs["Records"][0]["dynamodb"]["SequenceNumber"] <
        recs["Records"][2]["dynamodb"]["SequenceNumber"]);
}

TEST_CASE("ddb ops stream retention is 24 hours", "[ddb][ops][streams]") {
  Fixture f;
  f.MakeTable();
  f.Put("a", 1);
  std::string arn = f.Ok("DescribeTable", R"({"TableName":"tbl"})")["Table"]["LatestStreamArn"];
  f.clock.Advance(25LL * 3600 * 1000);
  f.Put("b", 1);
  f.ddb.SweepExpired(f.clock.NowMillis());
  auto desc = f.Ok("DescribeStream", R"({"StreamArn":")" + arn + "\"}", true);
  std::string shard = desc["StreamDescription"]["Shards"][0]["ShardId"];
  auto it = f.Ok("GetShardIterator",
                 R"({"StreamArn":")" + arn + R"(","ShardId":")" + shard +
                     R"(","ShardIteratorType":"TRIM_HORIZON"})",
                 true);
  auto recs = f.Ok("GetRecords",
                   R"({"ShardIterator":")" + it["ShardIterator"].get<std::string>() + "\"}", true);
  REQUIRE(recs["Records"].size() == 1);
  CHECK(recs["Records"][0]["dynamodb"]["Keys"]["pk"]["S"] == "b");
}

TEST_CASE("ddb ops transactions cancel atomically and honour tokens", "[ddb][ops][tx]") {
  Fixture f;
  f.MakeTable();
  f.Put("a", 1, R"(,"v":{"N":"1"})");
  std::string tx = R"({"TransactItems":[
     {"Put":{"TableName":"tbl","Item":{"pk":{"S":"n"},"sk":{"N":"1"}}}},
     {"ConditionCheck":{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
        "ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}},
        "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}]})";
  auto r = f.Call("TransactWriteItems", tx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "TransactionCanceledException");
  CHECK(r.error().message.find("[None, ConditionalCheckFailed]") != std::string::npos);
  CHECK(f.Ok("Scan", R"({"TableName":"tbl"})")["Count"] == 1);  // the Put was rolled back
  std::string ok = R"({"ClientRequestToken":"tok1","TransactItems":[
     {"Update":{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"ADD v :one",
        "ExpressionAttributeValues":{":one":{"N":"1"}}}}]})";
  f.Ok("TransactWriteItems", ok);
  f.Ok("TransactWriteItems", ok);  // idempotent replay
  auto g = f.Ok("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  CHECK(g["Item"]["v"]["N"] == "2");
  CHECK(f.Err("TransactWriteItems", R"({"ClientRequestToken":"tok1","TransactItems":[
     {"Delete":{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}}]})")
            .find("IdempotentParameterMismatch") == 0);
  f.clock.Advance(11 * 60 * 1000);
  f.Ok("TransactWriteItems", ok);  // token expired: applied again
  g = f.Ok("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  CHECK(g["Item"]["v"]["N"] == "3");
  CHECK(f.Err("TransactWriteItems", R"({"TransactItems":[
     {"Delete":{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}},
     {"Delete":{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}}]})")
            .find("multiple operations on one item") != std::string::npos);
}

TEST_CASE("ddb ops key and item validation", "[ddb][ops]") {
  Fixture f;
  f.MakeTable();
  CHECK(f.Err("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":"a"}}})") ==
        "ValidationException: One or more parameter values were invalid: Missing the key sk in the "
        "item");
  CHECK(f.Err("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"S":"1"}}})") ==
        "ValidationException: One or more parameter values were invalid: Type mismatch for key sk "
        "expected: N actual: S");
  CHECK(f.Err("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":""},"sk":{"N":"1"}}})")
            .find("empty string") != std::string::npos);
  CHECK(f.Err("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"}}})") ==
        "ValidationException: The provided key element does not match the schema");
  CHECK(f.Err("PutItem",
              R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"g":{"N":"1"}}})")
            .find("Type mismatch for Index Key g") != std::string::npos);
  std::string big(400 * 1024, 'x');
  CHECK(f.Err("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"b":{"S":")" +
                             big + "\"}}}") ==
        "ValidationException: Item size has exceeded the maximum allowed size");
  CHECK(
      f.Err(
           "UpdateItem",
           R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET pk = :v","ExpressionAttributeValues":{":v":{"S":"b"}}})")
          .find("This attribute is part of the key") != std::string::npos);
  CHECK(
      f.Err(
           "PutItem",
           R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"ReturnValues":"ALL_NEW"})")
          .find("ValidationException") == 0);
  CHECK(
      f.Err(
           "Query",
           R"J({"TableName":"tbl","KeyConditionExpression":"pk = :p AND begins_with(sk, :s)","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"1"}}})J")
          .find("ValidationException") == 0);
  CHECK(
      f.Err(
           "Query",
           R"({"TableName":"tbl","KeyConditionExpression":"pk = :p OR sk = :s","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"1"}}})")
          .find("Invalid operator used in KeyConditionExpression: OR") != std::string::npos);
}

TEST_CASE("ddb ops legacy parameters", "[ddb][ops][legacy]") {
  Fixture f;
  f.MakeTable();
  f.Put("a", 1, R"(,"v":{"N":"5"})");
  f.Put("a", 2, R"(,"v":{"N":"7"})");
  CHECK(
      f.Err(
           "PutItem",
           R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"Expected":{"pk":{"Exists":false}}})")
          .find("ConditionalCheckFailedException") == 0);
  f.Ok(
      "UpdateItem",
      R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{"v":{"Action":"ADD","Value":{"N":"2"}}}})");
  auto q = f.Ok(
      "Query",
      R"({"TableName":"tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},
      "QueryFilter":{"v":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"7"}]}},"AttributesToGet":["sk","v"]})");
  CHECK(q["Count"] == 2);
  CHECK(q["ScannedCount"] == 2);
  CHECK_FALSE(q["Items"][0].contains("pk"));
  auto s = f.Ok(
      "Scan",
      R"({"TableName":"tbl","ScanFilter":{"v":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"6"}]}}})");
  CHECK(s["Count"] == 2);
  CHECK(
      f.Err(
           "PutItem",
           R"J({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"Expected":{"pk":{"Exists":false}},"ConditionExpression":"attribute_exists(pk)"})J")
          .find("Can not use both expression and non-expression parameters") != std::string::npos);
}

TEST_CASE("ddb ops 1 MB page limit", "[ddb][ops]") {
  Fixture f;
  f.MakeTable();
  std::string big(300 * 1024, 'x');
  for (int i = 0; i < 5; ++i) f.Put("p", i, R"(,"b":{"S":")" + big + "\"}");
  auto first = f.Ok("Query", R"({"TableName":"tbl","KeyConditionExpression":"pk = :p",
      "ExpressionAttributeValues":{":p":{"S":"p"}}})");
  CHECK(first["Count"] == 4);  // the item that crosses 1 MB ends the page
  REQUIRE(first.contains("LastEvaluatedKey"));
  auto second = f.Ok("Query", R"({"TableName":"tbl","KeyConditionExpression":"pk = :p",
      "ExpressionAttributeValues":{":p":{"S":"p"}},"ExclusiveStartKey":)" +
                                    first["LastEvaluatedKey"].dump() + "}");
  CHECK(second["Count"] == 1);
  CHECK_FALSE(second.contains("LastEvaluatedKey"));
  auto count = f.Ok("Scan", R"({"TableName":"tbl","Select":"COUNT","Limit":2})");
  CHECK(count["Count"] == 2);
  CHECK_FALSE(count.contains("Items"));
  CHECK(count.contains("LastEvaluatedKey"));
}

TEST_CASE("ddb ops wrongly typed members are client errors", "[ddb][ops]") {
  Fixture f;
  auto r = f.Call("CreateTable", R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
        "Projection":"ALL"}]})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().http_status == 400);
  CHECK(f.Ok("ListTables", "{}")["TableNames"].empty());
  auto bad = f.Call("BatchWriteItem", R"({"RequestItems":{"tbl":[{"PutRequest":"x"}]}})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().http_status == 400);
}

TEST_CASE("ddb ops cached table descriptions follow every table change", "[ddb][ops][cache]") {
  Fixture f;
  f.MakeTable();
  f.Put("a", 1);  // caches the description
  // A GSI added by UpdateTable is maintained by the next write.
  f.Ok("UpdateTable", R"({"TableName":"tbl",
    "AttributeDefinitions":[{"AttributeName":"h","AttributeType":"S"}],
    "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byh",
      "KeySchema":[{"AttributeName":"h","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]})");
  f.Put("b", 1, R"(,"h":{"S":"x"})");
  CHECK(f.Ok("Query", R"({"TableName":"tbl","IndexName":"byh","KeyConditionExpression":"h = :h",
    "ExpressionAttributeValues":{":h":{"S":"x"}}})")["Count"] == 1);
  // TTL enabled after the description was cached hides an expired item written afterwards.
  f.Ok("UpdateTimeToLive",
       R"({"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  f.Put("c", 1, R"(,"exp":{"N":")" + std::to_string(f.clock.NowSeconds() - 5) + "\"}");
  CHECK(f.Ok("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"c"},"sk":{"N":"1"}}})")
            .count("Item") == 0);
  // Deleted, then re-created without the GSI: the old description is not used.
  f.Ok("DeleteTable", R"({"TableName":"tbl"})");
  CHECK(f.Err("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})")
            .find("ResourceNotFoundException") == 0);
  f.Ok("CreateTable", R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})");
  CHECK(f.Err("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}})").empty());
  CHECK(f.Err("Query", R"({"TableName":"tbl","IndexName":"byh","KeyConditionExpression":"h = :h",
    "ExpressionAttributeValues":{":h":{"S":"x"}}})")
            .find("ValidationException") == 0);
  // POST /_edastack/reset: the tables are gone and so is the cache.
  {
    auto lock = f.db.Lock();
    f.db.ClearAll();
  }
  f.ddb.ResetCaches();
  CHECK(f.Err("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"a"}}})")
            .find("ResourceNotFoundException") == 0);
}

TEST_CASE("ddb ops writes without a stream or condition keep the old item semantics",
          "[ddb][ops]") {
  Fixture f;
  f.Ok("CreateTable", R"({"TableName":"plain","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
      {"AttributeName":"g","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
    "GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
      "Projection":{"ProjectionType":"ALL"}}]})");
  auto put = [&](const std::string& g) {
    return f.Ok("PutItem", R"({"TableName":"plain","Item":{"pk":{"S":"k"},"g":{"S":")" + g +
                               R"("}},"ReturnValues":"ALL_OLD"})");
  };
  CHECK(put("one").count("Attributes") == 0);
  CHECK(put("two")["Attributes"]["g"]["S"] == "one");
  // The overwritten item left the old index partition.
  auto q = [&](const std::string& g) {
    return f.Ok("Query", R"({"TableName":"plain","IndexName":"byg","KeyConditionExpression":"g = :g",
      "ExpressionAttributeValues":{":g":{"S":")" + g + R"("}}})")["Count"];
  };
  CHECK(q("one") == 0);
  CHECK(q("two") == 1);
  f.Ok("BatchWriteItem", R"({"RequestItems":{"plain":[
    {"PutRequest":{"Item":{"pk":{"S":"k"},"g":{"S":"three"}}}},
    {"DeleteRequest":{"Key":{"pk":{"S":"gone"}}}}]}})");
  CHECK(q("two") == 0);
  CHECK(q("three") == 1);
  f.Ok("BatchWriteItem", R"({"RequestItems":{"plain":[{"DeleteRequest":{"Key":{"pk":{"S":"k"}}}}]}})");
  CHECK(q("three") == 0);
  CHECK(f.Ok("Scan", R"({"TableName":"plain"})")["Count"] == 0);
}

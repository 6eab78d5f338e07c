// Decoding and validation of pipeline events and S3 notifications. Pure functions.
#include <catch2/catch.hpp>

#include "pipeline/functions/event.h"

using namespace edastack::pipeline;
using nlohmann::json;

TEST_CASE("EventBridge S3 event (AWS shape) decodes to one object", "[pipeline][event]") {
  std::string body = R"({"version":"0","id":"1","detail-type":"Object Created","source":"aws.s3",
    "account":"000000000000","time":"2026-11-28T16:50:37Z","region":"us-east-1",
    "resources":["arn:aws:s3:::bkt1"],"detail":{"version":"0","bucket":{"name":"bkt1"},
    "object":{"key":"ev/a b+c.txt","size":3,"etag":"764efa883dda1e11db47671c4a3bbd9e",
    "sequencer":"00"},"reason":"PutObject"}})";
  auto r = DecodeS3Message(body);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].bucket == "bkt1");
  CHECK((*r)[0].key == "ev/a b+c.txt");  // raw in the EventBridge format
  CHECK((*r)[0].size == 3);
  CHECK((*r)[0].etag == "764efa883dda1e11db47671c4a3bbd9e");
  CHECK((*r)[0].version_id.empty());
}

TEST_CASE("moto's EventBridge variant: eTag and version-id \"null\"", "[pipeline][event]") {
  std::string body = R"({"source":"aws.s3","detail-type":"Object Created","detail":{
    "bucket":{"name":"b"},"object":{"key":"k","size":5,"eTag":"abc","version-id":"null"}}})";
  auto r = DecodeS3Message(body);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].etag == "abc");
  CHECK((*r)[0].version_id.empty());
}

TEST_CASE("Records format: the key is form-decoded; only ObjectCreated", "[pipeline][event]") {
  json rec = {{"eventName", "ObjectCreated:Put"},
              {"s3",
               {{"bucket", {{"name", "b"}}},
                {"object", {{"key", "ev/a+b%2Bc.txt"}, {"size", 7}, {"eTag", "e1"},
                            {"versionId", "v9"}}}}}};
  json removed = rec;
  removed["eventName"] = "ObjectRemoved:Delete";
  auto r = DecodeS3Message(json({{"Records", {rec, removed}}}).dump());
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].key == "ev/a b+c.txt");
  CHECK((*r)[0].version_id == "v9");
}

TEST_CASE("Records inside an SNS envelope, test events and garbage", "[pipeline][event]") {
  json rec = {{"eventName", "ObjectCreated:Put"},
              {"s3", {{"bucket", {{"name", "b"}}}, {"object", {{"key", "k"}, {"eTag", "e"}}}}}};
  json envelope = {{"Type", "Notification"},
                   {"TopicArn", "arn:aws:sns:us-east-1:0:t"},
                   {"Message", json({{"Records", {rec}}}).dump()}};
  auto wrapped = DecodeS3Message(envelope.dump());
  REQUIRE(wrapped.ok());
  CHECK(wrapped->size() == 1);
  auto test = DecodeS3Message(R"({"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"})");
  REQUIRE(test.ok());
  CHECK(test->empty());
  CHECK(DecodeS3Message("not json").error().code == "InvalidEvent");
  CHECK(DecodeS3Message(R"({"hello":1})").error().code == "InvalidEvent");
}

TEST_CASE("S3 event ids are deterministic per bucket, key and version or etag",
          "[pipeline][event]") {
  CHECK(S3EventId("b", "k", "e1") == S3EventId("b", "k", "e1"));
  CHECK(S3EventId("b", "k", "e1") != S3EventId("b", "k", "e2"));
  CHECK(S3EventId("b", "k", "e1") != S3EventId("b2", "k", "e1"));
  CHECK(S3EventId("b", "k", "e1").rfind("s3-", 0) == 0);
  S3ObjectEvent o{"b", "k", 4, "etag1", "", "Object Created"};
  PipelineEvent e = NormaliseS3Event(o, "text/plain", "2026-01-01T00:00:00.000Z");
  CHECK(e.event_id == S3EventId("b", "k", "etag1"));
  CHECK(e.payload == json({{"bucket", "b"}, {"key", "k"}, {"size", 4}, {"etag", "etag1"},
                           {"contentType", "text/plain"}}));
  o.version_id = "v1";
  CHECK(NormaliseS3Event(o, "", "").event_id == S3EventId("b", "k", "v1"));
}

TEST_CASE("EventFromJson validates the fields", "[pipeline][event]") {
  CHECK(EventFromJson(json::parse(R"({"eventId":"1","type":"t","payload":{}})")).ok());
  CHECK(!EventFromJson(json::parse(R"({"type":"t","payload":{}})")).ok());
  CHECK(!EventFromJson(json::parse(R"({"eventId":"1","payload":{}})")).ok());
  CHECK(!EventFromJson(json::parse(R"({"eventId":"1","type":"","payload":{}})")).ok());
  CHECK(!EventFromJson(json::parse(R"({"eventId":"1","type":"t","payload":[1]})")).ok());
  CHECK(!EventFromJson(json::parse(R"([1,2])")).ok());
  PipelineEvent e{"id", "t", "api", {{"a", 1}}, "ts"};
  auto back = EventFromJson(EventToJson(e));
  REQUIRE(back.ok());
  CHECK(back->event_id == "id");
  CHECK(back->source == "api");
  CHECK(back->payload == json({{"a", 1}}));
}

TEST_CASE("UnwrapSnsEnvelope only unwraps notifications", "[pipeline][event]") {
  json env = {{"Type", "Notification"}, {"TopicArn", "arn"}, {"Message", "inner"}};
  CHECK(UnwrapSnsEnvelope(env.dump()) == "inner");
  CHECK(UnwrapSnsEnvelope(R"({"Message":"x"})") == R"({"Message":"x"})");
  CHECK(UnwrapSnsEnvelope("plain") == "plain");
}

// SQS wire glue: query flattening, query XML, and both error envelopes through the emulator.
#include <catch2/catch.hpp>

#include "emulator/server/emulator.h"
#include "emulator/sqs/sqs_wire.h"

using namespace edastack;
using nlohmann::json;

TEST_CASE("query form flattens into the JSON member document", "[sqs][wire]") {
  query::Params p(std::vector<std::pair<std::string, std::string>>{
      {"Action", "SendMessageBatch"},
      {"QueueUrl", "/000000000000/q"},
      {"SendMessageBatchRequestEntry.2.Id", "b"},
      {"SendMessageBatchRequestEntry.2.MessageBody", "two"},
      {"SendMessageBatchRequestEntry.1.Id", "a"},
      {"SendMessageBatchRequestEntry.1.MessageBody", "one"},
      {"SendMessageBatchRequestEntry.1.MessageAttribute.1.Name", "k"},
      {"SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType", "String"},
      {"SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue", "v"},
      {"SendMessageBatchRequestEntry.1.DelaySeconds", "5"},
  });
  json j = sqs::wire::QueryToJson(p);
  REQUIRE(j["Entries"].size() == 2);
  CHECK(j["Entries"][0]["Id"] == "a");
  CHECK(j["Entries"][0]["MessageAttributes"]["k"]["StringValue"] == "v");
  auto req = sqs::wire::DecodeSendMessageBatch(j);
  REQUIRE(req.ok());
  CHECK(req->entries[0].delay_seconds == 5);
  CHECK(req->entries[0].attributes.at("k").data_type == "String");
  CHECK(req->entries[1].body == "two");

  query::Params attrs(std::vector<std::pair<std::string, std::string>>{
      {"Attribute.1.Name", "VisibilityTimeout"}, {"Attribute.1.Value", "9"},
      {"AttributeName.1", "All"}, {"Tag.1.Key", "t"}, {"Tag.1.Value", "u"}});
  json a = sqs::wire::QueryToJson(attrs);
  CHECK(a["Attributes"]["VisibilityTimeout"] == "9");
  CHECK(a["AttributeNames"] == json::array({"All"}));
  CHECK(a["tags"]["t"] == "u");
}

TEST_CASE("query XML flattens lists and maps", "[sqs][wire]") {
  sqs::ReceiveMessageResult r;
  sqs::ReceivedMessage m;
  m.message_id = "id";
  m.receipt_handle = "h";
  m.md5_body = "md5";
  m.body = "a\r\n<b>";
  m.system_attributes["SentTimestamp"] = "1";
  m.attributes["k"] = sqs::AttributeValue{"String", "v", ""};
  m.md5_attributes = "x";
  r.messages.push_back(m);
  std::string xml = sqs::wire::JsonToQueryXml("ReceiveMessage", sqs::wire::Encode(r), "rid");
  CHECK(xml.find("<ReceiveMessageResult><Message>") != std::string::npos);
  CHECK(xml.find("<Body>a&#xD;\n&lt;b&gt;</Body>") != std::string::npos);
  CHECK(xml.find("<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>") !=
        std::string::npos);
  CHECK(xml.find("<MessageAttribute><Name>k</Name><Value><DataType>String</DataType>"
                 "<StringValue>v</StringValue></Value></MessageAttribute>") != std::string::npos);
  CHECK(xml.find("<RequestId>rid</RequestId>") != std::string::npos);

  sqs::HandleBatchResult b;
  b.successful = {"a"};
  b.failed.push_back({"b", true, "ReceiptHandleIsInvalid", "bad"});
  xml = sqs::wire::JsonToQueryXml("DeleteMessageBatch", sqs::wire::Encode(b), "rid");
  CHECK(xml.find("<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>") !=
        std::string::npos);
  CHECK(xml.find("<BatchResultErrorEntry>") != std::string::npos);
  CHECK(xml.find("<SenderFault>true</SenderFault>") != std::string::npos);
}

TEST_CASE("errors render in the request's protocol", "[sqs][wire]") {
  ManualClock clock;
  EmulatorOptions opts;
  opts.ephemeral = true;
  Emulator emu(opts, clock);
  RegisterAllServices(emu);

  http::Request j;
  j.method = "POST";
  j.target = "/";
  j.headers.emplace("Host", "localhost:4566");
  j.headers.emplace("Content-Type", "application/x-amz-json-1.0");
  j.headers.emplace("X-Amz-Target", "AmazonSQS.GetQueueUrl");
  j.body = R"({"QueueName":"missing"})";
  http::Response res = emu.Handle(j);
  CHECK(res.status == 400);
  CHECK(res.Header("x-amzn-query-error") == "AWS.SimpleQueueService.NonExistentQueue;Sender");
  CHECK(json::parse(res.body)["__type"] == "com.amazonaws.sqs#QueueDoesNotExist");

  j.body = "{not json";
  res = emu.Handle(j);
  CHECK(res.status == 400);

  http::Request q;
  q.method = "POST";
  q.target = "/";
  q.headers.emplace("Host", "localhost:4566");
  q.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  q.body = "Action=GetQueueUrl&Version=2012-11-05&QueueName=missing";
  res = emu.Handle(q);
  CHECK(res.status == 400);
  CHECK(res.Header("Content-Type") == "text/xml");
  CHECK(res.body.find("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>") != std::string::npos);

  q.body = "Action=CreateQueue&Version=2012-11-05&QueueName=qq";
  res = emu.Handle(q);
  CHECK(res.status == 200);
  CHECK(res.body.find("<QueueUrl>http://localhost:4566/000000000000/qq</QueueUrl>") !=
        std::string::npos);
}

// A fake AWS endpoint for the pipeline's unit tests: a Transport that answers the few calls
// the functions make (SQS JSON, SNS query, DynamoDB JSON, S3 HEAD) from in-memory state, and
// records every call. Not thread-safe; one per test.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/aws/apis.h"
#include "protocol/client/aws_client.h"
#include "protocol/client/transport.h"
#include "protocol/core/clock.h"
#include "protocol/core/strings.h"

namespace edastack::pipeline::testing {

using nlohmann::json;

struct Call {
  std::string op;   // "SendMessage", "Publish", "PutItem", "HEAD /b/k", ...
  json body;        // JSON body, or the SNS form as an object
};

class FakeAws : public client::Transport {
 public:
  // State.
  std::map<std::string, json> items;                        // eventId -> DynamoDB item
  std::map<std::string, std::vector<std::string>> queues;   // url -> bodies sent
  std::map<std::string, std::vector<std::string>> topics;   // arn -> messages published
  std::map<std::string, std::string> objects;               // "/b/k" -> content type
  std::vector<json> to_receive;                             // next ReceiveMessage answer
  std::vector<Call> calls;
  std::string fail_entry_body;                              // batch entries failing alone
  std::string fail_op;                                      // answer this op with a 500
  int fail_times = -1;                                      // ... this many times (-1: always)

  int Count(const std::string& op) const {
    int n = 0;
    for (const auto& c : calls) n += c.op == op;
    return n;
  }

  std::string Origin() const override { return "http://fake:4566"; }

  Result<http::Response> Send(const http::Request& req) override {
    const std::string& target = req.Header("X-Amz-Target");
    std::string op;
    json body;
    if (!target.empty()) {
      op = target.substr(target.find('.') + 1);
      body = json::parse(req.body);
    } else if (req.method == "POST" && req.target == "/") {
      body = json::object();
      for (const auto& kv : str::ParseForm(req.body)) body[kv.first] = kv.second;
      op = body.value("Action", "");
    } else {
      op = req.method + " " + req.target;
    }
    calls.push_back({op, body});
    if (op == fail_op && fail_times != 0) {
      if (fail_times > 0) --fail_times;
      return Reply(500, R"({"__type":"InternalFailure","message":"boom"})");
    }
    if (op == "SendMessage") {
      queues[body["QueueUrl"]].push_back(body["MessageBody"]);
      return Json({{"MessageId", "m-" + std::to_string(calls.size())}});
    }
    if (op == "ReceiveMessage") {
      json msgs = to_receive;
      to_receive.clear();
      return Json(msgs.empty() ? json::object() : json({{"Messages", msgs}}));
    }
    if (op == "DeleteMessageBatch" || op == "ChangeMessageVisibilityBatch") {
      json ok = json::array();
      for (const auto& e : body["Entries"]) ok.push_back({{"Id", e["Id"]}});
      return Json({{"Successful", ok}, {"Failed", json::array()}});
    }
    if (op == "SendMessageBatch") {
      json ok = json::array(), failed = json::array();
      for (const auto& e : body["Entries"]) {
        if (fail_entry_body != "" && e["MessageBody"] == fail_entry_body) {
          failed.push_back({{"Id", e["Id"]}, {"Code", "InternalError"}, {"SenderFault", false}});
          continue;
        }
        queues[body["QueueUrl"]].push_back(e["MessageBody"]);
        ok.push_back({{"Id", e["Id"]}, {"MessageId", "m-" + std::to_string(calls.size())}});
      }
      return Json({{"Successful", ok}, {"Failed", failed}});
    }
    if (op == "PublishBatch") {
      std::string arn = body["TopicArn"];
      std::string ok, failed;
      for (int i = 1; body.contains(Member(i, "Id")); ++i) {
        std::string id = body[Member(i, "Id")], message = body[Member(i, "Message")];
        if (fail_entry_body != "" && message == fail_entry_body) {
          failed += "<member><Id>" + id + "</Id><Code>InternalError</Code></member>";
          continue;
        }
        topics[arn].push_back(message);
        ok += "<member><Id>" + id + "</Id><MessageId>p-" + id + "</MessageId></member>";
      }
      return Xml("<PublishBatchResponse><PublishBatchResult><Successful>" + ok +
                 "</Successful><Failed>" + failed +
                 "</Failed></PublishBatchResult></PublishBatchResponse>");
    }
    if (op == "TransactWriteItems") {
      // All or nothing: conditions as the functions use them (put if absent, confirm if
      // PROCESSED).
      for (const auto& e : body["TransactItems"]) {
        if (e.contains("Put")) {
          if (items.count(e["Put"]["Item"]["eventId"]["S"])) return Canceled();
        } else {
          std::string id = e["Update"]["Key"]["eventId"]["S"];
          if (!items.count(id) || items[id]["status"]["S"] != "PROCESSED") return Canceled();
        }
      }
      for (const auto& e : body["TransactItems"]) {
        if (e.contains("Put")) {
          items[e["Put"]["Item"]["eventId"]["S"]] = e["Put"]["Item"];
        } else {
          json& item = items[e["Update"]["Key"]["eventId"]["S"].get<std::string>()];
          Confirm(item, e["Update"]);
        }
      }
      return Json(json::object());
    }
    if (op == "Publish") {
      topics[body["TopicArn"]].push_back(body["Message"]);
      return Xml("<PublishResponse><PublishResult><MessageId>p-" + std::to_string(calls.size()) +
                 "</MessageId></PublishResult></PublishResponse>");
    }
    if (op == "PutItem") {
      std::string id = body["Item"]["eventId"]["S"];
      if (body.contains("ConditionExpression") && items.count(id))
        return ConditionFailed();
      items[id] = body["Item"];
      return Json(json::object());
    }
    if (op == "GetItem") {
      std::string id = body["Key"]["eventId"]["S"];
      if (!items.count(id)) return Json(json::object());
      return Json({{"Item", items[id]}});
    }
    if (op == "UpdateItem") {
      // Understands the confirmation sender's updates: status PROCESSED -> CONFIRMED, and
      // setting / removing notificationPending.
      std::string id = body["Key"]["eventId"]["S"];
      std::string update = body.value("UpdateExpression", "");
      if (update.find("notificationPending") != std::string::npos) {
        if (!items.count(id)) return ConditionFailed();
        if (str::StartsWith(update, "SET")) items[id]["notificationPending"] = {{"BOOL", true}};
        else items[id].erase("notificationPending");
        return Json(json::object());
      }
      if (!items.count(id) || items[id]["status"]["S"] != "PROCESSED") return ConditionFailed();
      json& item = items[id];
      Confirm(item, body);
      return Json({{"Attributes", item}});
    }
    if (str::StartsWith(op, "HEAD /")) {
      std::string path = req.target;
      if (!objects.count(path)) return Reply(404, "");
      http::Response r;
      r.headers.emplace("Content-Type", objects[path]);
      r.headers.emplace("Content-Length", "0");
      r.headers.emplace("ETag", "\"e\"");
      return r;
    }
    return Reply(400, R"({"__type":"UnknownOperationException","message":"fake"})");
  }

 private:
  static std::string Member(int i, const char* field) {
    return "PublishBatchRequestEntries.member." + std::to_string(i) + "." + field;
  }
  static void Confirm(json& item, const json& update) {
    item["status"] = {{"S", "CONFIRMED"}};
    item["confirmedAt"] = update["ExpressionAttributeValues"][":now"];
    for (const auto& e : update["ExpressionAttributeValues"][":entry"]["L"])
      item["history"]["L"].push_back(e);
  }
  static http::Response Canceled() {
    return Reply(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","message":"Transaction cancelled"})");
  }
  static http::Response Reply(int status, const std::string& body) {
    http::Response r;
    r.status = status;
    r.body = body;
    r.headers.emplace("Content-Type", "application/x-amz-json-1.0");
    return r;
  }
  static http::Response Json(const json& j) { return Reply(200, j.dump()); }
  static http::Response Xml(const std::string& x) {
    http::Response r;
    r.body = x;
    r.headers.emplace("Content-Type", "text/xml");
    return r;
  }
  static http::Response ConditionFailed() {
    return Reply(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})");
  }
};

// A FakeAws with a client and Apis wired to it, and an Environment naming fake resources.
struct FakeStack {
  FakeAws fake;
  ManualClock clock;
  client::AwsClient client{fake, Config(), clock, client::RetryPolicy{1, 1, 1}};
  aws::Apis apis{client};

  static client::ClientConfig Config() {
    client::ClientConfig c;
    c.credentials.access_key = "test";
    c.credentials.secret_key = "test";
    return c;
  }
};

}  // namespace edastack::pipeline::testing

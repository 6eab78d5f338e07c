// Typed SQS results -> JSON members; query form <-> JSON member document; query XML.
#include "emulator/sqs/sqs_wire.h"
#include "protocol/core/crypto.h"
#include "protocol/query/xml_writer.h"

namespace edastack::sqs::wire {
namespace {

using nlohmann::json;

json EncodeAttributesJson(const Attributes& attrs) {
  json out = json::object();
  for (const auto& kv : attrs) {
    json v = {{"DataType", kv.second.data_type}};
    if (kv.second.IsBinary()) v["BinaryValue"] = crypto::Base64Encode(kv.second.binary_value);
    else v["StringValue"] = kv.second.string_value;
    out[kv.first] = std::move(v);
  }
  return out;
}

json BatchErrors(const std::vector<BatchError>& failed) {
  json out = json::array();
  for (const auto& f : failed)
    out.push_back({{"Id", f.id}, {"SenderFault", f.sender_fault}, {"Code", f.code},
                   {"Message", f.message}});
  return out;
}

// MessageAttribute.N.Name + .Value.{DataType,StringValue,BinaryValue} -> {name: {...}}
json QueryAttributes(const query::Params& p, const std::string& prefix) {
  json out = json::object();
  for (const auto& s : p.Structs(prefix)) {
    const std::string* name = s.Find("Name");
    if (!name) continue;
    json v = json::object();
    for (const char* f : {"DataType", "StringValue", "BinaryValue"})
      if (const std::string* x = s.Find(std::string("Value.") + f)) v[f] = *x;
    out[*name] = std::move(v);
  }
  return out;
}

void WriteValue(xml::Writer& w, const std::string& name, const json& v,
                const std::string& action);

void WriteMembers(xml::Writer& w, const json& obj, const std::string& action) {
  for (auto it = obj.begin(); it != obj.end(); ++it) WriteValue(w, it.key(), *it, action);
}

void WriteValue(xml::Writer& w, const std::string& name, const json& v,
                const std::string& action) {
  if (v.is_string()) {
    w.Element(name, v.get_ref<const std::string&>());
  } else if (v.is_boolean()) {
    w.Element(name, v.get<bool>() ? "true" : "false");
  } else if (v.is_number()) {
    w.Element(name, v.dump());
  } else if (v.is_array()) {
    // Lists are flattened: one element per item, named after the item.
    std::string item = name;
    if (name == "QueueUrls" || name == "queueUrls") item = "QueueUrl";
    else if (name == "Messages") item = "Message";
    else if (name == "Successful") item = action + "ResultEntry";
    else if (name == "Failed") item = "BatchResultErrorEntry";
    else if (name == "Results") item = "ListMessageMoveTasksResultEntry";
    for (const auto& x : v) WriteValue(w, item, x, action);
  } else if (v.is_object()) {
    if (name == "Attributes") {
      for (auto it = v.begin(); it != v.end(); ++it)
        w.Open("Attribute").Element("Name", it.key()).Element("Value", it->get<std::string>()).Close();
    } else if (name == "Tags") {
      for (auto it = v.begin(); it != v.end(); ++it)
        w.Open("Tag").Element("Key", it.key()).Element("Value", it->get<std::string>()).Close();
    } else if (name == "MessageAttributes") {
      for (auto it = v.begin(); it != v.end(); ++it) {
        w.Open("MessageAttribute").Element("Name", it.key()).Open("Value");
        WriteMembers(w, *it, action);
        w.Close().Close();
      }
    } else {
      w.Open(name);
      WriteMembers(w, v, action);
      w.Close();
    }
  }
}

}  // namespace

json QueryToJson(const query::Params& p) {
  json out = json::object();
  for (const auto& kv : p.all()) {
    const std::string& key = kv.first;
    size_t dot = key.find('.');
    if (dot == std::string::npos) {
      out[key] = kv.second;
      continue;
    }
    std::string head = key.substr(0, dot);
    if (out.contains(head == "Attribute" ? "Attributes" : head)) continue;
    if (head == "Attribute") {
      json m = json::object();
      for (const auto& e : p.Map("Attribute", "Name", "Value")) m[e.first] = e.second;
      out["Attributes"] = std::move(m);
    } else if (head == "AttributeName" || head == "MessageAttributeName" ||
               head == "MessageSystemAttributeName" || head == "TagKey" ||
               head == "AWSAccountId") {
      out[head + "s"] = p.List(head);
    } else if (head == "ActionName") {  // AddPermission's Actions member
      out["Actions"] = p.List(head);
    } else if (head == "MessageAttribute" || head == "MessageSystemAttribute") {
      out[head + "s"] = QueryAttributes(p, head);
    } else if (head == "Tag") {
      json m = json::object();
      for (const auto& e : p.Map("Tag", "Key", "Value")) m[e.first] = e.second;
      out["tags"] = m;
      out["Tags"] = std::move(m);
    } else if (head.size() > 12 && head.compare(head.size() - 12, 12, "RequestEntry") == 0) {
      json entries = json::array();
      for (const auto& s : p.Structs(head)) entries.push_back(QueryToJson(s));
      out["Entries"] = std::move(entries);
    }
    // Other dotted names are ignored, like unknown members in JSON.
  }
  return out;
}

std::string JsonToQueryXml(const std::string& action, const json& result,
                           const std::string& request_id) {
  xml::Writer w;
  w.Open(action + "Response", "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"");
  if (!result.empty() || action == "ListQueues" || action == "ReceiveMessage" ||
      action == "ListQueueTags" || action == "GetQueueAttributes" ||
      action == "ListDeadLetterSourceQueues" || action == "ListMessageMoveTasks") {
    w.Open(action + "Result");
    WriteMembers(w, result, action);
    w.Close();
  }
  w.Open("ResponseMetadata").Element("RequestId", request_id).Close();
  return w.Finish();
}

json Encode(const QueueUrlResult& r) { return {{"QueueUrl", r.queue_url}}; }

json Encode(const ListQueuesResult& r, const char* list_member) {
  json out = json::object();
  out[list_member] = r.queue_urls;
  if (!r.next_token.empty()) out["NextToken"] = r.next_token;
  return out;
}

json Encode(const AttributesResult& r) {
  json out = json::object();
  if (!r.attributes.empty()) out["Attributes"] = r.attributes;
  return out;
}

json Encode(const TagsResult& r) {
  json out = json::object();
  if (!r.tags.empty()) out["Tags"] = r.tags;
  return out;
}

json Encode(const StartMessageMoveTaskResult& r) { return {{"TaskHandle", r.task_handle}}; }

json Encode(const ListMessageMoveTasksResult& r) {
  json list = json::array();
  for (const auto& t : r.results) {
    json e = {{"Status", t.status},
              {"SourceArn", t.source_arn},
              {"ApproximateNumberOfMessagesMoved", t.moved},
              {"ApproximateNumberOfMessagesToMove", t.to_move},
              {"StartedTimestamp", t.started_ms}};
    if (!t.task_handle.empty()) e["TaskHandle"] = t.task_handle;
    if (!t.destination_arn.empty()) e["DestinationArn"] = t.destination_arn;
    if (t.max_per_second) e["MaxNumberOfMessagesPerSecond"] = *t.max_per_second;
    if (!t.failure_reason.empty()) e["FailureReason"] = t.failure_reason;
    list.push_back(std::move(e));
  }
  return {{"Results", std::move(list)}};
}

json Encode(const CancelMessageMoveTaskResult& r) {
  return {{"ApproximateNumberOfMessagesMoved", r.moved}};
}

json Encode(const SendResult& r) {
  json out = {{"MessageId", r.message_id}, {"MD5OfMessageBody", r.md5_body}};
  if (!r.id.empty()) out["Id"] = r.id;
  if (!r.md5_attributes.empty()) out["MD5OfMessageAttributes"] = r.md5_attributes;
  if (!r.md5_system_attributes.empty())
    out["MD5OfMessageSystemAttributes"] = r.md5_system_attributes;
  if (!r.sequence_number.empty()) out["SequenceNumber"] = r.sequence_number;
  return out;
}

json Encode(const SendMessageBatchResult& r) {
  json ok = json::array();
  for (const auto& s : r.successful) ok.push_back(Encode(s));
  return {{"Successful", std::move(ok)}, {"Failed", BatchErrors(r.failed)}};
}

json Encode(const ReceiveMessageResult& r) {
  json out = json::object();
  if (r.messages.empty()) return out;
  json list = json::array();
  for (const auto& m : r.messages) {
    json j = {{"MessageId", m.message_id},
              {"ReceiptHandle", m.receipt_handle},
              {"MD5OfBody", m.md5_body},
              {"Body", m.body}};
    if (!m.system_attributes.empty()) j["Attributes"] = m.system_attributes;
    if (!m.attributes.empty()) {
      j["MessageAttributes"] = EncodeAttributesJson(m.attributes);
      j["MD5OfMessageAttributes"] = m.md5_attributes;
    }
    list.push_back(std::move(j));
  }
  out["Messages"] = std::move(list);
  return out;
}

json Encode(const HandleBatchResult& r) {
  json ok = json::array();
  for (const auto& id : r.successful) ok.push_back({{"Id", id}});
  return {{"Successful", std::move(ok)}, {"Failed", BatchErrors(r.failed)}};
}

json Encode(const Empty&) { return json::object(); }

}  // namespace edastack::sqs::wire

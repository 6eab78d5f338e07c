#include "pipeline/aws/sqs.h"

namespace edastack::pipeline::aws {
namespace {

BatchOutcome ParseBatch(const nlohmann::json& j) {
  BatchOutcome out;
  if (j.contains("Successful") && j["Successful"].is_array())
    for (const auto& e : j["Successful"]) out.successful.push_back(e.value("Id", ""));
  if (j.contains("Failed") && j["Failed"].is_array())
    for (const auto& e : j["Failed"]) out.failed.emplace_back(e.value("Id", ""), e.value("Code", ""));
  return out;
}

}  // namespace

int SqsMessage::ReceiveCount() const {
  auto it = attributes.find("ApproximateReceiveCount");
  if (it == attributes.end()) return 0;
  try {
    return std::stoi(it->second);
  } catch (...) {
    return 0;
  }
}

std::string QueueNameFromUrl(const std::string& url) {
  size_t slash = url.find_last_of('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

Result<nlohmann::json> Sqs::Call(const std::string& op, const nlohmann::json& body) {
  return client_.CallJson("sqs", "AmazonSQS." + op, body, "1.0");
}

Result<std::string> Sqs::CreateQueue(const std::string& name,
                                     const std::map<std::string, std::string>& attributes) {
  nlohmann::json body = {{"QueueName", name}};
  if (!attributes.empty()) body["Attributes"] = attributes;
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("CreateQueue", body));
  return res.value("QueueUrl", "");
}

Result<std::string> Sqs::GetQueueUrl(const std::string& name) {
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("GetQueueUrl", {{"QueueName", name}}));
  return res.value("QueueUrl", "");
}

Result<std::map<std::string, std::string>> Sqs::GetQueueAttributes(
    const std::string& url, const std::vector<std::string>& names) {
  EDA_ASSIGN_OR_RETURN(nlohmann::json res,
                       Call("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", names}}));
  std::map<std::string, std::string> out;
  if (res.contains("Attributes") && res["Attributes"].is_object())
    for (auto it = res["Attributes"].begin(); it != res["Attributes"].end(); ++it)
      out[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  return out;
}

Status Sqs::SetQueueAttributes(const std::string& url,
                               const std::map<std::string, std::string>& attributes) {
  EDA_TRY(Call("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", attributes}}));
  return OkStatus();
}

Status Sqs::DeleteQueue(const std::string& url) {
  EDA_TRY(Call("DeleteQueue", {{"QueueUrl", url}}));
  return OkStatus();
}

Status Sqs::PurgeQueue(const std::string& url) {
  EDA_TRY(Call("PurgeQueue", {{"QueueUrl", url}}));
  return OkStatus();
}

Result<std::string> Sqs::SendMessage(const std::string& url, const std::string& body) {
  EDA_ASSIGN_OR_RETURN(nlohmann::json res,
                       Call("SendMessage", {{"QueueUrl", url}, {"MessageBody", body}}));
  return res.value("MessageId", "");
}

Result<BatchOutcome> Sqs::SendMessageBatch(const std::string& url,
                                           const std::vector<BatchEntry>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries) list.push_back({{"Id", e.id}, {"MessageBody", e.value}});
  EDA_ASSIGN_OR_RETURN(nlohmann::json res,
                       Call("SendMessageBatch", {{"QueueUrl", url}, {"Entries", list}}));
  return ParseBatch(res);
}

Result<std::vector<SqsMessage>> Sqs::ReceiveMessage(const std::string& url, int max_messages,
                                                    int wait_seconds, int visibility_timeout) {
  nlohmann::json body = {{"QueueUrl", url},
                         {"MaxNumberOfMessages", max_messages},
                         {"WaitTimeSeconds", wait_seconds},
                         {"AttributeNames", {"All"}},
                         {"MessageSystemAttributeNames", {"All"}}};
  if (visibility_timeout >= 0) body["VisibilityTimeout"] = visibility_timeout;
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("ReceiveMessage", body));
  std::vector<SqsMessage> out;
  if (!res.contains("Messages") || !res["Messages"].is_array()) return out;
  for (const auto& m : res["Messages"]) {
    SqsMessage msg;
    msg.message_id = m.value("MessageId", "");
    msg.receipt_handle = m.value("ReceiptHandle", "");
    msg.body = m.value("Body", "");
    if (m.contains("Attributes") && m["Attributes"].is_object())
      for (auto it = m["Attributes"].begin(); it != m["Attributes"].end(); ++it)
        msg.attributes[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
    out.push_back(std::move(msg));
  }
  return out;
}

Status Sqs::DeleteMessage(const std::string& url, const std::string& receipt_handle) {
  EDA_TRY(Call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", receipt_handle}}));
  return OkStatus();
}

Result<BatchOutcome> Sqs::DeleteMessageBatch(const std::string& url,
                                             const std::vector<BatchEntry>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries) list.push_back({{"Id", e.id}, {"ReceiptHandle", e.value}});
  EDA_ASSIGN_OR_RETURN(nlohmann::json res,
                       Call("DeleteMessageBatch", {{"QueueUrl", url}, {"Entries", list}}));
  return ParseBatch(res);
}

Result<BatchOutcome> Sqs::ChangeMessageVisibilityBatch(const std::string& url,
                                                       const std::vector<BatchEntry>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries)
    list.push_back({{"Id", e.id}, {"ReceiptHandle", e.value}, {"VisibilityTimeout", e.visibility}});
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("ChangeMessageVisibilityBatch",
                                                {{"QueueUrl", url}, {"Entries", list}}));
  return ParseBatch(res);
}

}  // namespace edastack::pipeline::aws

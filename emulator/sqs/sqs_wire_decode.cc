// JSON member document -> typed SQS requests (both protocols end here).
#include "emulator/sqs/sqs_errors.h"
#include "emulator/sqs/sqs_wire.h"
#include "protocol/core/crypto.h"

namespace edastack::sqs::wire {
namespace {

using nlohmann::json;

AwsError BadType(const std::string& name, const char* want) {
  return err::InvalidParameterValue("Value for parameter " + name + " is invalid. Reason: " +
                                    want + " expected.");
}

Status Str(const json& j, const char* name, std::string* out, bool required = false) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    if (required) return err::MissingParameter(name);
    return OkStatus();
  }
  if (!it->is_string()) return BadType(name, "string");
  *out = it->get<std::string>();
  return OkStatus();
}

Status OptStr(const json& j, const char* name, std::optional<std::string>* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return OkStatus();
  if (!it->is_string()) return BadType(name, "string");
  *out = it->get<std::string>();
  return OkStatus();
}

// Integers arrive as JSON numbers, or as strings from the query protocol.
Status Int(const json& j, const char* name, std::optional<int64_t>* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return OkStatus();
  if (it->is_number_integer()) {
    *out = it->get<int64_t>();
    return OkStatus();
  }
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
    if (i < s.size() && s.size() - i <= 12) {
      int64_t v = 0;
      bool ok = true;
      for (size_t k = i; k < s.size() && ok; ++k) {
        ok = s[k] >= '0' && s[k] <= '9';
        v = v * 10 + (s[k] - '0');
      }
      if (ok) {
        *out = i ? -v : v;
        return OkStatus();
      }
    }
  }
  return err::InvalidParameterValue("Value " + (it->is_string() ? it->get<std::string>() : it->dump()) +
                                    " for parameter " + name + " is invalid. Reason: integer expected.");
}

Status StrList(const json& j, const char* name, std::vector<std::string>* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return OkStatus();
  if (!it->is_array()) return BadType(name, "list");
  for (const auto& v : *it) {
    if (!v.is_string()) return BadType(name, "list of strings");
    out->push_back(v.get<std::string>());
  }
  return OkStatus();
}

Status StrMap(const json& j, const char* name, StringMap* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return OkStatus();
  if (!it->is_object()) return BadType(name, "map");
  for (auto kv = it->begin(); kv != it->end(); ++kv) {
    if (!kv->is_string()) return BadType(name, "map of strings");
    (*out)[kv.key()] = kv->get<std::string>();
  }
  return OkStatus();
}

Status Attrs(const json& j, const char* name, Attributes* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return OkStatus();
  if (!it->is_object()) return BadType(name, "map");
  for (auto kv = it->begin(); kv != it->end(); ++kv) {
    if (!kv->is_object()) return BadType(name, "map of attribute values");
    AttributeValue v;
    EDA_TRY(Str(*kv, "DataType", &v.data_type));
    if (v.data_type.empty())
      return err::InvalidParameterValue("The message attribute '" + kv.key() +
                                        "' must contain non-empty message attribute type.");
    EDA_TRY(Str(*kv, "StringValue", &v.string_value));
    std::string b64;
    EDA_TRY(Str(*kv, "BinaryValue", &b64));
    if (!b64.empty()) {
      auto raw = crypto::Base64Decode(b64);
      if (!raw)
        return err::InvalidParameterValue("The message attribute '" + kv.key() +
                                          "' has an invalid base64 BinaryValue.");
      v.binary_value = std::move(*raw);
    }
    if (v.IsBinary() ? !v.string_value.empty() : !v.binary_value.empty())
      return err::InvalidParameterValue("The message attribute '" + kv.key() + "' with type '" +
                                        v.data_type.substr(0, 6) + "' must use field '" +
                                        (v.IsBinary() ? "Binary" : "String") + "'.");
    (*out)[kv.key()] = std::move(v);
  }
  return OkStatus();
}

Status Url(const json& j, std::string* out) { return Str(j, "QueueUrl", out, true); }

Result<SendEntry> DecodeEntry(const json& j, bool batch) {
  SendEntry e;
  if (batch) EDA_TRY(Str(j, "Id", &e.id, true));
  EDA_TRY(Str(j, "MessageBody", &e.body, true));
  EDA_TRY(Int(j, "DelaySeconds", &e.delay_seconds));
  EDA_TRY(Attrs(j, "MessageAttributes", &e.attributes));
  EDA_TRY(Attrs(j, "MessageSystemAttributes", &e.system_attributes));
  EDA_TRY(OptStr(j, "MessageGroupId", &e.group_id));
  EDA_TRY(OptStr(j, "MessageDeduplicationId", &e.dedup_id));
  return e;
}

const json& Entries(const json& j) {
  static const json kEmpty = json::array();
  auto it = j.find("Entries");
  return it == j.end() || !it->is_array() ? kEmpty : *it;
}

}  // namespace

Result<CreateQueueRequest> DecodeCreateQueue(const json& j) {
  CreateQueueRequest r;
  EDA_TRY(Str(j, "QueueName", &r.queue_name, true));
  EDA_TRY(StrMap(j, "Attributes", &r.attributes));
  EDA_TRY(StrMap(j, "tags", &r.tags));
  return r;
}

Result<GetQueueUrlRequest> DecodeGetQueueUrl(const json& j) {
  GetQueueUrlRequest r;
  EDA_TRY(Str(j, "QueueName", &r.queue_name, true));
  EDA_TRY(Str(j, "QueueOwnerAWSAccountId", &r.owner_account));
  return r;
}

Result<ListQueuesRequest> DecodeListQueues(const json& j) {
  ListQueuesRequest r;
  EDA_TRY(Str(j, "QueueNamePrefix", &r.prefix));
  EDA_TRY(Int(j, "MaxResults", &r.max_results));
  EDA_TRY(Str(j, "NextToken", &r.next_token));
  return r;
}

Result<QueueRequest> DecodeQueueRequest(const json& j) {
  QueueRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  return r;
}

Result<GetQueueAttributesRequest> DecodeGetQueueAttributes(const json& j) {
  GetQueueAttributesRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(StrList(j, "AttributeNames", &r.attribute_names));
  return r;
}

Result<SetQueueAttributesRequest> DecodeSetQueueAttributes(const json& j) {
  SetQueueAttributesRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  if (!j.contains("Attributes")) return err::MissingParameter("Attributes");
  EDA_TRY(StrMap(j, "Attributes", &r.attributes));
  return r;
}

Result<TagQueueRequest> DecodeTagQueue(const json& j) {
  TagQueueRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(StrMap(j, "Tags", &r.tags));
  return r;
}

Result<AddPermissionRequest> DecodeAddPermission(const json& j) {
  AddPermissionRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(Str(j, "Label", &r.label));
  EDA_TRY(StrList(j, "AWSAccountIds", &r.account_ids));
  EDA_TRY(StrList(j, "Actions", &r.actions));
  return r;
}

Result<RemovePermissionRequest> DecodeRemovePermission(const json& j) {
  RemovePermissionRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(Str(j, "Label", &r.label));
  return r;
}

Result<UntagQueueRequest> DecodeUntagQueue(const json& j) {
  UntagQueueRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(StrList(j, "TagKeys", &r.tag_keys));
  return r;
}

Result<ListDeadLetterSourceQueuesRequest> DecodeListDeadLetterSourceQueues(const json& j) {
  ListDeadLetterSourceQueuesRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(Int(j, "MaxResults", &r.max_results));
  EDA_TRY(Str(j, "NextToken", &r.next_token));
  return r;
}

Result<StartMessageMoveTaskRequest> DecodeStartMessageMoveTask(const json& j) {
  StartMessageMoveTaskRequest r;
  EDA_TRY(Str(j, "SourceArn", &r.source_arn, true));
  EDA_TRY(Str(j, "DestinationArn", &r.destination_arn));
  EDA_TRY(Int(j, "MaxNumberOfMessagesPerSecond", &r.max_per_second));
  return r;
}

Result<ListMessageMoveTasksRequest> DecodeListMessageMoveTasks(const json& j) {
  ListMessageMoveTasksRequest r;
  EDA_TRY(Str(j, "SourceArn", &r.source_arn, true));
  EDA_TRY(Int(j, "MaxResults", &r.max_results));
  return r;
}

Result<CancelMessageMoveTaskRequest> DecodeCancelMessageMoveTask(const json& j) {
  CancelMessageMoveTaskRequest r;
  EDA_TRY(Str(j, "TaskHandle", &r.task_handle, true));
  return r;
}

Result<SendMessageRequest> DecodeSendMessage(const json& j) {
  SendMessageRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_ASSIGN_OR_RETURN(r.entry, DecodeEntry(j, false));
  return r;
}

Result<SendMessageBatchRequest> DecodeSendMessageBatch(const json& j) {
  SendMessageBatchRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  for (const auto& e : Entries(j)) {
    if (!e.is_object()) return BadType("Entries", "list of entries");
    EDA_ASSIGN_OR_RETURN(SendEntry entry, DecodeEntry(e, true));
    r.entries.push_back(std::move(entry));
  }
  return r;
}

Result<ReceiveMessageRequest> DecodeReceiveMessage(const json& j) {
  ReceiveMessageRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(Int(j, "MaxNumberOfMessages", &r.max_messages));
  EDA_TRY(Int(j, "VisibilityTimeout", &r.visibility_timeout));
  EDA_TRY(Int(j, "WaitTimeSeconds", &r.wait_seconds));
  EDA_TRY(StrList(j, "AttributeNames", &r.system_attribute_names));
  EDA_TRY(StrList(j, "MessageSystemAttributeNames", &r.system_attribute_names));
  EDA_TRY(StrList(j, "MessageAttributeNames", &r.message_attribute_names));
  EDA_TRY(Str(j, "ReceiveRequestAttemptId", &r.attempt_id));
  return r;
}

Result<DeleteMessageRequest> DecodeDeleteMessage(const json& j) {
  DeleteMessageRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(Str(j, "ReceiptHandle", &r.receipt_handle, true));
  return r;
}

Result<ChangeVisibilityRequest> DecodeChangeMessageVisibility(const json& j) {
  ChangeVisibilityRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  EDA_TRY(Str(j, "ReceiptHandle", &r.receipt_handle, true));
  EDA_TRY(Int(j, "VisibilityTimeout", &r.visibility_timeout));
  if (!r.visibility_timeout) return err::MissingParameter("VisibilityTimeout");
  return r;
}

Result<HandleBatchRequest> DecodeHandleBatch(const json& j) {
  HandleBatchRequest r;
  EDA_TRY(Url(j, &r.queue_url));
  for (const auto& e : Entries(j)) {
    if (!e.is_object()) return BadType("Entries", "list of entries");
    HandleEntry h;
    EDA_TRY(Str(e, "Id", &h.id, true));
    EDA_TRY(Str(e, "ReceiptHandle", &h.receipt_handle));
    EDA_TRY(Int(e, "VisibilityTimeout", &h.visibility_timeout));
    r.entries.push_back(std::move(h));
  }
  return r;
}

}  // namespace edastack::sqs::wire

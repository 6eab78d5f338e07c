// SQS typed requests, responses and domain values. No JSON, XML or HTTP here: both wire
// protocols (JSON 1.0 and query) decode into these structs and encode from them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edastack::sqs {

// One message attribute (or message system attribute). `binary` holds raw bytes (decoded
// from base64 on the wire) when the DataType starts with "Binary".
struct AttributeValue {
  std::string data_type;
  std::string string_value;
  std::string binary_value;
  bool IsBinary() const { return data_type.compare(0, 6, "Binary") == 0; }
};
// Sorted by name, as the attribute MD5 requires.
using Attributes = std::map<std::string, AttributeValue>;
using StringMap = std::map<std::string, std::string>;

// ---- queues ----

struct CreateQueueRequest {
  std::string queue_name;
  StringMap attributes;
  StringMap tags;
};
struct GetQueueUrlRequest {
  std::string queue_name;
  std::string owner_account;  // optional
};
struct QueueUrlResult {
  std::string queue_url;
};
struct ListQueuesRequest {
  std::string prefix;
  std::optional<int64_t> max_results;
  std::string next_token;
};
struct ListQueuesResult {
  std::vector<std::string> queue_urls;
  std::string next_token;  // empty when done
};
// Every request that names one queue.
struct QueueRequest {
  std::string queue_url;
};
struct GetQueueAttributesRequest {
  std::string queue_url;
  std::vector<std::string> attribute_names;
};
struct SetQueueAttributesRequest {
  std::string queue_url;
  StringMap attributes;
};
struct AttributesResult {
  StringMap attributes;  // GetQueueAttributes
};
struct TagQueueRequest {
  std::string queue_url;
  StringMap tags;
};
struct UntagQueueRequest {
  std::string queue_url;
  std::vector<std::string> tag_keys;
};
// AddPermission / RemovePermission: statements of the queue's Policy, keyed by Label (Sid).
struct AddPermissionRequest {
  std::string queue_url;
  std::string label;
  std::vector<std::string> account_ids;
  std::vector<std::string> actions;
};
struct RemovePermissionRequest {
  std::string queue_url;
  std::string label;
};
struct TagsResult {
  StringMap tags;
};
struct ListDeadLetterSourceQueuesRequest {
  std::string queue_url;
  std::optional<int64_t> max_results;
  std::string next_token;
};

// ---- message move tasks ----

struct StartMessageMoveTaskRequest {
  std::string source_arn;
  std::string destination_arn;  // empty: back to each message's source queue
  std::optional<int64_t> max_per_second;
};
struct StartMessageMoveTaskResult {
  std::string task_handle;
};
struct ListMessageMoveTasksRequest {
  std::string source_arn;
  std::optional<int64_t> max_results;
};
struct MessageMoveTask {
  std::string task_handle;  // only for a RUNNING task
  std::string status;
  std::string source_arn;
  std::string destination_arn;
  std::optional<int64_t> max_per_second;
  int64_t moved = 0;
  int64_t to_move = 0;
  std::string failure_reason;
  int64_t started_ms = 0;
};
struct ListMessageMoveTasksResult {
  std::vector<MessageMoveTask> results;
};
struct CancelMessageMoveTaskRequest {
  std::string task_handle;
};
struct CancelMessageMoveTaskResult {
  int64_t moved = 0;
};

// ---- messages ----

struct SendEntry {
  std::string id;  // batch entries only
  std::string body;
  std::optional<int64_t> delay_seconds;
  Attributes attributes;
  Attributes system_attributes;  // AWSTraceHeader only
  std::optional<std::string> group_id;
  std::optional<std::string> dedup_id;
};
struct SendMessageRequest {
  std::string queue_url;
  SendEntry entry;
};
struct SendResult {
  std::string id;  // batch entries only
  std::string message_id;
  std::string md5_body;
  std::string md5_attributes;         // empty: none sent
  std::string md5_system_attributes;  // empty: none sent
  std::string sequence_number;        // FIFO only
};
struct SendMessageBatchRequest {
  std::string queue_url;
  std::vector<SendEntry> entries;
};
// A failed batch entry (HTTP 200, listed under Failed).
struct BatchError {
  std::string id;
  bool sender_fault = true;
  std::string code;
  std::string message;
};
struct SendMessageBatchResult {
  std::vector<SendResult> successful;
  std::vector<BatchError> failed;
};

struct ReceiveMessageRequest {
  std::string queue_url;
  std::optional<int64_t> max_messages;
  std::optional<int64_t> visibility_timeout;
  std::optional<int64_t> wait_seconds;
  std::vector<std::string> system_attribute_names;  // AttributeNames + MessageSystemAttributeNames
  std::vector<std::string> message_attribute_names;
  std::string attempt_id;
};
struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string md5_body;
  std::string body;
  StringMap system_attributes;
  std::string md5_attributes;  // of the returned attributes; empty when none
  Attributes attributes;
};
struct ReceiveMessageResult {
  std::vector<ReceivedMessage> messages;
};

struct DeleteMessageRequest {
  std::string queue_url;
  std::string receipt_handle;
};
struct ChangeVisibilityRequest {
  std::string queue_url;
  std::string receipt_handle;
  std::optional<int64_t> visibility_timeout;
};
struct HandleEntry {
  std::string id;
  std::string receipt_handle;
  std::optional<int64_t> visibility_timeout;  // ChangeMessageVisibilityBatch only
};
struct HandleBatchRequest {
  std::string queue_url;
  std::vector<HandleEntry> entries;
};
struct HandleBatchResult {
  std::vector<std::string> successful;  // entry ids
  std::vector<BatchError> failed;
};

struct Empty {};

}  // namespace edastack::sqs

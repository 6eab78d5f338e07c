// SQS wire glue. Both protocols meet in one JSON-shaped document (the JSON 1.0 members):
// a query-protocol form is first flattened into it (QueryToJson), then one decoder per action
// turns the document into the typed request. Responses go the other way: typed result ->
// JSON members -> JSON 1.0 body, or query XML (JsonToQueryXml). Pure functions, thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "emulator/sqs/sqs_types.h"
#include "protocol/core/result.h"
#include "protocol/query/params.h"

namespace edastack::sqs::wire {

// Query form (Attribute.N.Name, MessageAttribute.N.Value.StringValue, Tag.N.Key,
// <X>RequestEntry.N.*, ...) to the JSON 1.0 member document.
nlohmann::json QueryToJson(const query::Params& params);

// The query-protocol XML for a successful `action` whose JSON result is `result`.
std::string JsonToQueryXml(const std::string& action, const nlohmann::json& result,
                           const std::string& request_id);

// ---- decoders (JSON member document -> typed request) ----
Result<CreateQueueRequest> DecodeCreateQueue(const nlohmann::json& j);
Result<GetQueueUrlRequest> DecodeGetQueueUrl(const nlohmann::json& j);
Result<ListQueuesRequest> DecodeListQueues(const nlohmann::json& j);
Result<QueueRequest> DecodeQueueRequest(const nlohmann::json& j);
Result<GetQueueAttributesRequest> DecodeGetQueueAttributes(const nlohmann::json& j);
Result<SetQueueAttributesRequest> DecodeSetQueueAttributes(const nlohmann::json& j);
Result<TagQueueRequest> DecodeTagQueue(const nlohmann::json& j);
Result<AddPermissionRequest> DecodeAddPermission(const nlohmann::json& j);
Result<RemovePermissionRequest> DecodeRemovePermission(const nlohmann::json& j);
Result<UntagQueueRequest> DecodeUntagQueue(const nlohmann::json& j);
Result<ListDeadLetterSourceQueuesRequest> DecodeListDeadLetterSourceQueues(const nlohmann::json& j);
Result<StartMessageMoveTaskRequest> DecodeStartMessageMoveTask(const nlohmann::json& j);
Result<ListMessageMoveTasksRequest> DecodeListMessageMoveTasks(const nlohmann::json& j);
Result<CancelMessageMoveTaskRequest> DecodeCancelMessageMoveTask(const nlohmann::json& j);
Result<SendMessageRequest> DecodeSendMessage(const nlohmann::json& j);
Result<SendMessageBatchRequest> DecodeSendMessageBatch(const nlohmann::json& j);
Result<ReceiveMessageRequest> DecodeReceiveMessage(const nlohmann::json& j);
Result<DeleteMessageRequest> DecodeDeleteMessage(const nlohmann::json& j);
Result<ChangeVisibilityRequest> DecodeChangeMessageVisibility(const nlohmann::json& j);
// DeleteMessageBatch and ChangeMessageVisibilityBatch.
Result<HandleBatchRequest> DecodeHandleBatch(const nlohmann::json& j);

// ---- encoders (typed result -> JSON members) ----
nlohmann::json Encode(const QueueUrlResult& r);
nlohmann::json Encode(const ListQueuesResult& r, const char* list_member);
nlohmann::json Encode(const AttributesResult& r);
nlohmann::json Encode(const TagsResult& r);
nlohmann::json Encode(const StartMessageMoveTaskResult& r);
nlohmann::json Encode(const ListMessageMoveTasksResult& r);
nlohmann::json Encode(const CancelMessageMoveTaskResult& r);
nlohmann::json Encode(const SendResult& r);
nlohmann::json Encode(const SendMessageBatchResult& r);
nlohmann::json Encode(const ReceiveMessageResult& r);
nlohmann::json Encode(const HandleBatchResult& r);
nlohmann::json Encode(const Empty&);

}  // namespace edastack::sqs::wire

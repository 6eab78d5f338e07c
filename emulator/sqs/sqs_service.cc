#include "emulator/sqs/sqs_service.h"

#include <unordered_map>

#include "emulator/sqs/sqs_errors.h"
#include "emulator/sqs/sqs_wire.h"
#include "protocol/errors/render.h"
#include "protocol/query/params.h"

namespace edastack::sqs {
namespace {

using nlohmann::json;
using Action = std::function<Result<json>(SqsBackend&, const RequestContext&, const json&)>;

// Decode -> action -> encode, for actions whose result encodes with wire::Encode.
template <typename Req, typename Res>
Action Bind(Result<Req> (*decode)(const json&),
            Result<Res> (SqsBackend::*op)(const RequestContext&, const Req&)) {
  return [decode, op](SqsBackend& b, const RequestContext& ctx, const json& in) -> Result<json> {
    EDA_ASSIGN_OR_RETURN(Req req, decode(in));
    EDA_ASSIGN_OR_RETURN(Res res, (b.*op)(ctx, req));
    return wire::Encode(res);
  };
}

const std::unordered_map<std::string, Action>& Actions() {
  static const auto* table = new std::unordered_map<std::string, Action>{
      {"CreateQueue", Bind(wire::DecodeCreateQueue, &SqsBackend::CreateQueue)},
      {"GetQueueUrl", Bind(wire::DecodeGetQueueUrl, &SqsBackend::GetQueueUrl)},
      {"ListQueues",
       [](SqsBackend& b, const RequestContext& ctx, const json& in) -> Result<json> {
         EDA_ASSIGN_OR_RETURN(auto req, wire::DecodeListQueues(in));
         EDA_ASSIGN_OR_RETURN(auto res, b.ListQueues(ctx, req));
         return wire::Encode(res, "QueueUrls");
       }},
      {"ListDeadLetterSourceQueues",
       [](SqsBackend& b, const RequestContext& ctx, const json& in) -> Result<json> {
         EDA_ASSIGN_OR_RETURN(auto req, wire::DecodeListDeadLetterSourceQueues(in));
         EDA_ASSIGN_OR_RETURN(auto res, b.ListDeadLetterSourceQueues(ctx, req));
         return wire::Encode(res, "queueUrls");
       }},
      {"DeleteQueue", Bind(wire::DecodeQueueRequest, &SqsBackend::DeleteQueue)},
      {"PurgeQueue", Bind(wire::DecodeQueueRequest, &SqsBackend::PurgeQueue)},
      {"GetQueueAttributes", Bind(wire::DecodeGetQueueAttributes, &SqsBackend::GetQueueAttributes)},
      {"SetQueueAttributes", Bind(wire::DecodeSetQueueAttributes, &SqsBackend::SetQueueAttributes)},
      {"TagQueue", Bind(wire::DecodeTagQueue, &SqsBackend::TagQueue)},
      {"UntagQueue", Bind(wire::DecodeUntagQueue, &SqsBackend::UntagQueue)},
      {"AddPermission", Bind(wire::DecodeAddPermission, &SqsBackend::AddPermission)},
      {"RemovePermission", Bind(wire::DecodeRemovePermission, &SqsBackend::RemovePermission)},
      {"ListQueueTags", Bind(wire::DecodeQueueRequest, &SqsBackend::ListQueueTags)},
      {"StartMessageMoveTask",
       Bind(wire::DecodeStartMessageMoveTask, &SqsBackend::StartMessageMoveTask)},
      {"ListMessageMoveTasks",
       Bind(wire::DecodeListMessageMoveTasks, &SqsBackend::ListMessageMoveTasks)},
      {"CancelMessageMoveTask",
       Bind(wire::DecodeCancelMessageMoveTask, &SqsBackend::CancelMessageMoveTask)},
      {"SendMessage", Bind(wire::DecodeSendMessage, &SqsBackend::SendMessage)},
      {"SendMessageBatch", Bind(wire::DecodeSendMessageBatch, &SqsBackend::SendMessageBatch)},
      {"ReceiveMessage", Bind(wire::DecodeReceiveMessage, &SqsBackend::ReceiveMessage)},
      {"DeleteMessage", Bind(wire::DecodeDeleteMessage, &SqsBackend::DeleteMessage)},
      {"DeleteMessageBatch", Bind(wire::DecodeHandleBatch, &SqsBackend::DeleteMessageBatch)},
      {"ChangeMessageVisibility",
       Bind(wire::DecodeChangeMessageVisibility, &SqsBackend::ChangeMessageVisibility)},
      {"ChangeMessageVisibilityBatch",
       Bind(wire::DecodeHandleBatch, &SqsBackend::ChangeMessageVisibilityBatch)},
  };
  return *table;
}

const char* kXmlns = "http://queue.amazonaws.com/doc/2012-11-05/";

http::Response JsonError(const AwsError& e, const RequestContext& ctx) {
  return errors::RenderJson(e, "com.amazonaws.sqs#", "application/x-amz-json-1.0",
                            ctx.request_id, true);
}

}  // namespace

SqsService::SqsService(storage::Database& db, const Clock& clock) : backend_(db, clock) {}

http::Response SqsService::Handle(const RequestContext& ctx, const http::Route& route,
                                  http::Request& req) {
  const bool is_json = route.protocol == http::Protocol::kJson10;
  json input;
  std::string action;
  if (is_json) {
    action = route.operation;
    if (req.body.empty()) {
      input = json::object();
    } else {
      input = json::parse(req.body, nullptr, false);
      if (input.is_discarded() || !input.is_object())
        return JsonError(err::SerializationError("The request body is not valid JSON."), ctx);
    }
  } else {
    std::vector<std::pair<std::string, std::string>> pairs = req.query;
    for (auto& kv : str::ParseForm(req.body)) pairs.push_back(std::move(kv));
    query::Params params(pairs);
    action = params.Get("Action", route.operation);
    input = wire::QueryToJson(params);
    // Query requests POSTed to the queue URL carry the queue in the path only.
    if (!input.contains("QueueUrl") && req.target.size() > 1 && req.target != "/")
      input["QueueUrl"] = req.target;
  }

  auto it = Actions().find(action);
  Result<json> result = it == Actions().end()
                            ? Result<json>(is_json ? MakeError("UnknownOperationException",
                                                               "Unknown operation " + action)
                                                   : err::InvalidAction(action))
                            : it->second(backend_, ctx, input);
  if (!result.ok()) {
    if (is_json) return JsonError(result.error(), ctx);
    return errors::RenderQuery(result.error(), kXmlns, ctx.request_id);
  }
  http::Response res;
  if (is_json) {
    res.body = result.value().dump();
    res.SetHeader("Content-Type", "application/x-amz-json-1.0");
  } else {
    res.body = wire::JsonToQueryXml(action, result.value(), ctx.request_id);
    res.SetHeader("Content-Type", "text/xml");
  }
  res.SetHeader("x-amzn-RequestId", ctx.request_id);
  return res;
}

}  // namespace edastack::sqs

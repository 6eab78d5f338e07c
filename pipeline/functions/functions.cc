// PublishEvent and the ingest function (S3 events -> main topic).
#include "pipeline/functions/functions.h"

#include "pipeline/functions/batch_send.h"
#include "pipeline/functions/function_util.h"
#include "protocol/core/time_format.h"

namespace edastack::pipeline {

using fnutil::Failed;

Result<std::string> PublishEvent(FunctionContext& ctx, const PipelineEvent& e) {
  return ctx.apis.sns.Publish(ctx.env.topic_arn, EventToJson(e).dump(), "pipeline event " + e.type);
}

std::vector<Status> IngestFunction::HandleBatch(const std::vector<aws::SqsMessage>& messages) {
  std::vector<Status> out(messages.size(), OkStatus());
  std::vector<fnutil::Timer> timers;
  timers.reserve(messages.size());
  // The events of every message, published together.
  std::vector<OutMessage> events;
  std::vector<size_t> owner;  // events[k] belongs to messages[owner[k]]
  std::vector<std::string> ids;
  std::vector<const S3ObjectEvent*> objects_of;  // for the log
  std::vector<std::vector<S3ObjectEvent>> decoded(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    timers.emplace_back(ctx_, kName, messages[i].ReceiveCount());
    auto objects = DecodeS3Message(messages[i].body);
    if (!objects.ok()) {
      out[i] = Failed(ctx_, kName, "", objects.error(), "undecodable S3 event");
      continue;
    }
    decoded[i] = std::move(*objects);
    size_t first = events.size();
    for (const S3ObjectEvent& o : decoded[i]) {
      auto head = ctx_.apis.s3.HeadObject(o.bucket, o.key);
      if (!head.ok()) {
        out[i] = Failed(ctx_, kName, "", head.error(), "HeadObject failed");
        break;
      }
      std::string content_type = head->has_value() ? (*head)->content_type : "";
      PipelineEvent e =
          NormaliseS3Event(o, content_type, timefmt::Iso8601Millis(ctx_.clock.NowMillis()));
      events.push_back({EventToJson(e).dump(), "pipeline event " + e.type});
      owner.push_back(i);
      ids.push_back(e.event_id);
      objects_of.push_back(&o);
    }
    if (!out[i].ok()) {  // publish none of a message whose objects could not all be read
      events.resize(first);
      owner.resize(first);
      ids.resize(first);
      objects_of.resize(first);
    }
  }
  auto published = PublishAll(ctx_.apis.sns, ctx_.env.topic_arn, events);
  for (size_t k = 0; k < events.size(); ++k) {
    size_t i = owner[k];
    if (!published[k].ok()) {
      if (out[i].ok()) out[i] = Failed(ctx_, kName, ids[k], published[k].error(), "publish failed");
      continue;
    }
    LogEvent(log::Level::kInfo, kName, ids[k], "published",
             {{"bucket", objects_of[k]->bucket}, {"key", objects_of[k]->key}});
  }
  for (size_t i = 0; i < messages.size(); ++i)
    if (out[i].ok()) timers[i].Done();
  return out;
}

}  // namespace edastack::pipeline

// Publish and PublishBatch: validation, FIFO deduplication and sequence numbers, fan-out list.
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "emulator/sns/sns_errors.h"
#include "emulator/sns/sns_operations.h"
#include "protocol/core/crypto.h"
#include "protocol/core/ids.h"
#include "protocol/core/strings.h"

namespace edastack::sns {
namespace {

constexpr size_t kMaxMessageBytes = 262144;
constexpr int64_t kDedupWindowMs = 5 * 60 * 1000;

Status ValidateAttributeName(const std::string& name) {
  static const std::regex kName("^[A-Za-z0-9_.-]{1,256}$");
  if (!std::regex_match(name, kName) || name.front() == '.' || name.back() == '.' ||
      name.find("..") != std::string::npos || str::StartsWith(str::ToLower(name), "aws.") ||
      str::StartsWith(str::ToLower(name), "amazon."))
    return errors::ParameterValueInvalid("The message attribute name '" + name +
                                         "' is invalid.");
  return OkStatus();
}

Status ValidateAttribute(const std::string& name, const MessageAttribute& a) {
  EDA_TRY(ValidateAttributeName(name));
  const std::string& t = a.data_type;
  if (t.empty())
    return errors::ParameterValueInvalid("The message attribute '" + name +
                                         "' must contain non-empty message attribute type.");
  std::string base = t.substr(0, t.find('.'));
  if (t == "String.Array") {
    auto j = nlohmann::json::parse(a.value, nullptr, false);
    bool ok = j.is_array();
    if (ok)
      for (const auto& el : j)
        if (el.is_object() || el.is_array()) ok = false;
    if (!ok)
      return errors::ParameterValueInvalid("The message attribute '" + name +
                                           "' has an invalid message attribute value for type "
                                           "'String.Array'.");
    return OkStatus();
  }
  if (base != "String" && base != "Number" && base != "Binary")
    return errors::ParameterValueInvalid(
        "The message attribute '" + name +
        "' has an invalid message attribute type, the set of supported type prefixes is "
        "Binary, Number, and String.");
  if (a.value.empty())
    return errors::ParameterValueInvalid("The message attribute '" + name +
                                         "' must contain non-empty message attribute value for "
                                         "message attribute type '" + base + "'.");
  if (base == "Number") {
    static const std::regex kNumber("^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$");
    if (!std::regex_match(a.value, kNumber))
      return errors::ParameterValueInvalid("Could not cast message attribute '" + name +
                                           "' value to number.");
  }
  if (base == "String" && !str::IsValidUtf8(a.value))
    return errors::ParameterValueInvalid("The message attribute '" + name +
                                         "' contains invalid characters.");
  return OkStatus();
}

size_t EntrySize(const PublishEntry& e) {
  size_t n = e.message.size();
  for (const auto& kv : e.attributes) n += kv.first.size() + kv.second.data_type.size() + kv.second.value.size();
  return n;
}

std::string FormatSequence(int64_t n) {
  std::string digits = std::to_string(n);
  return "1" + std::string(19 - std::min<size_t>(19, digits.size()), '0') + digits;
}

}  // namespace

Status ValidatePublishEntry(const Topic& topic, const PublishEntry& e) {
  if (e.message.empty()) return errors::InvalidParameter("Invalid parameter: Empty message");
  if (EntrySize(e) > kMaxMessageBytes)
    return errors::InvalidParameter("Invalid parameter: Message too long");
  if (!str::IsValidUtf8(e.message))
    return errors::InvalidParameter("Invalid parameter: Message contains invalid characters");
  if (!e.subject.empty() || false) {
    bool ok = e.subject.size() <= 100;
    for (unsigned char c : e.subject)
      if (c < 0x20 || c >= 0x7f) ok = false;
    if (ok && !std::isalnum(static_cast<unsigned char>(e.subject[0])) &&
        !std::ispunct(static_cast<unsigned char>(e.subject[0])))
      ok = false;
    if (!ok) return errors::InvalidParameter("Invalid parameter: Subject");
  }
  if (!e.message_structure.empty()) {
    if (e.message_structure != "json")
      return errors::InvalidParameter("Invalid parameter: MessageStructure");
    auto j = nlohmann::json::parse(e.message, nullptr, false);
    if (!j.is_object())
      return errors::InvalidParameter(
          "Invalid parameter: Message Structure - JSON message body failed to parse");
    if (!j.contains("default"))
      return errors::InvalidParameter(
          "Invalid parameter: Message Structure - No default entry in JSON message body");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!it.value().is_string())
        return errors::InvalidParameter(
            "Invalid parameter: Message Structure - JSON message body failed to parse");
  }
  if (e.attributes.size() > 10)
    return errors::InvalidParameter("Invalid parameter: Number of message attributes [" +
                                    std::to_string(e.attributes.size()) +
                                    "] exceeds the allowed maximum [10].");
  for (const auto& kv : e.attributes) EDA_TRY(ValidateAttribute(kv.first, kv.second));
  if (topic.IsFifo()) {
    if (!e.group_id || e.group_id->empty())
      return errors::InvalidParameter(
          "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
    static const std::regex kId("^[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}$");
    if (!std::regex_match(*e.group_id, kId))
      return errors::InvalidParameter("Invalid parameter: MessageGroupId");
    if (e.dedup_id && !std::regex_match(*e.dedup_id, kId))
      return errors::InvalidParameter("Invalid parameter: MessageDeduplicationId");
    if (!e.dedup_id && !topic.ContentBasedDedup())
      return errors::InvalidParameter(
          "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
          "MessageDeduplicationId provided explicitly");
  } else if (e.dedup_id) {
    return errors::InvalidParameter(
        "Invalid parameter: MessageDeduplicationId Reason: The request includes "
        "MessageDeduplicationId parameter that is not valid for this topic type");
  }
  return OkStatus();
}

Result<PublishResponse> SnsBackend::PublishOne(const RequestContext& ctx, const Topic& topic,
                                               const PublishEntry& entry,
                                               std::vector<Fanout>* fanout) {
  EDA_TRY(ValidatePublishEntry(topic, entry));
  PublishResponse res;
  Fanout f;
  f.message.topic_arn = topic.arn;
  f.message.entry = entry;
  f.message.timestamp_ms = ctx.now_ms;
  f.message.origin = ctx.Origin();
  if (topic.IsFifo()) {
    std::string dedup = entry.dedup_id ? *entry.dedup_id : crypto::Sha256Hex(entry.message);
    if (auto dup = store_.FindDedup(topic.arn, dedup, ctx.now_ms)) {
      res.message_id = dup->first;
      res.sequence_number = dup->second;
      return res;  // accepted, not delivered again
    }
    res.message_id = ids::Uuid();
    res.sequence_number = FormatSequence(store_.NextSequence(topic.arn));
    store_.PutDedup(topic.arn, dedup, res.message_id, res.sequence_number,
                    ctx.now_ms + kDedupWindowMs);
    f.message.dedup_id = dedup;
  } else {
    res.message_id = ids::Uuid();
  }
  f.message.message_id = res.message_id;
  f.message.sequence_number = res.sequence_number;
  auto sv = topic.attributes.find("SignatureVersion");
  f.signature_version = sv == topic.attributes.end() ? "1" : sv->second;
  auto dp = topic.attributes.find("DeliveryPolicy");
  if (dp != topic.attributes.end()) f.topic_delivery_policy = dp->second;
  f.subscribers = Subscribers(topic.arn);
  if (f.subscribers->empty()) return res;
  // Durable before acknowledged: the fan-out is recorded in this publish's transaction.
  if (outbox_) f.outbox_id = outbox_->Add("sns", EncodeFanout(f), ctx.now_ms);
  fanout->push_back(std::move(f));
  return res;
}

Result<PublishResponse> SnsBackend::Publish(const RequestContext& ctx, const PublishRequest& req,
                                            std::vector<Fanout>* fanout) {
  if (req.topic_arn.empty())
    return errors::InvalidParameter(
        "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
  auto arn = ParseArn(req.topic_arn);
  if (!arn || arn->service != "sns" || arn->resource.find(':') != std::string::npos)
    return errors::InvalidParameter("Invalid parameter: TopicArn");
  if (req.entry.message.empty()) return errors::InvalidParameter("Invalid parameter: Empty message");
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto topic = store_.GetTopic(req.topic_arn);
  if (!topic) return errors::TopicNotFound();
  std::vector<Fanout> out;
  EDA_ASSIGN_OR_RETURN(PublishResponse res, PublishOne(ctx, *topic, req.entry, &out));
  tx.Commit();
  for (auto& f : out) fanout->push_back(std::move(f));
  return res;
}

Result<PublishBatchResponse> SnsBackend::PublishBatch(const RequestContext& ctx,
                                                      const PublishBatchRequest& req,
                                                      std::vector<Fanout>* fanout) {
  auto arn = ParseArn(req.topic_arn);
  if (!arn || arn->service != "sns" || arn->resource.find(':') != std::string::npos)
    return errors::InvalidParameter("Invalid parameter: TopicArn");
  if (req.entries.empty()) return errors::EmptyBatchRequest();
  if (req.entries.size() > 10) return errors::TooManyEntriesInBatchRequest();
  static const std::regex kId("^[A-Za-z0-9_-]{1,80}$");
  std::set<std::string> seen;
  size_t total = 0;
  for (const auto& e : req.entries) {
    if (!std::regex_match(e.id, kId)) return errors::InvalidBatchEntryId();
    if (!seen.insert(e.id).second) return errors::BatchEntryIdsNotDistinct();
    total += EntrySize(e);
  }
  if (total > kMaxMessageBytes) return errors::BatchRequestTooLong();
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto topic = store_.GetTopic(req.topic_arn);
  if (!topic) return errors::TopicNotFound();
  if (topic->IsFifo())
    for (const auto& e : req.entries)
      if (!e.group_id || e.group_id->empty())
        return errors::InvalidParameter(
            "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
  PublishBatchResponse out;
  std::vector<Fanout> pending;
  for (const auto& e : req.entries) {
    auto r = PublishOne(ctx, *topic, e, &pending);
    if (r.ok()) {
      out.successful.push_back({e.id, r->message_id, r->sequence_number});
    } else {
      const AwsError& err = r.error();
      out.failed.push_back({e.id, err.code, err.message, err.sender_fault});
    }
  }
  tx.Commit();
  for (auto& f : pending) fanout->push_back(std::move(f));
  return out;
}

}  // namespace edastack::sns

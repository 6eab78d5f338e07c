// The pipeline event: what every publisher puts on the main topic and the processor stores.
//   {"eventId": "...", "type": "...", "source": "api|s3|trigger|...", "payload": {...},
//    "timestamp": "2026-11-28T16:48:07.123Z"}
// Plus the decoders for what arrives on the queues (SNS envelopes, S3 notifications in the
// EventBridge and the Records formats). Pure functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/core/result.h"

namespace edastack::pipeline {

struct PipelineEvent {
  std::string event_id;
  std::string type;
  std::string source;
  nlohmann::json payload = nlohmann::json::object();
  std::string timestamp;  // ISO 8601 when published
};

nlohmann::json EventToJson(const PipelineEvent& e);
// Validates: eventId, type non-empty strings; payload an object; source/timestamp optional.
// Error code "InvalidEvent" with the reason.
Result<PipelineEvent> EventFromJson(const nlohmann::json& j);

// The largest payload accepted (serialized), as SNS's message limit: 256 KiB.
inline constexpr size_t kMaxPayloadBytes = 256 * 1024;

// If `body` is an SNS notification envelope, its Message; else body unchanged.
std::string UnwrapSnsEnvelope(const std::string& body);

// Deterministic id of an S3 object version: the same bucket+key+(version or etag) always
// gives the same id. "s3-" + 32 hex characters of a SHA-256.
std::string S3EventId(const std::string& bucket, const std::string& key,
                      const std::string& version_or_etag);

// One S3 "object created" fact, from either delivery format.
struct S3ObjectEvent {
  std::string bucket;
  std::string key;  // decoded
  int64_t size = 0;
  std::string etag;
  std::string version_id;  // "" when unversioned
  std::string event_name;  // "Object Created" / "ObjectCreated:Put"
};

// Decodes an ingest-queue message body: an EventBridge S3 event, an S3 Records notification
// (possibly inside an SNS envelope) or an s3:TestEvent (returns an empty list).
// Error "InvalidEvent" for anything else.
Result<std::vector<S3ObjectEvent>> DecodeS3Message(const std::string& body);

// The pipeline event for an S3 object (source "s3", type "s3.object.created").
PipelineEvent NormaliseS3Event(const S3ObjectEvent& o, const std::string& content_type,
                               const std::string& timestamp);

}  // namespace edastack::pipeline

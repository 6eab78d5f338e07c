#include "pipeline/functions/event.h"

#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"

namespace edastack::pipeline {
namespace {

using nlohmann::json;

AwsError Invalid(const std::string& why) { return MakeError("InvalidEvent", why); }

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

int64_t AsInt64(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.get<int64_t>();
  if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  if (v.is_string()) {
    try {
      return std::stoll(v.get<std::string>());
    } catch (...) {
    }
  }
  return 0;
}

std::string VersionOf(const json& v) {
  if (!v.is_string()) return "";
  std::string s = v.get<std::string>();
  return s == "null" ? "" : s;  // moto reports "null" for unversioned buckets
}

}  // namespace

json EventToJson(const PipelineEvent& e) {
  json j = {{"eventId", e.event_id}, {"type", e.type}, {"payload", e.payload}};
  if (!e.source.empty()) j["source"] = e.source;
  if (!e.timestamp.empty()) j["timestamp"] = e.timestamp;
  return j;
}

Result<PipelineEvent> EventFromJson(const json& j) {
  if (!j.is_object()) return Invalid("event is not a JSON object");
  PipelineEvent e;
  if (!j.contains("eventId") || !j["eventId"].is_string() || j["eventId"].get<std::string>().empty())
    return Invalid("missing eventId");
  if (!j.contains("type") || !j["type"].is_string() || j["type"].get<std::string>().empty())
    return Invalid("missing type");
  if (!j.contains("payload") || !j["payload"].is_object()) return Invalid("missing payload object");
  e.event_id = j["eventId"];
  e.type = j["type"];
  e.payload = j["payload"];
  if (j.contains("source") && j["source"].is_string()) e.source = j["source"];
  if (j.contains("timestamp") && j["timestamp"].is_string()) e.timestamp = j["timestamp"];
  if (e.event_id.size() > 1024) return Invalid("eventId longer than 1024 characters");
  return e;
}

std::string UnwrapSnsEnvelope(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_object() && j.value("Type", "") == "Notification" && j.contains("Message") &&
      j["Message"].is_string() && j.contains("TopicArn"))
    return j["Message"].get<std::string>();
  return body;
}

std::string S3EventId(const std::string& bucket, const std::string& key,
                      const std::string& version_or_etag) {
  std::string h = crypto::Sha256Hex(bucket + "\n" + key + "\n" + version_or_etag);
  return "s3-" + h.substr(0, 32);
}

Result<std::vector<S3ObjectEvent>> DecodeS3Message(const std::string& raw) {
  json j = json::parse(UnwrapSnsEnvelope(raw), nullptr, false);
  if (!j.is_object()) return Invalid("ingest message is not JSON");
  std::vector<S3ObjectEvent> out;
  if (j.value("Event", "") == "s3:TestEvent") return out;
  if (j.value("source", "") == "aws.s3" && j.contains("detail") && j["detail"].is_object()) {
    const json& d = j["detail"];
    if (!d.contains("bucket") || !d.contains("object")) return Invalid("S3 event without object");
    const json& o = d["object"];
    S3ObjectEvent e;
    e.bucket = d["bucket"].value("name", "");
    e.key = o.value("key", "");
    e.size = o.contains("size") ? AsInt64(o["size"]) : 0;
    e.etag = Unquote(o.contains("etag") ? o.value("etag", "") : o.value("eTag", ""));
    e.version_id = o.contains("version-id") ? VersionOf(o["version-id"]) : "";
    e.event_name = j.value("detail-type", "");
    if (e.bucket.empty() || e.key.empty()) return Invalid("S3 event without bucket or key");
    if (e.event_name != "Object Created") return out;  // not ours: nothing to do
    out.push_back(e);
    return out;
  }
  if (j.contains("Records") && j["Records"].is_array()) {
    for (const json& rec : j["Records"]) {
      if (!rec.is_object() || !rec.contains("s3")) return Invalid("S3 record without s3");
      std::string name = rec.value("eventName", "");
      if (!str::StartsWith(name, "ObjectCreated")) continue;
      const json& s3 = rec["s3"];
      S3ObjectEvent e;
      e.bucket = s3.contains("bucket") ? s3["bucket"].value("name", "") : "";
      const json& o = s3.contains("object") ? s3["object"] : json::object();
      e.key = str::UriDecode(o.value("key", ""), /*plus_is_space=*/true);
      e.size = o.contains("size") ? AsInt64(o["size"]) : 0;
      e.etag = Unquote(o.contains("eTag") ? o.value("eTag", "") : o.value("etag", ""));
      e.version_id = o.contains("versionId") ? VersionOf(o["versionId"]) : "";
      e.event_name = name;
      if (e.bucket.empty() || e.key.empty()) return Invalid("S3 record without bucket or key");
      out.push_back(e);
    }
    return out;
  }
  return Invalid("not an S3 event");
}

PipelineEvent NormaliseS3Event(const S3ObjectEvent& o, const std::string& content_type,
                               const std::string& timestamp) {
  PipelineEvent e;
  e.event_id = S3EventId(o.bucket, o.key, o.version_id.empty() ? o.etag : o.version_id);
  e.type = "s3.object.created";
  e.source = "s3";
  e.timestamp = timestamp;
  e.payload = {{"bucket", o.bucket}, {"key", o.key},           {"size", o.size},
               {"etag", o.etag},     {"contentType", content_type}};
  if (!o.version_id.empty()) e.payload["versionId"] = o.version_id;
  return e;
}

}  // namespace edastack::pipeline

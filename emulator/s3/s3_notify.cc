#include "emulator/s3/s3_notify.h"

#include <cstdio>

#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_store.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/ids.h"
#include "protocol/core/log.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_writer.h"
#include "protocol/sigv4/signer.h"

namespace edastack::s3 {
namespace {

using ojson = nlohmann::ordered_json;

const char* kKinds[][2] = {{"QueueConfiguration", "Queue"},
                           {"TopicConfiguration", "Topic"},
                           {"CloudFunctionConfiguration", "CloudFunction"}};

bool ValidEventName(const std::string& e) {
  static const char* kKnown[] = {
      "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
      "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload",
      "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
      "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
      "s3:ObjectAcl:Put", "s3:ObjectRestore:*", "s3:ObjectRestore:Post",
      "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:ReducedRedundancyLostObject",
      "s3:Replication:*", "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
      "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleTransition",
      "s3:IntelligentTiering"};
  for (const char* k : kKnown)
    if (e == k) return true;
  return false;
}

// The region and account of an ARN such as arn:aws:sqs:us-east-1:000000000000:q.
struct Arn {
  std::string service, region, account, resource;
};
std::optional<Arn> ParseArn(const std::string& arn) {
  auto parts = str::Split(arn, ':');
  if (parts.size() < 6 || parts[0] != "arn") return std::nullopt;
  std::string resource = parts[5];
  for (size_t i = 6; i < parts.size(); ++i) resource += ":" + parts[i];
  return Arn{parts[2], parts[3], parts[4], resource};
}

}  // namespace

Result<NotificationConfig> ParseNotificationConfig(const xml::Node& doc) {
  NotificationConfig cfg;
  for (const auto& kind : kKinds) {
    for (const xml::Node* n : doc.Children(kind[0])) {
      NotificationRule r;
      r.kind = kind[1];
      r.id = n->ChildText("Id");
      if (r.id.empty()) r.id = ids::Uuid();
      r.arn = n->ChildText(kind[1]);
      if (r.arn.empty() || !ParseArn(r.arn)) return InvalidArgument("The ARN is not well formed", r.kind, r.arn);
      for (const xml::Node* e : n->Children("Event")) {
        if (!ValidEventName(e->text))
          return InvalidArgument("The event is not supported for notifications", "Event", e->text);
        r.events.push_back(e->text);
      }
      if (r.events.empty()) return MalformedXml();
      if (const xml::Node* f = n->Child("Filter")) {
        const xml::Node* key = f->Child("S3Key");
        if (key) {
          for (const xml::Node* fr : key->Children("FilterRule")) {
            std::string name = str::ToLower(fr->ChildText("Name"));
            if (name != "prefix" && name != "suffix")
              return InvalidArgument("filter rule name must be either prefix or suffix",
                                     "FilterRule", fr->ChildText("Name"));
            std::string pretty = name == "prefix" ? "Prefix" : "Suffix";
            for (const auto& existing : r.filters)
              if (existing.first == pretty)
                return InvalidArgument("Cannot specify more than one " + name +
                                       " rule in a filter.", "FilterRule", name);
            r.filters.emplace_back(pretty, fr->ChildText("Value"));
          }
        }
      }
      cfg.rules.push_back(std::move(r));
    }
  }
  cfg.eventbridge = doc.Child("EventBridgeConfiguration") != nullptr;
  return cfg;
}

std::string RenderNotificationConfig(const NotificationConfig& cfg) {
  xml::Writer w(true);
  w.Open("NotificationConfiguration", std::string("xmlns=\"") + kXmlns + "\"");
  for (const auto& kind : kKinds) {
    for (const auto& r : cfg.rules) {
      if (r.kind != kind[1]) continue;
      w.Open(kind[0]).Element("Id", r.id).Element(r.kind, r.arn);
      for (const auto& e : r.events) w.Element("Event", e);
      if (!r.filters.empty()) {
        w.Open("Filter").Open("S3Key");
        for (const auto& f : r.filters)
          w.Open("FilterRule").Element("Name", f.first).Element("Value", f.second).Close();
        w.Close().Close();
      }
      w.Close();
    }
  }
  if (cfg.eventbridge) w.Empty("EventBridgeConfiguration");
  w.Close();
  return w.Finish();
}

bool EventNameMatches(const std::string& configured, const std::string& event_name) {
  std::string c = str::StartsWith(configured, "s3:") ? configured.substr(3) : configured;
  if (str::EndsWith(c, ":*")) return str::StartsWith(event_name, c.substr(0, c.size() - 1));
  return c == event_name;
}

bool RuleMatches(const NotificationRule& rule, const std::string& event_name,
                 const std::string& key) {
  bool any = false;
  for (const auto& e : rule.events) any = any || EventNameMatches(e, event_name);
  if (!any) return false;
  for (const auto& f : rule.filters) {
    if (f.first == "Prefix" && !str::StartsWith(key, f.second)) return false;
    if (f.first == "Suffix" && !str::EndsWith(key, f.second)) return false;
  }
  return true;
}

std::string FormEncodeKey(const std::string& key) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string Sequencer(int64_t seq) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%018llX", static_cast<unsigned long long>(seq));
  return buf;
}

std::string RecordsJson(const S3Event& e, const std::string& configuration_id,
                           const std::string& region, const std::string& account,
                           const std::string& request_id, const std::string& source_ip) {
  ojson object = {{"key", FormEncodeKey(e.key)}};
  if (str::StartsWith(e.name, "ObjectCreated") || str::StartsWith(e.name, "ObjectTagging") ||
      str::StartsWith(e.name, "ObjectRestore")) {
    object["size"] = e.size;
    object["eTag"] = e.etag;
  }
  if (e.versioned && !e.version_id.empty()) object["versionId"] = e.version_id;
  object["sequencer"] = Sequencer(e.seq);
  std::string principal = "AWS:" + account;
  ojson record = {
      {"eventVersion", "2.1"},
      {"eventSource", "aws:s3"},
      {"awsRegion", region},
      {"eventTime", timefmt::Iso8601Millis(e.time_ms)},
      {"eventName", e.name},
      {"userIdentity", {{"principalId", principal}}},
      {"requestParameters", {{"sourceIPAddress", source_ip.empty() ? "127.0.0.1" : source_ip}}},
      {"responseElements", {{"x-amz-request-id", request_id}, {"x-amz-id-2", request_id}}},
      {"s3",
       {{"s3SchemaVersion", "1.0"},
        {"configurationId", configuration_id},
        {"bucket",
         {{"name", e.bucket},
          {"ownerIdentity", {{"principalId", account}}},
          {"arn", "arn:aws:s3:::" + e.bucket}}},
        {"object", object}}}};
  if (e.name == "ObjectRestore:Completed")
    record["glacierEventData"] = {
        {"restoreEventData",
         {{"lifecycleRestorationExpiryTime", timefmt::Iso8601Millis(e.restore_expiry_ms)},
          {"lifecycleRestoreStorageClass", e.source_storage_class}}}};
  ojson doc = {{"Records", ojson::array({record})}};
  return doc.dump();
}

nlohmann::json EventBridgeEntry(const S3Event& e, const std::string& region,
                                const std::string& account, const std::string& request_id,
                                const std::string& source_ip) {
  std::string type;
  if (str::StartsWith(e.name, "ObjectCreated")) type = "Object Created";
  else if (str::StartsWith(e.name, "ObjectRemoved")) type = "Object Deleted";
  else if (e.name == "ObjectTagging:Put") type = "Object Tags Added";
  else if (e.name == "ObjectTagging:Delete") type = "Object Tags Deleted";
  else if (e.name == "ObjectRestore:Post") type = "Object Restore Initiated";
  else if (e.name == "ObjectRestore:Completed") type = "Object Restore Completed";
  else return nullptr;
  ojson object = {{"key", e.key}};
  if (type == "Object Created") object["size"] = e.size;
  if (!e.etag.empty()) object["etag"] = e.etag;
  if (e.versioned && !e.version_id.empty()) object["version-id"] = e.version_id;
  object["sequencer"] = Sequencer(e.seq);
  ojson detail = {{"version", "0"},
                  {"bucket", {{"name", e.bucket}}},
                  {"object", object},
                  {"request-id", request_id},
                  {"requester", account},
                  {"source-ip-address", source_ip.empty() ? "127.0.0.1" : source_ip}};
  if (type == "Object Created" || type == "Object Deleted") detail["reason"] = e.reason;
  if (type == "Object Deleted") detail["deletion-type"] = e.deletion_type;
  if (str::StartsWith(e.name, "ObjectRestore")) {
    detail["object"]["size"] = e.size;
    detail["source-storage-class"] = e.source_storage_class;
  }
  if (e.name == "ObjectRestore:Completed")
    detail["restore-expiry-time"] = timefmt::Iso8601Millis(e.restore_expiry_ms);
  nlohmann::json entry = {{"Source", "aws.s3"},
                          {"DetailType", type},
                          {"Detail", detail.dump()},
                          {"Resources", {"arn:aws:s3:::" + e.bucket}},
                          {"EventBusName", "default"},
                          {"Time", e.time_ms / 1000}};
  (void)region;
  return entry;
}

namespace {

http::Request InternalRequest(const Emulator& emu, const RequestContext& ctx,
                              const std::string& region, const std::string& service) {
  http::Request r;
  r.method = "POST";
  r.target = "/";
  r.headers.emplace("Host", ctx.host);
  r.headers.emplace("x-edastack-internal", "1");
  (void)region;
  (void)service;
  return r;
}

void Sign(const Emulator& emu, http::Request& r, const std::string& region,
          const std::string& service, int64_t now_ms) {
  const auto& opts = emu.options();
  if (!opts.auth_sigv4 || opts.credentials.empty()) return;
  sigv4::Credentials c{opts.credentials.begin()->first, opts.credentials.begin()->second, ""};
  sigv4::SignRequest(r, c, region, service, now_ms);
}

}  // namespace

bool Notifier::Deliver(const RequestContext& ctx, const NotificationRule& rule,
                       const std::string& body) {
  auto arn = ParseArn(rule.arn);
  if (!arn) return false;
  if (rule.kind == "CloudFunction") {
    auto r = emu_.functions().Invoke(rule.arn, body);
    if (!r.ok()) log::Warn("s3 notification to " + rule.arn + " failed: " + r.error().message);
    return r.ok();
  }
  http::Request req = InternalRequest(emu_, ctx, arn->region, "");
  std::string service;
  if (rule.kind == "Queue") {
    service = "sqs";
    req.headers.emplace("X-Amz-Target", "AmazonSQS.SendMessage");
    req.headers.emplace("Content-Type", "application/x-amz-json-1.0");
    std::string url = ctx.Origin() + "/" + arn->account + "/" + arn->resource;
    req.body = nlohmann::json{{"QueueUrl", url}, {"MessageBody", body}}.dump();
  } else {
    service = "sns";
    req.headers.emplace("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    req.body = "Action=Publish&Version=2010-03-31&TopicArn=" + str::UriEncode(rule.arn) +
               "&Subject=" + str::UriEncode("Amazon S3 Notification") +
               "&Message=" + str::UriEncode(body);
  }
  Sign(emu_, req, arn->region, service, emu_.clock().NowMillis());
  http::Response res = emu_.Handle(req);
  if (res.status != 200) {
    log::Warn("s3 notification to " + rule.arn + " failed: " + std::to_string(res.status) +
              " " + res.body);
    return false;
  }
  return true;
}

void Notifier::PutEvents(const RequestContext& ctx, const std::string& entry) {
  http::Request req = InternalRequest(emu_, ctx, ctx.region, "events");
  req.headers.emplace("X-Amz-Target", "AWSEvents.PutEvents");
  req.headers.emplace("Content-Type", "application/x-amz-json-1.1");
  req.body = "{\"Entries\":[" + entry + "]}";
  Sign(emu_, req, ctx.region, "events", emu_.clock().NowMillis());
  http::Response res = emu_.Handle(req);
  if (res.status != 200)
    log::Warn("s3 EventBridge delivery failed: " + std::to_string(res.status) + " " + res.body);
}

Status Notifier::Validate(const RequestContext& ctx, const std::string& bucket,
                          const NotificationConfig& cfg) {
  for (const auto& rule : cfg.rules) {
    bool ok;
    if (rule.kind == "CloudFunction") {
      ok = emu_.functions().Exists(rule.arn);
    } else {
      ojson test = {{"Service", "Amazon S3"},
                    {"Event", "s3:TestEvent"},
                    {"Time", timefmt::Iso8601Millis(ctx.now_ms)},
                    {"Bucket", bucket},
                    {"RequestId", ctx.request_id},
                    {"HostId", ctx.request_id}};
      ok = Deliver(ctx, rule, test.dump());
    }
    if (!ok) {
      AwsError e = InvalidArgument("Unable to validate the following destination configurations");
      std::string why = rule.kind == "CloudFunction"
                            ? "Not authorized to invoke function [" + rule.arn + "]"
                            : "Permissions on the destination " +
                                  std::string(rule.kind == "Queue" ? "queue" : "topic") +
                                  " do not allow S3 to publish notifications from this bucket";
      e.extra = {{"ArgumentName", rule.arn}, {"ArgumentValue", why}};
      return e;
    }
  }
  return OkStatus();
}

}  // namespace edastack::s3

#include "pipeline/resources/deployer.h"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "protocol/core/strings.h"

namespace edastack::pipeline {
namespace {

using nlohmann::json;

bool IsNotFound(const AwsError& e) {
  return e.code == "QueueDoesNotExist" || e.code == "AWS.SimpleQueueService.NonExistentQueue" ||
         e.code == "ResourceNotFoundException" || e.code == "NotFound" || e.code == "NoSuchBucket" ||
         e.http_status == 404;
}

int AsInt(const json& v) {
  if (v.is_number()) return v.get<int>();
  if (v.is_string()) {
    try {
      return std::stoi(v.get<std::string>());
    } catch (...) {
    }
  }
  return -1;
}

bool AttributeEqual(const std::string& name, const std::string& want, const std::string& have) {
  if (name == "Policy" || name == "RedrivePolicy") {
    json w = json::parse(want, nullptr, false), h = json::parse(have, nullptr, false);
    if (w.is_discarded() || h.is_discarded()) return want == have;
    if (name == "RedrivePolicy")
      return w.value("deadLetterTargetArn", "") == h.value("deadLetterTargetArn", "") &&
             AsInt(w["maxReceiveCount"]) == AsInt(h["maxReceiveCount"]);
    return w == h;
  }
  return want == have;
}

const char* Verb(bool dry, const char* done, const char* planned) { return dry ? planned : done; }

}  // namespace

bool ParseS3Delivery(const std::string& t, S3Delivery* out) {
  if (t == "auto") *out = S3Delivery::kAuto;
  else if (t == "eventbridge") *out = S3Delivery::kEventBridge;
  else if (t == "queue") *out = S3Delivery::kQueue;
  else return false;
  return true;
}

std::string DeployReport::Text() const {
  std::string out;
  for (const auto& c : changes) {
    char line[512];
    snprintf(line, sizeof(line), "%-14s %-13s %s", c.action.c_str(), c.kind.c_str(),
             c.name.c_str());
    out += line;
    if (!c.detail.empty()) out += "  (" + c.detail + ")";
    out += "\n";
  }
  if (!ok) out += "error: " + error + "\n";
  return out;
}

void Deployer::Fail(DeployReport* r, const std::string& kind, const std::string& name,
                    const AwsError& e) {
  r->changes.push_back({kind, name, "failed", e.code + ": " + e.message});
  if (r->ok) r->error = kind + " " + name + ": " + e.code + ": " + e.message;
  r->ok = false;
}

std::string Deployer::TopicArn(const std::string& name) const {
  auto it = topic_arns_.find(name);
  if (it != topic_arns_.end()) return it->second;
  return "arn:aws:sns:" + apis_.region + ":" + account_ + ":" + name;
}

std::string Deployer::QueueArn(const std::string& name) const {
  return "arn:aws:sqs:" + apis_.region + ":" + account_ + ":" + name;
}

std::string Deployer::RuleArn() const {
  return "arn:aws:events:" + apis_.region + ":" + account_ + ":rule/" + set_.rule.name;
}

std::map<std::string, std::string> Deployer::QueueAttributes(const QueueSpec& q) const {
  std::map<std::string, std::string> attrs = q.attributes;
  if (!q.dead_letter_queue.empty())
    attrs["RedrivePolicy"] = json({{"deadLetterTargetArn", QueueArn(q.dead_letter_queue)},
                                   {"maxReceiveCount", q.max_receive_count}})
                                 .dump();
  json statements = json::array();
  auto allow = [&](const std::string& sid, const std::string& service, const std::string& source) {
    statements.push_back({{"Sid", sid},
                          {"Effect", "Allow"},
                          {"Principal", {{"Service", service}}},
                          {"Action", "sqs:SendMessage"},
                          {"Resource", QueueArn(q.name)},
                          {"Condition", {{"ArnEquals", {{"aws:SourceArn", source}}}}}});
  };
  for (const auto& t : q.allow_topics) allow("allow-sns-" + t, "sns.amazonaws.com", TopicArn(t));
  if (q.allow_rule) allow("allow-eventbridge", "events.amazonaws.com", RuleArn());
  if (q.allow_bucket) allow("allow-s3", "s3.amazonaws.com", "arn:aws:s3:::" + set_.bucket.name);
  if (!statements.empty())
    attrs["Policy"] = json({{"Version", "2012-10-17"}, {"Statement", statements}}).dump();
  return attrs;
}

void Deployer::DeployTopics(bool dry, DeployReport* r) {
  auto existing = apis_.sns.ListTopics();
  if (!existing.ok()) return Fail(r, "topic", "*", existing.error());
  for (const auto& t : set_.topics) {
    std::string found;
    for (const auto& arn : *existing)
      if (aws::ArnResourceName(arn) == t.name) found = arn;
    if (!found.empty()) {
      topic_arns_[t.name] = found;
      r->changes.push_back({"topic", t.name, "unchanged", ""});
    } else if (dry) {
      r->changes.push_back({"topic", t.name, "would create", ""});
    } else {
      auto arn = apis_.sns.CreateTopic(t.name);
      if (!arn.ok()) return Fail(r, "topic", t.name, arn.error());
      topic_arns_[t.name] = *arn;
      r->changes.push_back({"topic", t.name, "created", ""});
    }
    if (account_.empty() && topic_arns_.count(t.name))
      account_ = aws::ArnAccount(topic_arns_[t.name]);
  }
}

void Deployer::DeployQueues(bool dry, DeployReport* r) {
  for (const auto& q : set_.queues) {
    auto url = apis_.sqs.GetQueueUrl(q.name);
    if (!url.ok() && !IsNotFound(url.error())) return Fail(r, "queue", q.name, url.error());
    if (url.ok()) {
      queue_urls_[q.name] = *url;
      auto have = apis_.sqs.GetQueueAttributes(*url);
      if (!have.ok()) return Fail(r, "queue", q.name, have.error());
      if (account_.empty()) account_ = aws::ArnAccount((*have)["QueueArn"]);
      std::map<std::string, std::string> differ;
      std::string names;
      for (const auto& kv : QueueAttributes(q)) {
        auto it = have->find(kv.first);
        if (it == have->end() || !AttributeEqual(kv.first, kv.second, it->second)) {
          differ[kv.first] = kv.second;
          names += (names.empty() ? "" : ", ") + kv.first;
        }
      }
      if (differ.empty()) {
        r->changes.push_back({"queue", q.name, "unchanged", ""});
      } else if (dry) {
        r->changes.push_back({"queue", q.name, "would update", names});
      } else {
        auto s = apis_.sqs.SetQueueAttributes(*url, differ);
        if (!s.ok()) return Fail(r, "queue", q.name, s.error());
        r->changes.push_back({"queue", q.name, "updated", names});
      }
    } else if (dry) {
      r->changes.push_back({"queue", q.name, "would create", ""});
    } else {
      auto created = apis_.sqs.CreateQueue(q.name, QueueAttributes(q));
      if (!created.ok()) return Fail(r, "queue", q.name, created.error());
      queue_urls_[q.name] = *created;
      if (account_.empty()) {
        auto attrs = apis_.sqs.GetQueueAttributes(*created, {"QueueArn"});
        if (attrs.ok()) account_ = aws::ArnAccount((*attrs)["QueueArn"]);
      }
      r->changes.push_back({"queue", q.name, "created", ""});
    }
  }
}

void Deployer::DeploySubscriptions(bool dry, DeployReport* r) {
  for (const auto& s : set_.subscriptions) {
    std::string name = s.topic + " -> " + s.queue;
    if (!topic_arns_.count(s.topic)) {
      r->changes.push_back({"subscription", name, Verb(dry, "failed", "would create"), ""});
      if (!dry) Fail(r, "subscription", name, MakeError("NotFound", "topic missing"));
      continue;
    }
    auto subs = apis_.sns.ListSubscriptionsByTopic(topic_arns_[s.topic]);
    if (!subs.ok()) return Fail(r, "subscription", name, subs.error());
    std::string found;
    for (const auto& sub : *subs)
      if (sub.protocol == "sqs" && sub.endpoint == QueueArn(s.queue)) found = sub.subscription_arn;
    if (!found.empty()) {
      auto attrs = apis_.sns.GetSubscriptionAttributes(found);
      if (!attrs.ok()) return Fail(r, "subscription", name, attrs.error());
      std::string detail;
      for (const auto& kv : s.attributes) {
        auto it = attrs->find(kv.first);
        if (it != attrs->end() && it->second == kv.second) continue;
        detail += (detail.empty() ? "" : ", ") + kv.first + "=" + kv.second;
        if (dry) continue;
        auto set = apis_.sns.SetSubscriptionAttributes(found, kv.first, kv.second);
        if (!set.ok()) return Fail(r, "subscription", name, set.error());
      }
      r->changes.push_back({"subscription", name,
                            detail.empty() ? "unchanged" : Verb(dry, "updated", "would update"),
                            detail});
    } else if (dry) {
      r->changes.push_back({"subscription", name, "would create", ""});
    } else {
      auto arn = apis_.sns.Subscribe(topic_arns_[s.topic], "sqs", QueueArn(s.queue), s.attributes);
      if (!arn.ok()) return Fail(r, "subscription", name, arn.error());
      r->changes.push_back({"subscription", name, "created", ""});
    }
  }
}

void Deployer::DeployTable(bool dry, DeployReport* r) {
  const TableSpec& t = set_.table;
  auto desc = apis_.dynamodb.DescribeTable(t.name);
  if (!desc.ok() && !IsNotFound(desc.error())) return Fail(r, "table", t.name, desc.error());
  if (!desc.ok()) {
    if (dry) {
      r->changes.push_back({"table", t.name, "would create", "TTL " + t.ttl_attribute});
      return;
    }
    json req = {
        {"TableName", t.name},
        {"BillingMode", "PAY_PER_REQUEST"},
        {"AttributeDefinitions",
         {{{"AttributeName", t.hash_key}, {"AttributeType", "S"}},
          {{"AttributeName", t.gsi_hash}, {"AttributeType", "S"}},
          {{"AttributeName", t.gsi_range}, {"AttributeType", "S"}}}},
        {"KeySchema", {{{"AttributeName", t.hash_key}, {"KeyType", "HASH"}}}},
        {"GlobalSecondaryIndexes",
         {{{"IndexName", t.gsi_name},
           {"KeySchema",
            {{{"AttributeName", t.gsi_hash}, {"KeyType", "HASH"}},
             {{"AttributeName", t.gsi_range}, {"KeyType", "RANGE"}}}},
           {"Projection", {{"ProjectionType", "ALL"}}}}}}};
    auto created = apis_.dynamodb.CreateTable(req);
    if (!created.ok()) return Fail(r, "table", t.name, created.error());
    for (int i = 0; i < 300; ++i) {  // wait for ACTIVE (at most ~30 s)
      auto d = apis_.dynamodb.DescribeTable(t.name);
      if (d.ok() && d->value("TableStatus", "") == "ACTIVE") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    auto ttl = apis_.dynamodb.UpdateTimeToLive(t.name, t.ttl_attribute, true);
    if (!ttl.ok()) return Fail(r, "table", t.name, ttl.error());
    r->changes.push_back({"table", t.name, "created", "TTL " + t.ttl_attribute + ", GSI " +
                                                          t.gsi_name});
    return;
  }
  std::string drift;
  bool has_gsi = false;
  if (desc->contains("GlobalSecondaryIndexes"))
    for (const auto& g : (*desc)["GlobalSecondaryIndexes"])
      if (g.value("IndexName", "") == t.gsi_name) has_gsi = true;
  if (!has_gsi) drift = "GSI " + t.gsi_name + " missing; recreate the table to add it";
  auto ttl = apis_.dynamodb.DescribeTimeToLive(t.name);
  if (!ttl.ok()) return Fail(r, "table", t.name, ttl.error());
  std::string status = ttl->value("TimeToLiveStatus", "");
  bool ttl_ok = (status == "ENABLED" || status == "ENABLING") &&
                ttl->value("AttributeName", "") == t.ttl_attribute;
  if (ttl_ok) {
    r->changes.push_back({"table", t.name, "unchanged", drift});
  } else if (dry) {
    r->changes.push_back({"table", t.name, "would update", "enable TTL " + t.ttl_attribute});
  } else {
    auto s = apis_.dynamodb.UpdateTimeToLive(t.name, t.ttl_attribute, true);
    if (!s.ok()) return Fail(r, "table", t.name, s.error());
    r->changes.push_back({"table", t.name, "updated", "enabled TTL " + t.ttl_attribute});
  }
}

void Deployer::DeployRule(bool dry, DeployReport* r) {
  const RuleSpec& rule = set_.rule;
  auto desc = apis_.events.DescribeRule(rule.name);
  if (!desc.ok() && !IsNotFound(desc.error())) return Fail(r, "rule", rule.name, desc.error());
  bool same = desc.ok() && desc->value("State", "") == "ENABLED" &&
              json::parse(desc->value("EventPattern", ""), nullptr, false) ==
                  json::parse(rule.event_pattern);
  if (same) {
    r->changes.push_back({"rule", rule.name, "unchanged", ""});
  } else if (dry) {
    r->changes.push_back({"rule", rule.name, desc.ok() ? "would update" : "would create", ""});
  } else {
    auto arn = apis_.events.PutRule(rule.name, rule.event_pattern,
                                    "S3 Object Created on " + set_.bucket.name + " to ingest");
    if (!arn.ok()) return Fail(r, "rule", rule.name, arn.error());
    r->changes.push_back({"rule", rule.name, desc.ok() ? "updated" : "created", ""});
  }
  std::string name = rule.name + " -> " + rule.target_queue;
  std::vector<aws::EventTarget> targets;
  if (desc.ok() || !dry) {
    auto listed = apis_.events.ListTargetsByRule(rule.name);
    if (!listed.ok() && !IsNotFound(listed.error())) return Fail(r, "target", name, listed.error());
    if (listed.ok()) targets = *listed;
  }
  bool found = false;
  for (const auto& t : targets)
    if (t.id == rule.target_id && t.arn == QueueArn(rule.target_queue)) found = true;
  if (found) {
    r->changes.push_back({"target", name, "unchanged", ""});
  } else if (dry) {
    r->changes.push_back({"target", name, "would create", ""});
  } else {
    auto s = apis_.events.PutTargets(rule.name, {{rule.target_id, QueueArn(rule.target_queue)}});
    if (!s.ok()) return Fail(r, "target", name, s.error());
    r->changes.push_back({"target", name, "created", ""});
  }
}

std::string Deployer::NotificationXml(bool eventbridge) const {
  std::string xml = "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  if (eventbridge) {
    xml += "<EventBridgeConfiguration></EventBridgeConfiguration>";
  } else {
    xml += "<QueueConfiguration><Id>edastack-ingest</Id><Queue>" +
           QueueArn(set_.bucket.ingest_queue) +
           "</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>";
  }
  return xml + "</NotificationConfiguration>";
}

void Deployer::DeployBucket(bool dry, DeployReport* r) {
  const std::string& b = set_.bucket.name;
  auto exists = apis_.s3.HeadBucket(b);
  if (!exists.ok()) return Fail(r, "bucket", b, exists.error());
  if (*exists) {
    r->changes.push_back({"bucket", b, "unchanged", ""});
  } else if (dry) {
    r->changes.push_back({"bucket", b, "would create", ""});
    r->changes.push_back({"notification", b, "would create", "S3 events to EventBridge"});
    return;
  } else {
    auto s = apis_.s3.CreateBucket(b, apis_.region);
    if (!s.ok()) return Fail(r, "bucket", b, s.error());
    r->changes.push_back({"bucket", b, "created", ""});
  }
  auto current = apis_.s3.GetBucketNotificationConfiguration(b);
  if (!current.ok()) return Fail(r, "notification", b, current.error());
  bool has_eb = current->find("EventBridgeConfiguration") != std::string::npos;
  bool has_queue = current->find(QueueArn(set_.bucket.ingest_queue)) != std::string::npos;
  const char* kEb = "S3 -> EventBridge -> rule -> ingest queue";
  const char* kFallback = "fallback: S3 QueueConfiguration -> ingest queue";
  if (delivery_ != S3Delivery::kQueue && has_eb && !has_queue) {
    return r->changes.push_back({"notification", b, "unchanged", kEb});
  }
  // Auto keeps a fallback found in place (a previous deploy chose it for this endpoint).
  if (delivery_ != S3Delivery::kEventBridge && has_queue && !has_eb) {
    return r->changes.push_back({"notification", b, "unchanged", kFallback});
  }
  if (dry) {
    return r->changes.push_back({"notification", b, "would update",
                                 delivery_ == S3Delivery::kQueue ? kFallback : kEb});
  }
  if (delivery_ != S3Delivery::kQueue) {
    auto put = apis_.s3.PutBucketNotificationConfiguration(b, NotificationXml(true));
    auto check = apis_.s3.GetBucketNotificationConfiguration(b);
    bool kept = put.ok() && check.ok() &&
                check->find("EventBridgeConfiguration") != std::string::npos;
    if (kept) return r->changes.push_back({"notification", b, "updated", kEb});
    if (delivery_ == S3Delivery::kEventBridge) {
      if (!put.ok()) return Fail(r, "notification", b, put.error());
      // Accepted but not echoed by GET (moto does this and still delivers): trust the PUT.
      return r->changes.push_back(
          {"notification", b, "updated",
           std::string(kEb) + "; unverified: the endpoint does not echo the configuration"});
    }
  }
  auto put = apis_.s3.PutBucketNotificationConfiguration(b, NotificationXml(false));
  if (!put.ok()) return Fail(r, "notification", b, put.error());
  std::string detail = kFallback;
  if (delivery_ == S3Delivery::kAuto)
    detail += "; the endpoint does not keep <EventBridgeConfiguration/>";
  r->changes.push_back({"notification", b, has_queue ? "unchanged" : "updated", detail});
}

DeployReport Deployer::Deploy(bool dry_run) {
  DeployReport r;
  DeployTopics(dry_run, &r);
  if (r.ok) DeployQueues(dry_run, &r);
  if (r.ok) DeploySubscriptions(dry_run, &r);
  if (r.ok) DeployTable(dry_run, &r);
  if (r.ok) DeployRule(dry_run, &r);
  if (r.ok) DeployBucket(dry_run, &r);
  if (r.ok && !dry_run) {
    auto env = Resolve();
    if (env.ok()) r.env = *env;
  }
  return r;
}

Result<Environment> Deployer::Resolve() {
  Environment env;
  env.names = set_.names;
  env.region = apis_.region;
  env.table = set_.table.name;
  env.bucket = set_.bucket.name;
  EDA_ASSIGN_OR_RETURN(std::vector<std::string> topics, apis_.sns.ListTopics());
  for (const auto& arn : topics) {
    std::string name = aws::ArnResourceName(arn);
    if (name == set_.names.topic) env.topic_arn = arn;
    if (name == set_.names.notifications_topic) env.notifications_topic_arn = arn;
  }
  if (env.topic_arn.empty())
    return MakeError("NotFound", "topic " + set_.names.topic + " is not deployed");
  if (env.notifications_topic_arn.empty())
    return MakeError("NotFound", "topic " + set_.names.notifications_topic + " is not deployed");
  env.account = aws::ArnAccount(env.topic_arn);
  std::pair<std::string*, std::string> queues[] = {
      {&env.queue_url, set_.names.queue},
      {&env.dlq_url, set_.names.dlq},
      {&env.confirmation_queue_url, set_.names.confirmation_queue},
      {&env.ingest_queue_url, set_.names.ingest_queue}};
  for (auto& q : queues) {
    auto url = apis_.sqs.GetQueueUrl(q.second);
    if (!url.ok())
      return MakeError(url.error().code, "queue " + q.second + " is not deployed: " +
                                             url.error().message);
    *q.first = *url;
  }
  auto table = apis_.dynamodb.DescribeTable(env.table);
  if (!table.ok())
    return MakeError(table.error().code, "table " + env.table + " is not deployed");
  return env;
}

DeployReport Deployer::Destroy() {
  DeployReport r;
  auto note = [&](const std::string& kind, const std::string& name, const Status& s) {
    if (s.ok()) r.changes.push_back({kind, name, "deleted", ""});
    else if (IsNotFound(s.error())) r.changes.push_back({kind, name, "absent", ""});
    else Fail(&r, kind, name, s.error());
  };
  // Bucket: empty it first.
  const std::string& b = set_.bucket.name;
  auto keys = apis_.s3.ListObjectsV2(b);
  if (keys.ok()) {
    for (const auto& k : *keys) (void)apis_.s3.DeleteObject(b, k);
    note("bucket", b, apis_.s3.DeleteBucket(b));
  } else {
    note("bucket", b, keys.error());
  }
  auto listed = apis_.events.ListTargetsByRule(set_.rule.name);
  if (listed.ok() && !listed->empty()) {
    std::vector<std::string> ids;
    for (const auto& t : *listed) ids.push_back(t.id);
    (void)apis_.events.RemoveTargets(set_.rule.name, ids);
  }
  auto rule = apis_.events.DescribeRule(set_.rule.name);
  note("rule", set_.rule.name, rule.ok() ? apis_.events.DeleteRule(set_.rule.name)
                                         : Status(rule.error()));
  note("table", set_.table.name, apis_.dynamodb.DeleteTable(set_.table.name));
  auto topics = apis_.sns.ListTopics();
  std::map<std::string, std::string> arns;
  if (topics.ok())
    for (const auto& arn : *topics) arns[aws::ArnResourceName(arn)] = arn;
  for (const auto& s : set_.subscriptions) {
    std::string name = s.topic + " -> " + s.queue;
    if (!arns.count(s.topic)) {
      r.changes.push_back({"subscription", name, "absent", ""});
      continue;
    }
    auto subs = apis_.sns.ListSubscriptionsByTopic(arns[s.topic]);
    bool any = false;
    if (subs.ok())
      for (const auto& sub : *subs)
        if (sub.protocol == "sqs" && aws::ArnResourceName(sub.endpoint) == s.queue) {
          note("subscription", name, apis_.sns.Unsubscribe(sub.subscription_arn));
          any = true;
        }
    if (!any) r.changes.push_back({"subscription", name, "absent", ""});
  }
  for (auto it = set_.queues.rbegin(); it != set_.queues.rend(); ++it) {
    auto url = apis_.sqs.GetQueueUrl(it->name);
    note("queue", it->name, url.ok() ? apis_.sqs.DeleteQueue(*url) : Status(url.error()));
  }
  for (const auto& t : set_.topics) {
    if (!arns.count(t.name)) r.changes.push_back({"topic", t.name, "absent", ""});
    else note("topic", t.name, apis_.sns.DeleteTopic(arns[t.name]));
  }
  return r;
}

}  // namespace edastack::pipeline

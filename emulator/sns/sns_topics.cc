// Topic operations, tagging, ARN helpers and the subscriber cache.
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "emulator/sns/sns_errors.h"
#include "emulator/sns/sns_operations.h"
#include "protocol/core/strings.h"

namespace edastack::sns {
namespace {

const std::set<std::string>& SettableTopicAttributes() {
  static const std::set<std::string> k = {
      "DeliveryPolicy", "DisplayName", "Policy", "TracingConfig", "KmsMasterKeyId",
      "SignatureVersion", "ContentBasedDeduplication", "ArchivePolicy", "DataProtectionPolicy",
      "FifoThroughputScope", "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate",
      "HTTPFailureFeedbackRoleArn", "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate",
      "SQSFailureFeedbackRoleArn", "LambdaSuccessFeedbackRoleArn",
      "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn"};
  return k;
}

const char* kDefaultEffectiveDeliveryPolicy =
    R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,)"
    R"("numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,)"
    R"("backoffFunction":"linear"},"disableSubscriptionOverrides":false,)"
    R"("defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})";

std::string DefaultPolicy(const std::string& arn, const std::string& account) {
  nlohmann::ordered_json p = {
      {"Version", "2008-10-17"},
      {"Id", "__default_policy_ID"},
      {"Statement",
       {{{"Sid", "__default_statement_ID"},
         {"Effect", "Allow"},
         {"Principal", {{"AWS", "*"}}},
         {"Action",
          {"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
           "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
           "SNS:ListSubscriptionsByTopic", "SNS:Publish"}},
         {"Resource", arn},
         {"Condition", {{"StringEquals", {{"AWS:SourceOwner", account}}}}}}}}};
  return p.dump();
}

bool IsBool(const std::string& v) { return v == "true" || v == "false"; }

// Validates one topic attribute (for CreateTopic when `creating`, else SetTopicAttributes).
Status ValidateTopicAttribute(const std::string& name, std::string* value, bool fifo,
                              bool creating) {
  if (name == "FifoTopic") {
    if (!creating) return errors::InvalidParameter("Invalid parameter: AttributeName");
    *value = str::ToLower(*value);
    if (!IsBool(*value)) return errors::InvalidParameter("Invalid parameter: FifoTopic");
    return OkStatus();
  }
  if (!SettableTopicAttributes().count(name))
    return errors::InvalidParameter("Invalid parameter: AttributeName");
  if (name == "ContentBasedDeduplication") {
    *value = str::ToLower(*value);
    if (!IsBool(*value))
      return errors::InvalidParameter("Invalid parameter: ContentBasedDeduplication");
    if (!fifo && *value == "true")
      return errors::InvalidParameter(
          "Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can "
          "only be set for FIFO topics");
  } else if (name == "SignatureVersion") {
    if (*value != "1" && *value != "2")
      return errors::InvalidParameter("Invalid parameter: SignatureVersion");
  } else if (name == "Policy" || name == "DeliveryPolicy" || name == "DataProtectionPolicy" ||
             name == "ArchivePolicy") {
    if (value->empty()) return OkStatus();
    auto j = nlohmann::json::parse(*value, nullptr, false);
    if (!j.is_object()) return errors::InvalidParameter("Invalid parameter: " + name);
  } else if (name == "DisplayName") {
    if (value->size() > 100) return errors::InvalidParameter("Invalid parameter: DisplayName");
  } else if (name == "TracingConfig") {
    if (*value != "PassThrough" && *value != "Active")
      return errors::InvalidParameter("Invalid parameter: TracingConfig");
  }
  return OkStatus();
}

Status ValidateTag(const std::string& key, const std::string& value) {
  if (key.empty() || key.size() > 128)
    return errors::InvalidParameter("Invalid parameter: Tags Reason: Tag key must be between 1 and 128 characters");
  if (value.size() > 256)
    return errors::InvalidParameter("Invalid parameter: Tags Reason: Tag value must be at most 256 characters");
  return OkStatus();
}

}  // namespace

bool Topic::IsFifo() const {
  auto it = attributes.find("FifoTopic");
  return it != attributes.end() && it->second == "true";
}
bool Topic::ContentBasedDedup() const {
  auto it = attributes.find("ContentBasedDeduplication");
  return it != attributes.end() && it->second == "true";
}
bool Subscription::Raw() const {
  auto it = attributes.find("RawMessageDelivery");
  return it != attributes.end() && str::IEquals(it->second, "true");
}

std::optional<Arn> ParseArn(const std::string& arn) {
  auto parts = str::Split(arn, ':');
  if (parts.size() < 6 || parts[0] != "arn" || parts[2].empty()) return std::nullopt;
  Arn a{parts[2], parts[3], parts[4], parts[5]};
  for (size_t i = 6; i < parts.size(); ++i) a.resource += ":" + parts[i];
  return a;
}

std::string TopicArn(const RequestContext& ctx, const std::string& name) {
  return "arn:aws:sns:" + ctx.region + ":" + ctx.account + ":" + name;
}

SnsBackend::SnsBackend(storage::Database& db, storage::Outbox* outbox)
    : db_(db), outbox_(outbox), store_(db) {
  db_.Migrate("sns", SnsStore::Migrations());
}

namespace {
// A syntactically valid topic ARN, else InvalidParameter.
Status CheckTopicArn(const std::string& arn, const char* param = "TopicArn") {
  auto a = ParseArn(arn);
  if (!a || a->service != "sns" || a->resource.empty() ||
      a->resource.find(':') != std::string::npos)
    return errors::InvalidParameter(std::string("Invalid parameter: ") + param);
  return OkStatus();
}
}  // namespace

Result<std::string> SnsBackend::CreateTopic(const RequestContext& ctx,
                                            const CreateTopicRequest& req) {
  static const std::regex kName("^[A-Za-z0-9_-]{1,256}$");
  static const std::regex kFifoName("^[A-Za-z0-9_-]{1,251}\\.fifo$");
  std::map<std::string, std::string> attrs = req.attributes;
  bool fifo = attrs.count("FifoTopic") && str::IEquals(attrs["FifoTopic"], "true");
  if (fifo) {
    if (!std::regex_match(req.name, kFifoName))
      return errors::InvalidParameter(
          "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only "
          "uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be "
          "between 1 and 256 characters long.");
  } else if (!std::regex_match(req.name, kName)) {
    return errors::InvalidParameter(
        "Invalid parameter: Topic Name");
  }
  for (auto& kv : attrs) EDA_TRY(ValidateTopicAttribute(kv.first, &kv.second, fifo, true));
  if (attrs.count("FifoTopic") && attrs["FifoTopic"] == "false") attrs.erase("FifoTopic");
  if (req.tags.size() > 50) return errors::TagLimitExceeded();
  for (const auto& t : req.tags) EDA_TRY(ValidateTag(t.first, t.second));

  std::string arn = TopicArn(ctx, req.name);
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  if (auto existing = store_.GetTopic(arn)) {
    for (const auto& kv : attrs) {
      auto it = existing->attributes.find(kv.first);
      std::string have = it == existing->attributes.end() ? "" : it->second;
      if (have != kv.second && !(kv.first == "ContentBasedDeduplication" && have.empty() &&
                                 kv.second == "false"))
        return errors::InvalidParameter(
            "Invalid parameter: Attributes Reason: Topic already exists with different "
            "attributes");
    }
    if (!req.tags.empty()) {
      Tags have = store_.GetTags(arn);
      std::map<std::string, std::string> want(req.tags.begin(), req.tags.end());
      if (std::map<std::string, std::string>(have.begin(), have.end()) != want)
        return errors::InvalidParameter(
            "Invalid parameter: Tags Reason: Topic already exists with different tags");
    }
    return arn;
  }
  Topic t;
  t.account = ctx.account;
  t.region = ctx.region;
  t.name = req.name;
  t.arn = arn;
  t.attributes = attrs;
  store_.InsertTopic(t, ctx.now_ms);
  for (const auto& tag : req.tags) store_.PutTag(arn, tag.first, tag.second);
  tx.Commit();
  return arn;
}

Status SnsBackend::DeleteTopic(const RequestContext& ctx, const std::string& topic_arn) {
  EDA_TRY(CheckTopicArn(topic_arn));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  // Deleting a topic that does not exist is not an error (AWS: the action is idempotent).
  if (store_.GetTopic(topic_arn)) store_.DeleteTopic(topic_arn);
  tx.Commit();
  Invalidate(topic_arn);
  return OkStatus();
}

Result<Page> SnsBackend::ListTopics(const RequestContext& ctx, const std::string& next_token) {
  int64_t after = 0;
  if (!next_token.empty()) {
    try {
      after = std::stoll(next_token);
    } catch (...) {
      return errors::InvalidParameter("Invalid parameter: NextToken");
    }
  }
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto rows = store_.ListTopics(ctx.account, ctx.region, after, 101);
  tx.Commit();
  Page page;
  for (size_t i = 0; i < rows.size() && i < 100; ++i) page.items.push_back(rows[i].second);
  if (rows.size() > 100) page.next_token = std::to_string(rows[99].first);
  return page;
}

Result<std::map<std::string, std::string>> SnsBackend::GetTopicAttributes(
    const RequestContext& ctx, const std::string& topic_arn) {
  EDA_TRY(CheckTopicArn(topic_arn));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto topic = store_.GetTopic(topic_arn);
  if (!topic) return errors::TopicNotFound();
  auto counts = store_.CountSubscriptions(topic_arn);
  tx.Commit();
  std::map<std::string, std::string> out = topic->attributes;
  out["TopicArn"] = topic->arn;
  out["Owner"] = topic->account;
  if (!out.count("Policy") || out["Policy"].empty())
    out["Policy"] = DefaultPolicy(topic->arn, topic->account);
  if (!out.count("DisplayName")) out["DisplayName"] = "";
  out["SubscriptionsConfirmed"] = std::to_string(counts.first);
  out["SubscriptionsPending"] = std::to_string(counts.second);
  out["SubscriptionsDeleted"] = std::to_string(topic->subscriptions_deleted);
  auto dp = topic->attributes.find("DeliveryPolicy");
  out["EffectiveDeliveryPolicy"] = dp != topic->attributes.end() && !dp->second.empty()
                                       ? dp->second
                                       : kDefaultEffectiveDeliveryPolicy;
  if (topic->IsFifo() && !out.count("ContentBasedDeduplication"))
    out["ContentBasedDeduplication"] = "false";
  return out;
}

Status SnsBackend::SetTopicAttributes(const RequestContext& ctx, const std::string& topic_arn,
                                      const std::string& name, const std::string& value) {
  EDA_TRY(CheckTopicArn(topic_arn));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto topic = store_.GetTopic(topic_arn);
  if (!topic) return errors::TopicNotFound();
  std::string v = value;
  EDA_TRY(ValidateTopicAttribute(name, &v, topic->IsFifo(), false));
  if (v.empty() && name != "DisplayName") topic->attributes.erase(name);
  else topic->attributes[name] = v;
  store_.SetTopicAttributes(topic_arn, topic->attributes);
  tx.Commit();
  Invalidate(topic_arn);
  return OkStatus();
}

Status SnsBackend::TagResource(const RequestContext& ctx, const std::string& arn,
                               const Tags& tags) {
  for (const auto& t : tags) EDA_TRY(ValidateTag(t.first, t.second));
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  if (!store_.GetTopic(arn)) return errors::ResourceNotFound("Resource does not exist");
  Tags have = store_.GetTags(arn);
  std::map<std::string, std::string> merged(have.begin(), have.end());
  for (const auto& t : tags) merged[t.first] = t.second;
  if (merged.size() > 50) return errors::TagLimitExceeded();
  for (const auto& t : tags) store_.PutTag(arn, t.first, t.second);
  tx.Commit();
  return OkStatus();
}

Status SnsBackend::UntagResource(const RequestContext& ctx, const std::string& arn,
                                 const std::vector<std::string>& keys) {
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  if (!store_.GetTopic(arn)) return errors::ResourceNotFound("Resource does not exist");
  for (const auto& k : keys) store_.DeleteTag(arn, k);
  tx.Commit();
  return OkStatus();
}

Result<Tags> SnsBackend::ListTagsForResource(const RequestContext& ctx, const std::string& arn) {
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  if (!store_.GetTopic(arn)) return errors::ResourceNotFound("Resource does not exist");
  Tags tags = store_.GetTags(arn);
  tx.Commit();
  return tags;
}

std::shared_ptr<const SubscriberList> SnsBackend::Subscribers(const std::string& topic_arn) {
  {
    std::lock_guard<std::mutex> g(cache_mu_);
    auto it = cache_.find(topic_arn);
    if (it != cache_.end()) return it->second;
  }
  auto list = std::make_shared<SubscriberList>();
  int64_t after = 0;
  for (;;) {
    auto rows = store_.ListSubscriptions("", "", topic_arn, after, 1000);
    for (auto& row : rows) {
      after = row.first;
      if (!row.second.confirmed) continue;
      auto s = std::make_shared<Subscriber>();
      s->sub = std::move(row.second);
      auto fp = s->sub.attributes.find("FilterPolicy");
      if (fp != s->sub.attributes.end() && !fp->second.empty()) {
        auto scope = s->sub.attributes.find("FilterPolicyScope");
        auto compiled = FilterPolicy::Compile(
            fp->second, scope == s->sub.attributes.end() ? "MessageAttributes" : scope->second);
        if (compiled.ok()) s->filter = compiled.value();
      }
      list->push_back(std::move(s));
    }
    if (rows.size() < 1000) break;
  }
  std::shared_ptr<const SubscriberList> out = list;
  std::lock_guard<std::mutex> g(cache_mu_);
  cache_[topic_arn] = out;
  return out;
}

std::shared_ptr<const SubscriberList> SnsBackend::SubscribersOf(const std::string& topic_arn) {
  auto lock = db_.Lock();
  return Subscribers(topic_arn);
}

void SnsBackend::Invalidate(const std::string& topic_arn) {
  std::lock_guard<std::mutex> g(cache_mu_);
  cache_.erase(topic_arn);
}

void SnsBackend::ClearCache() {
  std::lock_guard<std::mutex> g(cache_mu_);
  cache_.clear();
}

}  // namespace edastack::sns

// Queue-level SQS actions.
#include <nlohmann/json.hpp>

#include "emulator/sqs/sqs_backend.h"
#include "emulator/sqs/sqs_errors.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"

namespace edastack::sqs {
namespace {

std::string CacheKey(const std::string& account, const std::string& region,
                     const std::string& name) {
  std::string k;
  k.reserve(account.size() + region.size() + name.size() + 2);
  k += account;
  k += '\n';
  k += region;
  k += '\n';
  k += name;
  return k;
}

Status ValidateTags(const StringMap& tags) {
  if (tags.size() > 50)
    return err::InvalidParameterValue("Too many tags added for queue. The maximum is 50.");
  for (const auto& kv : tags) {
    if (kv.first.empty() || kv.first.size() > 128)
      return err::InvalidParameterValue("Tag keys must be between 1 and 128 characters in length.");
    if (kv.second.size() > 256)
      return err::InvalidParameterValue("Tag values must be between 0 and 256 characters in length.");
  }
  return OkStatus();
}

}  // namespace

SqsBackend::SqsBackend(storage::Database& db, const Clock& clock)
    : db_(db), clock_(clock), store_(db) {
  db_.Migrate("sqs", SqsMigrations());
}

std::string SqsBackend::QueueUrl(const RequestContext& ctx, const Queue& q) const {
  return ctx.Origin() + "/" + q.account + "/" + q.name;
}

Result<const Queue*> SqsBackend::ResolveName(const RequestContext& ctx, const std::string& name) {
  std::string key = CacheKey(ctx.account, ctx.region, name);
  auto it = cache_.find(key);
  if (it != cache_.end()) return static_cast<const Queue*>(it->second.get());
  auto q = store_.FindQueue(ctx.account, ctx.region, name);
  if (!q) return err::QueueDoesNotExist();
  auto& slot = cache_[key];
  slot = std::make_unique<Queue>(std::move(*q));
  return static_cast<const Queue*>(slot.get());
}

Result<const Queue*> SqsBackend::ResolveUrl(const RequestContext& ctx, const std::string& url) {
  if (url.empty()) return err::MissingParameter("QueueUrl");
  // The last two path segments: <account>/<name>; the host is ignored.
  std::string path = url;
  size_t q = path.find_first_of("?#");
  if (q != std::string::npos) path.resize(q);
  while (!path.empty() && path.back() == '/') path.pop_back();
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash + 1 >= path.size()) return err::QueueDoesNotExist();
  std::string name = str::UriDecode(path.substr(slash + 1));
  if (slash == 0 || path.rfind('/', slash - 1) == std::string::npos)
    return err::QueueDoesNotExist();
  return ResolveName(ctx, name);
}

const Queue* SqsBackend::ResolveArn(const std::string& arn) {
  std::string region, account, name;
  if (!ParseQueueArn(arn, &region, &account, &name)) return nullptr;
  RequestContext c;
  c.account = account;
  c.region = region;
  auto r = ResolveName(c, name);
  return r.ok() ? r.value() : nullptr;
}

void SqsBackend::Invalidate(const Queue& q) { cache_.erase(CacheKey(q.account, q.region, q.name)); }

void SqsBackend::OnReset() {
  {
    auto lock = db_.Lock();
    cache_.clear();
    attempts_.clear();
  }
  std::lock_guard<std::mutex> g(signal_mu_);
  for (auto& kv : signals_) {
    ++kv.second.generation;
    kv.second.cv.notify_all();
  }
}

void SqsBackend::Shutdown() {
  std::lock_guard<std::mutex> g(signal_mu_);
  stopping_ = true;
  for (auto& kv : signals_) {
    ++kv.second.generation;
    kv.second.cv.notify_all();
  }
}

Result<QueueUrlResult> SqsBackend::CreateQueue(const RequestContext& ctx,
                                               const CreateQueueRequest& req) {
  if (req.queue_name.empty()) return err::MissingParameter("QueueName");
  auto fifo_attr = req.attributes.find("FifoQueue");
  bool fifo = fifo_attr != req.attributes.end() && str::IEquals(fifo_attr->second, "true");
  if (!IsValidQueueName(req.queue_name, fifo)) {
    if (!fifo && str::EndsWith(req.queue_name, ".fifo"))
      return err::InvalidParameterValue(
          "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
          "underscores, must end with .fifo suffix and be 1 to 80 in length. Set the "
          "FifoQueue attribute to true to create a FIFO queue.");
    return err::InvalidParameterValue(
        fifo ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
               "underscores, must end with .fifo suffix and be 1 to 80 in length."
             : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in "
               "length");
  }
  EDA_TRY(ValidateTags(req.tags));
  auto lock = db_.Lock();
  std::string source_arn =
      "arn:aws:sqs:" + ctx.region + ":" + ctx.account + ":" + req.queue_name;
  auto lookup = [this, &source_arn](const std::string& arn) {
    return DescribeDlq(ResolveArn(arn), source_arn);
  };
  StringMap attrs;
  EDA_TRY(MergeAttributes(req.attributes, fifo, true, lookup, &attrs));
  auto existing = ResolveName(ctx, req.queue_name);
  if (existing.ok()) {
    const Queue& q = *existing.value();
    for (const auto& kv : attrs)
      if (EffectiveAttribute(q, kv.first) != kv.second) return err::QueueNameExists(req.queue_name);
    return QueueUrlResult{QueueUrl(ctx, q)};
  }
  Queue q;
  q.account = ctx.account;
  q.region = ctx.region;
  q.name = req.queue_name;
  q.attrs = std::move(attrs);
  q.tags = req.tags;
  q.created_s = q.modified_s = ctx.now_ms / 1000;
  storage::Transaction tx(db_);
  store_.InsertQueue(q);
  tx.Commit();
  return QueueUrlResult{ctx.Origin() + "/" + q.account + "/" + q.name};
}

Result<QueueUrlResult> SqsBackend::GetQueueUrl(const RequestContext& ctx,
                                               const GetQueueUrlRequest& req) {
  if (req.queue_name.empty()) return err::MissingParameter("QueueName");
  auto lock = db_.Lock();
  RequestContext c = ctx;
  if (!req.owner_account.empty() && req.owner_account != ctx.account)
    return err::QueueDoesNotExist();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveName(c, req.queue_name));
  return QueueUrlResult{QueueUrl(ctx, *q)};
}

Result<ListQueuesResult> SqsBackend::ListQueues(const RequestContext& ctx,
                                                const ListQueuesRequest& req) {
  if (req.max_results && (*req.max_results < 1 || *req.max_results > 1000))
    return err::InvalidParameterValue("Value for parameter MaxResults is invalid. Reason: "
                                      "MaxResults must be an integer between 1 and 1000.");
  std::string after;
  if (!req.next_token.empty()) {
    auto raw = crypto::Base64Decode(req.next_token);
    if (!raw || !str::StartsWith(*raw, "q:"))
      return err::InvalidParameterValue("Invalid NextToken value.");
    after = raw->substr(2);
  }
  int64_t limit = req.max_results.value_or(1000);
  auto lock = db_.Lock();
  auto names = store_.ListQueueNames(ctx.account, ctx.region, req.prefix, after, limit + 1);
  ListQueuesResult out;
  bool more = static_cast<int64_t>(names.size()) > limit;
  if (more) names.resize(limit);
  for (const auto& n : names) out.queue_urls.push_back(ctx.Origin() + "/" + ctx.account + "/" + n);
  if (more && req.max_results) out.next_token = crypto::Base64Encode("q:" + names.back());
  return out;
}

Result<Empty> SqsBackend::DeleteQueue(const RequestContext& ctx, const QueueRequest& req) {
  int64_t id;
  {
    auto lock = db_.Lock();
    EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
    id = q->id;
    storage::Transaction tx(db_);
    store_.DeleteQueue(id);
    tx.Commit();
    Invalidate(*q);
  }
  Notify(id);
  return Empty{};
}

Result<AttributesResult> SqsBackend::GetQueueAttributes(const RequestContext& ctx,
                                                        const GetQueueAttributesRequest& req) {
  for (const auto& n : req.attribute_names)
    if (!IsKnownAttributeName(n)) return err::InvalidAttributeName(n);
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  bool all = false;
  for (const auto& n : req.attribute_names) all = all || n == "All";
  auto wanted = [&](const char* n) {
    if (all) return true;
    for (const auto& x : req.attribute_names)
      if (x == n) return true;
    return false;
  };
  AttributesResult out;
  if (wanted("ApproximateNumberOfMessages") || wanted("ApproximateNumberOfMessagesNotVisible") ||
      wanted("ApproximateNumberOfMessagesDelayed")) {
    storage::Transaction tx(db_);
    // Retention is applied when read: expired messages leave before counting.
    store_.DeleteSentBefore(q->id, ctx.now_ms - q->retention_seconds * 1000);
    QueueCounts c = store_.Counts(q->id, ctx.now_ms);
    tx.Commit();
    if (wanted("ApproximateNumberOfMessages"))
      out.attributes["ApproximateNumberOfMessages"] = std::to_string(c.visible);
    if (wanted("ApproximateNumberOfMessagesNotVisible"))
      out.attributes["ApproximateNumberOfMessagesNotVisible"] = std::to_string(c.not_visible);
    if (wanted("ApproximateNumberOfMessagesDelayed"))
      out.attributes["ApproximateNumberOfMessagesDelayed"] = std::to_string(c.delayed);
  }
  if (wanted("CreatedTimestamp")) out.attributes["CreatedTimestamp"] = std::to_string(q->created_s);
  if (wanted("LastModifiedTimestamp"))
    out.attributes["LastModifiedTimestamp"] = std::to_string(q->modified_s);
  if (wanted("QueueArn")) out.attributes["QueueArn"] = q->Arn();
  for (const char* n :
       {"DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod",
        "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "SqsManagedSseEnabled", "Policy",
        "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
        "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"}) {
    if (!wanted(n)) continue;
    std::string v = EffectiveAttribute(*q, n);
    if (!v.empty()) out.attributes[n] = v;
  }
  return out;
}

Result<Empty> SqsBackend::SetQueueAttributes(const RequestContext& ctx,
                                             const SetQueueAttributesRequest& req) {
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  std::string source_arn = q->Arn();
  auto lookup = [this, &source_arn](const std::string& arn) {
    return DescribeDlq(ResolveArn(arn), source_arn);
  };
  StringMap attrs = q->attrs;
  EDA_TRY(MergeAttributes(req.attributes, q->fifo, false, lookup, &attrs));
  storage::Transaction tx(db_);
  store_.UpdateQueueAttributes(q->id, attrs, ctx.now_ms / 1000);
  tx.Commit();
  Invalidate(*q);
  return Empty{};
}

Result<Empty> SqsBackend::PurgeQueue(const RequestContext& ctx, const QueueRequest& req) {
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  if (q->purged_ms > 0 && ctx.now_ms - q->purged_ms < 60000)
    return err::PurgeQueueInProgress(q->name);
  storage::Transaction tx(db_);
  store_.DeleteSentBefore(q->id, ctx.now_ms);
  store_.SetPurged(q->id, ctx.now_ms);
  tx.Commit();
  Invalidate(*q);
  return Empty{};
}

Result<Empty> SqsBackend::TagQueue(const RequestContext& ctx, const TagQueueRequest& req) {
  if (req.tags.empty()) return err::MissingParameter("Tags");
  EDA_TRY(ValidateTags(req.tags));
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  StringMap tags = q->tags;
  for (const auto& kv : req.tags) tags[kv.first] = kv.second;
  EDA_TRY(ValidateTags(tags));
  storage::Transaction tx(db_);
  store_.UpdateQueueTags(q->id, tags);
  tx.Commit();
  Invalidate(*q);
  return Empty{};
}

Result<Empty> SqsBackend::UntagQueue(const RequestContext& ctx, const UntagQueueRequest& req) {
  if (req.tag_keys.empty()) return err::MissingParameter("TagKeys");
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  StringMap tags = q->tags;
  for (const auto& k : req.tag_keys) tags.erase(k);
  storage::Transaction tx(db_);
  store_.UpdateQueueTags(q->id, tags);
  tx.Commit();
  Invalidate(*q);
  return Empty{};
}

Result<TagsResult> SqsBackend::ListQueueTags(const RequestContext& ctx, const QueueRequest& req) {
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* q, ResolveUrl(ctx, req.queue_url));
  return TagsResult{q->tags};
}

Result<ListQueuesResult> SqsBackend::ListDeadLetterSourceQueues(
    const RequestContext& ctx, const ListDeadLetterSourceQueuesRequest& req) {
  if (req.max_results && (*req.max_results < 1 || *req.max_results > 1000))
    return err::InvalidParameterValue("Value for parameter MaxResults is invalid. Reason: "
                                      "MaxResults must be an integer between 1 and 1000.");
  std::string after;
  if (!req.next_token.empty()) {
    auto raw = crypto::Base64Decode(req.next_token);
    if (!raw || !str::StartsWith(*raw, "d:"))
      return err::InvalidParameterValue("Invalid NextToken value.");
    after = raw->substr(2);
  }
  auto lock = db_.Lock();
  EDA_ASSIGN_OR_RETURN(const Queue* dlq, ResolveUrl(ctx, req.queue_url));
  std::string arn = dlq->Arn();
  int64_t limit = req.max_results.value_or(1000);
  ListQueuesResult out;
  for (const Queue& q : store_.ListQueues(ctx.account, ctx.region)) {
    if (q.dlq_arn != arn || q.name <= after) continue;
    if (static_cast<int64_t>(out.queue_urls.size()) == limit) {
      if (req.max_results) {
        const std::string& last = out.queue_urls.back();
        out.next_token = crypto::Base64Encode("d:" + last.substr(last.rfind('/') + 1));
      }
      break;
    }
    out.queue_urls.push_back(QueueUrl(ctx, q));
  }
  return out;
}

}  // namespace edastack::sqs

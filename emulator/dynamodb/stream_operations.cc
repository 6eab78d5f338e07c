// DynamoDB Streams (ListStreams, DescribeStream, GetShardIterator, GetRecords), the TTL
// sweep, and the dispatcher that runs each operation in one transaction.
#include <cstdio>
#include <map>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/operations.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"

namespace edastack::dynamodb {
namespace {

constexpr int64_t kRetentionMs = 24LL * 3600 * 1000;
constexpr int64_t kIteratorLifetimeMs = 15LL * 60 * 1000;

std::string SeqText(int64_t seq) {
  char buf[32];
  snprintf(buf, sizeof buf, "%021lld", static_cast<long long>(seq));
  return buf;
}

std::string ShardId(const std::string& arn) {
  char buf[64];
  snprintf(buf, sizeof buf, "shardId-00000001000000000000-%08x", crypto::Crc32(arn));
  return buf;
}

// arn:aws:dynamodb:<region>:<acct>:table/<name>/stream/<label> → name.
std::string TableOfStream(const std::string& arn) {
  size_t t = arn.find(":table/");
  size_t s = arn.find("/stream/");
  if (t == std::string::npos || s == std::string::npos || s < t) return "";
  return arn.substr(t + 7, s - t - 7);
}

}  // namespace

Result<Json> DynamoDb::ListStreams(Json& r, const RequestContext& ctx) {
  std::vector<std::string> names;
  if (r.contains("TableName") && r["TableName"].is_string()) {
    names.push_back(r["TableName"]);
  } else {
    names = store_.ListTables(ctx.account, ctx.region, "", 1000000);
  }
  int limit = r.value("Limit", 100);
  std::string start = Str(r, "ExclusiveStartStreamArn");
  Json streams = Json::array();
  bool started = start.empty();
  std::string last;
  for (const auto& n : names) {
    auto t = LoadTableByName(ctx, n);
    if (!t.ok()) {
      if (r.contains("TableName")) return t.take_error();
      continue;
    }
    if (t->stream_arn.empty()) continue;
    if (!started) {
      started = t->stream_arn == start;
      continue;
    }
    if (static_cast<int>(streams.size()) >= limit) {
      return Json{{"Streams", streams}, {"LastEvaluatedStreamArn", last}};
    }
    streams.push_back({{"StreamArn", t->stream_arn},
                       {"TableName", t->name},
                       {"StreamLabel", t->spec.value("LatestStreamLabel", "")}});
    last = t->stream_arn;
  }
  return Json{{"Streams", streams}};
}

Result<Json> DynamoDb::DescribeStream(Json& r, const RequestContext& ctx) {
  std::string arn = Str(r, "StreamArn");
  auto t = LoadTableByName(ctx, TableOfStream(arn));
  if (arn.empty() || !t.ok() || t->stream_arn != arn)
    return errors::ResourceNotFound("Requested resource not found: Stream: " + arn + " not found");
  int64_t first = store_.FirstStreamSeq(arn);
  Json range = {{"StartingSequenceNumber", SeqText(first ? first : 1)}};
  if (!t->stream_enabled) range["EndingSequenceNumber"] = SeqText(store_.LastStreamSeq(arn));
  Json desc = {
      {"StreamArn", arn},
      {"StreamLabel", t->spec.value("LatestStreamLabel", "")},
      {"StreamStatus", t->stream_enabled ? "ENABLED" : "DISABLED"},
      {"StreamViewType", t->stream_view.empty() ? "NEW_AND_OLD_IMAGES" : t->stream_view},
      {"CreationRequestDateTime", t->spec.value("CreationDateTime", 0.0)},
      {"TableName", t->name},
      {"KeySchema", t->spec["KeySchema"]},
      {"Shards", Json::array({{{"ShardId", ShardId(arn)}, {"SequenceNumberRange", range}}})}};
  if (t->spec.contains("StreamSpecification") &&
      t->spec["StreamSpecification"].contains("StreamViewType"))
    desc["StreamViewType"] = t->spec["StreamSpecification"]["StreamViewType"];
  return Json{{"StreamDescription", desc}};
}

Result<Json> DynamoDb::GetShardIterator(Json& r, const RequestContext& ctx) {
  std::string arn = Str(r, "StreamArn");
  auto t = LoadTableByName(ctx, TableOfStream(arn));
  if (arn.empty() || !t.ok() || t->stream_arn != arn)
    return errors::ResourceNotFound("Requested resource not found: Stream: " + arn + " not found");
  if (Str(r, "ShardId") != ShardId(arn))
    return errors::ResourceNotFound("Requested resource not found: Shard does not exist");
  std::string type = Str(r, "ShardIteratorType");
  int64_t after = 0;
  if (type == "TRIM_HORIZON") {
    int64_t first = store_.FirstStreamSeq(arn);
    after = first ? first - 1 : store_.LastStreamSeq(arn);
  } else if (type == "LATEST") {
    after = store_.LastStreamSeq(arn);
  } else if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
    std::string seq = Str(r, "SequenceNumber");
    size_t nz = seq.find_first_not_of('0');
    std::string digits = nz == std::string::npos ? "0" : seq.substr(nz);
    if (seq.empty() || seq.find_first_not_of("0123456789") != std::string::npos ||
        digits.size() > 18)
      return errors::Validation("Invalid SequenceNumber: " + seq);
    int64_t n = std::stoll(digits);
    after = type == "AT_SEQUENCE_NUMBER" ? n - 1 : n;
  } else {
    return errors::Validation("1 validation error detected: Value '" + type +
                              "' at 'shardIteratorType' failed to satisfy constraint: Member "
                              "must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, "
                              "AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
  }
  Json it = {{"a", arn}, {"p", after}, {"t", ctx.now_ms}};
  return Json{{"ShardIterator", crypto::Base64Encode(it.dump())}};
}

Result<Json> DynamoDb::GetRecords(Json& r, const RequestContext& ctx) {
  auto raw = crypto::Base64Decode(Str(r, "ShardIterator"));
  Json it = raw ? Json::parse(*raw, nullptr, false) : Json();
  if (!it.is_object() || !it.contains("a") || !it.contains("p"))
    return errors::Validation("Invalid ShardIterator");
  if (ctx.now_ms - it.value("t", int64_t{0}) > kIteratorLifetimeMs)
    return errors::ExpiredIterator("Iterator expired. The iterator was created at time " +
                                   std::to_string(it.value("t", int64_t{0})));
  int limit = r.value("Limit", 1000);
  if (limit < 1 || limit > 1000)
    return errors::Validation("1 validation error detected: Value '" + std::to_string(limit) +
                              "' at 'limit' failed to satisfy constraint: Member must have value "
                              "less than or equal to 1000");
  std::string arn = it["a"];
  int64_t after = it["p"];
  Json records = Json::array();
  for (const auto& row : store_.ReadStream(arn, after, limit)) {
    after = row.seq;
    if (row.created_ms < ctx.now_ms - kRetentionMs) continue;
    Json rec = Json::parse(row.record);
    rec["dynamodb"]["SequenceNumber"] = SeqText(row.seq);
    records.push_back(rec);
  }
  Json next = {{"a", arn}, {"p", after}, {"t", ctx.now_ms}};
  return Json{{"Records", records}, {"NextShardIterator", crypto::Base64Encode(next.dump())}};
}

int DynamoDb::SweepExpired(int64_t now_ms, int limit) {
  auto lock = db_.Lock();
  storage::Transaction tx(db_);
  auto expired = store_.Expired(now_ms / 1000, limit);
  std::map<int64_t, std::optional<TableMeta>> tables;
  int n = 0;
  for (const auto& e : expired) {
    auto& t = tables[e.first];
    if (!t) {
      auto spec = store_.LoadTableSpec(e.first);
      if (!spec) continue;
      t = TableMeta::FromSpec(e.first, Json::parse(*spec));
    }
    RequestContext ctx;
    ctx.now_ms = now_ms;
    std::string arn = t->spec.value("TableArn", "");
    auto parts = str::Split(arn, ':');
    ctx.region = parts.size() > 3 ? parts[3] : "us-east-1";
    Json old = Json::parse(e.second.item);
    // A delete never grows an item collection, so it cannot fail.
    if (WriteItem(*t, KeyBytesPair{e.second.pk, e.second.sk}, old, std::nullopt, ctx, true).ok())
      ++n;
  }
  store_.TrimStreams(now_ms - kRetentionMs);
  tx.Commit();
  return n;
}

Result<Json> DynamoDb::Call(const std::string& op, Json req, const RequestContext& ctx,
                            bool streams_api) {
  using Fn = Result<Json> (DynamoDb::*)(Json&, const RequestContext&);
  // Each action with the transaction it needs: the reads (Get/Query/Scan, batch and
  // transactional gets, Describe*/List*, the Streams API) never write.
  struct Op {
    Fn fn;
    storage::TxMode mode;
  };
  constexpr storage::TxMode kRead = storage::TxMode::kRead;
  constexpr storage::TxMode kWrite = storage::TxMode::kWrite;
  static const std::map<std::string, Op> kOps = {
      {"CreateTable", {&DynamoDb::CreateTable, kWrite}},
      {"DescribeTable", {&DynamoDb::DescribeTable, kRead}},
      {"ListTables", {&DynamoDb::ListTables, kRead}},
      {"DeleteTable", {&DynamoDb::DeleteTable, kWrite}},
      {"UpdateTable", {&DynamoDb::UpdateTable, kWrite}},
      {"UpdateTimeToLive", {&DynamoDb::UpdateTimeToLive, kWrite}},
      {"DescribeTimeToLive", {&DynamoDb::DescribeTimeToLive, kRead}},
      {"DescribeContinuousBackups", {&DynamoDb::DescribeContinuousBackups, kRead}},
      {"UpdateContinuousBackups", {&DynamoDb::UpdateContinuousBackups, kWrite}},
      {"TagResource", {&DynamoDb::TagResource, kWrite}},
      {"UntagResource", {&DynamoDb::UntagResource, kWrite}},
      {"ListTagsOfResource", {&DynamoDb::ListTagsOfResource, kRead}},
      {"DescribeLimits", {&DynamoDb::DescribeLimits, kRead}},
      {"DescribeEndpoints", {&DynamoDb::DescribeEndpoints, kRead}},
      {"PutItem", {&DynamoDb::PutItem, kWrite}},
      {"GetItem", {&DynamoDb::GetItem, kRead}},
      {"UpdateItem", {&DynamoDb::UpdateItem, kWrite}},
      {"DeleteItem", {&DynamoDb::DeleteItem, kWrite}},
      {"Query", {&DynamoDb::Query, kRead}},
      {"Scan", {&DynamoDb::Scan, kRead}},
      {"BatchGetItem", {&DynamoDb::BatchGetItem, kRead}},
      {"BatchWriteItem", {&DynamoDb::BatchWriteItem, kWrite}},
      {"TransactWriteItems", {&DynamoDb::TransactWriteItems, kWrite}},
      {"TransactGetItems", {&DynamoDb::TransactGetItems, kRead}},
  };
  static const std::map<std::string, Op> kStreamOps = {
      {"ListStreams", {&DynamoDb::ListStreams, kRead}},
      {"DescribeStream", {&DynamoDb::DescribeStream, kRead}},
      {"GetShardIterator", {&DynamoDb::GetShardIterator, kRead}},
      {"GetRecords", {&DynamoDb::GetRecords, kRead}},
  };
  const auto& table = streams_api ? kStreamOps : kOps;
  auto it = table.find(op);
  if (it == table.end()) return errors::UnknownOperation(op);
  if (!req.is_object())
    return errors::Serialization("Start of structure or map found where not expected");
  auto lock = db_.Lock();
  // On every exit, with the lock still held: forget table descriptions this call changed.
  struct CacheSync {
    DynamoDb* self;
    ~CacheSync() { self->SyncTableCache(); }
  } sync{this};
  storage::Transaction tx(db_, it->second.mode);
  Result<Json> res = errors::Serialization("");
  try {
    res = (this->*(it->second.fn))(req, ctx);
  } catch (const Json::exception& e) {
    // A member of the wrong JSON type somewhere in the request: the client's mistake.
    return errors::Serialization(std::string("Unexpected value type in the request: ") + e.what());
  }
  if (res.ok()) tx.Commit();
  return res;
}

}  // namespace edastack::dynamodb

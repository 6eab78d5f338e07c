// BatchGetItem, BatchWriteItem, TransactWriteItems, TransactGetItems. All run inside the
// one transaction Call opened, so a cancelled transaction or a rejected batch changes
// nothing.
#include <map>
#include <set>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/expr/evaluator.h"
#include "emulator/dynamodb/operations.h"
#include "emulator/dynamodb/request_expressions.h"
#include "protocol/core/crypto.h"

namespace edastack::dynamodb {
namespace {

// The normalised partition key value of a validated item or key, for ItemCollectionKey.
Json HashValue(const TableMeta& t, const Json& item_or_key) {
  Json v = item_or_key.value(t.hash.name, Json());
  if (!NormalizeValue(v).ok()) return item_or_key.value(t.hash.name, Json());
  return v;
}

constexpr int64_t kTokenWindowMs = 10 * 60 * 1000;
constexpr int64_t kBatchGetBytes = 16 * 1024 * 1024;

AwsError RequestItemsEmpty() {
  return errors::Validation(
      "1 validation error detected: Value null at 'requestItems' failed to "
      "satisfy constraint: Member must have length greater than or equal to 1");
}

}  // namespace

Result<Json> DynamoDb::BatchGetItem(Json& r, const RequestContext& ctx) {
  if (!r.contains("RequestItems") || !r["RequestItems"].is_object() || r["RequestItems"].empty())
    return RequestItemsEmpty();
  size_t total = 0;
  for (auto it = r["RequestItems"].begin(); it != r["RequestItems"].end(); ++it) {
    if (!it.value().is_object() || !it.value().contains("Keys") || !it.value()["Keys"].is_array() ||
        it.value()["Keys"].empty())
      return errors::Validation("1 validation error detected: Value null at 'requestItems." +
                                it.key() +
                                ".member.keys' failed to satisfy constraint: Member must have "
                                "length greater than or equal to 1");
    total += it.value()["Keys"].size();
  }
  if (total > 100) return errors::Validation("Too many items requested for the BatchGetItem call");
  Json responses = Json::object(), unprocessed = Json::object();
  int64_t bytes = 0;
  for (auto it = r["RequestItems"].begin(); it != r["RequestItems"].end(); ++it) {
    EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, Json(it.key())));
    const TableMeta& t = *table;
    const Json& spec = it.value();
    EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(spec));
    expr::ParseContext pc(in.names, in.values);
    EDA_ASSIGN_OR_RETURN(auto proj, OptionalProjection(pc, spec));
    EDA_TRY(pc.CheckAllUsed());
    std::set<std::string> seen;
    Json items = Json::array();
    for (const auto& key : spec["Keys"]) {
      EDA_ASSIGN_OR_RETURN(KeyBytesPair k, KeyOf(t, key));
      if (!seen.insert(k.hash + '\0' + k.range).second)
        return errors::Validation("Provided list of item keys contains duplicates");
      if (bytes >= kBatchGetBytes) {
        Json& u = unprocessed[t.name];
        if (u.is_null()) {
          u = spec;
          u["Keys"] = Json::array();
        }
        u["Keys"].push_back(key);
        continue;
      }
      auto item = ReadItem(t, k, ctx.now_ms);
      if (!item) continue;
      bytes += ItemSize(*item);
      items.push_back(proj ? expr::Project(*item, *proj) : *item);
    }
    responses[t.name] = items;
  }
  Json out = {{"Responses", responses}, {"UnprocessedKeys", unprocessed}};
  Json cc = Json::array();
  for (auto it = responses.begin(); it != responses.end(); ++it) {
    Json c = Consumed(r, it.key(), std::max<double>(1, it.value().size() / 2.0), false);
    if (!c.is_null()) cc.push_back(c);
  }
  if (!cc.empty()) out["ConsumedCapacity"] = cc;
  return out;
}

Result<Json> DynamoDb::BatchWriteItem(Json& r, const RequestContext& ctx) {
  if (!r.contains("RequestItems") || !r["RequestItems"].is_object() || r["RequestItems"].empty())
    return RequestItemsEmpty();
  size_t total = 0;
  for (auto it = r["RequestItems"].begin(); it != r["RequestItems"].end(); ++it) {
    if (!it.value().is_array() || it.value().empty())
      return errors::Validation("1 validation error detected: Value '[]' at 'requestItems." +
                                it.key() +
                                ".member' failed to satisfy constraint: Member must "
                                "have length greater than or equal to 1");
    total += it.value().size();
  }
  if (total > 25)
    return errors::Validation(
        "1 validation error detected: Value at 'requestItems' failed to "
        "satisfy constraint: Map value must satisfy constraint: [Member "
        "must have length less than or equal to 25, Member must have "
        "length greater than or equal to 1]");
  // Validate everything first, then write.
  struct Op {
    std::shared_ptr<const TableMeta> t;
    KeyBytesPair k;
    std::optional<Json> item;  // put when set
    Json key;                  // delete: the request's Key
  };
  std::vector<Op> ops;
  for (auto it = r["RequestItems"].begin(); it != r["RequestItems"].end(); ++it) {
    EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, Json(it.key())));
    const TableMeta& t = *table;
    std::set<std::string> seen;
    for (const auto& w : it.value()) {
      Op op{table, {}, std::nullopt, Json()};
      bool put = w.is_object() && w.contains("PutRequest");
      bool del = w.is_object() && w.contains("DeleteRequest");
      if (put == del)
        return errors::Validation(
            "Supplied AttributeValue has more than one datatypes set, must "
            "contain exactly one of the supported datatypes");
      if (put) {
        Json item = w["PutRequest"].value("Item", Json());
        if (!item.is_object())
          return errors::Validation(
              "1 validation error detected: Value null at 'item' failed to "
              "satisfy constraint: Member must not be null");
        EDA_TRY(NormalizeItem(item));
        EDA_ASSIGN_OR_RETURN(op.k, ItemKey(t, item));
        if (ItemSize(item) > 400 * 1024)
          return errors::Validation("Item size has exceeded the maximum allowed size");
        op.item = std::move(item);
      } else {
        op.key = w["DeleteRequest"].value("Key", Json());
        EDA_ASSIGN_OR_RETURN(op.k, KeyOf(t, op.key));
      }
      if (!seen.insert(op.k.hash + '\0' + op.k.range).second)
        return errors::Validation("Provided list of item keys contains duplicates");
      ops.push_back(std::move(op));
    }
  }
  // A write that would take an item collection past its limit fails the whole call (AWS
  // lists ItemCollectionSizeLimitExceededException among BatchWriteItem's errors, not as an
  // unprocessed item); the call's transaction then undoes the writes before it.
  const bool metrics = WantsCollectionMetrics(r);
  std::vector<CollectionRef> collections;
  for (const auto& op : ops) {
    const TableMeta& t = *op.t;
    // Without a stream nothing needs the previous version: the write replaces or removes
    // the row and its index entries unread.
    const bool stream = t.stream_enabled && !t.stream_arn.empty();
    std::optional<Json> old;
    if (stream) old = ReadItem(t, op.k, ctx.now_ms);
    if (op.item)
      EDA_TRY(WriteItem(t, op.k, old, op.item, ctx));
    else if (old || !stream)
      EDA_TRY(WriteItem(t, op.k, old, std::nullopt, ctx));
    if (metrics && t.has_lsi)
      collections.push_back({op.t, op.k.hash, HashValue(t, op.item ? *op.item : op.key)});
  }
  Json out = {{"UnprocessedItems", Json::object()}};
  std::map<std::string, double> units;
  for (const auto& op : ops) units[op.t->name] += 1;
  Json cc = Json::array();
  for (const auto& kv : units) {
    Json c = Consumed(r, kv.first, kv.second, true);
    if (!c.is_null()) cc.push_back(c);
  }
  if (!cc.empty()) out["ConsumedCapacity"] = cc;
  if (metrics) out["ItemCollectionMetrics"] = CollectionMetricsByTable(collections);
  return out;
}

Result<Json> DynamoDb::TransactWriteItems(Json& r, const RequestContext& ctx) {
  if (!r.contains("TransactItems") || !r["TransactItems"].is_array() || r["TransactItems"].empty())
    return errors::Validation(
        "1 validation error detected: Value null at 'transactItems' failed "
        "to satisfy constraint: Member must have length greater than or "
        "equal to 1");
  const Json& items = r["TransactItems"];
  if (items.size() > 100)
    return errors::Validation(
        "1 validation error detected: Value '[...]' at 'transactItems' "
        "failed to satisfy constraint: Member must have length less than "
        "or equal to 100");
  std::string token = Str(r, "ClientRequestToken");
  std::string hash = crypto::Sha256Hex(items.dump());
  if (!token.empty()) {
    auto prev = store_.FindToken(ctx.account, token, ctx.now_ms - kTokenWindowMs);
    if (prev) {
      if (*prev != hash) return errors::IdempotentParameterMismatch();
      return Json::object();  // already applied
    }
  }
  // Static checks: one action per entry, one entry per item.
  std::set<std::string> keys;
  const bool metrics = WantsCollectionMetrics(r);
  std::vector<CollectionRef> collections;
  for (const auto& e : items) {
    int n = 0;
    std::string kind;
    for (const char* k : {"ConditionCheck", "Put", "Update", "Delete"})
      if (e.is_object() && e.contains(k)) ++n, kind = k;
    if (n != 1)
      return errors::Validation(
          "TransactItems can only contain one of Check, Put, Update or Delete");
    const Json& body = e[kind];
    EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, body.value("TableName", Json())));
    const TableMeta& t = *table;
    KeyBytesPair k;
    Json item_or_key;
    if (kind == "Put") {
      item_or_key = body.value("Item", Json::object());
      EDA_TRY(NormalizeItem(item_or_key));
      EDA_ASSIGN_OR_RETURN(k, ItemKey(t, item_or_key));
    } else {
      item_or_key = body.value("Key", Json());
      EDA_ASSIGN_OR_RETURN(k, KeyOf(t, item_or_key));
    }
    if (metrics && t.has_lsi && kind != "ConditionCheck")
      collections.push_back({table, k.hash, HashValue(t, item_or_key)});
    if (kind == "ConditionCheck" && !body.contains("ConditionExpression"))
      return errors::Validation("The ConditionExpression parameter is required for ConditionCheck");
    if (!keys.insert(std::to_string(t.id) + '\0' + k.hash + '\0' + k.range).second)
      return errors::Validation(
          "Transaction request cannot include multiple operations on one item");
  }
  Json reasons = Json::array();
  std::string summary;
  bool failed = false;
  for (const auto& e : items) {
    Status st = OkStatus();
    if (e.contains("Put")) {
      Json req = e["Put"];
      req.erase("ReturnValues");
      auto res = PutItem(req, ctx);
      if (!res.ok()) st = res.take_error();
    } else if (e.contains("Update")) {
      Json req = e["Update"];
      req.erase("ReturnValues");
      auto res = UpdateItem(req, ctx);
      if (!res.ok()) st = res.take_error();
    } else if (e.contains("Delete")) {
      Json req = e["Delete"];
      req.erase("ReturnValues");
      auto res = DeleteItem(req, ctx);
      if (!res.ok()) st = res.take_error();
    } else {
      const Json& body = e["ConditionCheck"];
      auto check = [&]() -> Status {
        EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, body.value("TableName", Json())));
        const TableMeta& t = *table;
        EDA_ASSIGN_OR_RETURN(KeyBytesPair k, KeyOf(t, body.value("Key", Json())));
        EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(body));
        expr::ParseContext pc(in.names, in.values);
        EDA_ASSIGN_OR_RETURN(auto cond, OptionalCondition(pc, body, "ConditionExpression"));
        EDA_TRY(pc.CheckAllUsed());
        auto old = ReadItem(t, k, ctx.now_ms);
        if (cond && !expr::Evaluate(*cond, old ? *old : Json::object())) {
          bool with_item = Str(body, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD" && old;
          return errors::ConditionalCheckFailed(with_item ? old->dump() : "");
        }
        return OkStatus();
      };
      st = check();
    }
    std::string code = "None";
    Json reason = {{"Code", "None"}};
    if (!st.ok()) {
      const AwsError& err = st.error();
      if (err.code == "ConditionalCheckFailedException") {
        code = "ConditionalCheckFailed";
        reason = {{"Code", code}, {"Message", err.message}};
        for (const auto& kv : err.extra)
          if (kv.first == "Item") reason["Item"] = Json::parse(kv.second);
      } else if (err.code == "ItemCollectionSizeLimitExceededException") {
        code = "ItemCollectionSizeLimitExceeded";
        reason = {{"Code", code}, {"Message", err.message}};
      } else if (err.code == "ValidationException") {
        return st.take_error();
      } else {
        code = "ValidationError";
        reason = {{"Code", code}, {"Message", err.message}};
      }
      failed = true;
    }
    summary += (summary.empty() ? "" : ", ") + code;
    reasons.push_back(reason);
  }
  if (failed) return errors::TransactionCanceled(summary, reasons.dump());
  if (!token.empty()) store_.SaveToken(ctx.account, token, hash, ctx.now_ms);
  Json out = Json::object();
  if (metrics) out["ItemCollectionMetrics"] = CollectionMetricsByTable(collections);
  return out;
}

Result<Json> DynamoDb::TransactGetItems(Json& r, const RequestContext& ctx) {
  if (!r.contains("TransactItems") || !r["TransactItems"].is_array() || r["TransactItems"].empty())
    return errors::Validation(
        "1 validation error detected: Value null at 'transactItems' failed "
        "to satisfy constraint: Member must have length greater than or "
        "equal to 1");
  if (r["TransactItems"].size() > 100)
    return errors::Validation(
        "1 validation error detected: Value '[...]' at 'transactItems' "
        "failed to satisfy constraint: Member must have length less than "
        "or equal to 100");
  Json responses = Json::array();
  std::set<std::string> keys;
  for (const auto& e : r["TransactItems"]) {
    if (!e.is_object() || !e.contains("Get"))
      return errors::Validation(
          "1 validation error detected: Value null at "
          "'transactItems.1.member.get' failed to satisfy constraint: "
          "Member must not be null");
    const Json& g = e["Get"];
    EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, g.value("TableName", Json())));
    const TableMeta& t = *table;
    EDA_ASSIGN_OR_RETURN(KeyBytesPair k, KeyOf(t, g.value("Key", Json())));
    if (!keys.insert(std::to_string(t.id) + '\0' + k.hash + '\0' + k.range).second)
      return errors::Validation(
          "Transaction request cannot include multiple operations on one item");
    EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(g));
    expr::ParseContext pc(in.names, in.values);
    EDA_ASSIGN_OR_RETURN(auto proj, OptionalProjection(pc, g));
    EDA_TRY(pc.CheckAllUsed());
    auto item = ReadItem(t, k, ctx.now_ms);
    Json resp = Json::object();
    if (item) resp["Item"] = proj ? expr::Project(*item, *proj) : *item;
    responses.push_back(resp);
  }
  return Json{{"Responses", responses}};
}

}  // namespace edastack::dynamodb

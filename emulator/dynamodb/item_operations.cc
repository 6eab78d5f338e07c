// Single-item operations: PutItem, GetItem, UpdateItem, DeleteItem.
#include <cmath>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/expr/evaluator.h"
#include "emulator/dynamodb/operations.h"
#include "emulator/dynamodb/request_expressions.h"

namespace edastack::dynamodb {
namespace {

constexpr int64_t kMaxItemSize = 400 * 1024;

Status CheckReturnValues(const Json& r, bool update) {
  std::string rv = Str(r, "ReturnValues");
  if (rv.empty() || rv == "NONE" || rv == "ALL_OLD") return OkStatus();
  if (update && (rv == "UPDATED_OLD" || rv == "ALL_NEW" || rv == "UPDATED_NEW")) return OkStatus();
  if (rv == "UPDATED_OLD" || rv == "ALL_NEW" || rv == "UPDATED_NEW")
    return errors::Validation("ReturnValues can only be ALL_OLD or NONE");
  return errors::Validation("1 validation error detected: Value '" + rv +
                            "' at 'returnValues' failed to satisfy constraint: Member must "
                            "satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, "
                            "UPDATED_NEW]");
}

double WriteUnits(int64_t size) { return std::max<double>(1, std::ceil(size / 1024.0)); }

}  // namespace

// Shared by PutItem and TransactWriteItems: the parsed, validated pieces of a write.
Result<Json> DynamoDb::PutItem(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, r.value("TableName", Json())));
  const TableMeta& t = *table;
  EDA_TRY(CheckReturnValues(r, false));
  EDA_TRY(CheckNoMixing(r, {"Expected"}, {"ConditionExpression"}));
  auto item_it = r.find("Item");
  if (item_it == r.end() || !item_it->is_object())
    return errors::Validation(
        "1 validation error detected: Value null at 'item' failed to "
        "satisfy constraint: Member must not be null");
  Json item = std::move(*item_it);  // the request is ours: no copy of the item
  EDA_TRY(NormalizeItem(item));
  EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(r));
  expr::ParseContext pc(in.names, in.values);
  EDA_ASSIGN_OR_RETURN(auto cond, OptionalCondition(pc, r, "ConditionExpression"));
  EDA_TRY(pc.CheckAllUsed());
  if (!cond) {
    EDA_ASSIGN_OR_RETURN(cond, LegacyCondition(r, "Expected", true));
  }
  EDA_ASSIGN_OR_RETURN(KeyBytesPair k, ItemKey(t, item));
  int64_t size = ItemSize(item);
  if (size > kMaxItemSize)
    return errors::Validation("Item size has exceeded the maximum allowed size");
  // The previous version matters only to a condition, ReturnValues and stream records:
  // without them the write replaces the row (and its index entries) unread.
  const bool all_old = Str(r, "ReturnValues") == "ALL_OLD";
  std::optional<Json> old;
  if (cond || all_old || (t.stream_enabled && !t.stream_arn.empty()))
    old = ReadItem(t, k, ctx.now_ms);
  if (cond && !expr::Evaluate(*cond, old ? *old : Json::object())) {
    bool with_item = Str(r, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD" && old;
    return errors::ConditionalCheckFailed(with_item ? old->dump() : "");
  }
  EDA_TRY(WriteItem(t, k, old, item, ctx));
  Json out = Json::object();
  if (all_old && old) out["Attributes"] = std::move(*old);
  Json cc = Consumed(r, t.name, WriteUnits(size), true);
  if (!cc.is_null()) out["ConsumedCapacity"] = cc;
  if (t.has_lsi && WantsCollectionMetrics(r))
    out["ItemCollectionMetrics"] = CollectionMetrics(t, item[t.hash.name], k.hash);
  return out;
}

Result<Json> DynamoDb::GetItem(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, r.value("TableName", Json())));
  const TableMeta& t = *table;
  EDA_TRY(CheckNoMixing(r, {"AttributesToGet"}, {"ProjectionExpression"}));
  if (!r.contains("Key"))
    return errors::Validation(
        "1 validation error detected: Value null at 'key' failed to "
        "satisfy constraint: Member must not be null");
  EDA_ASSIGN_OR_RETURN(KeyBytesPair k, KeyOf(t, r["Key"]));
  EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(r));
  expr::ParseContext pc(in.names, in.values);
  EDA_ASSIGN_OR_RETURN(auto proj, OptionalProjection(pc, r));
  EDA_TRY(pc.CheckAllUsed());
  auto item = ReadItem(t, k, ctx.now_ms);
  Json out = Json::object();
  // The item's size matters only to ConsumedCapacity.
  std::string cc_mode = Str(r, "ReturnConsumedCapacity");
  double units = 1.0;
  if (item && (cc_mode == "TOTAL" || cc_mode == "INDEXES"))
    units = std::max(1.0, std::ceil(ItemSize(*item) / 4096.0));
  if (item) out["Item"] = proj ? expr::Project(*item, *proj) : std::move(*item);
  if (!r.value("ConsistentRead", false)) units /= 2;
  Json cc = Consumed(r, t.name, units, false);
  if (!cc.is_null()) out["ConsumedCapacity"] = cc;
  return out;
}

Result<Json> DynamoDb::UpdateItem(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, r.value("TableName", Json())));
  const TableMeta& t = *table;
  EDA_TRY(CheckReturnValues(r, true));
  EDA_TRY(CheckNoMixing(r, {"Expected", "AttributeUpdates"},
                        {"ConditionExpression", "UpdateExpression"}));
  if (!r.contains("Key"))
    return errors::Validation(
        "1 validation error detected: Value null at 'key' failed to "
        "satisfy constraint: Member must not be null");
  EDA_ASSIGN_OR_RETURN(KeyBytesPair k, KeyOf(t, r["Key"]));
  Json key = r["Key"];
  EDA_TRY(NormalizeItem(key));
  EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(r));
  expr::ParseContext pc(in.names, in.values);
  std::optional<expr::UpdateExpression> update;
  if (r.contains("UpdateExpression") && r["UpdateExpression"].is_string()) {
    EDA_ASSIGN_OR_RETURN(auto u, pc.ParseUpdate(r["UpdateExpression"].get<std::string>()));
    update = std::move(u);
  }
  EDA_ASSIGN_OR_RETURN(auto cond, OptionalCondition(pc, r, "ConditionExpression"));
  EDA_TRY(pc.CheckAllUsed());
  if (!cond) {
    EDA_ASSIGN_OR_RETURN(cond, LegacyCondition(r, "Expected", true));
  }
  if (!update) {
    EDA_ASSIGN_OR_RETURN(update, LegacyUpdates(r));
  }
  if (update)
    for (const auto& a : update->actions) {
      std::string top = a.path.TopName();
      if (top == t.hash.name || (t.range && top == t.range->name))
        return errors::Validation(
            "One or more parameter values were invalid: Cannot update "
            "attribute " +
            top + ". This attribute is part of the key");
    }
  auto old = ReadItem(t, k, ctx.now_ms);
  if (cond && !expr::Evaluate(*cond, old ? *old : Json::object())) {
    bool with_item = Str(r, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD" && old;
    return errors::ConditionalCheckFailed(with_item ? old->dump() : "");
  }
  Json item = old ? *old : key;
  std::vector<expr::Path> touched;
  if (update) EDA_TRY(expr::ApplyUpdate(*update, item, &touched));
  EDA_TRY(ItemKey(t, item));
  int64_t size = ItemSize(item);
  if (size > kMaxItemSize)
    return errors::Validation("Item size to update has exceeded the maximum allowed size");
  EDA_TRY(WriteItem(t, k, old, item, ctx));
  Json out = Json::object();
  std::string rv = Str(r, "ReturnValues");
  if (rv == "ALL_OLD" && old) out["Attributes"] = *old;
  if (rv == "ALL_NEW") out["Attributes"] = item;
  if (rv == "UPDATED_NEW") {
    Json p = expr::Project(item, touched);
    if (!p.empty()) out["Attributes"] = p;
  }
  if (rv == "UPDATED_OLD" && old) {
    Json p = expr::Project(*old, touched);
    if (!p.empty()) out["Attributes"] = p;
  }
  Json cc = Consumed(r, t.name, WriteUnits(size), true);
  if (!cc.is_null()) out["ConsumedCapacity"] = cc;
  if (t.has_lsi && WantsCollectionMetrics(r))
    out["ItemCollectionMetrics"] = CollectionMetrics(t, key[t.hash.name], k.hash);
  return out;
}

Result<Json> DynamoDb::DeleteItem(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, r.value("TableName", Json())));
  const TableMeta& t = *table;
  EDA_TRY(CheckReturnValues(r, false));
  EDA_TRY(CheckNoMixing(r, {"Expected"}, {"ConditionExpression"}));
  if (!r.contains("Key"))
    return errors::Validation(
        "1 validation error detected: Value null at 'key' failed to "
        "satisfy constraint: Member must not be null");
  EDA_ASSIGN_OR_RETURN(KeyBytesPair k, KeyOf(t, r["Key"]));
  EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(r));
  expr::ParseContext pc(in.names, in.values);
  EDA_ASSIGN_OR_RETURN(auto cond, OptionalCondition(pc, r, "ConditionExpression"));
  EDA_TRY(pc.CheckAllUsed());
  if (!cond) {
    EDA_ASSIGN_OR_RETURN(cond, LegacyCondition(r, "Expected", true));
  }
  auto old = ReadItem(t, k, ctx.now_ms);
  if (cond && !expr::Evaluate(*cond, old ? *old : Json::object())) {
    bool with_item = Str(r, "ReturnValuesOnConditionCheckFailure") == "ALL_OLD" && old;
    return errors::ConditionalCheckFailed(with_item ? old->dump() : "");
  }
  if (old) EDA_TRY(WriteItem(t, k, old, std::nullopt, ctx));
  Json out = Json::object();
  if (Str(r, "ReturnValues") == "ALL_OLD" && old) out["Attributes"] = *old;
  Json cc = Consumed(r, t.name, old ? WriteUnits(ItemSize(*old)) : 1.0, true);
  if (!cc.is_null()) out["ConsumedCapacity"] = cc;
  // Only a delete that removed an item affected a collection.
  if (old && t.has_lsi && WantsCollectionMetrics(r))
    out["ItemCollectionMetrics"] = CollectionMetrics(t, (*old)[t.hash.name], k.hash);
  return out;
}

}  // namespace edastack::dynamodb

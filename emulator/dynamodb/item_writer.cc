// Shared helpers of the DynamoDB operations: table loading, key extraction, the one
// place items are written (row + index entries + collection size + stream record), table
// descriptions.
#include <cmath>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/number.h"
#include "emulator/dynamodb/operations.h"
#include "protocol/core/ids.h"

namespace edastack::dynamodb {
namespace {

KeyDef KeyFromSchema(const Json& schema, const Json& defs, const char* type) {
  KeyDef k;
  for (const auto& e : schema)
    if (e.value("KeyType", "") == type) k.name = e.value("AttributeName", "");
  for (const auto& d : defs)
    if (d.value("AttributeName", "") == k.name) k.type = d.value("AttributeType", "");
  return k;
}

IndexMeta IndexFromSpec(const Json& idx, const Json& defs, bool global) {
  IndexMeta m;
  m.name = idx.value("IndexName", "");
  m.global = global;
  m.hash = KeyFromSchema(idx["KeySchema"], defs, "HASH");
  KeyDef r = KeyFromSchema(idx["KeySchema"], defs, "RANGE");
  if (!r.name.empty()) m.range = r;
  if (idx.contains("Projection")) {
    m.projection = idx["Projection"].value("ProjectionType", "ALL");
    if (idx["Projection"].contains("NonKeyAttributes"))
      for (const auto& a : idx["Projection"]["NonKeyAttributes"])
        m.non_key.push_back(a.get<std::string>());
  }
  return m;
}

// Validates one key attribute value and returns its bytes.
Result<std::string> KeyValueBytes(const KeyDef& def, const Json& v, bool strict_message,
                                  bool is_hash) {
  std::string t = TypeOf(v);
  if (t != def.type) {
    if (strict_message)
      return errors::Validation(
          "One or more parameter values were invalid: Type mismatch for key " + def.name +
          " expected: " + def.type + " actual: " + t);
    return errors::Validation("The provided key element does not match the schema");
  }
  std::string bytes = KeyBytes(v);
  if ((t == "S" || t == "B") && bytes.empty())
    return errors::Validation(
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty " +
        std::string(t == "S" ? "string" : "binary") + " value. Key: " + def.name);
  if (is_hash && (t == "N" ? ValueSize(v) : static_cast<int64_t>(bytes.size())) > 2048)
    return errors::Validation(
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
        "size limit of2048 bytes");
  if (!is_hash && (t == "N" ? ValueSize(v) : static_cast<int64_t>(bytes.size())) > 1024)
    return errors::Validation(
        "One or more parameter values were invalid: Aggregated size of all range keys has "
        "exceeded the size limit of 1024 bytes");
  return bytes;
}

}  // namespace

std::optional<int64_t> ExpiresOf(const TableMeta& t, const Json& item) {
  if (t.ttl_attribute.empty()) return std::nullopt;
  auto it = item.find(t.ttl_attribute);
  if (it == item.end() || TypeOf(*it) != "N") return std::nullopt;
  auto d = Decimal::Parse((*it)["N"].get<std::string>());
  double v = d.ok() ? d->ToDouble() : -1;
  if (v <= 0 || v >= 1e13) return std::nullopt;
  return static_cast<int64_t>(std::floor(v));
}

TableMeta TableMeta::FromSpec(int64_t id, const Json& spec) {
  TableMeta t;
  t.id = id;
  t.spec = spec;
  t.name = spec.value("TableName", "");
  const Json& defs = spec["AttributeDefinitions"];
  t.hash = KeyFromSchema(spec["KeySchema"], defs, "HASH");
  KeyDef r = KeyFromSchema(spec["KeySchema"], defs, "RANGE");
  if (!r.name.empty()) t.range = r;
  if (spec.contains("GlobalSecondaryIndexes"))
    for (const auto& i : spec["GlobalSecondaryIndexes"])
      t.indexes.push_back(IndexFromSpec(i, defs, true));
  if (spec.contains("LocalSecondaryIndexes"))
    for (const auto& i : spec["LocalSecondaryIndexes"])
      t.indexes.push_back(IndexFromSpec(i, defs, false));
  for (const auto& i : t.indexes) t.has_lsi = t.has_lsi || !i.global;
  if (spec.contains("TimeToLive") && spec["TimeToLive"].value("Enabled", false))
    t.ttl_attribute = spec["TimeToLive"].value("AttributeName", "");
  if (spec.contains("StreamSpecification")) {
    t.stream_enabled = spec["StreamSpecification"].value("StreamEnabled", false);
    t.stream_view = spec["StreamSpecification"].value("StreamViewType", "");
  }
  t.stream_arn = spec.value("LatestStreamArn", "");
  return t;
}

DynamoDb::DynamoDb(storage::Database& db, DdbOptions options)
    : db_(db), store_(db), options_(options) {
  db_.Migrate("dynamodb", Migrations());
}

std::string Str(const Json& r, const char* name) {
  auto it = r.find(name);
  if (it == r.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

Json Consumed(const Json& r, const std::string& table, double units, bool write) {
  std::string mode = Str(r, "ReturnConsumedCapacity");
  if (mode != "TOTAL" && mode != "INDEXES") return nullptr;
  Json c = {{"TableName", table}, {"CapacityUnits", units}};
  if (write)
    c["WriteCapacityUnits"] = units;
  else
    c["ReadCapacityUnits"] = units;
  if (mode == "INDEXES") c["Table"] = {{"CapacityUnits", units}};
  return c;
}

Status CheckTableName(const Json& name, const std::string& member) {
  if (!name.is_string())
    return errors::Validation("1 validation error detected: Value null at '" + member +
                              "' failed to satisfy constraint: Member must not be null");
  std::string n = name.get<std::string>();
  if (n.size() < 3 || n.size() > 255)
    return errors::Validation(
        "1 validation error detected: Value '" + n + "' at '" + member +
        "' failed to satisfy constraint: Member must have length " +
        (n.size() < 3 ? "greater than or equal to 3" : "less than or equal to 255"));
  bool ok = true;
  for (char c : n)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
  if (!ok)
    return errors::Validation(
        "1 validation error detected: Value '" + n + "' at '" + member +
        "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-zA-Z0-9_.-]+");
  return OkStatus();
}

Result<std::shared_ptr<const TableMeta>> DynamoDb::FindTableByName(const RequestContext& ctx,
                                                                   const std::string& name) {
  // TableName may also be a table ARN.
  std::string_view n = name;
  size_t slash = n.rfind(":table/");
  if (slash != std::string::npos) n = n.substr(slash + 7);
  const bool cacheable = store_.spec_writes() == tables_version_;
  std::string key;
  if (cacheable) {
    key.reserve(ctx.account.size() + ctx.region.size() + n.size() + 2);
    key.append(ctx.account).append(1, '\0').append(ctx.region).append(1, '\0').append(n);
    auto it = tables_.find(key);
    if (it != tables_.end()) return it->second;
  }
  std::string table(n);
  auto row = store_.LoadTable(ctx.account, ctx.region, table);
  if (!row) return errors::TableNotFound(table);
  auto t =
      std::make_shared<const TableMeta>(TableMeta::FromSpec(row->first, Json::parse(row->second)));
  if (cacheable) tables_.emplace(std::move(key), t);
  return std::shared_ptr<const TableMeta>(std::move(t));
}

Result<std::shared_ptr<const TableMeta>> DynamoDb::FindTable(const RequestContext& ctx,
                                                             const Json& table_name) {
  if (table_name.is_string() &&
      table_name.get_ref<const std::string&>().find(":table/") != std::string::npos)
    return FindTableByName(ctx, table_name.get_ref<const std::string&>());
  EDA_TRY(CheckTableName(table_name));
  return FindTableByName(ctx, table_name.get_ref<const std::string&>());
}

Result<TableMeta> DynamoDb::LoadTableByName(const RequestContext& ctx, const std::string& name) {
  EDA_ASSIGN_OR_RETURN(auto t, FindTableByName(ctx, name));
  return TableMeta(*t);
}

Result<TableMeta> DynamoDb::LoadTable(const RequestContext& ctx, const Json& table_name) {
  EDA_ASSIGN_OR_RETURN(auto t, FindTable(ctx, table_name));
  return TableMeta(*t);
}

void DynamoDb::SyncTableCache() {
  if (store_.spec_writes() == tables_version_) return;
  tables_.clear();
  tables_version_ = store_.spec_writes();
}

void DynamoDb::ResetCaches() {
  auto lock = db_.Lock();
  ResetCachesLocked();
}

void DynamoDb::ResetCachesLocked() {
  tables_.clear();
  tables_version_ = store_.spec_writes();
}

void DynamoDb::SaveSpec(const TableMeta& t) { store_.UpdateTableSpec(t.id, t.spec.dump()); }

Result<KeyBytesPair> DynamoDb::KeyOf(const TableMeta& t, const Json& key) {
  auto mismatch = [] {
    return errors::Validation("The provided key element does not match the schema");
  };
  if (!key.is_object()) return mismatch();
  size_t want = t.range ? 2 : 1;
  if (key.size() != want || !key.contains(t.hash.name) || (t.range && !key.contains(t.range->name)))
    return mismatch();
  Json k = key;
  EDA_TRY(NormalizeItem(k));
  KeyBytesPair out;
  EDA_ASSIGN_OR_RETURN(out.hash, KeyValueBytes(t.hash, k[t.hash.name], false, true));
  if (t.range) {
    EDA_ASSIGN_OR_RETURN(out.range, KeyValueBytes(*t.range, k[t.range->name], false, false));
  }
  return out;
}

Result<KeyBytesPair> DynamoDb::ItemKey(const TableMeta& t, const Json& item) {
  KeyBytesPair out;
  for (const KeyDef* d : {&t.hash, t.range ? &*t.range : nullptr}) {
    if (!d) continue;
    if (!item.contains(d->name))
      return errors::Validation("One or more parameter values were invalid: Missing the key " +
                                d->name + " in the item");
    EDA_ASSIGN_OR_RETURN(std::string b, KeyValueBytes(*d, item[d->name], true, d == &t.hash));
    (d == &t.hash ? out.hash : out.range) = b;
  }
  for (const auto& idx : t.indexes) {
    for (const KeyDef* d : {&idx.hash, idx.range ? &*idx.range : nullptr}) {
      if (!d || !item.contains(d->name)) continue;
      std::string ty = TypeOf(item[d->name]);
      if (ty != d->type)
        return errors::Validation(
            "One or more parameter values were invalid: Type mismatch for Index Key " + d->name +
            " Expected: " + d->type + " Actual: " + ty + " IndexName: " + idx.name);
      if ((ty == "S" || ty == "B") && KeyBytes(item[d->name]).empty())
        return errors::Validation(
            "One or more parameter values are not valid. A value specified for a secondary index "
            "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
            "string value. IndexName: " +
            idx.name + ", IndexKey: " + d->name);
    }
  }
  return out;
}

std::optional<Json> DynamoDb::ReadItem(const TableMeta& t, const KeyBytesPair& k, int64_t now_ms) {
  auto row = store_.GetItem(t.id, k.hash, k.range);
  if (!row) return std::nullopt;
  if (row->expires && *row->expires * 1000 <= now_ms) return std::nullopt;
  return Json::parse(row->item);
}

Json DynamoDb::KeyAttributes(const TableMeta& t, const IndexMeta* index, const Json& item) {
  Json out = Json::object();
  auto add = [&](const KeyDef& d) {
    if (item.contains(d.name)) out[d.name] = item[d.name];
  };
  add(t.hash);
  if (t.range) add(*t.range);
  if (index) {
    add(index->hash);
    if (index->range) add(*index->range);
  }
  return out;
}

Status DynamoDb::WriteItem(const TableMeta& t, const KeyBytesPair& k,
                           const std::optional<Json>& old_item, const std::optional<Json>& new_item,
                           const RequestContext& ctx, bool ttl_service) {
  if (t.has_lsi) EDA_TRY(UpdateCollection(t, k, old_item, new_item));
  if (!t.indexes.empty()) store_.DeleteIndexEntries(t.id, k.hash, k.range);
  if (new_item) {
    StoredItem row{k.hash, k.range, new_item->dump(), ItemSize(*new_item), std::nullopt};
    row.expires = ExpiresOf(t, *new_item);
    store_.PutItem(t.id, row);
    for (const auto& idx : t.indexes) {
      if (!new_item->contains(idx.hash.name)) continue;
      if (idx.range && !new_item->contains(idx.range->name)) continue;
      store_.PutIndexEntry(t.id, idx.name, KeyBytes((*new_item)[idx.hash.name]),
                           idx.range ? KeyBytes((*new_item)[idx.range->name]) : std::string(),
                           k.hash, k.range);
    }
  } else {
    store_.DeleteItem(t.id, k.hash, k.range);
  }
  if (!t.stream_enabled || t.stream_arn.empty() || (!old_item && !new_item)) return OkStatus();
  const Json& any = new_item ? *new_item : *old_item;
  Json ddb = {{"ApproximateCreationDateTime", ctx.now_ms / 1000},
              {"Keys", KeyAttributes(t, nullptr, any)},
              {"StreamViewType", t.stream_view}};
  if (new_item && (t.stream_view == "NEW_IMAGE" || t.stream_view == "NEW_AND_OLD_IMAGES"))
    ddb["NewImage"] = *new_item;
  if (old_item && (t.stream_view == "OLD_IMAGE" || t.stream_view == "NEW_AND_OLD_IMAGES"))
    ddb["OldImage"] = *old_item;
  int64_t size = ItemSize(ddb["Keys"]);
  if (ddb.contains("NewImage")) size += ItemSize(ddb["NewImage"]);
  if (ddb.contains("OldImage")) size += ItemSize(ddb["OldImage"]);
  ddb["SizeBytes"] = size;
  Json rec = {{"eventID", ids::RandomHex(16)},
              {"eventName", !old_item ? "INSERT" : (new_item ? "MODIFY" : "REMOVE")},
              {"eventVersion", "1.1"},
              {"eventSource", "aws:dynamodb"},
              {"awsRegion", ctx.region},
              {"dynamodb", ddb}};
  if (ttl_service)
    rec["userIdentity"] = {{"Type", "Service"}, {"PrincipalId", "dynamodb.amazonaws.com"}};
  store_.AppendStream(t.stream_arn, ctx.now_ms, rec.dump());
  return OkStatus();
}

}  // namespace edastack::dynamodb

// Table settings: TTL, continuous backups, tags, limits and endpoints.
#include <set>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/operations.h"

namespace edastack::dynamodb {

Result<Json> DynamoDb::UpdateTimeToLive(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(TableMeta t, LoadTable(ctx, r.value("TableName", Json())));
  if (!r.contains("TimeToLiveSpecification") || !r["TimeToLiveSpecification"].is_object())
    return errors::Validation(
        "1 validation error detected: Value null at 'timeToLiveSpecification' "
        "failed to satisfy constraint: Member must not be null");
  const Json& spec = r["TimeToLiveSpecification"];
  bool enable = spec.value("Enabled", false);
  std::string attr = spec.value("AttributeName", "");
  if (attr.empty())
    return errors::Validation(
        "1 validation error detected: Value null at "
        "'timeToLiveSpecification.attributeName' failed to satisfy "
        "constraint: Member must not be null");
  if (enable && !t.ttl_attribute.empty())
    return errors::Validation("TimeToLive is already enabled");
  if (!enable && t.ttl_attribute.empty())
    return errors::Validation("TimeToLive is already disabled");
  if (!enable && attr != t.ttl_attribute)
    return errors::Validation("TimeToLive attribute name does not match the enabled attribute");
  t.spec["TimeToLive"] = {{"AttributeName", attr}, {"Enabled", enable}};
  SaveSpec(t);
  TableMeta updated = TableMeta::FromSpec(t.id, t.spec);
  // Re-derive each item's expiry under the new setting.
  std::vector<StoredItem> items;
  RangeRead all;
  all.tid = t.id;
  store_.Read(all, [&](const StoredItem& it) {
    items.push_back(it);
    return true;
  });
  for (const auto& row : items)
    store_.UpdateExpires(t.id, row.pk, row.sk, ExpiresOf(updated, Json::parse(row.item)));
  return Json{{"TimeToLiveSpecification", {{"Enabled", enable}, {"AttributeName", attr}}}};
}

Result<Json> DynamoDb::DescribeTimeToLive(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(TableMeta t, LoadTable(ctx, r.value("TableName", Json())));
  if (t.ttl_attribute.empty())
    return Json{{"TimeToLiveDescription", {{"TimeToLiveStatus", "DISABLED"}}}};
  return Json{{"TimeToLiveDescription",
               {{"TimeToLiveStatus", "ENABLED"}, {"AttributeName", t.ttl_attribute}}}};
}

namespace {
Json BackupsDescription(const TableMeta& t, const RequestContext& ctx) {
  bool pitr = t.spec.contains("PointInTimeRecovery") && t.spec["PointInTimeRecovery"].get<bool>();
  Json p = {{"PointInTimeRecoveryStatus", pitr ? "ENABLED" : "DISABLED"}};
  if (pitr) {
    p["EarliestRestorableDateTime"] = t.spec["CreationDateTime"];
    p["LatestRestorableDateTime"] = static_cast<double>(ctx.now_ms) / 1000.0;
    p["RecoveryPeriodInDays"] = 35;
  }
  return Json{{"ContinuousBackupsDescription",
               {{"ContinuousBackupsStatus", "ENABLED"}, {"PointInTimeRecoveryDescription", p}}}};
}
}  // namespace

Result<Json> DynamoDb::DescribeContinuousBackups(Json& r, const RequestContext& ctx) {
  auto t = LoadTable(ctx, r.value("TableName", Json()));
  if (!t.ok()) {
    if (t.error().code == "ResourceNotFoundException")
      return MakeError("TableNotFoundException", "Table not found: " + Str(r, "TableName"));
    return t.take_error();
  }
  return BackupsDescription(*t, ctx);
}

Result<Json> DynamoDb::UpdateContinuousBackups(Json& r, const RequestContext& ctx) {
  auto t = LoadTable(ctx, r.value("TableName", Json()));
  if (!t.ok()) {
    if (t.error().code == "ResourceNotFoundException")
      return MakeError("TableNotFoundException", "Table not found: " + Str(r, "TableName"));
    return t.take_error();
  }
  const Json& p = r.value("PointInTimeRecoverySpecification", Json());
  if (!p.is_object() || !p.contains("PointInTimeRecoveryEnabled") ||
      !p["PointInTimeRecoveryEnabled"].is_boolean())
    return errors::Validation(
        "1 validation error detected: Value null at "
        "'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' "
        "failed to satisfy constraint: Member must not be null");
  t->spec["PointInTimeRecovery"] = p["PointInTimeRecoveryEnabled"];
  SaveSpec(*t);
  return BackupsDescription(*t, ctx);
}

namespace {
Result<std::string> TableFromArn(const Json& r) {
  std::string arn = Str(r, "ResourceArn");
  size_t pos = arn.find(":table/");
  if (arn.empty() || pos == std::string::npos || arn.rfind("arn:aws", 0) != 0)
    return errors::Validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
  std::string name = arn.substr(pos + 7);
  size_t slash = name.find('/');
  if (slash != std::string::npos) name = name.substr(0, slash);
  return name;
}
}  // namespace

Result<Json> DynamoDb::TagResource(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(std::string name, TableFromArn(r));
  EDA_ASSIGN_OR_RETURN(TableMeta t, LoadTableByName(ctx, name));
  if (!r.contains("Tags") || !r["Tags"].is_array())
    return errors::Validation(
        "1 validation error detected: Value null at 'tags' failed to "
        "satisfy constraint: Member must not be null");
  Json& tags = t.spec["Tags"];
  if (!tags.is_array()) tags = Json::array();
  for (const auto& tag : r["Tags"]) {
    bool replaced = false;
    for (auto& e : tags)
      if (e["Key"] == tag["Key"]) {
        e["Value"] = tag["Value"];
        replaced = true;
      }
    if (!replaced) tags.push_back(tag);
  }
  if (tags.size() > 50) return errors::LimitExceeded("Too many tags: the limit is 50 per resource");
  SaveSpec(t);
  return Json::object();
}

Result<Json> DynamoDb::UntagResource(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(std::string name, TableFromArn(r));
  EDA_ASSIGN_OR_RETURN(TableMeta t, LoadTableByName(ctx, name));
  Json kept = Json::array();
  std::set<std::string> drop;
  if (r.contains("TagKeys"))
    for (const auto& k : r["TagKeys"]) drop.insert(k.get<std::string>());
  for (const auto& e : t.spec["Tags"])
    if (!drop.count(e.value("Key", ""))) kept.push_back(e);
  t.spec["Tags"] = kept;
  SaveSpec(t);
  return Json::object();
}

Result<Json> DynamoDb::ListTagsOfResource(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(std::string name, TableFromArn(r));
  EDA_ASSIGN_OR_RETURN(TableMeta t, LoadTableByName(ctx, name));
  return Json{{"Tags", t.spec.contains("Tags") ? t.spec["Tags"] : Json::array()}};
}

Result<Json> DynamoDb::DescribeLimits(Json&, const RequestContext&) {
  return Json{{"AccountMaxReadCapacityUnits", 80000},
              {"AccountMaxWriteCapacityUnits", 80000},
              {"TableMaxReadCapacityUnits", 40000},
              {"TableMaxWriteCapacityUnits", 40000}};
}

Result<Json> DynamoDb::DescribeEndpoints(Json&, const RequestContext& ctx) {
  return Json{
      {"Endpoints", Json::array({{{"Address", ctx.host}, {"CachePeriodInMinutes", 1440}}})}};
}

}  // namespace edastack::dynamodb

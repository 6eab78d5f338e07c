// Table-level operations: Create/Describe/List/Update/DeleteTable.
#include <set>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/operations.h"
#include "protocol/core/ids.h"
#include "protocol/core/time_format.h"

namespace edastack::dynamodb {
namespace {

std::string TableArn(const RequestContext& ctx, const std::string& name) {
  return "arn:aws:dynamodb:" + ctx.region + ":" + ctx.account + ":table/" + name;
}

Status CheckKeySchema(const Json& ks, const std::string& where, bool* has_range) {
  if (!ks.is_array() || ks.empty() || ks.size() > 2)
    return errors::Validation("1 validation error detected: Value at '" + where +
                              "' failed to satisfy constraint: Member must have length less "
                              "than or equal to 2");
  for (size_t i = 0; i < ks.size(); ++i) {
    std::string kt = ks[i].is_object() ? ks[i].value("KeyType", "") : "";
    if (kt != "HASH" && kt != "RANGE")
      return errors::Validation("1 validation error detected: Value '" + kt + "' at '" + where +
                                "." + std::to_string(i + 1) +
                                ".member.keyType' failed to satisfy constraint: Member must "
                                "satisfy enum value set: [HASH, RANGE]");
    if ((i == 0) != (kt == "HASH"))
      return errors::Validation(
          "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    if (!ks[i].contains("AttributeName") || !ks[i]["AttributeName"].is_string())
      return errors::Validation("1 validation error detected: Value null at '" + where +
                                "' failed to satisfy constraint: Member must not be null");
  }
  *has_range = ks.size() == 2;
  return OkStatus();
}

Status CheckThroughput(const Json& r, const std::string& billing) {
  bool has = r.contains("ProvisionedThroughput") && !r["ProvisionedThroughput"].is_null();
  if (billing == "PAY_PER_REQUEST" && has)
    return errors::Validation(
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  if (billing == "PROVISIONED") {
    if (!has)
      return errors::Validation(
          "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
          "must both be specified when BillingMode is PROVISIONED");
    const Json& p = r["ProvisionedThroughput"];
    for (const char* m : {"ReadCapacityUnits", "WriteCapacityUnits"})
      if (!p.contains(m) || !p[m].is_number_integer() || p[m].get<int64_t>() < 1)
        return errors::Validation(
            "One or more parameter values were invalid: ReadCapacityUnits and "
            "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
  }
  return OkStatus();
}

Status CheckProjection(const Json& idx) {
  if (!idx.contains("Projection") || !idx["Projection"].is_object())
    return errors::Validation(
        "1 validation error detected: Value null at 'projection' failed to "
        "satisfy constraint: Member must not be null");
  std::string pt = idx["Projection"].value("ProjectionType", "");
  if (pt != "ALL" && pt != "KEYS_ONLY" && pt != "INCLUDE")
    return errors::Validation("1 validation error detected: Value '" + pt +
                              "' at 'projection.projectionType' failed to satisfy constraint: "
                              "Member must satisfy enum value set: [INCLUDE, ALL, KEYS_ONLY]");
  bool nk = idx["Projection"].contains("NonKeyAttributes");
  if (pt == "INCLUDE" && !nk)
    return errors::Validation(
        "One or more parameter values were invalid: ProjectionType is INCLUDE, but "
        "NonKeyAttributes is not specified");
  if (pt != "INCLUDE" && nk)
    return errors::Validation("One or more parameter values were invalid: ProjectionType is " + pt +
                              ", but NonKeyAttributes is specified");
  return OkStatus();
}

Json StreamLabelNow(int64_t now_ms) {
  std::string iso = timefmt::Iso8601Millis(now_ms);  // 2026-11-28T16:48:07.123Z
  if (!iso.empty() && iso.back() == 'Z') iso.pop_back();
  return iso;
}

}  // namespace

Json DynamoDb::Describe(const TableMeta& t, const RequestContext& ctx) {
  const Json& s = t.spec;
  Json d = Json::object();
  for (const char* k : {"TableName", "TableArn", "TableId", "CreationDateTime",
                        "AttributeDefinitions", "KeySchema", "DeletionProtectionEnabled"})
    if (s.contains(k)) d[k] = s[k];
  d["TableStatus"] = "ACTIVE";
  std::string billing = s.value("BillingMode", "PROVISIONED");
  Json pt = {{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (s.contains("ProvisionedThroughput") && billing == "PROVISIONED") {
    pt["ReadCapacityUnits"] = s["ProvisionedThroughput"]["ReadCapacityUnits"];
    pt["WriteCapacityUnits"] = s["ProvisionedThroughput"]["WriteCapacityUnits"];
  }
  d["ProvisionedThroughput"] = pt;
  if (billing == "PAY_PER_REQUEST")
    d["BillingModeSummary"] = {{"BillingMode", billing},
                               {"LastUpdateToPayPerRequestDateTime", s["CreationDateTime"]}};
  auto stats = store_.TableStats(t.id);
  d["ItemCount"] = stats.first;
  d["TableSizeBytes"] = stats.second;
  for (const char* list : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    if (!s.contains(list) || s[list].empty()) continue;
    Json out = Json::array();
    for (const auto& idx : s[list]) {
      Json i = {{"IndexName", idx["IndexName"]},
                {"KeySchema", idx["KeySchema"]},
                {"Projection", idx["Projection"]},
                {"IndexArn", s.value("TableArn", "") + "/index/" + idx.value("IndexName", "")}};
      auto st = store_.IndexStats(t.id, idx.value("IndexName", ""));
      i["ItemCount"] = st.first;
      i["IndexSizeBytes"] = st.second;
      if (std::string(list) == "GlobalSecondaryIndexes") {
        i["IndexStatus"] = "ACTIVE";
        Json ipt = {
            {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
        if (idx.contains("ProvisionedThroughput") && billing == "PROVISIONED") {
          ipt["ReadCapacityUnits"] = idx["ProvisionedThroughput"].value("ReadCapacityUnits", 0);
          ipt["WriteCapacityUnits"] = idx["ProvisionedThroughput"].value("WriteCapacityUnits", 0);
        }
        i["ProvisionedThroughput"] = ipt;
      }
      out.push_back(i);
    }
    d[list] = out;
  }
  if (s.contains("StreamSpecification") && s["StreamSpecification"].value("StreamEnabled", false))
    d["StreamSpecification"] = s["StreamSpecification"];
  if (s.contains("LatestStreamArn")) {
    d["LatestStreamArn"] = s["LatestStreamArn"];
    d["LatestStreamLabel"] = s["LatestStreamLabel"];
  }
  if (s.contains("SSESpecification") && s["SSESpecification"].value("Enabled", false))
    d["SSEDescription"] = {
        {"Status", "ENABLED"},
        {"SSEType", s["SSESpecification"].value("SSEType", "KMS")},
        {"KMSMasterKeyArn", s["SSESpecification"].value(
                                "KMSMasterKeyId", "arn:aws:kms:" + ctx.region + ":" + ctx.account +
                                                      ":key/" + s.value("TableId", ""))}};
  if (s.contains("TableClass")) d["TableClassSummary"] = {{"TableClass", s["TableClass"]}};
  return d;
}

Result<Json> DynamoDb::CreateTable(Json& r, const RequestContext& ctx) {
  EDA_TRY(CheckTableName(r.contains("TableName") ? r["TableName"] : Json()));
  std::string name = r["TableName"];
  if (!r.contains("KeySchema"))
    return errors::Validation(
        "1 validation error detected: Value null at 'keySchema' failed to "
        "satisfy constraint: Member must not be null");
  if (!r.contains("AttributeDefinitions") || !r["AttributeDefinitions"].is_array())
    return errors::Validation(
        "1 validation error detected: Value null at 'attributeDefinitions' "
        "failed to satisfy constraint: Member must not be null");
  bool has_range = false;
  EDA_TRY(CheckKeySchema(r["KeySchema"], "keySchema", &has_range));
  std::map<std::string, std::string> defs;
  for (const auto& d : r["AttributeDefinitions"]) {
    std::string n = d.value("AttributeName", ""), t = d.value("AttributeType", "");
    if (t != "S" && t != "N" && t != "B")
      return errors::Validation(
          "1 validation error detected: Value '" + t +
          "' at 'attributeDefinitions.1.member.attributeType' failed to "
          "satisfy constraint: Member must satisfy enum value set: [B, N, S]");
    if (!defs.emplace(n, t).second)
      return errors::Validation("Cannot have two attributes with the same name");
  }
  std::set<std::string> used;
  auto use_keys = [&](const Json& ks) -> Status {
    std::string missing;
    for (const auto& k : ks) {
      std::string n = k["AttributeName"];
      used.insert(n);
      if (!defs.count(n)) missing += (missing.empty() ? "" : ", ") + n;
    }
    if (!missing.empty()) {
      std::string all;
      for (auto& kv : defs) all += (all.empty() ? "" : ", ") + kv.first;
      return errors::Validation(
          "One or more parameter values were invalid: Some index key attributes are not defined "
          "in AttributeDefinitions. Keys: [" +
          missing + "], AttributeDefinitions: [" + all + "]");
    }
    return OkStatus();
  };
  EDA_TRY(use_keys(r["KeySchema"]));
  std::string billing = Str(r, "BillingMode");
  if (billing.empty()) billing = "PROVISIONED";
  if (billing != "PROVISIONED" && billing != "PAY_PER_REQUEST")
    return errors::Validation("1 validation error detected: Value '" + billing +
                              "' at 'billingMode' failed to satisfy constraint: Member must "
                              "satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
  EDA_TRY(CheckThroughput(r, billing));
  std::set<std::string> index_names;
  std::string hash_name = r["KeySchema"][0]["AttributeName"];
  for (const char* list : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    if (!r.contains(list)) continue;
    bool global = std::string(list) == "GlobalSecondaryIndexes";
    if (!r[list].is_array() || r[list].empty())
      return errors::Validation(
          "One or more parameter values were invalid: List of " +
          std::string(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes") + " is empty");
    if (r[list].size() > (global ? 20u : 5u))
      return errors::LimitExceeded("One or more parameter values were invalid: Too many indexes");
    for (const auto& idx : r[list]) {
      std::string iname = idx.value("IndexName", "");
      if (iname.size() < 3)
        return errors::Validation("1 validation error detected: Value '" + iname +
                                  "' at 'indexName' failed to satisfy constraint: Member must "
                                  "have length greater than or equal to 3");
      if (!index_names.insert(iname).second)
        return errors::Validation(
            "One or more parameter values were invalid: Duplicate index name: " + iname);
      bool ir = false;
      EDA_TRY(
          CheckKeySchema(idx.contains("KeySchema") ? idx["KeySchema"] : Json(), "keySchema", &ir));
      EDA_TRY(use_keys(idx["KeySchema"]));
      EDA_TRY(CheckProjection(idx));
      if (global && billing == "PROVISIONED" && !idx.contains("ProvisionedThroughput"))
        return errors::Validation(
            "One or more parameter values were invalid: ProvisionedThroughput is not specified "
            "for index: " +
            iname);
      if (global && billing == "PAY_PER_REQUEST" && idx.contains("ProvisionedThroughput"))
        return errors::Validation(
            "One or more parameter values were invalid: ProvisionedThroughput should not be "
            "specified for index: " +
            iname + " when BillingMode is PAY_PER_REQUEST");
      if (!global) {
        if (!has_range)
          return errors::Validation(
              "One or more parameter values were invalid: Table KeySchema does not have a range "
              "key, which is required when specifying a LocalSecondaryIndex");
        if (idx["KeySchema"][0]["AttributeName"] != hash_name || !ir)
          return errors::Validation(
              "One or more parameter values were invalid: Index KeySchema does not have the "
              "same leading hash key as table KeySchema for index: " +
              iname + ". index hash key: " + idx["KeySchema"][0].value("AttributeName", "") +
              ", table hash key: " + hash_name);
      }
    }
  }
  if (used.size() != defs.size())
    return errors::Validation(
        "One or more parameter values were invalid: Number of attributes in KeySchema does not "
        "exactly match number of attributes defined in AttributeDefinitions");
  if (r.contains("StreamSpecification")) {
    const Json& ss = r["StreamSpecification"];
    if (ss.value("StreamEnabled", false)) {
      std::string v = ss.value("StreamViewType", "");
      if (v != "NEW_IMAGE" && v != "OLD_IMAGE" && v != "NEW_AND_OLD_IMAGES" && v != "KEYS_ONLY")
        return errors::Validation(
            "One or more parameter values were invalid: Stream view type is invalid or missing");
    }
  }
  if (store_.LoadTable(ctx.account, ctx.region, name))
    return errors::ResourceInUse("Table already exists: " + name);

  Json spec = {{"TableName", name},
               {"TableArn", TableArn(ctx, name)},
               {"TableId", ids::Uuid()},
               {"CreationDateTime", static_cast<double>(ctx.now_ms) / 1000.0},
               {"AttributeDefinitions", r["AttributeDefinitions"]},
               {"KeySchema", r["KeySchema"]},
               {"BillingMode", billing},
               {"DeletionProtectionEnabled", r.value("DeletionProtectionEnabled", false)}};
  if (r.contains("ProvisionedThroughput"))
    spec["ProvisionedThroughput"] = r["ProvisionedThroughput"];
  for (const char* k :
       {"GlobalSecondaryIndexes", "LocalSecondaryIndexes", "SSESpecification", "TableClass"})
    if (r.contains(k)) spec[k] = r[k];
  if (r.contains("StreamSpecification") && r["StreamSpecification"].value("StreamEnabled", false)) {
    spec["StreamSpecification"] = r["StreamSpecification"];
    Json label = StreamLabelNow(ctx.now_ms);
    spec["LatestStreamLabel"] = label;
    spec["LatestStreamArn"] = TableArn(ctx, name) + "/stream/" + label.get<std::string>();
  }
  spec["Tags"] = r.contains("Tags") ? r["Tags"] : Json::array();
  int64_t id = store_.InsertTable(ctx.account, ctx.region, name, spec.dump());
  TableMeta t = TableMeta::FromSpec(id, spec);
  return Json{{"TableDescription", Describe(t, ctx)}};
}

Result<Json> DynamoDb::DescribeTable(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(TableMeta t, LoadTable(ctx, r.value("TableName", Json())));
  return Json{{"Table", Describe(t, ctx)}};
}

Result<Json> DynamoDb::ListTables(Json& r, const RequestContext& ctx) {
  int limit = 100;
  if (r.contains("Limit")) {
    if (!r["Limit"].is_number_integer() || r["Limit"].get<int>() < 1 || r["Limit"].get<int>() > 100)
      return errors::Validation("1 validation error detected: Value '" + r["Limit"].dump() +
                                "' at 'limit' failed to satisfy constraint: Member must have "
                                "value less than or equal to 100");
    limit = r["Limit"].get<int>();
  }
  auto names =
      store_.ListTables(ctx.account, ctx.region, Str(r, "ExclusiveStartTableName"), limit + 1);
  Json out = {{"TableNames", Json::array()}};
  for (size_t i = 0; i < names.size() && static_cast<int>(i) < limit; ++i)
    out["TableNames"].push_back(names[i]);
  if (static_cast<int>(names.size()) > limit) out["LastEvaluatedTableName"] = names[limit - 1];
  return out;
}

Result<Json> DynamoDb::DeleteTable(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(TableMeta t, LoadTable(ctx, r.value("TableName", Json())));
  if (t.spec.value("DeletionProtectionEnabled", false))
    return errors::Validation(
        "Resource cannot be deleted as it is currently protected against "
        "deletion. Disable deletion protection first.");
  Json d = Describe(t, ctx);
  d["TableStatus"] = "DELETING";
  store_.DeleteTable(t.id);
  return Json{{"TableDescription", d}};
}

Result<Json> DynamoDb::UpdateTable(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(TableMeta t, LoadTable(ctx, r.value("TableName", Json())));
  Json& s = t.spec;
  if (r.contains("AttributeDefinitions")) {
    for (const auto& d : r["AttributeDefinitions"]) {
      bool found = false;
      for (const auto& e : s["AttributeDefinitions"])
        found = found || e["AttributeName"] == d["AttributeName"];
      if (!found) s["AttributeDefinitions"].push_back(d);
    }
  }
  if (r.contains("BillingMode")) {
    std::string b = Str(r, "BillingMode");
    if (b != "PROVISIONED" && b != "PAY_PER_REQUEST")
      return errors::Validation("1 validation error detected: Value '" + b +
                                "' at 'billingMode' failed to satisfy constraint: Member must "
                                "satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
    EDA_TRY(CheckThroughput(r, b));
    s["BillingMode"] = b;
    if (b == "PAY_PER_REQUEST") s.erase("ProvisionedThroughput");
  }
  if (r.contains("ProvisionedThroughput")) {
    if (s.value("BillingMode", "PROVISIONED") == "PAY_PER_REQUEST")
      return errors::Validation(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
          "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    s["ProvisionedThroughput"] = r["ProvisionedThroughput"];
  }
  if (r.contains("DeletionProtectionEnabled"))
    s["DeletionProtectionEnabled"] = r["DeletionProtectionEnabled"];
  if (r.contains("SSESpecification")) s["SSESpecification"] = r["SSESpecification"];
  if (r.contains("TableClass")) s["TableClass"] = r["TableClass"];
  if (r.contains("StreamSpecification")) {
    const Json& ss = r["StreamSpecification"];
    bool enable = ss.value("StreamEnabled", false);
    if (enable) {
      if (t.stream_enabled)
        return errors::Validation("Table already has an enabled stream: " + t.stream_arn);
      std::string v = ss.value("StreamViewType", "");
      if (v != "NEW_IMAGE" && v != "OLD_IMAGE" && v != "NEW_AND_OLD_IMAGES" && v != "KEYS_ONLY")
        return errors::Validation(
            "One or more parameter values were invalid: Stream view type is invalid or missing");
      Json label = StreamLabelNow(ctx.now_ms);
      s["StreamSpecification"] = ss;
      s["LatestStreamLabel"] = label;
      s["LatestStreamArn"] = s.value("TableArn", "") + "/stream/" + label.get<std::string>();
    } else {
      if (!t.stream_enabled)
        return errors::Validation("Table " + t.name + " does not have a stream enabled");
      s["StreamSpecification"] = {{"StreamEnabled", false}};
    }
  }
  std::vector<std::string> backfill;
  if (r.contains("GlobalSecondaryIndexUpdates")) {
    for (const auto& u : r["GlobalSecondaryIndexUpdates"]) {
      if (u.contains("Create")) {
        const Json& c = u["Create"];
        std::string iname = c.value("IndexName", "");
        if (t.FindIndex(iname))
          return errors::Validation(
              "One or more parameter values were invalid: Index already exists: " + iname);
        bool ir = false;
        EDA_TRY(
            CheckKeySchema(c.contains("KeySchema") ? c["KeySchema"] : Json(), "keySchema", &ir));
        EDA_TRY(CheckProjection(c));
        for (const auto& k : c["KeySchema"]) {
          bool defined = false;
          for (const auto& e : s["AttributeDefinitions"])
            defined = defined || e["AttributeName"] == k["AttributeName"];
          if (!defined)
            return errors::Validation(
                "One or more parameter values were invalid: Some index key attributes are not "
                "defined in AttributeDefinitions. Keys: [" +
                k.value("AttributeName", "") + "]");
        }
        if (!s.contains("GlobalSecondaryIndexes")) s["GlobalSecondaryIndexes"] = Json::array();
        s["GlobalSecondaryIndexes"].push_back(c);
        backfill.push_back(iname);
      } else if (u.contains("Delete")) {
        std::string iname = u["Delete"].value("IndexName", "");
        const IndexMeta* im = t.FindIndex(iname);
        if (!im || !im->global)
          return errors::ResourceNotFound("Requested resource not found: Index: " + iname);
        Json kept = Json::array();
        for (const auto& i : s["GlobalSecondaryIndexes"])
          if (i.value("IndexName", "") != iname) kept.push_back(i);
        s["GlobalSecondaryIndexes"] = kept;
        store_.DropIndex(t.id, iname);
      } else if (u.contains("Update")) {
        std::string iname = u["Update"].value("IndexName", "");
        if (!t.FindIndex(iname))
          return errors::ResourceNotFound("Requested resource not found: Index: " + iname);
        for (auto& i : s["GlobalSecondaryIndexes"])
          if (i.value("IndexName", "") == iname && u["Update"].contains("ProvisionedThroughput"))
            i["ProvisionedThroughput"] = u["Update"]["ProvisionedThroughput"];
      }
    }
  }
  TableMeta updated = TableMeta::FromSpec(t.id, s);
  if (!backfill.empty()) {
    std::vector<StoredItem> items;
    RangeRead all;
    all.tid = t.id;
    store_.Read(all, [&](const StoredItem& it) {
      items.push_back(it);
      return true;
    });
    for (const auto& name : backfill) {
      const IndexMeta* idx = updated.FindIndex(name);
      for (const auto& row : items) {
        Json item = Json::parse(row.item);
        if (!item.contains(idx->hash.name) || TypeOf(item[idx->hash.name]) != idx->hash.type)
          continue;
        if (idx->range && (!item.contains(idx->range->name) ||
                           TypeOf(item[idx->range->name]) != idx->range->type))
          continue;
        store_.PutIndexEntry(t.id, name, KeyBytes(item[idx->hash.name]),
                             idx->range ? KeyBytes(item[idx->range->name]) : std::string(), row.pk,
                             row.sk);
      }
    }
  }
  SaveSpec(updated);
  return Json{{"TableDescription", Describe(updated, ctx)}};
}

}  // namespace edastack::dynamodb

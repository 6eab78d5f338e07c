// Query and Scan over the base table or a secondary index (real SQLite index ranges).
#include <cmath>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/expr/evaluator.h"
#include "emulator/dynamodb/operations.h"
#include "emulator/dynamodb/request_expressions.h"
#include "protocol/core/crypto.h"

namespace edastack::dynamodb {
namespace {

constexpr int64_t kPageBytes = 1024 * 1024;

// The smallest byte string greater than every string starting with `p`; nullopt if none.
std::optional<std::string> PrefixEnd(std::string p) {
  while (!p.empty()) {
    unsigned char c = static_cast<unsigned char>(p.back());
    if (c != 0xff) {
      p.back() = static_cast<char>(c + 1);
      return p;
    }
    p.pop_back();
  }
  return std::nullopt;
}

void Flatten(const expr::Condition& c, std::vector<const expr::Condition*>* out, std::string* bad) {
  using K = expr::Condition::Kind;
  if (c.kind == K::kAnd) {
    Flatten(c.children[0], out, bad);
    Flatten(c.children[1], out, bad);
  } else if (c.kind == K::kOr || c.kind == K::kNot || c.kind == K::kIn) {
    *bad = c.kind == K::kOr ? "OR" : (c.kind == K::kNot ? "NOT" : "IN");
  } else {
    out->push_back(&c);
  }
}

struct Plan {
  const IndexMeta* index = nullptr;
  std::vector<expr::Path> projection;
  bool has_projection = false;
  std::string select;
  std::optional<expr::Condition> filter;
  int64_t limit = -1;
  bool forward = true;
  std::optional<int> segment;
  int total_segments = 1;
};

// The attributes an index stores for an item.
Json IndexView(const TableMeta& t, const IndexMeta& idx, const Json& item) {
  if (idx.projection == "ALL") return item;
  Json out = DynamoDb::KeyAttributes(t, &idx, item);
  for (const auto& n : idx.non_key)
    if (item.contains(n)) out[n] = item[n];
  return out;
}

}  // namespace

namespace {

Result<Plan> CommonPlan(const TableMeta& t, const Json& r, expr::ParseContext& pc, bool query) {
  Plan p;
  if (r.contains("IndexName") && !r["IndexName"].is_null()) {
    std::string iname = Str(r, "IndexName");
    p.index = t.FindIndex(iname);
    if (!p.index)
      return errors::Validation("The table does not have the specified index: " + iname);
    if (p.index->global && r.value("ConsistentRead", false))
      return errors::Validation("Consistent reads are not supported on global secondary indexes");
  }
  EDA_ASSIGN_OR_RETURN(auto proj, OptionalProjection(pc, r));
  if (proj) {
    p.projection = *proj;
    p.has_projection = true;
  }
  p.select = Str(r, "Select");
  if (p.select.empty())
    p.select = p.has_projection ? "SPECIFIC_ATTRIBUTES"
                                : (p.index ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES");
  if (p.select != "ALL_ATTRIBUTES" && p.select != "ALL_PROJECTED_ATTRIBUTES" &&
      p.select != "SPECIFIC_ATTRIBUTES" && p.select != "COUNT")
    return errors::Validation("1 validation error detected: Value '" + p.select +
                              "' at 'select' failed to satisfy constraint: Member must satisfy "
                              "enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
                              "ALL_PROJECTED_ATTRIBUTES]");
  if (p.has_projection && p.select != "SPECIFIC_ATTRIBUTES")
    return errors::Validation(
        "Cannot specify the AttributesToGet or ProjectionExpression when "
        "choosing to get " +
        p.select);
  if (p.select == "SPECIFIC_ATTRIBUTES" && !p.has_projection)
    return errors::Validation(
        "One or more parameter values were invalid: Select type "
        "SPECIFIC_ATTRIBUTES requires AttributesToGet or ProjectionExpression");
  if (p.select == "ALL_PROJECTED_ATTRIBUTES" && !p.index)
    return errors::Validation(
        "One or more parameter values were invalid: Select type "
        "ALL_PROJECTED_ATTRIBUTES is only supported for secondary indexes");
  if (p.select == "ALL_ATTRIBUTES" && p.index && p.index->global && p.index->projection != "ALL")
    return errors::Validation(
        "One or more parameter values were invalid: Select type "
        "ALL_ATTRIBUTES is not supported for global secondary index " +
        p.index->name + " because its projection type is not ALL");
  EDA_ASSIGN_OR_RETURN(auto filter, OptionalCondition(pc, r, "FilterExpression"));
  p.filter = std::move(filter);
  if (r.contains("Limit") && !r["Limit"].is_null()) {
    if (!r["Limit"].is_number_integer() || r["Limit"].get<int64_t>() < 1)
      return errors::Validation("1 validation error detected: Value '" + r["Limit"].dump() +
                                "' at 'limit' failed to satisfy constraint: Member must have "
                                "value greater than or equal to 1");
    p.limit = r["Limit"].get<int64_t>();
  }
  if (query) p.forward = r.value("ScanIndexForward", true);
  return p;
}

// ExclusiveStartKey → the store's start tuple.
Result<std::optional<std::vector<std::string>>> StartTuple(DynamoDb& db, const TableMeta& t,
                                                           const IndexMeta* idx, const Json& r,
                                                           bool query) {
  if (!r.contains("ExclusiveStartKey") || r["ExclusiveStartKey"].is_null())
    return std::optional<std::vector<std::string>>();
  Json esk = r["ExclusiveStartKey"];
  auto invalid = [] {
    return errors::Validation(
        "The provided starting key is invalid: The provided key element "
        "does not match the schema");
  };
  if (!esk.is_object()) return invalid();
  Status s = NormalizeItem(esk);
  if (!s.ok()) return invalid();
  Json base = Json::object();
  for (const KeyDef* d : {&t.hash, t.range ? &*t.range : nullptr})
    if (d) {
      if (!esk.contains(d->name)) return invalid();
      base[d->name] = esk[d->name];
    }
  auto k = db.KeyOf(t, base);
  if (!k.ok()) return invalid();
  std::vector<std::string> out;
  if (idx) {
    for (const KeyDef* d : {&idx->hash, idx->range ? &*idx->range : nullptr})
      if (d && (!esk.contains(d->name) || TypeOf(esk[d->name]) != d->type)) return invalid();
    std::string ipk = KeyBytes(esk[idx->hash.name]);
    std::string isk = idx->range ? KeyBytes(esk[idx->range->name]) : std::string();
    if (!query) out.push_back(ipk);
    out.push_back(isk);
    out.push_back(k->hash);
    out.push_back(k->range);
  } else {
    if (!query) out.push_back(k->hash);
    out.push_back(k->range);
  }
  return std::optional<std::vector<std::string>>(out);
}

Json RunPage(DynamoDb& db, const TableMeta& t, const Plan& p, RangeRead read, const Json& r,
             const RequestContext& ctx) {
  Json items = Json::array();
  int64_t scanned = 0, count = 0, bytes = 0;
  bool more = false, full = false;
  std::string last_item;  // stored text of the last item read, for LastEvaluatedKey
  const KeyDef& seg_key = p.index ? p.index->hash : t.hash;
  (void)seg_key;
  db.store().Read(read, [&](const StoredItem& row) {
    if (row.expires && *row.expires * 1000 <= ctx.now_ms) return true;
    if (p.segment) {
      // Segments split the key space by a hash of the partition key bytes.
      std::string part = row.pk;
      if (crypto::Crc32(part) % static_cast<uint32_t>(p.total_segments) !=
          static_cast<uint32_t>(*p.segment))
        return true;
    }
    if ((p.limit >= 0 && scanned >= p.limit) || full) {
      more = true;
      return false;
    }
    ++scanned;
    Json item = Json::parse(row.item);
    // The base table and ALL-projection indexes show the whole item (its stored size is
    // its size); other indexes show their projection, built only for them.
    const bool whole = !p.index || p.index->projection == "ALL";
    Json view;
    if (!whole) view = IndexView(t, *p.index, item);
    const Json& shown = whole ? item : view;
    bytes += whole ? row.size : ItemSize(view);
    last_item = row.item;
    if (bytes >= kPageBytes) full = true;
    const Json& subject = (p.index && p.index->global) ? shown : item;
    if (p.filter && !expr::Evaluate(*p.filter, subject)) return true;
    ++count;
    if (p.select == "COUNT") return true;
    if (p.has_projection)
      items.push_back(expr::Project(subject, p.projection));
    else if (whole || p.select == "ALL_ATTRIBUTES")
      items.push_back(std::move(item));
    else
      items.push_back(std::move(view));
    return true;
  });
  Json out = {{"Count", count}, {"ScannedCount", scanned}};
  if (p.select != "COUNT") out["Items"] = std::move(items);
  if (more) out["LastEvaluatedKey"] = DynamoDb::KeyAttributes(t, p.index, Json::parse(last_item));
  double units = std::max(1.0, std::ceil(bytes / 4096.0));
  if (!r.value("ConsistentRead", false)) units /= 2;
  Json cc = Consumed(r, t.name, units, false);
  if (!cc.is_null()) out["ConsumedCapacity"] = cc;
  return out;
}

}  // namespace

Result<Json> DynamoDb::Query(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, r.value("TableName", Json())));
  const TableMeta& t = *table;
  EDA_TRY(CheckNoMixing(r, {"KeyConditions", "QueryFilter", "AttributesToGet"},
                        {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"}));
  EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(r));
  expr::ParseContext pc(in.names, in.values);
  std::optional<expr::Condition> kc;
  if (r.contains("KeyConditionExpression") && r["KeyConditionExpression"].is_string()) {
    EDA_ASSIGN_OR_RETURN(auto c, pc.ParseCondition(r["KeyConditionExpression"].get<std::string>(),
                                                   "KeyConditionExpression"));
    kc = std::move(c);
  } else {
    EDA_ASSIGN_OR_RETURN(kc, LegacyCondition(r, "KeyConditions", false));
  }
  if (!kc)
    return errors::Validation(
        "Either the KeyConditions or KeyConditionExpression parameter must "
        "be specified in the request.");
  EDA_ASSIGN_OR_RETURN(Plan p, CommonPlan(t, r, pc, true));
  EDA_TRY(pc.CheckAllUsed());
  if (!p.filter) {
    EDA_ASSIGN_OR_RETURN(p.filter, LegacyCondition(r, "QueryFilter", false));
  }

  const KeyDef& hk = p.index ? p.index->hash : t.hash;
  const std::optional<KeyDef>& rk = p.index ? p.index->range : t.range;
  std::vector<const expr::Condition*> leaves;
  std::string bad;
  Flatten(*kc, &leaves, &bad);
  if (!bad.empty())
    return errors::Validation("Invalid operator used in KeyConditionExpression: " + bad);
  if (leaves.size() > 2) return errors::Validation("Conditions can be of length 1 or 2 only");
  const expr::Condition* hash_leaf = nullptr;
  const expr::Condition* range_leaf = nullptr;
  for (const auto* l : leaves) {
    if (l->operands.empty() || l->operands[0].kind != expr::Operand::Kind::kPath ||
        l->operands[0].path.elems.size() != 1)
      return errors::Validation("Query key condition not supported");
    for (size_t i = 1; i < l->operands.size(); ++i)
      if (l->operands[i].kind != expr::Operand::Kind::kValue)
        return errors::Validation("Query key condition not supported");
    const std::string& name = l->operands[0].path.elems[0].name;
    if (name == hk.name && l->kind == expr::Condition::Kind::kCompare && l->op == "=" &&
        !hash_leaf) {
      hash_leaf = l;
    } else if (rk && name == rk->name && !range_leaf) {
      range_leaf = l;
    } else if (name == hk.name || (rk && name == rk->name)) {
      return errors::Validation("Query key condition not supported");
    } else {
      return errors::Validation(
          "Query condition missed key schema element: " +
          (hash_leaf || leaves.size() == 1 ? (rk ? rk->name : hk.name) : hk.name));
    }
  }
  if (!hash_leaf)
    return errors::Validation("Query condition missed key schema element: " + hk.name);
  auto type_ok = [](const KeyDef& d, const Json& v) { return TypeOf(v) == d.type; };
  const Json& hv = hash_leaf->operands[1].value;
  if (!type_ok(hk, hv))
    return errors::Validation(
        "One or more parameter values were invalid: Condition parameter "
        "type does not match schema type");
  RangeRead read;
  read.tid = t.id;
  if (p.index) read.index = p.index->name;
  read.hash = KeyBytes(hv);
  read.forward = p.forward;
  if (range_leaf) {
    for (size_t i = 1; i < range_leaf->operands.size(); ++i)
      if (!type_ok(*rk, range_leaf->operands[i].value))
        return errors::Validation(
            "One or more parameter values were invalid: Condition parameter "
            "type does not match schema type");
    using K = expr::Condition::Kind;
    const auto& ops = range_leaf->operands;
    if (range_leaf->kind == K::kCompare) {
      std::string b = KeyBytes(ops[1].value);
      const std::string& op = range_leaf->op;
      if (op == "=")
        read.lo = read.hi = b;
      else if (op == "<" || op == "<=")
        read.hi = b, read.hi_inclusive = op == "<=";
      else if (op == ">" || op == ">=")
        read.lo = b, read.lo_inclusive = op == ">=";
      else
        return errors::Validation("Unsupported operator on KeyConditionExpression: operator: " +
                                  op);
    } else if (range_leaf->kind == K::kBetween) {
      read.lo = KeyBytes(ops[1].value);
      read.hi = KeyBytes(ops[2].value);
    } else if (range_leaf->kind == K::kFunction && range_leaf->op == "begins_with") {
      if (rk->type == "N")
        return errors::Validation(
            "Invalid KeyConditionExpression: Incorrect operand type for "
            "operator or function; operator or function: begins_with, "
            "operand type: N");
      std::string b = KeyBytes(ops[1].value);
      if (!b.empty()) {
        read.lo = b;
        auto end = PrefixEnd(b);
        if (end) {
          read.hi = *end;
          read.hi_inclusive = false;
        }
      }
    } else {
      return errors::Validation(
          "Invalid KeyConditionExpression: Invalid function name; function: " + range_leaf->op);
    }
  }
  EDA_ASSIGN_OR_RETURN(read.start, StartTuple(*this, t, p.index, r, true));
  return RunPage(*this, t, p, read, r, ctx);
}

Result<Json> DynamoDb::Scan(Json& r, const RequestContext& ctx) {
  EDA_ASSIGN_OR_RETURN(auto table, FindTable(ctx, r.value("TableName", Json())));
  const TableMeta& t = *table;
  EDA_TRY(CheckNoMixing(r, {"ScanFilter", "AttributesToGet"},
                        {"FilterExpression", "ProjectionExpression"}));
  EDA_ASSIGN_OR_RETURN(ExprInputs in, ReadExprInputs(r));
  expr::ParseContext pc(in.names, in.values);
  EDA_ASSIGN_OR_RETURN(Plan p, CommonPlan(t, r, pc, false));
  EDA_TRY(pc.CheckAllUsed());
  if (!p.filter) {
    EDA_ASSIGN_OR_RETURN(p.filter, LegacyCondition(r, "ScanFilter", false));
  }
  bool has_seg = r.contains("Segment") && !r["Segment"].is_null();
  bool has_total = r.contains("TotalSegments") && !r["TotalSegments"].is_null();
  if (has_seg != has_total)
    return errors::Validation(has_seg ? "The TotalSegments parameter is required but was not "
                                        "present in the request when Segment parameter is present"
                                      : "The Segment parameter is required but was not present "
                                        "in the request when parameter TotalSegments is present");
  if (has_total) {
    if (!r["TotalSegments"].is_number_integer() || r["TotalSegments"].get<int64_t>() < 1 ||
        r["TotalSegments"].get<int64_t>() > 1000000)
      return errors::Validation("1 validation error detected: Value '" + r["TotalSegments"].dump() +
                                "' at 'totalSegments' failed to satisfy constraint: Member must "
                                "have value between 1 and 1000000");
    p.total_segments = r["TotalSegments"].get<int>();
    if (!r["Segment"].is_number_integer() || r["Segment"].get<int64_t>() < 0 ||
        r["Segment"].get<int64_t>() >= p.total_segments)
      return errors::Validation(
          "The Segment parameter is zero-based and must be less than "
          "parameter TotalSegments: Segment: " +
          r["Segment"].dump() +
          " is not less than TotalSegments: " + std::to_string(p.total_segments));
    p.segment = r["Segment"].get<int>();
  }
  RangeRead read;
  read.tid = t.id;
  if (p.index) read.index = p.index->name;
  EDA_ASSIGN_OR_RETURN(read.start, StartTuple(*this, t, p.index, r, false));
  return RunPage(*this, t, p, read, r, ctx);
}

}  // namespace edastack::dynamodb

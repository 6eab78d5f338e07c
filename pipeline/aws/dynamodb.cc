#include "pipeline/aws/dynamodb.h"

namespace edastack::pipeline::aws {
namespace {

void AddExpression(nlohmann::json& body, const Expression& expr) {
  if (!expr.condition.empty()) body["ConditionExpression"] = expr.condition;
  if (!expr.update.empty()) body["UpdateExpression"] = expr.update;
  if (expr.names.is_object() && !expr.names.empty()) body["ExpressionAttributeNames"] = expr.names;
  if (expr.values.is_object() && !expr.values.empty())
    body["ExpressionAttributeValues"] = expr.values;
}

std::string NumberText(const nlohmann::json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  return v.dump();
}

}  // namespace

nlohmann::json ToAttributeValue(const nlohmann::json& v) {
  if (v.is_string()) return {{"S", v}};
  if (v.is_boolean()) return {{"BOOL", v}};
  if (v.is_null()) return {{"NULL", true}};
  if (v.is_number()) return {{"N", NumberText(v)}};
  if (v.is_array()) {
    nlohmann::json l = nlohmann::json::array();
    for (const auto& e : v) l.push_back(ToAttributeValue(e));
    return {{"L", l}};
  }
  nlohmann::json m = nlohmann::json::object();
  for (auto it = v.begin(); it != v.end(); ++it) m[it.key()] = ToAttributeValue(*it);
  return {{"M", m}};
}

nlohmann::json FromAttributeValue(const nlohmann::json& av) {
  if (!av.is_object() || av.empty()) return nullptr;
  auto it = av.begin();
  const std::string& t = it.key();
  const nlohmann::json& v = it.value();
  if (t == "S" || t == "B") return v;
  if (t == "BOOL") return v;
  if (t == "NULL") return nullptr;
  if (t == "N") {
    auto n = nlohmann::json::parse(v.get<std::string>(), nullptr, false);
    return n.is_discarded() ? v : n;
  }
  if (t == "L") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : v) out.push_back(FromAttributeValue(e));
    return out;
  }
  if (t == "M") return FromItem(v);
  if (t == "SS" || t == "BS") return v;
  if (t == "NS") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : v) out.push_back(FromAttributeValue({{"N", e}}));
    return out;
  }
  return v;
}

nlohmann::json FromItem(const nlohmann::json& item) {
  nlohmann::json out = nlohmann::json::object();
  for (auto it = item.begin(); it != item.end(); ++it) out[it.key()] = FromAttributeValue(*it);
  return out;
}

Result<nlohmann::json> DynamoDb::Call(const std::string& op, const nlohmann::json& body) {
  return client_.CallJson("dynamodb", "DynamoDB_20120810." + op, body, "1.0");
}

Result<nlohmann::json> DynamoDb::CreateTable(const nlohmann::json& request) {
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("CreateTable", request));
  return res.value("TableDescription", nlohmann::json::object());
}

Result<nlohmann::json> DynamoDb::DescribeTable(const std::string& table) {
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("DescribeTable", {{"TableName", table}}));
  return res.value("Table", nlohmann::json::object());
}

Status DynamoDb::DeleteTable(const std::string& table) {
  EDA_TRY(Call("DeleteTable", {{"TableName", table}}));
  return OkStatus();
}

Status DynamoDb::UpdateTimeToLive(const std::string& table, const std::string& attribute,
                                  bool enabled) {
  EDA_TRY(Call("UpdateTimeToLive",
               {{"TableName", table},
                {"TimeToLiveSpecification", {{"Enabled", enabled}, {"AttributeName", attribute}}}}));
  return OkStatus();
}

Result<nlohmann::json> DynamoDb::DescribeTimeToLive(const std::string& table) {
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("DescribeTimeToLive", {{"TableName", table}}));
  return res.value("TimeToLiveDescription", nlohmann::json::object());
}

Status DynamoDb::PutItem(const std::string& table, const nlohmann::json& item,
                         const Expression& expr) {
  nlohmann::json body = {{"TableName", table}, {"Item", item}};
  AddExpression(body, expr);
  EDA_TRY(Call("PutItem", body));
  return OkStatus();
}

Result<nlohmann::json> DynamoDb::UpdateItem(const std::string& table, const nlohmann::json& key,
                                            const Expression& expr,
                                            const std::string& return_values) {
  nlohmann::json body = {{"TableName", table}, {"Key", key}, {"ReturnValues", return_values}};
  AddExpression(body, expr);
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("UpdateItem", body));
  return res.value("Attributes", nlohmann::json::object());
}

nlohmann::json TransactPut(const std::string& table, const nlohmann::json& item,
                           const Expression& expr) {
  nlohmann::json put = {{"TableName", table}, {"Item", item}};
  AddExpression(put, expr);
  return {{"Put", std::move(put)}};
}

nlohmann::json TransactUpdate(const std::string& table, const nlohmann::json& key,
                              const Expression& expr) {
  nlohmann::json update = {{"TableName", table}, {"Key", key}};
  AddExpression(update, expr);
  return {{"Update", std::move(update)}};
}

Status DynamoDb::TransactWriteItems(const nlohmann::json& items) {
  EDA_TRY(Call("TransactWriteItems", {{"TransactItems", items}}));
  return OkStatus();
}

Result<std::optional<nlohmann::json>> DynamoDb::GetItem(const std::string& table,
                                                        const nlohmann::json& key,
                                                        bool consistent) {
  EDA_ASSIGN_OR_RETURN(nlohmann::json res, Call("GetItem", {{"TableName", table},
                                                            {"Key", key},
                                                            {"ConsistentRead", consistent}}));
  if (!res.contains("Item") || !res["Item"].is_object()) return std::optional<nlohmann::json>();
  return std::optional<nlohmann::json>(res["Item"]);
}

Result<nlohmann::json> DynamoDb::Query(const nlohmann::json& request) {
  return Call("Query", request);
}

Result<nlohmann::json> DynamoDb::Scan(const nlohmann::json& request) {
  return Call("Scan", request);
}

}  // namespace edastack::pipeline::aws

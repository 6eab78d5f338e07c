// Typed DynamoDB calls (JSON 1.0) over client::AwsClient. Items and keys are DynamoDB JSON
// (AttributeValue maps); the request shapes are AWS's. Holds a reference to the client (which
// must outlive it). Thread-safe when the client is.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/client/aws_client.h"
#include "protocol/core/result.h"

namespace edastack::pipeline::aws {

// Expression parts shared by PutItem / UpdateItem (and their TransactWriteItems forms).
struct Expression {
  std::string condition;           // ConditionExpression, may be empty
  std::string update;              // UpdateExpression (UpdateItem only)
  nlohmann::json names;            // ExpressionAttributeNames or null
  nlohmann::json values;           // ExpressionAttributeValues or null
};

class DynamoDb {
 public:
  explicit DynamoDb(client::AwsClient& client) : client_(client) {}

  // `request` is the whole CreateTable request. Returns the TableDescription.
  Result<nlohmann::json> CreateTable(const nlohmann::json& request);
  // The TableDescription; ResourceNotFoundException when absent.
  Result<nlohmann::json> DescribeTable(const std::string& table);
  Status DeleteTable(const std::string& table);
  Status UpdateTimeToLive(const std::string& table, const std::string& attribute, bool enabled);
  // {"TimeToLiveStatus": ..., "AttributeName": ...}
  Result<nlohmann::json> DescribeTimeToLive(const std::string& table);
  // ConditionalCheckFailedException when the condition fails.
  Status PutItem(const std::string& table, const nlohmann::json& item, const Expression& expr = {});
  // Returns the Attributes that `return_values` asks for (ALL_NEW, NONE, ...) — possibly empty.
  Result<nlohmann::json> UpdateItem(const std::string& table, const nlohmann::json& key,
                                    const Expression& expr,
                                    const std::string& return_values = "ALL_NEW");
  // `items` is TransactWriteItems' TransactItems (1..100 Put / Update / Delete /
  // ConditionCheck, one per item): all are applied or none. TransactionCanceledException
  // when a condition fails.
  Status TransactWriteItems(const nlohmann::json& items);
  // The Item, or nullopt when absent.
  Result<std::optional<nlohmann::json>> GetItem(const std::string& table, const nlohmann::json& key,
                                                bool consistent = true);
  // Query / Scan: the request is AWS's shape; returns the response.
  Result<nlohmann::json> Query(const nlohmann::json& request);
  Result<nlohmann::json> Scan(const nlohmann::json& request);

 private:
  Result<nlohmann::json> Call(const std::string& op, const nlohmann::json& body);
  client::AwsClient& client_;
};

// The Put / Update entry of TransactWriteItems for these arguments.
nlohmann::json TransactPut(const std::string& table, const nlohmann::json& item,
                           const Expression& expr);
nlohmann::json TransactUpdate(const std::string& table, const nlohmann::json& key,
                              const Expression& expr);

// Plain JSON <-> DynamoDB AttributeValue. Numbers become N, objects M, arrays L.
nlohmann::json ToAttributeValue(const nlohmann::json& v);
nlohmann::json FromAttributeValue(const nlohmann::json& av);
// A whole item (name -> AttributeValue) to a plain JSON object.
nlohmann::json FromItem(const nlohmann::json& item);

}  // namespace edastack::pipeline::aws

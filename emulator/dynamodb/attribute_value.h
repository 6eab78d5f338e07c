// AttributeValues as their wire JSON ({"S":"x"}, {"N":"1"}, {"M":{...}}, ...), validated
// and normalised on input: numbers in normal form, binary as canonical base64, sets
// non-empty and without duplicates. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/core/result.h"

namespace edastack::dynamodb {

using Json = nlohmann::json;

// The single type tag of a value ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"),
// or "" when the value is malformed.
std::string TypeOf(const Json& v);

// Validates and normalises one value in place.
Status NormalizeValue(Json& v);
// Validates and normalises an item (a map of name to value) in place.
Status NormalizeItem(Json& item);

// The item's size as DynamoDB counts it (names + values), in bytes.
int64_t ItemSize(const Json& item);
int64_t ValueSize(const Json& v);

// Deep equality: numbers numerically, sets ignoring order.
bool ValuesEqual(const Json& a, const Json& b);
// Ordering of two scalars of the same type S, N or B; nullopt when not comparable.
std::optional<int> CompareScalars(const Json& a, const Json& b);

// The order-preserving bytes of a key value (S: UTF-8, N: Decimal::SortKey, B: raw bytes).
std::string KeyBytes(const Json& v);
// Raw bytes of a B value (decoded base64).
std::string BinaryBytes(const Json& v);

}  // namespace edastack::dynamodb

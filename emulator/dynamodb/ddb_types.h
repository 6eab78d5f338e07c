// DynamoDB domain types: a table's schema and settings as operations need them.
// Plain values. The full description is kept as JSON (`spec`) because DescribeTable
// echoes most of CreateTable's input back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/dynamodb/attribute_value.h"

namespace edastack::dynamodb {

struct KeyDef {
  std::string name;
  std::string type;  // S, N or B
};

struct IndexMeta {
  std::string name;
  bool global = true;
  KeyDef hash;
  std::optional<KeyDef> range;
  std::string projection = "ALL";    // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> non_key;  // INCLUDE
};

struct TableMeta {
  int64_t id = 0;  // row id in ddb_tables
  std::string name;
  KeyDef hash;
  std::optional<KeyDef> range;
  std::vector<IndexMeta> indexes;
  bool has_lsi = false;       // at least one local index: item collections are metered
  std::string ttl_attribute;  // non-empty when TTL is enabled
  bool stream_enabled = false;
  std::string stream_view;  // NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY
  std::string stream_arn;   // latest stream (may be disabled now)
  Json spec;                // everything DescribeTable reports that is stored

  const IndexMeta* FindIndex(const std::string& n) const {
    for (const auto& i : indexes)
      if (i.name == n) return &i;
    return nullptr;
  }
  // Builds the typed fields from `spec` (stored JSON).
  static TableMeta FromSpec(int64_t id, const Json& spec);
};

// AWS's limit on an item collection (the items sharing one partition key value plus their
// local-index entries) of a table with a local secondary index: 10 GB.
constexpr int64_t kItemCollectionLimitBytes = int64_t{10} << 30;

// Settings of the DynamoDB backend that are AWS limits, injected so tests can lower them.
struct DdbOptions {
  int64_t item_collection_limit_bytes = kItemCollectionLimitBytes;
};

// Primary-key bytes of an item in a table (or index): hash bytes and sort bytes ("" when
// there is no sort key).
struct KeyBytesPair {
  std::string hash, range;
};

}  // namespace edastack::dynamodb

// DynamoDB and DynamoDB Streams operations: one member per AWS action, each taking the
// request's JSON body (already parsed, owned by the call: an operation may move members out
// of it, e.g. PutItem's Item) and the request context, returning the response body or an
// AwsError. The caller (Call) holds the database lock and wraps each call in
// one SQLite transaction, committed only on success, so a failed call changes nothing.
//
// Thread-safe: every entry point takes the database lock.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "emulator/dynamodb/ddb_store.h"
#include "emulator/dynamodb/ddb_types.h"
#include "emulator/dynamodb/expr/ast.h"
#include "emulator/server/context.h"

namespace edastack::dynamodb {

class DynamoDb {
 public:
  // Migrates the schema. `db` must outlive this object.
  explicit DynamoDb(storage::Database& db);

  // Runs `op` ("PutItem", "GetRecords", ...) in one transaction: a read transaction for the
  // actions that only read, a write transaction for the others.
  Result<Json> Call(const std::string& op, Json req, const RequestContext& ctx, bool streams_api);

  // Deletes items whose TTL passed (at most `limit`), writing REMOVE stream records marked
  // as done by the TTL service, and trims stream records older than 24 hours. Returns the
  // number of items deleted. Takes the lock.
  int SweepExpired(int64_t now_ms, int limit = 1000);

  // Forgets the cached table descriptions (after POST /_edastack/reset). Takes the lock.
  void ResetCaches();
  // The same with the database lock already held.
  void ResetCachesLocked();

 private:
  friend class ItemWriter;
  // Tables (table_operations.cc)
  Result<Json> CreateTable(Json& r, const RequestContext& ctx);
  Result<Json> DescribeTable(Json& r, const RequestContext& ctx);
  Result<Json> ListTables(Json& r, const RequestContext& ctx);
  Result<Json> DeleteTable(Json& r, const RequestContext& ctx);
  Result<Json> UpdateTable(Json& r, const RequestContext& ctx);
  Result<Json> UpdateTimeToLive(Json& r, const RequestContext& ctx);
  Result<Json> DescribeTimeToLive(Json& r, const RequestContext& ctx);
  Result<Json> DescribeContinuousBackups(Json& r, const RequestContext& ctx);
  Result<Json> UpdateContinuousBackups(Json& r, const RequestContext& ctx);
  Result<Json> TagResource(Json& r, const RequestContext& ctx);
  Result<Json> UntagResource(Json& r, const RequestContext& ctx);
  Result<Json> ListTagsOfResource(Json& r, const RequestContext& ctx);
  Result<Json> DescribeLimits(Json& r, const RequestContext& ctx);
  Result<Json> DescribeEndpoints(Json& r, const RequestContext& ctx);
  // Items (item_operations.cc)
  Result<Json> PutItem(Json& r, const RequestContext& ctx);
  Result<Json> GetItem(Json& r, const RequestContext& ctx);
  Result<Json> UpdateItem(Json& r, const RequestContext& ctx);
  Result<Json> DeleteItem(Json& r, const RequestContext& ctx);
  // Query and Scan (query_operations.cc)
  Result<Json> Query(Json& r, const RequestContext& ctx);
  Result<Json> Scan(Json& r, const RequestContext& ctx);
  // Batches and transactions (batch_operations.cc)
  Result<Json> BatchGetItem(Json& r, const RequestContext& ctx);
  Result<Json> BatchWriteItem(Json& r, const RequestContext& ctx);
  Result<Json> TransactWriteItems(Json& r, const RequestContext& ctx);
  Result<Json> TransactGetItems(Json& r, const RequestContext& ctx);
  // Streams (stream_operations.cc)
  Result<Json> ListStreams(Json& r, const RequestContext& ctx);
  Result<Json> DescribeStream(Json& r, const RequestContext& ctx);
  Result<Json> GetShardIterator(Json& r, const RequestContext& ctx);
  Result<Json> GetRecords(Json& r, const RequestContext& ctx);

 public:
  // Shared helpers (item_writer.cc), public for the operation files and tests.
  // The table (name or ARN) from the cache of parsed descriptions, loading it on a miss.
  // The pointer stays valid however the cache changes. Requires the lock.
  Result<std::shared_ptr<const TableMeta>> FindTable(const RequestContext& ctx,
                                                     const Json& table_name);
  Result<std::shared_ptr<const TableMeta>> FindTableByName(const RequestContext& ctx,
                                                           const std::string& name);
  // Copies, for operations that change the description and SaveSpec it.
  Result<TableMeta> LoadTable(const RequestContext& ctx, const Json& table_name);
  Result<TableMeta> LoadTableByName(const RequestContext& ctx, const std::string& name);
  void SaveSpec(const TableMeta& t);
  // Validates a Key map against the schema ("The provided key element does not match the
  // schema") and returns its key bytes.
  Result<KeyBytesPair> KeyOf(const TableMeta& t, const Json& key);
  // Key bytes of a full item (validating key attributes' presence and type).
  Result<KeyBytesPair> ItemKey(const TableMeta& t, const Json& item);
  // The live (non-expired) item with this key, or nullopt.
  std::optional<Json> ReadItem(const TableMeta& t, const KeyBytesPair& k, int64_t now_ms);
  // Writes (new_item set) or deletes (unset) one item: row, index entries, stream record.
  // `old_item` is the previous version (for stream images). `ttl_service` marks deletes
  // done by the TTL sweeper.
  void WriteItem(const TableMeta& t, const KeyBytesPair& k, const std::optional<Json>& old_item,
                 const std::optional<Json>& new_item, const RequestContext& ctx,
                 bool ttl_service = false);
  // The table keys (and index keys when `index` is set) of an item, for LastEvaluatedKey.
  static Json KeyAttributes(const TableMeta& t, const IndexMeta* index, const Json& item);
  Json Describe(const TableMeta& t, const RequestContext& ctx);

  DdbStore& store() { return store_; }
  storage::Database& db() { return db_; }

 private:
  // Drops cached descriptions when a table was created, changed or deleted since they
  // were cached (committed or rolled back alike). Requires the lock.
  void SyncTableCache();

  storage::Database& db_;
  DdbStore store_;
  // Parsed table descriptions keyed by account, region and name. Guarded by the database
  // lock. Valid while store_.spec_writes() == tables_version_; a call that writes a spec
  // bypasses the cache until SyncTableCache clears it at the end of the call.
  std::unordered_map<std::string, std::shared_ptr<const TableMeta>> tables_;
  uint64_t tables_version_ = 0;
};

// Shared request-parsing helpers (item_writer.cc).
// The string member `name` of `r`, or "" when absent or not a string.
std::string Str(const Json& r, const char* name);
// ConsumedCapacity for ReturnConsumedCapacity TOTAL/INDEXES; null when NONE/absent.
Json Consumed(const Json& r, const std::string& table, double units, bool write);
// ItemCollectionMetrics for ReturnItemCollectionMetrics=SIZE on a table with an LSI; null
// otherwise.
Json CollectionMetrics(const Json& r, const TableMeta& t, const Json& item);
// The TTL expiry (epoch seconds) of an item under the table's TTL setting, if any.
std::optional<int64_t> ExpiresOf(const TableMeta& t, const Json& item);
// Checks the table name syntax (3-255 of [a-zA-Z0-9_.-]).
Status CheckTableName(const Json& name, const std::string& member = "tableName");

}  // namespace edastack::dynamodb

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
  // Migrates the schema. `db` must outlive this object. `options` holds AWS limits (tests
  // lower them).
  explicit DynamoDb(storage::Database& db, DdbOptions options = {});

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
  // Writes (new_item set) or deletes (unset) one item: row, index entries, item collection
  // size (tables with a local index), stream record. `old_item` is the previous version (for
  // stream images; when unset the stored row, if any, is read on tables with a local index).
  // `ttl_service` marks deletes done by the TTL sweeper. Fails with
  // ItemCollectionSizeLimitExceededException, before writing anything, when the write would
  // grow the item's collection past options.item_collection_limit_bytes.
  Status WriteItem(const TableMeta& t, const KeyBytesPair& k, const std::optional<Json>& old_item,
                   const std::optional<Json>& new_item, const RequestContext& ctx,
                   bool ttl_service = false);
  // Item collections (item_collections.cc), for tables with a local index.
  // The collection's size: its items plus their local-index entries, in bytes. Rebuilds the
  // stored running size from the items when none is stored (a collection first written, or a
  // database from before sizes were kept). Requires a write transaction.
  int64_t CollectionBytes(const TableMeta& t, const std::string& hash);
  // The ItemCollectionMetrics object of the collection with partition key value `hash_value`
  // (bytes `hash`).
  Json CollectionMetrics(const TableMeta& t, const Json& hash_value, const std::string& hash);
  // One collection a BatchWriteItem or TransactWriteItems call wrote to.
  struct CollectionRef {
    std::shared_ptr<const TableMeta> table;
    std::string hash;  // key bytes
    Json hash_value;   // the partition key attribute value
  };
  // The ItemCollectionMetrics map of a batch or transaction: table name -> one entry per
  // distinct collection written, for tables with a local index.
  Json CollectionMetricsByTable(const std::vector<CollectionRef>& writes);
  const DdbOptions& options() const { return options_; }

  // The table keys (and index keys when `index` is set) of an item, for LastEvaluatedKey.
  static Json KeyAttributes(const TableMeta& t, const IndexMeta* index, const Json& item);
  Json Describe(const TableMeta& t, const RequestContext& ctx);

  DdbStore& store() { return store_; }
  storage::Database& db() { return db_; }

 private:
  // Drops cached descriptions when a table was created, changed or deleted since they
  // were cached (committed or rolled back alike). Requires the lock.
  void SyncTableCache();
  // WriteItem's part for tables with a local index: checks the limit and stores the
  // collection's new size.
  Status UpdateCollection(const TableMeta& t, const KeyBytesPair& k,
                          const std::optional<Json>& old_item, const std::optional<Json>& new_item);

  storage::Database& db_;
  DdbStore store_;
  const DdbOptions options_;
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
// Whether the request asks for ItemCollectionMetrics (ReturnItemCollectionMetrics=SIZE).
bool WantsCollectionMetrics(const Json& r);
// An item's share of its item collection: its size plus, for each local index whose sort
// key it has, the index entry (table keys, index sort key, projected attributes and 100
// bytes of overhead, as AWS counts index storage).
int64_t CollectionItemBytes(const TableMeta& t, const Json& item);
// SizeEstimateRangeGB for a collection of `bytes`: the bracket [n, n + 1] × limit/10, in GB,
// holding the size (with AWS's 10 GB limit, whole gigabytes: [0.0, 1.0] for small ones).
Json SizeEstimateRangeGB(int64_t bytes, int64_t limit);
// The TTL expiry (epoch seconds) of an item under the table's TTL setting, if any.
std::optional<int64_t> ExpiresOf(const TableMeta& t, const Json& item);
// Checks the table name syntax (3-255 of [a-zA-Z0-9_.-]).
Status CheckTableName(const Json& name, const std::string& member = "tableName");

}  // namespace edastack::dynamodb

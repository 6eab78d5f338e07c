// SQL for DynamoDB tables, items, secondary-index entries, stream records and
// transaction tokens. Every call requires the database lock and runs inside the
// caller's transaction. Not thread-safe on its own (the Database lock serialises).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "emulator/storage/database.h"

namespace edastack::dynamodb {

std::vector<storage::Migration> Migrations();

struct StoredItem {
  std::string pk, sk;  // key bytes
  std::string item;    // JSON text
  int64_t size = 0;
  std::optional<int64_t> expires;  // TTL epoch seconds
};

struct StreamRow {
  int64_t seq = 0;
  int64_t created_ms = 0;
  std::string record;  // JSON text without SequenceNumber
};

// A range read over the base table or one index. Unset bounds are open.
struct RangeRead {
  int64_t tid = 0;
  std::string index;                  // empty: base table
  std::optional<std::string> hash;    // set: a query within one partition; unset: scan
  std::optional<std::string> lo, hi;  // sort-key bounds
  bool lo_inclusive = true, hi_inclusive = true;
  bool forward = true;
  // Exclusive start: index reads (isk, pk, sk) for queries, (ipk, isk, pk, sk) for scans;
  // base reads (sk) for queries, (pk, sk) for scans.
  std::optional<std::vector<std::string>> start;
};

class DdbStore {
 public:
  explicit DdbStore(storage::Database& db) : db_(db) {}

  int64_t InsertTable(const std::string& account, const std::string& region,
                      const std::string& name, const std::string& spec);
  // (id, spec) or nullopt.
  std::optional<std::pair<int64_t, std::string>> LoadTable(const std::string& account,
                                                           const std::string& region,
                                                           const std::string& name);
  void UpdateTableSpec(int64_t id, const std::string& spec);
  // Counts InsertTable, UpdateTableSpec and DeleteTable calls (committed or not), so a
  // cache of table descriptions can tell it may be stale.
  uint64_t spec_writes() const { return spec_writes_; }
  std::optional<std::string> LoadTableSpec(int64_t id);
  void DeleteTable(int64_t id);
  std::vector<std::string> ListTables(const std::string& account, const std::string& region,
                                      const std::string& after, int limit);
  // (item count, total size).
  std::pair<int64_t, int64_t> TableStats(int64_t id);
  std::pair<int64_t, int64_t> IndexStats(int64_t id, const std::string& index);

  std::optional<StoredItem> GetItem(int64_t tid, const std::string& pk, const std::string& sk);
  void PutItem(int64_t tid, const StoredItem& item);
  void DeleteItem(int64_t tid, const std::string& pk, const std::string& sk);
  void PutIndexEntry(int64_t tid, const std::string& index, const std::string& ipk,
                     const std::string& isk, const std::string& pk, const std::string& sk);
  void DeleteIndexEntries(int64_t tid, const std::string& pk, const std::string& sk);
  void DropIndex(int64_t tid, const std::string& index);
  // The stored running size of one item collection (tables with a local index), or nullopt
  // when none is stored. Setting a size <= 0 removes the row.
  std::optional<int64_t> CollectionSize(int64_t tid, const std::string& pk);
  void SetCollectionSize(int64_t tid, const std::string& pk, int64_t size);
  void UpdateExpires(int64_t tid, const std::string& pk, const std::string& sk,
                     std::optional<int64_t> expires);
  // The SELECT that Read runs for `r` (exposed so tests can check its query plan).
  static std::string ReadSql(const RangeRead& r);
  // Visits items in key order until `visit` returns false.
  void Read(const RangeRead& r, const std::function<bool(const StoredItem&)>& visit);

  // Items whose TTL is at or before `now_s`, oldest first, at most `limit`: (tid, item).
  std::vector<std::pair<int64_t, StoredItem>> Expired(int64_t now_s, int limit);

  int64_t AppendStream(const std::string& stream_arn, int64_t created_ms,
                       const std::string& record);
  std::vector<StreamRow> ReadStream(const std::string& stream_arn, int64_t after_seq, int limit);
  int64_t LastStreamSeq(const std::string& stream_arn);
  int64_t FirstStreamSeq(const std::string& stream_arn);
  void TrimStreams(int64_t before_ms);

  // Transaction idempotency: the stored request hash for a token newer than `since_ms`.
  std::optional<std::string> FindToken(const std::string& account, const std::string& token,
                                       int64_t since_ms);
  void SaveToken(const std::string& account, const std::string& token, const std::string& hash,
                 int64_t now_ms);

 private:
  storage::Database& db_;
  uint64_t spec_writes_ = 0;
};

}  // namespace edastack::dynamodb

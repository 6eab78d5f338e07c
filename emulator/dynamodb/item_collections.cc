// Item collections of tables with a local secondary index: the items sharing one partition
// key value plus their local-index entries. Their size is kept as a running total per
// (table, partition key) in ddb_collections, changed by WriteItem in the transaction of the
// item write, so the 10 GB check and ItemCollectionMetrics cost a point read, not a scan.
// Tables without a local index never reach this file.
#include <set>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/operations.h"

namespace edastack::dynamodb {
namespace {

// AWS counts this much per index entry on top of its attributes.
constexpr int64_t kIndexEntryOverhead = 100;

int64_t AttributeBytes(const Json& item, const std::string& name) {
  auto it = item.find(name);
  if (it == item.end()) return 0;
  return static_cast<int64_t>(name.size()) + ValueSize(*it);
}

// The entry of `item` in local index `idx`, in bytes; 0 when the item lacks the index's
// sort key (local indexes are sparse).
int64_t LocalIndexEntryBytes(const TableMeta& t, const IndexMeta& idx, const Json& item) {
  if (idx.range && !item.contains(idx.range->name)) return 0;
  if (idx.projection == "ALL") return ItemSize(item) + kIndexEntryOverhead;
  std::set<std::string> names = {t.hash.name};
  if (t.range) names.insert(t.range->name);
  if (idx.range) names.insert(idx.range->name);
  if (idx.projection == "INCLUDE") names.insert(idx.non_key.begin(), idx.non_key.end());
  int64_t n = kIndexEntryOverhead;
  for (const auto& name : names) n += AttributeBytes(item, name);
  return n;
}

}  // namespace

bool WantsCollectionMetrics(const Json& r) {
  return Str(r, "ReturnItemCollectionMetrics") == "SIZE";
}

int64_t CollectionItemBytes(const TableMeta& t, const Json& item) {
  int64_t n = ItemSize(item);
  for (const auto& idx : t.indexes)
    if (!idx.global) n += LocalIndexEntryBytes(t, idx, item);
  return n;
}

Json SizeEstimateRangeGB(int64_t bytes, int64_t limit) {
  const int64_t bucket = std::max<int64_t>(limit / 10, 1);
  const double bucket_gb = static_cast<double>(bucket) / static_cast<double>(int64_t{1} << 30);
  const double n = static_cast<double>(bytes / bucket);
  return Json::array({n * bucket_gb, (n + 1) * bucket_gb});
}

int64_t DynamoDb::CollectionBytes(const TableMeta& t, const std::string& hash) {
  if (auto stored = store_.CollectionSize(t.id, hash)) return *stored;
  int64_t total = 0;
  RangeRead all;
  all.tid = t.id;
  all.hash = hash;
  store_.Read(all, [&](const StoredItem& row) {
    total += CollectionItemBytes(t, Json::parse(row.item));
    return true;
  });
  if (total > 0) store_.SetCollectionSize(t.id, hash, total);
  return total;
}

Status DynamoDb::UpdateCollection(const TableMeta& t, const KeyBytesPair& k,
                                  const std::optional<Json>& old_item,
                                  const std::optional<Json>& new_item) {
  // The stored row counts even when it expired unswept (ReadItem hides it; the caller's
  // old_item is then unset), so an unset old_item is looked up.
  int64_t old_bytes = 0;
  if (old_item) {
    old_bytes = CollectionItemBytes(t, *old_item);
  } else if (auto row = store_.GetItem(t.id, k.hash, k.range)) {
    old_bytes = CollectionItemBytes(t, Json::parse(row->item));
  }
  const int64_t new_bytes = new_item ? CollectionItemBytes(t, *new_item) : 0;
  const int64_t total = CollectionBytes(t, k.hash);
  const int64_t next = total + new_bytes - old_bytes;
  // AWS still allows writes that do not grow a collection already past the limit.
  if (new_bytes > old_bytes && next > options_.item_collection_limit_bytes)
    return errors::ItemCollectionSizeLimitExceeded();
  if (next != total) store_.SetCollectionSize(t.id, k.hash, next);
  return OkStatus();
}

Json DynamoDb::CollectionMetrics(const TableMeta& t, const Json& hash_value,
                                 const std::string& hash) {
  return Json{{"ItemCollectionKey", {{t.hash.name, hash_value}}},
              {"SizeEstimateRangeGB", SizeEstimateRangeGB(CollectionBytes(t, hash),
                                                          options_.item_collection_limit_bytes)}};
}

Json DynamoDb::CollectionMetricsByTable(const std::vector<CollectionRef>& writes) {
  Json out = Json::object();
  std::set<std::pair<int64_t, std::string>> seen;
  for (const auto& w : writes) {
    if (!w.table->has_lsi || !seen.emplace(w.table->id, w.hash).second) continue;
    Json& list = out[w.table->name];
    if (list.is_null()) list = Json::array();
    list.push_back(CollectionMetrics(*w.table, w.hash_value, w.hash));
  }
  return out;
}

}  // namespace edastack::dynamodb

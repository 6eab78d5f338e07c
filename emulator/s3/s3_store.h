// SQL for S3 (STYLE.md convention 6): buckets, bucket configuration documents, object
// versions, multipart uploads and parts. Every function requires the database lock and runs
// inside the caller's transaction. Rows are keyed by account (bucket names are per account,
// usable from any region).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "emulator/s3/s3_types.h"
#include "emulator/storage/database.h"

namespace edastack::s3 {

const std::vector<storage::Migration>& Migrations();

// An object version whose restored copy became available and whose
// ObjectRestore:Completed notification is still owed.
struct RestoreDue {
  std::string account, bucket, key, version_id;
};

class Store {
 public:
  Store(storage::Database& db, std::string account) : db_(db), account_(std::move(account)) {}
  storage::Database& db() { return db_; }

  std::optional<Bucket> GetBucket(const std::string& name);
  void InsertBucket(const Bucket& b);
  void DeleteBucket(const std::string& name);
  std::vector<Bucket> ListBuckets();
  void SetVersioning(const std::string& bucket, const std::string& status);
  bool BucketHasObjects(const std::string& bucket);

  // Configuration documents (kind: "tagging", "policy", "cors", ...), stored as given.
  std::optional<std::string> GetConfig(const std::string& bucket, const std::string& kind);
  void PutConfig(const std::string& bucket, const std::string& kind, const std::string& body);
  void DeleteConfig(const std::string& bucket, const std::string& kind);

  // The latest version (possibly a delete marker).
  std::optional<ObjectVersion> GetLatest(const std::string& bucket, const std::string& key);
  std::optional<ObjectVersion> GetVersion(const std::string& bucket, const std::string& key,
                                          const std::string& version_id);
  // Inserts `v` as the latest version. When `v.version_id` is "null", the previous null
  // version is replaced; its body file id is appended to `freed`.
  void PutVersion(const ObjectVersion& v, std::vector<std::string>* freed);
  // Deletes one version row; promotes the newest remaining version to latest.
  void DeleteVersion(const std::string& bucket, const std::string& key,
                     const std::string& version_id);
  void SetTags(const std::string& bucket, const std::string& key, const std::string& version_id,
               const Pairs& tags);
  // Starts a restore of one version (RestoreObject): its copy is available from `ready_ms`
  // until `expiry_ms`, and its ObjectRestore:Completed notification is owed.
  void SetRestore(const std::string& bucket, const std::string& key,
                  const std::string& version_id, int64_t ready_ms, int64_t expiry_ms);
  // Moves the expiry of a restored copy (a RestoreObject while it is available).
  void ExtendRestore(const std::string& bucket, const std::string& key,
                     const std::string& version_id, int64_t expiry_ms);
  // The Completed notification of the version's restore is no longer owed.
  void RestoreCompletionRecorded(const std::string& bucket, const std::string& key,
                                 const std::string& version_id);
  // Restores in every account ready by `now_ms` whose completion is owed, oldest first.
  static std::vector<RestoreDue> DueRestores(storage::Database& db, int64_t now_ms, size_t limit);
  // When the earliest restore whose completion is owed becomes ready (any account), if any.
  static std::optional<int64_t> NextRestoreReady(storage::Database& db);
  // Latest non-deleted objects with key >= from (> from unless inclusive), in byte order.
  std::vector<ObjectVersion> ListLatest(const std::string& bucket, const std::string& from,
                                        bool inclusive, size_t limit);
  // All versions with key >= from, newest first within a key.
  std::vector<ObjectVersion> ListVersions(const std::string& bucket, const std::string& from,
                                          size_t limit);
  // Every version of one key, newest first.
  std::vector<ObjectVersion> KeyVersions(const std::string& bucket, const std::string& key);
  // The account's next sequence number (version order, event sequencer): increasing across
  // restarts, not dense. Requires an open transaction.
  int64_t NextSeq();

  void InsertUpload(const Upload& u);
  std::optional<Upload> GetUpload(const std::string& upload_id);
  void DeleteUpload(const std::string& upload_id);
  std::vector<Upload> ListUploads(const std::string& bucket);
  // Returns the replaced part's file id, if any.
  std::optional<std::string> PutPart(const std::string& upload_id, const Part& p);
  std::vector<Part> ListParts(const std::string& upload_id);

  // Every body file id referenced by any row, in every account, with the body's size
  // (orphan cleanup at start).
  std::map<std::string, uint64_t> AllFiles();
  // Drops the rows (object versions in any account, parts) whose body is `file`: used at
  // start-up for bodies lost to a power failure. Promotes the next version to latest.
  void DropRowsOfFile(const std::string& file);

 private:
  storage::Database& db_;
  std::string account_;
};

}  // namespace edastack::s3

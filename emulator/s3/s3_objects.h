// Helpers shared by the object and multipart operation files. Internal to emulator/s3.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "emulator/s3/body_files.h"
#include "emulator/s3/s3_lifecycle.h"
#include "emulator/s3/s3_store.h"
#include "protocol/core/result.h"
#include "protocol/http/message.h"

namespace edastack::s3 {

// Evaluates If-Match / If-None-Match / If-(Un)Modified-Since (prefix "" for GET/HEAD) or the
// x-amz-copy-source-if-* headers (prefix "x-amz-copy-source-"): PreconditionFailed or
// NotModified (304, carrying ETag and Last-Modified as extra headers).
Status CheckConditions(const http::Request& req, const ObjectVersion& v, const char* prefix);

struct DeleteOutcome {
  bool existed = false;
  bool delete_marker = false;   // the deleted version was, or the new version is, a marker
  bool marker_created = false;
  std::string version_id;
  std::string event;            // "ObjectRemoved:Delete" / ":DeleteMarkerCreated"
  int64_t seq = 0;
};

// Requires the lock and an open transaction. Deletes one key or version per the bucket's
// versioning state; freed body files are appended to `freed`.
DeleteOutcome DeleteOne(Store& st, const Bucket& b, const std::string& key,
                        const std::string& version_id, int64_t now_ms,
                        std::vector<std::string>* freed);

// The bucket's lifecycle rules (empty without a configuration). Requires the lock.
std::vector<LifecycleRule> LoadLifecycle(Store& st, const std::string& bucket);
// When `v` became noncurrent (its next newer version's LastModified), or -1 if it is the
// latest; `newer_noncurrent` (optional) gets how many noncurrent versions, not counting
// delete markers, are newer than `v`. Requires the lock.
int64_t NoncurrentSince(Store& st, const ObjectVersion& v, int* newer_noncurrent = nullptr);
// The storage class `v` has by `now_ms` under the bucket's lifecycle `rules`.
std::string StorageClassNow(Store& st, const std::vector<LifecycleRule>& rules,
                            const ObjectVersion& v, int64_t now_ms);
// PutBucketLifecycleConfiguration's header, stored beside the document under this kind.
inline constexpr const char* kMinSizeHeader = "x-amz-transition-default-minimum-object-size";
inline constexpr const char* kLifecycleMinSizeKind = "lifecycleMinSize";

// Requires the lock. Returns the upload `upload_id` of `key` unless it does not exist or a
// lifecycle rule aborted it by `now_ms`; an aborted upload is deleted (its part files
// appended to `freed`) in the caller's transaction when `in_tx`, else in one of its own.
std::optional<Upload> LiveUpload(Store& st, const std::string& bucket, const std::string& key,
                                 const std::string& upload_id, int64_t now_ms, bool in_tx,
                                 std::vector<std::string>* freed);

// Requires the lock and an open transaction. In a versioned bucket with lifecycle `rules`,
// materializes the expiration due by `now_ms` (PlanVersionedExpiry) for `key`, or, when
// `key` is empty, for every key starting with `prefix`: delete markers on expired current
// versions, noncurrent versions deleted (their files appended to `freed`).
void ExpireVersioned(Store& st, const Bucket& b, const std::vector<LifecycleRule>& rules,
                     const std::string& key, const std::string& prefix, int64_t now_ms,
                     std::vector<std::string>* freed);

// Unlinks the body files listed in `ids` when it goes out of scope, so every early return
// after a commit that freed files still removes them. Not thread-safe.
class RemoveFilesOnExit {
 public:
  RemoveFilesOnExit(const BodyFiles& files, const std::vector<std::string>& ids)
      : files_(files), ids_(ids) {}
  ~RemoveFilesOnExit() {
    for (const auto& id : ids_) files_.Remove(id);
  }
  RemoveFilesOnExit(const RemoveFilesOnExit&) = delete;
  RemoveFilesOnExit& operator=(const RemoveFilesOnExit&) = delete;

 private:
  const BodyFiles& files_;
  const std::vector<std::string>& ids_;
};

struct CopySource {
  std::string bucket, key, version_id;
};
// Parses x-amz-copy-source ("bkt/key%20enc[?versionId=..]", optional leading '/').
Result<CopySource> ParseCopySource(const std::string& header);

}  // namespace edastack::s3

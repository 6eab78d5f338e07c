// Bucket lifecycle, applied by the clock when objects are read (STYLE.md convention 5); no
// background sweeper. Pure, thread-safe.
// - Expiration Days/Date: in an unversioned bucket a matching current object is treated as
//   deleted by GET/HEAD/list/copy. In a versioned bucket reads materialize what AWS's sweeper
//   would have done by now (PlanVersionedExpiry): an expired current version gets a delete
//   marker; noncurrent versions past NoncurrentVersionExpiration are deleted; an expired
//   object delete marker (the only version left of its key) is removed by a rule with
//   ExpiredObjectDeleteMarker=true (at the midnight UTC after it became the only version),
//   or by a Days/Date rule once the marker is old enough for it (AWS's documented cleanup).
// - AbortIncompleteMultipartUpload: an upload initiated more than DaysAfterInitiation days
//   ago (rounded to midnight UTC) under a matching rule no longer exists (UploadAborted).
// - Transition / NoncurrentVersionTransition: the storage class reported by GET/HEAD and the
//   listings is the one the due transitions give (EffectiveStorageClass), following AWS's
//   waterfall (never back up), and by default not for objects under 128 KiB
//   (x-amz-transition-default-minimum-object-size). A version that reaches GLACIER or
//   DEEP_ARCHIVE is archived: readable only through RestoreObject (s3_restore.h).
// - NewerNoncurrentVersions (NoncurrentVersionExpiration / NoncurrentVersionTransition): a
//   noncurrent version is affected only when at least that many newer noncurrent versions of
//   its key exist (delete markers are not counted), as on AWS.
// - Filters: the legacy rule-level Prefix, Filter/Prefix, Filter/Tag, Filter/ObjectSize*,
//   Filter/And (Prefix, Tags, sizes). Delete markers and uploads match by prefix only (AWS
//   forbids tag filters with ExpiredObjectDeleteMarker and AbortIncompleteMultipartUpload).
// ValidateLifecycle (s3_lifecycle_validate.cc) answers PutBucketLifecycleConfiguration's errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/s3/s3_types.h"
#include "protocol/core/result.h"
#include "protocol/query/xml_reader.h"

namespace edastack::s3 {

struct LifecycleTransition {
  int64_t days = -1;     // Days, or NoncurrentDays for a NoncurrentVersionTransition
  int64_t date_ms = -1;  // Date (current versions only)
  std::string storage_class;
  int64_t newer_noncurrent = -1;  // NewerNoncurrentVersions (noncurrent transitions only)
};

struct LifecycleRule {
  std::string prefix;
  Pairs tags;                  // all must be present on the object
  int64_t size_gt = -1;        // ObjectSizeGreaterThan (object size must exceed it)
  int64_t size_lt = -1;        // ObjectSizeLessThan
  int64_t days = -1;           // Expiration/Days
  int64_t date_ms = -1;        // Expiration/Date
  bool expired_object_delete_marker = false;  // Expiration/ExpiredObjectDeleteMarker
  int64_t noncurrent_days = -1;  // NoncurrentVersionExpiration/NoncurrentDays
  int64_t newer_noncurrent = -1;  // NoncurrentVersionExpiration/NewerNoncurrentVersions
  int64_t abort_days = -1;       // AbortIncompleteMultipartUpload/DaysAfterInitiation
  std::vector<LifecycleTransition> transitions;             // current versions
  std::vector<LifecycleTransition> noncurrent_transitions;  // days = NoncurrentDays
  bool small_to_glacier = false;  // varies_by_storage_class: < 128 KiB may go to (DEEP_)GLACIER
};

// The x-amz-transition-default-minimum-object-size values; the first is AWS's default.
inline constexpr const char* kMinSize128K = "all_storage_classes_128K";
inline constexpr const char* kMinSizeVaries = "varies_by_storage_class";

// Enabled rules with at least one action from a stored LifecycleConfiguration document;
// `min_size` is the stored x-amz-transition-default-minimum-object-size ("" = default).
std::vector<LifecycleRule> ParseLifecycle(const std::string& xml, const std::string& min_size = "");
// Checks a PutBucketLifecycleConfiguration document as AWS does (MalformedXML,
// InvalidArgument, InvalidRequest).
Status ValidateLifecycle(const xml::Node& doc);

// True when a rule expires anything (current or noncurrent versions, delete markers): only
// then do versioned reads need to materialize expiration.
bool HasExpiration(const std::vector<LifecycleRule>& rules);
// AWS rounds Days up to the next midnight UTC after the object's creation.
bool IsExpired(const std::vector<LifecycleRule>& rules, const ObjectVersion& v, int64_t now_ms);
// When the current version `v` expires under `rules` (Days rounded as above), if ever.
std::optional<int64_t> ExpiryTime(const std::vector<LifecycleRule>& rules, const ObjectVersion& v);

// What expiration has done by `now_ms` to one key of a versioned bucket.
struct VersionedExpiry {
  bool add_marker = false;   // the current version expired: a delete marker goes on top
  int64_t marker_ms = 0;     // when (the marker's LastModified)
  // Versions past their expiry, including an expired object delete marker.
  std::vector<std::string> delete_version_ids;
};
// `newest_first`: every version of one key, the latest first. A version becomes noncurrent
// when the next newer one is written (or the expiry marker is placed). When the marker
// expiry would add would itself be removed by now, no marker is added.
VersionedExpiry PlanVersionedExpiry(const std::vector<LifecycleRule>& rules,
                                    const std::vector<ObjectVersion>& newest_first,
                                    int64_t now_ms);

// True when a rule's AbortIncompleteMultipartUpload has aborted `u` by `now_ms`.
bool UploadAborted(const std::vector<LifecycleRule>& rules, const Upload& u, int64_t now_ms);

// The storage class `v` has by `now_ms` ("" for STANDARD). `noncurrent_since`: when `v`
// became noncurrent (the next newer version's LastModified), or -1 for the current version;
// `newer_noncurrent`: how many noncurrent versions of its key (not delete markers) are newer.
std::string EffectiveStorageClass(const std::vector<LifecycleRule>& rules, const ObjectVersion& v,
                                  int64_t noncurrent_since, int64_t now_ms,
                                  int newer_noncurrent = 0);

}  // namespace edastack::s3

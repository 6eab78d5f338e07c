// Lifecycle expiration, applied by the clock when objects are read (STYLE.md convention 5):
// in an unversioned bucket, an object whose current version matches an enabled rule with
// Expiration Days/Date is treated as deleted by GET/HEAD/list/copy. In a versioned bucket
// the reads materialize what AWS's sweeper would have done by now (PlanVersionedExpiry): an
// expired current version gets a delete marker, and noncurrent versions past
// NoncurrentVersionExpiration are deleted. No background sweeper. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/s3/s3_types.h"

namespace edastack::s3 {

struct LifecycleRule {
  std::string prefix;
  Pairs tags;             // all must be present on the object
  int64_t days = -1;      // Expiration/Days
  int64_t date_ms = -1;   // Expiration/Date
  int64_t noncurrent_days = -1;  // NoncurrentVersionExpiration/NoncurrentDays
};

// Enabled rules with an Expiration or a NoncurrentVersionExpiration from a stored LifecycleConfiguration document.
std::vector<LifecycleRule> ParseLifecycle(const std::string& xml);
// AWS rounds Days up to the next midnight UTC after the object's creation.
bool IsExpired(const std::vector<LifecycleRule>& rules, const ObjectVersion& v, int64_t now_ms);
// When the current version `v` expires under `rules` (Days rounded as above), if ever.
std::optional<int64_t> ExpiryTime(const std::vector<LifecycleRule>& rules, const ObjectVersion& v);

// What expiration has done by `now_ms` to one key of a versioned bucket.
struct VersionedExpiry {
  bool add_marker = false;   // the current version expired: a delete marker goes on top
  int64_t marker_ms = 0;     // when (the marker's LastModified)
  std::vector<std::string> delete_version_ids;  // noncurrent versions past their expiry
};
// `newest_first`: every version of one key, the latest first. A version becomes noncurrent
// when the next newer one is written (or the expiry marker is placed).
VersionedExpiry PlanVersionedExpiry(const std::vector<LifecycleRule>& rules,
                                    const std::vector<ObjectVersion>& newest_first,
                                    int64_t now_ms);

}  // namespace edastack::s3

// Lifecycle expiration, applied by the clock when objects are read (STYLE.md convention 5):
// an object whose current version matches an enabled rule with Expiration Days/Date is
// treated as deleted by GET/HEAD/list/copy. No background sweeper. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/s3/s3_types.h"

namespace edastack::s3 {

struct LifecycleRule {
  std::string prefix;
  Pairs tags;             // all must be present on the object
  int64_t days = -1;      // Expiration/Days
  int64_t date_ms = -1;   // Expiration/Date
};

// Enabled rules with an Expiration from a stored LifecycleConfiguration document.
std::vector<LifecycleRule> ParseLifecycle(const std::string& xml);
// AWS rounds Days up to the next midnight UTC after the object's creation.
bool IsExpired(const std::vector<LifecycleRule>& rules, const ObjectVersion& v, int64_t now_ms);

}  // namespace edastack::s3

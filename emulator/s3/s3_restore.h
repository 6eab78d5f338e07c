// Archived objects and RestoreObject (PROTOCOLS.md §4): a version whose storage class is
// GLACIER or DEEP_ARCHIVE (set on upload or reached through a lifecycle Transition) cannot be
// read (GetObject, CopyObject and UploadPartCopy answer 403 InvalidObjectState) until a
// RestoreObject makes a temporary copy available. GLACIER_IR is not archived.
//
// The restore's state is two timestamps in the version's row (ObjectVersion::
// restore_ready_ms / restore_expiry_ms), compared with the clock when read (STYLE.md
// convention 5): in progress before `ready`, restored until `expiry`, and as never restored
// after it. `ready` is the request time plus EmulatorOptions::s3_restore_delay_ms (AWS takes
// minutes to hours); `expiry` is `ready` plus Days, rounded up to the next midnight UTC, as
// on AWS. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "emulator/s3/s3_types.h"
#include "protocol/core/result.h"
#include "protocol/query/xml_writer.h"

namespace edastack::s3 {

// GLACIER and DEEP_ARCHIVE (not GLACIER_IR, which is readable directly).
bool IsArchiveClass(const std::string& storage_class);

enum class RestoreState { kNone, kInProgress, kRestored };
RestoreState RestoreStateAt(const ObjectVersion& v, int64_t now_ms);

// Whether the body of `v`, whose storage class is now `storage_class`, can be read.
bool Readable(const std::string& storage_class, const ObjectVersion& v, int64_t now_ms);

// The x-amz-restore header value ("" when no restore is in progress or restored).
std::string RestoreHeader(const ObjectVersion& v, int64_t now_ms);

// ListObjectsV2 / ListObjectVersions with `x-amz-optional-object-attributes: RestoreStatus`:
// writes <RestoreStatus> for a version with a restore in progress or restored.
void WriteRestoreStatus(xml::Writer& w, const ObjectVersion& v, int64_t now_ms);

// `start_ms` plus `days`, rounded up to the next midnight UTC.
int64_t RestoreExpiry(int64_t start_ms, int64_t days);

// A RestoreRequest document: Days (1..2147483647, required) and the tier
// (GlacierJobParameters/Tier or Tier: Standard, Bulk or Expedited; Standard when absent).
struct RestoreRequest {
  int64_t days = 0;
  std::string tier = "Standard";
};
Result<RestoreRequest> ParseRestoreRequest(const std::string& body);

}  // namespace edastack::s3

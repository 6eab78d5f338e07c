// Listing with prefix, delimiter + CommonPrefixes, marker and max-keys over any source of
// byte-ordered keys (ListObjects v1/V2 semantics). Pure; the source is a callback.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "emulator/s3/s3_types.h"

namespace edastack::s3 {

struct ListQuery {
  std::string prefix;
  std::string delimiter;
  std::string after;  // exclusive start (marker / start-after / continuation)
  int max_keys = 1000;
  // Objects for which this returns true are skipped (lifecycle-expired).
  std::function<bool(const ObjectVersion&)> hidden;
};

struct ListPage {
  std::vector<ObjectVersion> contents;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string last;  // the last key or common prefix returned (next marker)
};

// Returns up to `limit` objects with key >= from (> from unless inclusive), byte-ordered.
using KeySource =
    std::function<std::vector<ObjectVersion>(const std::string& from, bool inclusive, size_t limit)>;

ListPage ListKeys(const ListQuery& q, const KeySource& source);

// ListMultipartUploads paging over uploads sorted by (key, initiation).
struct UploadsQuery {
  std::string prefix, delimiter;
  std::string key_marker;        // uploads of keys > key_marker, or of key_marker itself
  std::string upload_id_marker;  // after this upload id (only with key_marker)
  int max_uploads = 1000;
};

struct UploadsPage {
  std::vector<Upload> uploads;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker, next_upload_id_marker;
};

UploadsPage PageUploads(const std::vector<Upload>& sorted, const UploadsQuery& q);

// The smallest string greater than every string starting with `prefix`; empty when none.
std::string PrefixSuccessor(const std::string& prefix);

}  // namespace edastack::s3

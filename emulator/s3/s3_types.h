// S3 domain structs: buckets, object versions, uploads, parts. Plain values, no wire format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edastack::s3 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Bucket {
  std::string name;
  std::string region;
  int64_t created_ms = 0;
  std::string versioning;  // "", "Enabled", "Suspended"
};

// The headers stored with an object and returned on GET/HEAD.
struct ObjectAttrs {
  std::string content_type;  // empty → binary/octet-stream
  std::string content_encoding, content_disposition, cache_control, content_language, expires;
  std::string storage_class;  // empty → STANDARD
  std::string sse, sse_kms_key_id;
  std::string website_redirect;
  Pairs user_meta;  // names lower-cased, without the x-amz-meta- prefix
};

struct ObjectVersion {
  std::string bucket, key;
  std::string version_id = "null";
  bool is_latest = true;
  bool delete_marker = false;
  uint64_t size = 0;
  std::string etag;  // without quotes
  int64_t modified_ms = 0;
  std::string file;  // body file id; empty when the body is inline (or for a delete marker)
  std::string body;  // the body itself when small (kInlineBodyMax), stored in the row; only
                     // read by single-object lookups, never by listings
  ObjectAttrs attrs;
  std::string checksum_algo;   // "CRC32", ... or empty
  std::string checksum;        // base64, or "<b64>-N" for multipart composites
  Pairs tags;
  int parts = 0;               // number of parts for multipart objects
  std::vector<uint64_t> part_sizes;  // their sizes in order (empty for single-part objects)
  std::vector<std::string> part_checksums;  // each part's own checksum (base64), when the
                                            // upload had a checksum algorithm
  // RestoreObject (s3_restore.h): when the restored copy of an archived version is (or was)
  // available, and when it goes; 0 when no restore was ever requested.
  int64_t restore_ready_ms = 0;
  int64_t restore_expiry_ms = 0;
  int64_t seq = 0;             // grows per write; the notification sequencer
};

struct Upload {
  std::string upload_id, bucket, key;
  int64_t initiated_ms = 0;
  ObjectAttrs attrs;
  std::string checksum_algo;
  Pairs tags;
};

struct Part {
  int number = 0;
  uint64_t size = 0;
  std::string etag;  // without quotes
  std::string checksum;
  std::string file;
  int64_t modified_ms = 0;
};

}  // namespace edastack::s3

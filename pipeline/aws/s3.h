// Typed S3 calls (REST-XML, path-style addressing) over client::AwsClient.
// Holds a reference to the client (which must outlive it). Thread-safe when the client is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/client/aws_client.h"
#include "protocol/core/result.h"

namespace edastack::pipeline::aws {

struct ObjectHead {
  int64_t size = 0;
  std::string etag;          // without quotes
  std::string content_type;
  std::string version_id;
};

class S3 {
 public:
  explicit S3(client::AwsClient& client) : client_(client) {}

  // region: the LocationConstraint is sent outside us-east-1.
  Status CreateBucket(const std::string& bucket, const std::string& region);
  // true when the bucket exists (and we may see it).
  Result<bool> HeadBucket(const std::string& bucket);
  Status DeleteBucket(const std::string& bucket);
  // The NotificationConfiguration XML document as the endpoint returns it.
  Result<std::string> GetBucketNotificationConfiguration(const std::string& bucket);
  Status PutBucketNotificationConfiguration(const std::string& bucket, const std::string& xml);
  // Returns the ETag (unquoted).
  Result<std::string> PutObject(const std::string& bucket, const std::string& key,
                                std::string body, const std::string& content_type);
  // nullopt when the object does not exist.
  Result<std::optional<ObjectHead>> HeadObject(const std::string& bucket, const std::string& key);
  Status DeleteObject(const std::string& bucket, const std::string& key);
  // Every key (all pages).
  Result<std::vector<std::string>> ListObjectsV2(const std::string& bucket);

 private:
  client::AwsClient& client_;
};

// Path for bucket + key, URI-encoded with '/' kept.
std::string ObjectPath(const std::string& bucket, const std::string& key);

}  // namespace edastack::pipeline::aws

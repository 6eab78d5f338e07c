// The S3 error catalog: one factory per AWS error code (STYLE.md convention 4).
// Rendered by errors::RenderS3 as S3's root <Error> document.
#pragma once

#include <string>

#include "protocol/core/result.h"

namespace edastack::s3 {

AwsError NoSuchBucket(const std::string& bucket);
AwsError NoSuchKey(const std::string& bucket, const std::string& key);
AwsError NoSuchVersion(const std::string& key, const std::string& version_id);
AwsError NoSuchUpload(const std::string& upload_id);
AwsError BucketNotEmpty(const std::string& bucket);
AwsError BucketAlreadyOwnedByYou(const std::string& bucket);
AwsError InvalidBucketName(const std::string& bucket);
AwsError InvalidRange(uint64_t size, const std::string& range);
// GetObject/HeadObject partNumber beyond the object's parts (416).
AwsError InvalidPartNumber(int part_number, int parts_count);
AwsError PreconditionFailed(const std::string& condition);
AwsError NotModified();
AwsError MalformedXml();
AwsError InvalidArgument(const std::string& message, const std::string& name = "",
                         const std::string& value = "");
AwsError InvalidRequest(const std::string& message);
AwsError MethodNotAllowed(const std::string& method, const std::string& resource_type);
AwsError AccessDenied(const std::string& message = "Access Denied");
AwsError SignatureDoesNotMatch(const std::string& message);
AwsError BadDigest(const std::string& message);
AwsError InvalidDigest();
AwsError ContentSha256Mismatch(const std::string& client, const std::string& computed);
AwsError IncompleteBody(const std::string& message);
AwsError EntityTooSmall(uint64_t size);
AwsError EntityTooLarge();
AwsError InvalidPart(int part_number);
AwsError InvalidPartOrder();
AwsError NoSuchConfiguration(const std::string& code, const std::string& message);
AwsError NoSuchTagSet();
AwsError InvalidTag(const std::string& message);
AwsError KeyTooLong();
AwsError MissingContentLength();
AwsError NotImplemented(const std::string& what);
AwsError InvalidObjectState(const std::string& message);
// GetObject on an archived (GLACIER / DEEP_ARCHIVE) version without a restored copy (403,
// carrying <StorageClass>).
AwsError ArchivedObject(const std::string& storage_class);
// CopyObject / UploadPartCopy whose source is such a version (403).
AwsError ArchivedCopySource(const std::string& storage_class);
// RestoreObject on a version that is not archived (403 InvalidObjectState).
AwsError RestoreNotAllowed();
// RestoreObject while a restore of the version is under way (409).
AwsError RestoreAlreadyInProgress();
AwsError CorsForbidden(const std::string& message);
AwsError InternalError(const std::string& message);
AwsError MalformedPost(const std::string& why);  // defined in s3_post_object.cc

}  // namespace edastack::s3

#include "emulator/s3/s3_errors.h"

namespace edastack::s3 {

AwsError NoSuchBucket(const std::string& bucket) {
  AwsError e = MakeError("NoSuchBucket", "The specified bucket does not exist", 404);
  e.extra = {{"BucketName", bucket}};
  return e;
}
AwsError NoSuchKey(const std::string& bucket, const std::string& key) {
  AwsError e = MakeError("NoSuchKey", "The specified key does not exist.", 404);
  e.extra = {{"Key", key}, {"BucketName", bucket}};
  return e;
}
AwsError NoSuchVersion(const std::string& key, const std::string& version_id) {
  AwsError e = MakeError("NoSuchVersion",
                         "The specified version does not exist.", 404);
  e.extra = {{"Key", key}, {"VersionId", version_id}};
  return e;
}
AwsError NoSuchUpload(const std::string& upload_id) {
  AwsError e = MakeError("NoSuchUpload",
                         "The specified upload does not exist. The upload ID may be invalid, or "
                         "the upload may have been aborted or completed.",
                         404);
  e.extra = {{"UploadId", upload_id}};
  return e;
}
AwsError BucketNotEmpty(const std::string& bucket) {
  AwsError e = MakeError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
  e.extra = {{"BucketName", bucket}};
  return e;
}
AwsError BucketAlreadyOwnedByYou(const std::string& bucket) {
  AwsError e = MakeError("BucketAlreadyOwnedByYou",
                         "Your previous request to create the named bucket succeeded and you "
                         "already own it.",
                         409);
  e.extra = {{"BucketName", bucket}};
  return e;
}
AwsError InvalidBucketName(const std::string& bucket) {
  AwsError e = MakeError("InvalidBucketName", "The specified bucket is not valid.", 400);
  e.extra = {{"BucketName", bucket}};
  return e;
}
AwsError InvalidPartNumber(int part_number, int parts_count) {
  AwsError e = MakeError("InvalidPartNumber", "The requested partnumber is not satisfiable", 416);
  e.extra = {{"PartNumberRequested", std::to_string(part_number)},
             {"ActualPartCount", std::to_string(parts_count)}};
  return e;
}

AwsError InvalidRange(uint64_t size, const std::string& range) {
  AwsError e = MakeError("InvalidRange", "The requested range is not satisfiable", 416);
  e.extra = {{"RangeRequested", range}, {"ActualObjectSize", std::to_string(size)}};
  return e;
}
AwsError PreconditionFailed(const std::string& condition) {
  AwsError e = MakeError("PreconditionFailed",
                         "At least one of the pre-conditions you specified did not hold", 412);
  e.extra = {{"Condition", condition}};
  return e;
}
AwsError NotModified() { return MakeError("NotModified", "Not Modified", 304); }
AwsError MalformedXml() {
  return MakeError("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema",
                   400);
}
AwsError InvalidArgument(const std::string& message, const std::string& name,
                         const std::string& value) {
  AwsError e = MakeError("InvalidArgument", message, 400);
  if (!name.empty()) e.extra = {{"ArgumentName", name}, {"ArgumentValue", value}};
  return e;
}
AwsError InvalidRequest(const std::string& message) {
  return MakeError("InvalidRequest", message, 400);
}
AwsError MethodNotAllowed(const std::string& method, const std::string& resource_type) {
  AwsError e = MakeError("MethodNotAllowed",
                         "The specified method is not allowed against this resource.", 405);
  e.extra = {{"Method", method}, {"ResourceType", resource_type}};
  return e;
}
AwsError AccessDenied(const std::string& message) {
  return MakeError("AccessDenied", message, 403);
}
AwsError SignatureDoesNotMatch(const std::string& message) {
  return MakeError("SignatureDoesNotMatch", message, 403);
}
AwsError BadDigest(const std::string& message) { return MakeError("BadDigest", message, 400); }
AwsError InvalidDigest() {
  return MakeError("InvalidDigest", "The Content-MD5 you specified was invalid.", 400);
}
AwsError ContentSha256Mismatch(const std::string& client, const std::string& computed) {
  AwsError e = MakeError("XAmzContentSHA256Mismatch",
                         "The provided 'x-amz-content-sha256' header does not match what was "
                         "computed.",
                         400);
  e.extra = {{"ClientComputedContentSHA256", client}, {"S3ComputedContentSHA256", computed}};
  return e;
}
AwsError IncompleteBody(const std::string& message) {
  return MakeError("IncompleteBody", message, 400);
}
AwsError EntityTooSmall(uint64_t size) {
  AwsError e = MakeError("EntityTooSmall",
                         "Your proposed upload is smaller than the minimum allowed object size.",
                         400);
  e.extra = {{"ProposedSize", std::to_string(size)}, {"MinSizeAllowed", "5242880"}};
  return e;
}
AwsError EntityTooLarge() {
  return MakeError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400);
}
AwsError InvalidPart(int part_number) {
  AwsError e = MakeError("InvalidPart",
                         "One or more of the specified parts could not be found.  The part may "
                         "not have been uploaded, or the specified entity tag may not match the "
                         "part's entity tag.",
                         400);
  e.extra = {{"PartNumber", std::to_string(part_number)}};
  return e;
}
AwsError InvalidPartOrder() {
  return MakeError("InvalidPartOrder",
                   "The list of parts was not in ascending order. Parts must be ordered by part "
                   "number.",
                   400);
}
AwsError NoSuchConfiguration(const std::string& code, const std::string& message) {
  return MakeError(code, message, 404);
}
AwsError NoSuchTagSet() {
  return MakeError("NoSuchTagSet", "The TagSet does not exist", 404);
}
AwsError InvalidTag(const std::string& message) { return MakeError("InvalidTag", message, 400); }
AwsError KeyTooLong() {
  return MakeError("KeyTooLongError", "Your key is too long", 400);
}
AwsError MissingContentLength() {
  return MakeError("MissingContentLength", "You must provide the Content-Length HTTP header.",
                   411);
}
AwsError NotImplemented(const std::string& what) {
  return MakeError("NotImplemented",
                   "A header or query you provided implies functionality that is not "
                   "implemented: " + what,
                   501, false);
}
AwsError InvalidObjectState(const std::string& message) {
  return MakeError("InvalidObjectState", message, 403);
}
AwsError ArchivedObject(const std::string& storage_class) {
  AwsError e = InvalidObjectState("The operation is not valid for the object's storage class");
  e.extra = {{"StorageClass", storage_class}};
  return e;
}
AwsError ArchivedCopySource(const std::string& storage_class) {
  AwsError e = InvalidObjectState(
      "The source object of the COPY action is not in the active tier and is only stored in "
      "Amazon S3 Glacier.");
  e.extra = {{"StorageClass", storage_class}};
  return e;
}
AwsError RestoreNotAllowed() {
  return InvalidObjectState("Restore is not allowed for the object's current storage class");
}
AwsError RestoreAlreadyInProgress() {
  return MakeError("RestoreAlreadyInProgress", "Object restore is already in progress", 409);
}
AwsError CorsForbidden(const std::string& message) {
  return MakeError("AccessForbidden", message, 403);
}
AwsError InternalError(const std::string& message) {
  return MakeError("InternalError", message, 500, false);
}

}  // namespace edastack::s3

#include "pipeline/aws/s3.h"

#include "protocol/core/strings.h"
#include "protocol/query/xml_reader.h"

namespace edastack::pipeline::aws {
namespace {

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

std::string ObjectPath(const std::string& bucket, const std::string& key) {
  return "/" + str::UriEncode(bucket) + "/" + str::UriEncode(key, /*keep_slash=*/true);
}

Status S3::CreateBucket(const std::string& bucket, const std::string& region) {
  std::string body;
  if (!region.empty() && region != "us-east-1")
    body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
           "<LocationConstraint>" + region + "</LocationConstraint></CreateBucketConfiguration>";
  auto res = client_.CallRest("PUT", "/" + str::UriEncode(bucket), "", {}, body);
  if (!res.ok() && res.error().code != "BucketAlreadyOwnedByYou") return res.take_error();
  return OkStatus();
}

Result<bool> S3::HeadBucket(const std::string& bucket) {
  auto res = client_.CallRest("HEAD", "/" + str::UriEncode(bucket), "", {}, "");
  if (res.ok()) return true;
  if (res.error().http_status == 404) return false;
  return res.take_error();
}

Status S3::DeleteBucket(const std::string& bucket) {
  EDA_TRY(client_.CallRest("DELETE", "/" + str::UriEncode(bucket), "", {}, ""));
  return OkStatus();
}

Result<std::string> S3::GetBucketNotificationConfiguration(const std::string& bucket) {
  EDA_ASSIGN_OR_RETURN(http::Response res,
                       client_.CallRest("GET", "/" + str::UriEncode(bucket), "notification", {}, ""));
  return res.body;
}

Status S3::PutBucketNotificationConfiguration(const std::string& bucket, const std::string& xml) {
  http::Headers h;
  h.emplace("Content-Type", "application/xml");
  h.emplace("x-amz-skip-destination-validation", "true");
  EDA_TRY(client_.CallRest("PUT", "/" + str::UriEncode(bucket), "notification", h, xml));
  return OkStatus();
}

Result<std::string> S3::PutObject(const std::string& bucket, const std::string& key,
                                  std::string body, const std::string& content_type) {
  http::Headers h;
  if (!content_type.empty()) h.emplace("Content-Type", content_type);
  EDA_ASSIGN_OR_RETURN(http::Response res,
                       client_.CallRest("PUT", ObjectPath(bucket, key), "", h, std::move(body)));
  return Unquote(res.Header("ETag"));
}

Result<std::optional<ObjectHead>> S3::HeadObject(const std::string& bucket,
                                                 const std::string& key) {
  auto res = client_.CallRest("HEAD", ObjectPath(bucket, key), "", {}, "");
  if (!res.ok()) {
    if (res.error().http_status == 404) return std::optional<ObjectHead>();
    return res.take_error();
  }
  ObjectHead head;
  try {
    head.size = std::stoll(res->Header("Content-Length"));
  } catch (...) {
    head.size = 0;
  }
  head.etag = Unquote(res->Header("ETag"));
  head.content_type = res->Header("Content-Type");
  head.version_id = res->Header("x-amz-version-id");
  return std::optional<ObjectHead>(head);
}

Status S3::DeleteObject(const std::string& bucket, const std::string& key) {
  EDA_TRY(client_.CallRest("DELETE", ObjectPath(bucket, key), "", {}, ""));
  return OkStatus();
}

Result<std::vector<std::string>> S3::ListObjectsV2(const std::string& bucket) {
  std::vector<std::string> keys;
  std::string token;
  for (int page = 0; page < 100000; ++page) {
    std::string q = "list-type=2";
    if (!token.empty()) q += "&continuation-token=" + str::UriEncode(token);
    EDA_ASSIGN_OR_RETURN(http::Response res,
                         client_.CallRest("GET", "/" + str::UriEncode(bucket), q, {}, ""));
    auto doc = xml::Parse(res.body);
    if (!doc) return MakeError("ResponseParserError", "ListObjectsV2: bad XML", 500, false);
    for (const xml::Node* c : doc->Children("Contents")) keys.push_back(c->ChildText("Key"));
    if (doc->ChildText("IsTruncated") != "true") break;
    token = doc->ChildText("NextContinuationToken");
    if (token.empty()) break;
  }
  return keys;
}

}  // namespace edastack::pipeline::aws

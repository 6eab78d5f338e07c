// Bucket operations: create/head/delete/list, location, versioning, configuration documents,
// object listings (v1, V2, versions).
#include <nlohmann/json.hpp>

#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_lifecycle.h"
#include "emulator/s3/s3_listing.h"
#include "emulator/s3/s3_notify.h"
#include "emulator/s3/s3_restore.h"
#include "emulator/s3/s3_service.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_writer.h"

namespace edastack::s3 {
namespace {

std::string Xmlns() { return std::string("xmlns=\"") + kXmlns + "\""; }

// x-amz-optional-object-attributes names RestoreStatus (comma-separated list).
bool WantsRestoreStatus(const http::Request& req) {
  for (const auto& a : str::Split(req.Header("x-amz-optional-object-attributes"), ','))
    if (str::Trim(a) == "RestoreStatus") return true;
  return false;
}

struct ConfigInfo {
  const char* root;          // expected XML root ("" for JSON policy)
  const char* missing_code;  // error when absent ("" → return a default document)
  const char* missing_message;
};

ConfigInfo InfoFor(const std::string& kind) {
  if (kind == "tagging") return {"Tagging", "NoSuchTagSet", "The TagSet does not exist"};
  if (kind == "policy") return {"", "NoSuchBucketPolicy", "The bucket policy does not exist"};
  if (kind == "cors")
    return {"CORSConfiguration", "NoSuchCORSConfiguration", "The CORS configuration does not exist"};
  if (kind == "lifecycle")
    return {"LifecycleConfiguration", "NoSuchLifecycleConfiguration",
            "The lifecycle configuration does not exist"};
  if (kind == "encryption")
    return {"ServerSideEncryptionConfiguration", "ServerSideEncryptionConfigurationNotFoundError",
            "The server side encryption configuration was not found"};
  if (kind == "notification") return {"NotificationConfiguration", "", ""};
  if (kind == "acl") return {"AccessControlPolicy", "", ""};
  if (kind == "ownershipControls")
    return {"OwnershipControls", "OwnershipControlsNotFoundError",
            "The bucket ownership controls were not found"};
  if (kind == "publicAccessBlock")
    return {"PublicAccessBlockConfiguration", "NoSuchPublicAccessBlockConfiguration",
            "The public access block configuration was not found"};
  if (kind == "website")
    return {"WebsiteConfiguration", "NoSuchWebsiteConfiguration",
            "The specified bucket does not have a website configuration"};
  if (kind == "logging") return {"BucketLoggingStatus", "", ""};
  if (kind == "accelerate") return {"AccelerateConfiguration", "", ""};
  if (kind == "requestPayment") return {"RequestPaymentConfiguration", "", ""};
  return {"ReplicationConfiguration", "ReplicationConfigurationNotFoundError",
          "The replication configuration was not found"};
}

std::string DefaultConfig(const std::string& kind, const std::string& account) {
  xml::Writer w(true);
  if (kind == "notification") {
    w.Open("NotificationConfiguration", Xmlns()).Close();
  } else if (kind == "acl") {
    std::string id = OwnerId(account);
    w.Open("AccessControlPolicy", Xmlns())
        .Open("Owner").Element("ID", id).Element("DisplayName", "edastack").Close()
        .Open("AccessControlList")
        .Open("Grant")
        .Open("Grantee", "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"")
        .Element("ID", id).Element("DisplayName", "edastack").Close()
        .Element("Permission", "FULL_CONTROL")
        .Close()
        .Close()
        .Close();
  } else if (kind == "logging") {
    w.Open("BucketLoggingStatus", Xmlns()).Close();
  } else if (kind == "accelerate") {
    w.Open("AccelerateConfiguration", Xmlns()).Close();
  } else if (kind == "requestPayment") {
    w.Open("RequestPaymentConfiguration", Xmlns()).Element("Payer", "BucketOwner").Close();
  }
  return w.Finish();
}

std::string MaybeEncode(const std::string& s, bool url) { return url ? str::UriEncode(s, true) : s; }

}  // namespace

S3Service::Res S3Service::ListBuckets(const RequestContext& ctx, http::Request& req) {
  std::vector<Bucket> buckets;
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    buckets = st.ListBuckets();
  }
  const std::string& prefix = req.Query("prefix");
  xml::Writer w(true);
  w.Open("ListAllMyBucketsResult", Xmlns())
      .Open("Owner").Element("ID", OwnerId(ctx.account)).Element("DisplayName", "edastack").Close()
      .Open("Buckets");
  for (const auto& b : buckets) {
    if (!str::StartsWith(b.name, prefix)) continue;
    w.Open("Bucket")
        .Element("Name", b.name)
        .Element("CreationDate", timefmt::Iso8601Millis(b.created_ms))
        .Element("BucketRegion", b.region)
        .Close();
  }
  w.Close();
  if (!prefix.empty()) w.Element("Prefix", prefix);
  w.Close();
  return XmlResponse(w.Finish());
}

S3Service::Res S3Service::CreateBucket(const RequestContext& ctx, const Target& t,
                                       http::Request& req) {
  EDA_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(req, 1 << 20));
  std::string region = ctx.region;
  bool constraint = false;
  if (!str::Trim(body).empty()) {
    EDA_ASSIGN_OR_RETURN(xml::Node doc, ParseXmlBody(body, "CreateBucketConfiguration"));
    std::string lc = doc.ChildText("LocationConstraint");
    if (!lc.empty()) {
      region = lc == "EU" ? "eu-west-1" : lc;
      constraint = true;
    }
  }
  if (!ValidBucketName(t.bucket)) return InvalidBucketName(t.bucket);
  auto lock = emu_.db().Lock();
  storage::Transaction tx(emu_.db());
  Store st(emu_.db(), ctx.account);
  if (auto existing = st.GetBucket(t.bucket)) {
    // us-east-1 answers a repeated create with 200 (legacy behaviour).
    if (existing->region == "us-east-1" && !constraint && region == "us-east-1") {
      http::Response r = EmptyResponse(200);
      r.SetHeader("Location", "/" + t.bucket);
      return r;
    }
    return BucketAlreadyOwnedByYou(t.bucket);
  }
  st.InsertBucket({t.bucket, region, ctx.now_ms, ""});
  if (req.HasHeader("x-amz-bucket-object-lock-enabled") &&
      str::IEquals(req.Header("x-amz-bucket-object-lock-enabled"), "true"))
    st.SetVersioning(t.bucket, "Enabled");
  tx.Commit();
  http::Response r = EmptyResponse(200);
  r.SetHeader("Location", "/" + t.bucket);
  return r;
}

S3Service::Res S3Service::HeadBucket(const RequestContext& ctx, const Target& t) {
  auto lock = emu_.db().Lock();
  Store st(emu_.db(), ctx.account);
  EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
  http::Response r = EmptyResponse(200);
  r.SetHeader("x-amz-bucket-region", b.region);
  r.SetHeader("x-amz-access-point-alias", "false");
  return r;
}

S3Service::Res S3Service::DeleteBucket(const RequestContext& ctx, const Target& t) {
  std::vector<std::string> freed;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    if (st.BucketHasObjects(t.bucket)) return BucketNotEmpty(t.bucket);
    for (const auto& u : st.ListUploads(t.bucket)) {
      for (const auto& p : st.ListParts(u.upload_id)) freed.push_back(p.file);
      st.DeleteUpload(u.upload_id);
    }
    st.DeleteBucket(t.bucket);
    tx.Commit();
  }
  RemoveFiles(freed);
  return EmptyResponse(204);
}

S3Service::Res S3Service::GetBucketLocation(const RequestContext& ctx, const Target& t) {
  auto lock = emu_.db().Lock();
  Store st(emu_.db(), ctx.account);
  EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
  xml::Writer w(true);
  w.Element("LocationConstraint", b.region == "us-east-1" ? "" : b.region);
  std::string body = w.Finish();
  // Put the namespace on the root element.
  size_t pos = body.find("<LocationConstraint");
  body.insert(pos + 19, " " + Xmlns());
  return XmlResponse(body);
}

S3Service::Res S3Service::PutBucketVersioning(const RequestContext& ctx, const Target& t,
                                              http::Request& req) {
  EDA_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(req, 1 << 20));
  EDA_ASSIGN_OR_RETURN(xml::Node doc, ParseXmlBody(body, "VersioningConfiguration"));
  std::string status = doc.ChildText("Status");
  if (status != "Enabled" && status != "Suspended") return MalformedXml();
  auto lock = emu_.db().Lock();
  storage::Transaction tx(emu_.db());
  Store st(emu_.db(), ctx.account);
  EDA_TRY(RequireBucket(st, t.bucket));
  st.SetVersioning(t.bucket, status);
  tx.Commit();
  return EmptyResponse(200);
}

S3Service::Res S3Service::GetBucketVersioning(const RequestContext& ctx, const Target& t) {
  auto lock = emu_.db().Lock();
  Store st(emu_.db(), ctx.account);
  EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
  xml::Writer w(true);
  w.Open("VersioningConfiguration", Xmlns());
  if (!b.versioning.empty()) w.Element("Status", b.versioning);
  w.Close();
  return XmlResponse(w.Finish());
}

S3Service::Res S3Service::PutBucketConfig(const RequestContext& ctx, const Target& t,
                                          http::Request& req, const std::string& kind) {
  EDA_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(req, 1 << 20));
  ConfigInfo info = InfoFor(kind);
  std::string stored = body;
  if (kind == "policy") {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object())
      return MakeError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", 400);
  } else if (kind == "acl" && str::Trim(body).empty()) {
    return EmptyResponse(200);  // canned ACL header only
  } else {
    EDA_ASSIGN_OR_RETURN(xml::Node doc, ParseXmlBody(body, info.root));
    if (kind == "tagging") {
      EDA_ASSIGN_OR_RETURN(Pairs tags, ParseTagging(doc));
      stored = TaggingXml(tags);
    } else if (kind == "notification") {
      bool skip = str::IEquals(req.Header("x-amz-skip-destination-validation"), "true");
      EDA_ASSIGN_OR_RETURN(NotificationConfig cfg, ParseNotificationConfig(doc));
      {
        auto lock = emu_.db().Lock();
        Store st(emu_.db(), ctx.account);
        EDA_TRY(RequireBucket(st, t.bucket));
      }
      if (!skip) EDA_TRY(notifier_->Validate(ctx, t.bucket, cfg));
      stored = RenderNotificationConfig(cfg);
    } else if (kind == "cors") {
      if (doc.Children("CORSRule").empty()) return MalformedXml();
    } else if (kind == "lifecycle") {
      EDA_TRY(ValidateLifecycle(doc));
    }
  }
  // PutBucketLifecycleConfiguration's x-amz-transition-default-minimum-object-size.
  std::string min_size = kMinSize128K;
  if (kind == "lifecycle" && req.HasHeader(kMinSizeHeader)) {
    min_size = req.Header(kMinSizeHeader);
    if (min_size != kMinSize128K && min_size != kMinSizeVaries)
      return InvalidArgument("Invalid TransitionDefaultMinimumObjectSize", kMinSizeHeader, min_size);
  }
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    st.PutConfig(t.bucket, kind, stored);
    if (kind == "lifecycle") st.PutConfig(t.bucket, kLifecycleMinSizeKind, min_size);
    tx.Commit();
  }
  http::Response r = EmptyResponse(kind == "policy" || kind == "tagging" || kind == "cors" ? 204 : 200);
  if (kind == "lifecycle") r.SetHeader(kMinSizeHeader, min_size);
  return r;
}

S3Service::Res S3Service::GetBucketConfig(const RequestContext& ctx, const Target& t,
                                          const std::string& kind) {
  auto lock = emu_.db().Lock();
  Store st(emu_.db(), ctx.account);
  EDA_TRY(RequireBucket(st, t.bucket));
  auto body = st.GetConfig(t.bucket, kind);
  ConfigInfo info = InfoFor(kind);
  if (!body) {
    if (*info.missing_code) {
      AwsError e = MakeError(info.missing_code, info.missing_message, 404);
      e.extra = {{"BucketName", t.bucket}};
      return e;
    }
    return XmlResponse(DefaultConfig(kind, ctx.account));
  }
  http::Response r = XmlResponse(*body);
  if (kind == "policy") r.SetHeader("Content-Type", "application/json");
  if (kind == "lifecycle")
    r.SetHeader(kMinSizeHeader, st.GetConfig(t.bucket, kLifecycleMinSizeKind).value_or(kMinSize128K));
  return r;
}

S3Service::Res S3Service::DeleteBucketConfig(const RequestContext& ctx, const Target& t,
                                             const std::string& kind) {
  auto lock = emu_.db().Lock();
  storage::Transaction tx(emu_.db());
  Store st(emu_.db(), ctx.account);
  EDA_TRY(RequireBucket(st, t.bucket));
  st.DeleteConfig(t.bucket, kind);
  if (kind == "lifecycle") st.DeleteConfig(t.bucket, kLifecycleMinSizeKind);
  tx.Commit();
  return EmptyResponse(204);
}

S3Service::Res S3Service::ListObjects(const RequestContext& ctx, const Target& t,
                                      http::Request& req, bool v2) {
  const std::string& enc = req.Query("encoding-type");
  if (!enc.empty() && enc != "url")
    return InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", enc);
  bool url = enc == "url";
  ListQuery q;
  q.prefix = req.Query("prefix");
  q.delimiter = req.Query("delimiter");
  if (req.HasQuery("max-keys")) {
    const std::string& mk = req.Query("max-keys");
    try {
      size_t used = 0;
      long v = std::stol(mk, &used);
      if (used != mk.size() || v < 0) throw 1;
      q.max_keys = static_cast<int>(std::min<long>(v, 1000));
    } catch (...) {
      return InvalidArgument("Provided max-keys not an integer or within integer range",
                             "max-keys", mk);
    }
  }
  std::string token = req.Query("continuation-token");
  if (v2) {
    if (req.HasQuery("continuation-token")) {
      auto dec = crypto::Base64Decode(token);
      if (token.empty() || !dec)
        return InvalidArgument("The continuation token provided is incorrect",
                               "continuation-token", token);
      q.after = *dec;
    } else {
      q.after = req.Query("start-after");
    }
  } else {
    q.after = req.Query("marker");
  }
  ListPage page;
  std::vector<LifecycleRule> rules;
  std::vector<std::string> expired;
  RemoveFilesOnExit remove_expired(*files_, expired);
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_ASSIGN_OR_RETURN(Bucket bucket, RequireBucket(st, t.bucket));
    rules = LoadLifecycle(st, t.bucket);
    if (!bucket.versioning.empty() && HasExpiration(rules)) {
      storage::Transaction tx(emu_.db());
      ExpireVersioned(st, bucket, rules, "", q.prefix, ctx.now_ms, &expired);
      tx.Commit();
    }
    if (bucket.versioning.empty() && !rules.empty())
      q.hidden = [&](const ObjectVersion& o) { return IsExpired(rules, o, ctx.now_ms); };
    page = ListKeys(q, [&](const std::string& from, bool inclusive, size_t limit) {
      return st.ListLatest(t.bucket, from, inclusive, limit);
    });
  }
  for (auto& o : page.contents)
    o.attrs.storage_class = EffectiveStorageClass(rules, o, -1, ctx.now_ms);
  bool fetch_owner = !v2 || req.Query("fetch-owner") == "true";
  bool restore_status = WantsRestoreStatus(req);
  xml::Writer w(true);
  w.Open("ListBucketResult", Xmlns()).Element("Name", t.bucket)
      .Element("Prefix", MaybeEncode(q.prefix, url));
  if (v2) {
    if (req.HasQuery("continuation-token")) w.Element("ContinuationToken", token);
    if (req.HasQuery("start-after")) w.Element("StartAfter", MaybeEncode(req.Query("start-after"), url));
    if (page.truncated) w.Element("NextContinuationToken", crypto::Base64Encode(page.last));
    w.Element("KeyCount", std::to_string(page.contents.size() + page.common_prefixes.size()));
  } else {
    w.Element("Marker", MaybeEncode(q.after, url));
    if (page.truncated) w.Element("NextMarker", MaybeEncode(page.last, url));
  }
  w.Element("MaxKeys", std::to_string(q.max_keys));
  if (!q.delimiter.empty()) w.Element("Delimiter", MaybeEncode(q.delimiter, url));
  if (url) w.Element("EncodingType", "url");
  w.Element("IsTruncated", page.truncated ? "true" : "false");
  for (const auto& o : page.contents) {
    w.Open("Contents")
        .Element("Key", MaybeEncode(o.key, url))
        .Element("LastModified", timefmt::Iso8601Millis(o.modified_ms))
        .Element("ETag", Quote(o.etag))
        .Element("Size", std::to_string(o.size));
    if (!o.checksum_algo.empty()) w.Element("ChecksumAlgorithm", o.checksum_algo);
    w.Element("StorageClass", o.attrs.storage_class.empty() ? "STANDARD" : o.attrs.storage_class);
    if (fetch_owner)
      w.Open("Owner").Element("ID", OwnerId(ctx.account)).Element("DisplayName", "edastack").Close();
    if (restore_status) WriteRestoreStatus(w, o, ctx.now_ms);
    w.Close();
  }
  for (const auto& cp : page.common_prefixes)
    w.Open("CommonPrefixes").Element("Prefix", MaybeEncode(cp, url)).Close();
  w.Close();
  return XmlResponse(w.Finish());
}

S3Service::Res S3Service::ListObjectVersions(const RequestContext& ctx, const Target& t,
                                             http::Request& req) {
  bool url = req.Query("encoding-type") == "url";
  std::string prefix = req.Query("prefix"), delimiter = req.Query("delimiter");
  std::string key_marker = req.Query("key-marker"), vid_marker = req.Query("version-id-marker");
  int max_keys = 1000;
  if (req.HasQuery("max-keys")) {
    try {
      max_keys = std::max(0, std::min(1000, std::stoi(req.Query("max-keys"))));
    } catch (...) {
      return InvalidArgument("Provided max-keys not an integer or within integer range",
                             "max-keys", req.Query("max-keys"));
    }
  }
  std::vector<ObjectVersion> versions;
  std::vector<std::string> prefixes;
  bool truncated = false;
  std::string next_key, next_vid;
  std::vector<std::string> expired;
  RemoveFilesOnExit remove_expired(*files_, expired);
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_ASSIGN_OR_RETURN(Bucket bucket, RequireBucket(st, t.bucket));
    std::vector<LifecycleRule> rules = LoadLifecycle(st, t.bucket);
    if (HasExpiration(rules)) {
      storage::Transaction tx(emu_.db());
      ExpireVersioned(st, bucket, rules, "", prefix, ctx.now_ms, &expired);
      tx.Commit();
    }
    auto all = st.ListVersions(t.bucket, std::max(prefix, key_marker), 1000000);
    bool past_marker = key_marker.empty();
    int count = 0;
    std::string last_cp;
    int newer_noncurrent = 0;  // noncurrent versions (not markers) of this key listed so far
    for (size_t i = 0; i < all.size(); ++i) {
      ObjectVersion& v = all[i];
      bool newer = i > 0 && all[i - 1].key == v.key;
      if (!newer) newer_noncurrent = 0;
      if (!rules.empty()) {
        // A version became noncurrent when the next newer one (listed just before) was written.
        v.attrs.storage_class = EffectiveStorageClass(
            rules, v, newer ? all[i - 1].modified_ms : -1, ctx.now_ms, newer_noncurrent);
      }
      if (newer && !v.delete_marker) ++newer_noncurrent;
      if (!str::StartsWith(v.key, prefix)) {
        if (v.key > prefix) break;
        continue;
      }
      if (!past_marker) {
        if (v.key == key_marker) {
          if (vid_marker.empty()) continue;
          if (v.version_id == vid_marker) past_marker = true;
          continue;
        }
        past_marker = true;
      }
      if (!delimiter.empty()) {
        size_t pos = v.key.find(delimiter, prefix.size());
        if (pos != std::string::npos) {
          std::string cp = v.key.substr(0, pos + delimiter.size());
          if (cp == last_cp || (!key_marker.empty() && cp <= key_marker)) continue;
          if (count >= max_keys) {
            truncated = true;
            break;
          }
          prefixes.push_back(cp);
          last_cp = cp;
          next_key = cp;
          next_vid.clear();
          ++count;
          continue;
        }
      }
      if (count >= max_keys) {
        truncated = true;
        break;
      }
      next_key = v.key;
      next_vid = v.version_id;
      versions.push_back(v);  // a copy: the next version reads this one's key
      ++count;
    }
  }
  bool restore_status = WantsRestoreStatus(req);
  xml::Writer w(true);
  w.Open("ListVersionsResult", Xmlns())
      .Element("Name", t.bucket)
      .Element("Prefix", MaybeEncode(prefix, url))
      .Element("KeyMarker", MaybeEncode(key_marker, url))
      .Element("VersionIdMarker", vid_marker);
  if (truncated) {
    w.Element("NextKeyMarker", MaybeEncode(next_key, url));
    if (!next_vid.empty()) w.Element("NextVersionIdMarker", next_vid);
  }
  w.Element("MaxKeys", std::to_string(max_keys));
  if (!delimiter.empty()) w.Element("Delimiter", MaybeEncode(delimiter, url));
  if (url) w.Element("EncodingType", "url");
  w.Element("IsTruncated", truncated ? "true" : "false");
  for (const auto& v : versions) {
    w.Open(v.delete_marker ? "DeleteMarker" : "Version")
        .Element("Key", MaybeEncode(v.key, url))
        .Element("VersionId", v.version_id)
        .Element("IsLatest", v.is_latest ? "true" : "false")
        .Element("LastModified", timefmt::Iso8601Millis(v.modified_ms));
    if (!v.delete_marker) {
      w.Element("ETag", Quote(v.etag)).Element("Size", std::to_string(v.size));
      w.Element("StorageClass", v.attrs.storage_class.empty() ? "STANDARD" : v.attrs.storage_class);
    }
    w.Open("Owner").Element("ID", OwnerId(ctx.account)).Element("DisplayName", "edastack").Close();
    if (restore_status && !v.delete_marker) WriteRestoreStatus(w, v, ctx.now_ms);
    w.Close();
  }
  for (const auto& cp : prefixes)
    w.Open("CommonPrefixes").Element("Prefix", MaybeEncode(cp, url)).Close();
  w.Close();
  return XmlResponse(w.Finish());
}

}  // namespace edastack::s3

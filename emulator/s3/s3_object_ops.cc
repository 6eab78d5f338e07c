// Object operations: Put/Get/Head/Delete, DeleteObjects, CopyObject, object tagging.
// Version-row writes shared with other files are in s3_versions.cc.
#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_lifecycle.h"
#include "emulator/s3/s3_notify.h"
#include "emulator/s3/s3_objects.h"
#include "emulator/s3/s3_restore.h"
#include "emulator/s3/s3_service.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_writer.h"

namespace edastack::s3 {
namespace {

bool EtagListMatches(const std::string& header, const std::string& etag) {
  for (const auto& part : str::Split(header, ',')) {
    std::string p = str::Trim(part);
    if (p == "*" || Unquote(p) == etag) return true;
  }
  return false;
}

AwsError WithHeader(AwsError e, const std::string& name, const std::string& value) {
  e.extra.emplace_back("header:" + name, value);
  return e;
}

}  // namespace

Status CheckConditions(const http::Request& req, const ObjectVersion& v, const char* prefix) {
  std::string p = prefix;
  int64_t mod_s = v.modified_ms / 1000;
  const std::string& if_match = req.Header(p + "If-Match");
  const std::string& if_none = req.Header(p + "If-None-Match");
  auto since = [&](const std::string& name) -> std::optional<int64_t> {
    const std::string& h = req.Header(p + name);
    if (h.empty()) return std::nullopt;
    auto t = timefmt::ParseRfc7231(h);
    if (!t) t = timefmt::ParseIso8601(h);
    if (!t) return std::nullopt;
    return *t / 1000;
  };
  std::string label = p.empty() ? "" : "x-amz-copy-source-";
  if (!if_match.empty()) {
    if (!EtagListMatches(if_match, v.etag)) return PreconditionFailed(p.empty() ? "If-Match" : label + "If-Match");
  } else if (auto ius = since("If-Unmodified-Since")) {
    if (mod_s > *ius) return PreconditionFailed(p.empty() ? "If-Unmodified-Since" : label + "If-Unmodified-Since");
  }
  bool not_modified = false;
  if (!if_none.empty()) {
    not_modified = EtagListMatches(if_none, v.etag);
  } else if (auto ims = since("If-Modified-Since")) {
    not_modified = mod_s <= *ims;
  }
  if (not_modified) {
    if (!p.empty()) return PreconditionFailed(label + (if_none.empty() ? "If-Modified-Since" : "If-None-Match"));
    AwsError e = NotModified();
    e.extra = {{"ETag", Quote(v.etag)}, {"Last-Modified", timefmt::Rfc7231(v.modified_ms)}};
    return e;
  }
  return OkStatus();
}

S3Service::Res S3Service::PutObject(const RequestContext& ctx, const Target& t,
                                    http::Request& req) {
  // Refuse a large body for a missing bucket before reading it; a small one is read first
  // (the commit checks the bucket again anyway), saving a lock round per small PUT.
  const std::string& length = req.Header("Content-Length");
  bool small = !length.empty() && length.size() < 7 &&
               length.find_first_not_of("0123456789") == std::string::npos &&
               std::stoul(length) <= kInlineBodyMax;
  if (!small) {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
  }
  Pairs tags;
  if (req.HasHeader("x-amz-tagging")) {
    EDA_ASSIGN_OR_RETURN(tags, ParseTagHeader(req.Header("x-amz-tagging")));
  }
  bool if_none_star = str::Trim(req.Header("If-None-Match")) == "*";
  if (!HasDeclaredLength(req)) return MissingContentLength();
  EDA_ASSIGN_OR_RETURN(Ingested in, IngestBody(req, *files_, emu_.options()));
  bool versioned = false;
  EDA_ASSIGN_OR_RETURN(ObjectVersion v,
                       CommitUploadedObject(ctx, t.bucket, t.key, in, AttrsFromHeaders(req),
                                            std::move(tags), if_none_star, &versioned,
                                            "ObjectCreated:Put", "PutObject",
                                            req.remote_addr));
  http::Response res = EmptyResponse(200);
  res.SetHeader("ETag", Quote(v.etag));
  if (versioned) res.SetHeader("x-amz-version-id", v.version_id);
  if (!v.checksum_algo.empty()) {
    res.SetHeader(ChecksumHeader(in.algo), v.checksum);
    res.SetHeader("x-amz-checksum-type", "FULL_OBJECT");
  }
  res.SetHeader("x-amz-server-side-encryption", v.attrs.sse);
  return res;
}

S3Service::Res S3Service::GetObject(const RequestContext& ctx, const Target& t,
                                    http::Request& req, bool head) {
  const std::string& vid = req.Query("versionId");
  ObjectVersion v;
  std::shared_ptr<OpenFile> fh;
  bool versioned = false;
  std::vector<std::string> expired;  // bodies of versions lifecycle expiration deleted
  RemoveFilesOnExit remove_expired(*files_, expired);
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
    versioned = !b.versioning.empty();
    std::vector<LifecycleRule> rules = LoadLifecycle(st, t.bucket);
    if (versioned && HasExpiration(rules)) {
      storage::Transaction tx(emu_.db());
      ExpireVersioned(st, b, rules, t.key, "", ctx.now_ms, &expired);
      tx.Commit();
    }
    auto o = vid.empty() ? st.GetLatest(t.bucket, t.key) : st.GetVersion(t.bucket, t.key, vid);
    if (!o) {
      if (!vid.empty()) {
        if (vid != "null" && vid.size() < 8)
          return InvalidArgument("Invalid version id specified", "versionId", vid);
        return NoSuchVersion(t.key, vid);
      }
      return NoSuchKey(t.bucket, t.key);
    }
    if (o->delete_marker) {
      AwsError e = vid.empty() ? NoSuchKey(t.bucket, t.key) : MethodNotAllowed(req.method, "DeleteMarker");
      e = WithHeader(e, "x-amz-delete-marker", "true");
      if (versioned) e = WithHeader(e, "x-amz-version-id", o->version_id);
      return e;
    }
    if (vid.empty() && !versioned && IsExpired(rules, *o, ctx.now_ms))
      return NoSuchKey(t.bucket, t.key);
    v = *o;
    v.attrs.storage_class = StorageClassNow(st, rules, v, ctx.now_ms);
    // HEAD reports an archived object; GET needs a restored copy.
    if (!head && !Readable(v.attrs.storage_class, v, ctx.now_ms))
      return ArchivedObject(v.attrs.storage_class);
    if (!head && v.size > 0 && !v.file.empty()) {
      fh = files_->Open(v.file);
      if (!fh) return InternalError("the object's body file is missing");
    }
  }
  EDA_TRY(CheckConditions(req, v, ""));

  uint64_t offset = 0, length = v.size;
  bool ranged = false;
  int part = 0;  // the part read (partNumber), or 0
  const std::string& range = req.Header("Range");
  bool by_part = req.HasQuery("partNumber");
  if (by_part) {
    // The byte range of one part of a multipart object (a single-part object is part 1).
    const std::string& text = req.Query("partNumber");
    bool digits = !text.empty() && text.size() <= 5;
    for (char c : text) digits = digits && c >= '0' && c <= '9';
    int n = digits ? std::stoi(text) : 0;
    if (n < 1 || n > 10000)
      return InvalidArgument("Part number must be an integer between 1 and 10000, inclusive",
                             "partNumber", text);
    if (!range.empty())
      return InvalidRequest("Cannot specify both Range header and partNumber query parameter");
    int count = v.part_sizes.empty() ? 1 : static_cast<int>(v.part_sizes.size());
    if (n > count) return InvalidPartNumber(n, count);
    part = n;
    if (!v.part_sizes.empty()) {
      for (int i = 0; i + 1 < n; ++i) offset += v.part_sizes[static_cast<size_t>(i)];
      length = v.part_sizes[static_cast<size_t>(n - 1)];
    }
    ranged = length > 0;
  } else if (!range.empty() && str::StartsWith(range, "bytes=") &&
             range.find(',') == std::string::npos) {
    std::string spec = str::Trim(range.substr(6));
    size_t dash = spec.find('-');
    auto num = [](const std::string& s, uint64_t* out) {
      if (s.empty() || s.size() > 19) return false;
      for (char c : s)
        if (c < '0' || c > '9') return false;
      *out = std::stoull(s);
      return true;
    };
    uint64_t a = 0, b = 0;
    std::string first = dash == std::string::npos ? "" : spec.substr(0, dash);
    std::string last = dash == std::string::npos ? "" : spec.substr(dash + 1);
    bool valid = dash != std::string::npos;
    if (valid && first.empty()) {
      if (num(last, &b)) {
        if (b == 0) return InvalidRange(v.size, range);
        ranged = true;
        length = std::min<uint64_t>(b, v.size);
        offset = v.size - length;
        if (v.size == 0) return InvalidRange(v.size, range);
      }
    } else if (valid && num(first, &a)) {
      bool has_end = num(last, &b);
      if (last.empty() || has_end) {
        if (has_end && b < a) {
          // Invalid syntax: serve the whole object.
        } else {
          if (a >= v.size) return InvalidRange(v.size, range);
          ranged = true;
          offset = a;
          uint64_t end = has_end ? std::min<uint64_t>(b, v.size - 1) : v.size - 1;
          length = end - a + 1;
        }
      }
    }
  }

  http::Response res;
  SetObjectHeaders(res, v, versioned);
  static const std::pair<const char*, const char*> kOverrides[] = {
      {"response-content-type", "Content-Type"},
      {"response-content-language", "Content-Language"},
      {"response-expires", "Expires"},
      {"response-cache-control", "Cache-Control"},
      {"response-content-disposition", "Content-Disposition"},
      {"response-content-encoding", "Content-Encoding"}};
  for (const auto& o : kOverrides)
    if (req.HasQuery(o.first)) res.SetHeader(o.second, req.Query(o.first));
  std::string restore = RestoreHeader(v, ctx.now_ms);
  if (!restore.empty()) res.SetHeader("x-amz-restore", restore);
  if (str::IEquals(req.Header("x-amz-checksum-mode"), "ENABLED") && !v.checksum_algo.empty()) {
    auto a = ParseChecksumAlgo(v.checksum_algo);
    if (a && !ranged) {
      res.SetHeader(ChecksumHeader(*a), v.checksum);
      res.SetHeader("x-amz-checksum-type",
                    v.checksum.find('-') != std::string::npos ? "COMPOSITE" : "FULL_OBJECT");
    } else if (a && part > 0 && static_cast<size_t>(part) <= v.part_checksums.size() &&
               !v.part_checksums[static_cast<size_t>(part - 1)].empty()) {
      // A part of a multipart object: that part's own checksum, which the 206 body matches
      // (never the whole object's).
      res.SetHeader(ChecksumHeader(*a), v.part_checksums[static_cast<size_t>(part - 1)]);
      res.SetHeader("x-amz-checksum-type", "COMPOSITE");
    }
  }
  if (ranged) {
    res.status = 206;
    res.SetHeader("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                       std::to_string(offset + length - 1) + "/" +
                                       std::to_string(v.size));
  }
  if (head) {
    res.SetHeader("Content-Length", std::to_string(length));
    return res;
  }
  if (length == 0) return res;
  if (!fh) {
    // Inline body: one copy into the response.
    res.body = v.body.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
    return res;
  }
  res.stream = [fh, offset, length](const std::function<bool(const char*, size_t)>& write) {
    return fh->Stream(offset, length, write);
  };
  res.stream_length = length;
  return res;
}

S3Service::Res S3Service::DeleteObject(const RequestContext& ctx, const Target& t,
                                       http::Request& req) {
  const std::string& vid = req.Query("versionId");
  std::vector<std::string> freed;
  DeleteOutcome out;
  bool versioned = false;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
    versioned = !b.versioning.empty();
    out = DeleteOne(st, b, t.key, vid, ctx.now_ms, &freed);
    if (!out.existed && !out.marker_created) {
      // Nothing to delete: still a success.
    }
    if (out.seq == 0 && out.existed) out.seq = st.NextSeq();
    if (out.existed)
      notifier_->Record(ctx,
                        {S3Event{out.event, t.bucket, t.key, "", versioned ? out.version_id : "",
                                 0, out.seq, ctx.now_ms, "DeleteObject",
                                 out.marker_created ? "Delete Marker Created"
                                                    : "Permanently Deleted",
                                 versioned}},
                        req.remote_addr);
    tx.Commit();
  }
  RemoveFiles(freed);
  http::Response res = EmptyResponse(204);
  if (out.delete_marker) res.SetHeader("x-amz-delete-marker", "true");
  if (versioned && !out.version_id.empty()) res.SetHeader("x-amz-version-id", out.version_id);
  return res;
}

S3Service::Res S3Service::DeleteObjects(const RequestContext& ctx, const Target& t,
                                        http::Request& req) {
  EDA_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(req, 4 << 20));
  EDA_ASSIGN_OR_RETURN(xml::Node doc, ParseXmlBody(body, "Delete"));
  bool quiet = doc.ChildText("Quiet") == "true";
  auto objects = doc.Children("Object");
  if (objects.empty() || objects.size() > 1000) return MalformedXml();
  for (const xml::Node* o : objects)
    if (!o->Child("Key")) return MalformedXml();
  std::vector<std::string> freed;
  std::vector<S3Event> events;
  xml::Writer w(true);
  w.Open("DeleteResult", std::string("xmlns=\"") + kXmlns + "\"");
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
    bool versioned = !b.versioning.empty();
    for (const xml::Node* o : objects) {
      std::string key = o->ChildText("Key");
      std::string vid = o->ChildText("VersionId");
      if (key.empty() || key.size() > 1024) {
        w.Open("Error").Element("Key", key).Element("Code", "InvalidArgument")
            .Element("Message", "Invalid key").Close();
        continue;
      }
      DeleteOutcome out = DeleteOne(st, b, key, vid, ctx.now_ms, &freed);
      if (out.existed) {
        if (out.seq == 0) out.seq = st.NextSeq();
        events.push_back({out.event, t.bucket, key, "", versioned ? out.version_id : "", 0, out.seq,
                          ctx.now_ms, "DeleteObject",
                          out.marker_created ? "Delete Marker Created" : "Permanently Deleted",
                          versioned});
      }
      if (quiet) continue;
      w.Open("Deleted").Element("Key", key);
      if (!vid.empty()) w.Element("VersionId", vid);
      if (out.delete_marker) {
        w.Element("DeleteMarker", "true");
        if (out.marker_created) w.Element("DeleteMarkerVersionId", out.version_id);
        else if (!vid.empty()) w.Element("DeleteMarkerVersionId", vid);
      }
      w.Close();
    }
    notifier_->Record(ctx, events, req.remote_addr);
    tx.Commit();
  }
  RemoveFiles(freed);
  w.Close();
  return XmlResponse(w.Finish());
}

Result<CopySource> ParseCopySource(const std::string& header) {
  std::string src = header;
  std::string vid;
  size_t qpos = src.find("?versionId=");
  if (qpos != std::string::npos) {
    vid = src.substr(qpos + 11);
    src = src.substr(0, qpos);
  }
  src = str::UriDecode(src, false);
  if (!src.empty() && src[0] == '/') src.erase(0, 1);
  size_t slash = src.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= src.size())
    return InvalidArgument("Invalid copy source object key", "x-amz-copy-source", header);
  return CopySource{src.substr(0, slash), src.substr(slash + 1), vid};
}

Result<ObjectVersion> S3Service::LoadSource(Store& st, const CopySource& src, int64_t now_ms) {
  EDA_TRY(RequireBucket(st, src.bucket));
  auto o = src.version_id.empty() ? st.GetLatest(src.bucket, src.key)
                                  : st.GetVersion(src.bucket, src.key, src.version_id);
  if (!o) {
    if (!src.version_id.empty()) return NoSuchVersion(src.key, src.version_id);
    return NoSuchKey(src.bucket, src.key);
  }
  if (o->delete_marker) {
    if (!src.version_id.empty())
      return InvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
    return NoSuchKey(src.bucket, src.key);
  }
  // An expired current version is deleted (unversioned) or under a delete marker (versioned).
  std::vector<LifecycleRule> rules = LoadLifecycle(st, src.bucket);
  if (src.version_id.empty() && IsExpired(rules, *o, now_ms)) return NoSuchKey(src.bucket, src.key);
  std::string storage_class = StorageClassNow(st, rules, *o, now_ms);
  if (!Readable(storage_class, *o, now_ms)) return ArchivedCopySource(storage_class);
  return *o;
}

S3Service::Res S3Service::CopyObject(const RequestContext& ctx, const Target& t,
                                     http::Request& req) {
  EDA_ASSIGN_OR_RETURN(CopySource src, ParseCopySource(req.Header("x-amz-copy-source")));
  std::string directive = req.Header("x-amz-metadata-directive");
  if (!directive.empty() && directive != "COPY" && directive != "REPLACE")
    return InvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
  std::string tag_directive = req.Header("x-amz-tagging-directive");
  if (!tag_directive.empty() && tag_directive != "COPY" && tag_directive != "REPLACE")
    return InvalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", tag_directive);
  auto drained = ReadSmallBody(req, 1 << 20);
  ObjectVersion source;
  std::shared_ptr<OpenFile> fh;
  bool src_versioned = false;
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    EDA_ASSIGN_OR_RETURN(source, LoadSource(st, src, ctx.now_ms));
    src_versioned = !st.GetBucket(src.bucket)->versioning.empty();
    if (!source.file.empty()) {
      fh = files_->Open(source.file);
      if (!fh) return InternalError("the source body file is missing");
    }
  }
  EDA_TRY(CheckConditions(req, source, "x-amz-copy-source-"));
  bool replace = directive == "REPLACE";
  if (src.bucket == t.bucket && src.key == t.key && src.version_id.empty() && !replace &&
      !req.HasHeader("x-amz-storage-class") && !req.HasHeader("x-amz-server-side-encryption") &&
      !req.HasHeader("x-amz-website-redirect-location") && tag_directive != "REPLACE")
    return InvalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without "
        "changing the object's metadata, storage class, website redirect location or encryption "
        "attributes.");
  ObjectVersion v;
  v.bucket = t.bucket;
  v.key = t.key;
  if (replace) {
    v.attrs = AttrsFromHeaders(req);
  } else {
    v.attrs = source.attrs;
    ObjectAttrs h = AttrsFromHeaders(req);
    // The copy is STANDARD unless the request names a class (the metadata directive does
    // not carry the storage class), so copying a restored GLACIER object makes it readable.
    v.attrs.storage_class = h.storage_class;
    if (!h.sse.empty()) v.attrs.sse = h.sse;
    if (!h.website_redirect.empty()) v.attrs.website_redirect = h.website_redirect;
  }
  if (v.attrs.sse.empty()) v.attrs.sse = "AES256";
  v.tags = source.tags;
  if (tag_directive == "REPLACE") {
    EDA_ASSIGN_OR_RETURN(v.tags, ParseTagHeader(req.Header("x-amz-tagging")));
  }
  if (fh) {
    EDA_ASSIGN_OR_RETURN(v.file, files_->CopyRange(*fh, 0, source.size));
  } else {
    v.body = source.body;
  }
  v.size = source.size;
  v.etag = source.etag;
  v.parts = source.parts;
  v.part_sizes = source.part_sizes;
  v.part_checksums = source.part_checksums;
  v.checksum_algo = source.checksum_algo;
  v.checksum = source.checksum;
  v.modified_ms = ctx.now_ms;
  std::vector<std::string> freed;
  bool versioned = false;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    auto b = st.GetBucket(t.bucket);
    if (!b) {
      files_->Remove(v.file);
      return NoSuchBucket(t.bucket);
    }
    versioned = !b->versioning.empty();
    v.version_id = b->versioning == "Enabled" ? NewVersionId() : "null";
    v.seq = st.NextSeq();
    st.PutVersion(v, &freed);
    S3Event e{"ObjectCreated:Copy", t.bucket, t.key, v.etag, versioned ? v.version_id : "",
              v.size, v.seq, ctx.now_ms, "CopyObject", "", versioned};
    notifier_->Record(ctx, {e}, req.remote_addr);
    tx.Commit();
  }
  RemoveFiles(freed);
  xml::Writer w(true);
  w.Open("CopyObjectResult", std::string("xmlns=\"") + kXmlns + "\"")
      .Element("LastModified", timefmt::Iso8601Millis(v.modified_ms))
      .Element("ETag", Quote(v.etag));
  if (!v.checksum_algo.empty() && v.checksum.find('-') == std::string::npos)
    w.Element("Checksum" + v.checksum_algo, v.checksum);
  w.Close();
  http::Response res = XmlResponse(w.Finish());
  if (versioned) res.SetHeader("x-amz-version-id", v.version_id);
  if (src_versioned) res.SetHeader("x-amz-copy-source-version-id", source.version_id);
  res.SetHeader("x-amz-server-side-encryption", v.attrs.sse);
  return res;
}

S3Service::Res S3Service::PutObjectTagging(const RequestContext& ctx, const Target& t,
                                           http::Request& req) {
  EDA_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(req, 1 << 20));
  EDA_ASSIGN_OR_RETURN(xml::Node doc, ParseXmlBody(body, "Tagging"));
  EDA_ASSIGN_OR_RETURN(Pairs tags, ParseTagging(doc));
  if (tags.size() > 10) return InvalidTag("Object tags cannot be greater than 10");
  ObjectVersion v;
  bool versioned = false;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
    versioned = !b.versioning.empty();
    const std::string& vid = req.Query("versionId");
    auto o = vid.empty() ? st.GetLatest(t.bucket, t.key) : st.GetVersion(t.bucket, t.key, vid);
    if (!o || o->delete_marker) return vid.empty() ? NoSuchKey(t.bucket, t.key) : NoSuchVersion(t.key, vid);
    st.SetTags(t.bucket, t.key, o->version_id, tags);
    v = *o;
    v.seq = st.NextSeq();
    S3Event e{"ObjectTagging:Put", t.bucket, t.key, v.etag, versioned ? v.version_id : "", v.size,
              v.seq, ctx.now_ms, "PutObjectTagging", "", versioned};
    notifier_->Record(ctx, {e}, req.remote_addr);
    tx.Commit();
  }
  http::Response res = EmptyResponse(200);
  if (versioned) res.SetHeader("x-amz-version-id", v.version_id);
  return res;
}

S3Service::Res S3Service::GetObjectTagging(const RequestContext& ctx, const Target& t,
                                           http::Request& req) {
  auto lock = emu_.db().Lock();
  Store st(emu_.db(), ctx.account);
  EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
  const std::string& vid = req.Query("versionId");
  auto o = vid.empty() ? st.GetLatest(t.bucket, t.key) : st.GetVersion(t.bucket, t.key, vid);
  if (!o || o->delete_marker) return vid.empty() ? NoSuchKey(t.bucket, t.key) : NoSuchVersion(t.key, vid);
  http::Response res = XmlResponse(TaggingXml(o->tags));
  if (!b.versioning.empty()) res.SetHeader("x-amz-version-id", o->version_id);
  return res;
}

S3Service::Res S3Service::DeleteObjectTagging(const RequestContext& ctx, const Target& t,
                                              http::Request& req) {
  ObjectVersion v;
  bool versioned = false;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
    versioned = !b.versioning.empty();
    const std::string& vid = req.Query("versionId");
    auto o = vid.empty() ? st.GetLatest(t.bucket, t.key) : st.GetVersion(t.bucket, t.key, vid);
    if (!o || o->delete_marker) return vid.empty() ? NoSuchKey(t.bucket, t.key) : NoSuchVersion(t.key, vid);
    st.SetTags(t.bucket, t.key, o->version_id, {});
    v = *o;
    v.seq = st.NextSeq();
    S3Event e{"ObjectTagging:Delete", t.bucket, t.key, v.etag, versioned ? v.version_id : "",
              v.size, v.seq, ctx.now_ms, "DeleteObjectTagging", "", versioned};
    notifier_->Record(ctx, {e}, req.remote_addr);
    tx.Commit();
  }
  http::Response res = EmptyResponse(204);
  if (versioned) res.SetHeader("x-amz-version-id", v.version_id);
  return res;
}

}  // namespace edastack::s3

// Multipart uploads: Create / UploadPart / UploadPartCopy / Complete / Abort / ListParts /
// ListMultipartUploads.
#include <algorithm>

#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_listing.h"
#include "emulator/s3/s3_notify.h"
#include "emulator/s3/s3_service.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/crypto.h"
#include "protocol/core/ids.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_writer.h"

namespace edastack::s3 {
namespace {

constexpr uint64_t kMinPartSize = 5ull * 1024 * 1024;

std::string Xmlns() { return std::string("xmlns=\"") + kXmlns + "\""; }

Result<int> PartNumber(const http::Request& req) {
  const std::string& text = req.Query("partNumber");
  int n = 0;
  bool ok = !text.empty() && text.size() <= 5;
  for (char c : text) ok = ok && c >= '0' && c <= '9';
  if (ok) n = std::stoi(text);
  if (!ok || n < 1 || n > 10000)
    return InvalidArgument("Part number must be an integer between 1 and 10000, inclusive",
                           "partNumber", text);
  return n;
}

void Owner(xml::Writer& w, const char* name, const std::string& account) {
  w.Open(name).Element("ID", OwnerId(account)).Element("DisplayName", "edastack").Close();
}

}  // namespace

S3Service::Res S3Service::CreateMultipartUpload(const RequestContext& ctx, const Target& t,
                                                http::Request& req) {
  auto drained = ReadSmallBody(req, 1 << 20);
  Upload u;
  u.upload_id = ids::RandomHex(24);
  u.bucket = t.bucket;
  u.key = t.key;
  u.initiated_ms = ctx.now_ms;
  u.attrs = AttrsFromHeaders(req);
  if (u.attrs.sse.empty()) u.attrs.sse = "AES256";
  const std::string& algo = req.Header("x-amz-checksum-algorithm");
  if (!algo.empty()) {
    auto a = ParseChecksumAlgo(algo);
    if (!a) return InvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
    u.checksum_algo = ChecksumName(*a);
  }
  if (req.HasHeader("x-amz-tagging")) {
    EDA_ASSIGN_OR_RETURN(u.tags, ParseTagHeader(req.Header("x-amz-tagging")));
  }
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    st.InsertUpload(u);
    tx.Commit();
  }
  xml::Writer w(true);
  w.Open("InitiateMultipartUploadResult", Xmlns())
      .Element("Bucket", t.bucket)
      .Element("Key", t.key)
      .Element("UploadId", u.upload_id)
      .Close();
  http::Response res = XmlResponse(w.Finish());
  if (!u.checksum_algo.empty()) res.SetHeader("x-amz-checksum-algorithm", u.checksum_algo);
  res.SetHeader("x-amz-server-side-encryption", u.attrs.sse);
  return res;
}

S3Service::Res S3Service::UploadPart(const RequestContext& ctx, const Target& t,
                                     http::Request& req) {
  EDA_ASSIGN_OR_RETURN(int number, PartNumber(req));
  const std::string& upload_id = req.Query("uploadId");
  Upload u;
  std::shared_ptr<OpenFile> src_fh;
  uint64_t src_offset = 0, src_length = 0;
  bool copy = req.HasHeader("x-amz-copy-source");
  ObjectVersion source;
  std::vector<std::string> aborted;  // part files of an upload lifecycle aborted
  RemoveFilesOnExit remove_aborted(*files_, aborted);
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    auto found = LiveUpload(st, t.bucket, t.key, upload_id, ctx.now_ms, false, &aborted);
    if (!found) return NoSuchUpload(upload_id);
    u = *found;
    if (copy) {
      EDA_ASSIGN_OR_RETURN(CopySource src, ParseCopySource(req.Header("x-amz-copy-source")));
      EDA_ASSIGN_OR_RETURN(source, LoadSource(st, src, ctx.now_ms));
      src_fh = source.file.empty() ? std::make_shared<OpenFile>(source.body)
                                   : files_->Open(source.file);
      if (!src_fh && source.size > 0) return InternalError("the source body file is missing");
    }
  }
  Part p;
  p.number = number;
  p.modified_ms = ctx.now_ms;
  Algo algo = u.checksum_algo.empty() ? Algo::kNone : *ParseChecksumAlgo(u.checksum_algo);
  if (copy) {
    EDA_TRY(CheckConditions(req, source, "x-amz-copy-source-"));
    src_length = source.size;
    const std::string& range = req.Header("x-amz-copy-source-range");
    if (!range.empty()) {
      uint64_t a = 0, b = 0;
      if (sscanf(range.c_str(), "bytes=%lu-%lu", &a, &b) != 2 || b < a || b >= source.size)
        return InvalidArgument("The x-amz-copy-source-range value must be of the form "
                               "bytes=first-last where first and last are the zero-based offsets "
                               "of the first and last bytes to copy",
                               "x-amz-copy-source-range", range);
      src_offset = a;
      src_length = b - a + 1;
    }
    auto drained = ReadSmallBody(req, 1 << 20);
    Digester md5(Algo::kMd5), sum(algo);
    Result<std::string> id = std::string();
    if (src_fh) {
      id = files_->CopyRange(*src_fh, src_offset, src_length, [&](const char* d, size_t n) {
        md5.Update(d, n);
        sum.Update(d, n);
      });
    } else {
      auto f = files_->Create();
      if (!f.ok()) return f.take_error();
      id = files_->Commit(*f.value());
    }
    if (!id.ok()) return id.take_error();
    p.file = id.value();
    p.size = src_length;
    p.etag = crypto::Hex(md5.Final());
    if (algo != Algo::kNone) p.checksum = crypto::Base64Encode(sum.Final());
  } else {
    if (!HasDeclaredLength(req)) return MissingContentLength();
    EDA_ASSIGN_OR_RETURN(Ingested in, IngestBody(req, *files_, emu_.options(), algo));
    if (algo != Algo::kNone && in.algo != algo)
      return InvalidRequest(std::string("Checksum Type mismatch occurred, expected checksum Type: ") +
                            str::ToLower(ChecksumName(algo)) + ", actual checksum Type: " +
                            str::ToLower(ChecksumName(in.algo)));
    EDA_ASSIGN_OR_RETURN(p.file, files_->Commit(*in.file));
    p.size = in.size;
    p.etag = in.md5_hex;
    if (in.algo != Algo::kNone) {
      p.checksum = in.checksum_b64;
      algo = in.algo;
    }
  }
  std::optional<std::string> replaced;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    if (!LiveUpload(st, t.bucket, t.key, upload_id, ctx.now_ms, true, &aborted)) {
      tx.Commit();
      files_->Remove(p.file);
      return NoSuchUpload(upload_id);
    }
    replaced = st.PutPart(upload_id, p);
    tx.Commit();
  }
  if (replaced) files_->Remove(*replaced);
  if (copy) {
    xml::Writer w(true);
    w.Open("CopyPartResult", Xmlns())
        .Element("LastModified", timefmt::Iso8601Millis(p.modified_ms))
        .Element("ETag", Quote(p.etag));
    if (!p.checksum.empty()) w.Element(ChecksumMember(algo), p.checksum);
    w.Close();
    return XmlResponse(w.Finish());
  }
  http::Response res = EmptyResponse(200);
  res.SetHeader("ETag", Quote(p.etag));
  if (!p.checksum.empty()) res.SetHeader(ChecksumHeader(algo), p.checksum);
  res.SetHeader("x-amz-server-side-encryption", u.attrs.sse);
  return res;
}

S3Service::Res S3Service::CompleteMultipartUpload(const RequestContext& ctx, const Target& t,
                                                  http::Request& req) {
  const std::string& upload_id = req.Query("uploadId");
  EDA_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(req, 4 << 20));
  EDA_ASSIGN_OR_RETURN(xml::Node doc, ParseXmlBody(body, "CompleteMultipartUpload"));
  struct Listed {
    int number;
    std::string etag;
  };
  std::vector<Listed> listed;
  for (const xml::Node* p : doc.Children("Part")) {
    std::string n = str::Trim(p->ChildText("PartNumber"));
    int number = 0;
    try {
      number = std::stoi(n);
    } catch (...) {
      return MalformedXml();
    }
    listed.push_back({number, Unquote(p->ChildText("ETag"))});
  }
  if (listed.empty())
    return MakeError("MalformedXML",
                     "The XML you provided was not well-formed or did not validate against our "
                     "published schema",
                     400);
  for (size_t i = 1; i < listed.size(); ++i)
    if (listed[i].number <= listed[i - 1].number) return InvalidPartOrder();

  Upload u;
  std::vector<std::pair<std::shared_ptr<OpenFile>, uint64_t>> files;
  std::string md5s, sums;
  uint64_t total = 0;
  std::vector<std::string> all_part_files;
  std::vector<uint64_t> part_sizes;
  std::vector<std::string> part_checksums;
  std::vector<std::string> aborted;  // part files of an upload lifecycle aborted
  RemoveFilesOnExit remove_aborted(*files_, aborted);
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    auto found = LiveUpload(st, t.bucket, t.key, upload_id, ctx.now_ms, false, &aborted);
    if (!found) return NoSuchUpload(upload_id);
    u = *found;
    auto parts = st.ListParts(upload_id);
    for (size_t i = 0; i < listed.size(); ++i) {
      const Part* match = nullptr;
      for (const auto& p : parts)
        if (p.number == listed[i].number) match = &p;
      if (!match || match->etag != listed[i].etag) return InvalidPart(listed[i].number);
      if (i + 1 < listed.size() && match->size < kMinPartSize) return EntityTooSmall(match->size);
      auto fh = files_->Open(match->file);
      if (!fh) return InternalError("a part body file is missing");
      files.emplace_back(fh, match->size);
      part_sizes.push_back(match->size);
      md5s += [&] {
        std::string bin;
        for (size_t k = 0; k + 1 < match->etag.size(); k += 2)
          bin.push_back(static_cast<char>(std::stoi(match->etag.substr(k, 2), nullptr, 16)));
        return bin;
      }();
      if (!u.checksum_algo.empty()) {
        auto c = crypto::Base64Decode(match->checksum);
        if (c) sums += *c;
        part_checksums.push_back(match->checksum);
      }
      total += match->size;
    }
    for (const auto& p : parts) all_part_files.push_back(p.file);
  }
  EDA_ASSIGN_OR_RETURN(std::string file_id, files_->Concat(files));
  ObjectVersion v;
  v.bucket = t.bucket;
  v.key = t.key;
  v.size = total;
  v.etag = crypto::Md5Hex(md5s) + "-" + std::to_string(listed.size());
  v.modified_ms = ctx.now_ms;
  v.file = file_id;
  v.attrs = u.attrs;
  v.tags = u.tags;
  v.parts = static_cast<int>(listed.size());
  v.part_sizes = std::move(part_sizes);
  v.part_checksums = std::move(part_checksums);
  if (!u.checksum_algo.empty()) {
    Algo a = *ParseChecksumAlgo(u.checksum_algo);
    v.checksum_algo = u.checksum_algo;
    v.checksum = DigestBase64(a, sums) + "-" + std::to_string(listed.size());
  }
  std::vector<std::string> freed;
  bool versioned = false;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    auto b = st.GetBucket(t.bucket);
    if (!b || !LiveUpload(st, t.bucket, t.key, upload_id, ctx.now_ms, true, &aborted)) {
      tx.Commit();  // keeps the deletion of an upload lifecycle aborted meanwhile
      files_->Remove(file_id);
      return b ? NoSuchUpload(upload_id) : NoSuchBucket(t.bucket);
    }
    versioned = !b->versioning.empty();
    v.version_id = b->versioning == "Enabled" ? NewVersionId() : "null";
    v.seq = st.NextSeq();
    st.PutVersion(v, &freed);
    st.DeleteUpload(upload_id);
    S3Event e{"ObjectCreated:CompleteMultipartUpload", t.bucket, t.key, v.etag,
              versioned ? v.version_id : "", v.size, v.seq, ctx.now_ms, "CompleteMultipartUpload",
              "", versioned};
    notifier_->Record(ctx, {e}, req.remote_addr);
    tx.Commit();
  }
  RemoveFiles(freed);
  RemoveFiles(all_part_files);
  xml::Writer w(true);
  w.Open("CompleteMultipartUploadResult", Xmlns())
      .Element("Location", ctx.Origin() + "/" + t.bucket + "/" + str::UriEncode(t.key, true))
      .Element("Bucket", t.bucket)
      .Element("Key", t.key)
      .Element("ETag", Quote(v.etag));
  if (!v.checksum_algo.empty()) w.Element("Checksum" + v.checksum_algo, v.checksum);
  w.Close();
  http::Response res = XmlResponse(w.Finish());
  if (versioned) res.SetHeader("x-amz-version-id", v.version_id);
  res.SetHeader("x-amz-server-side-encryption", v.attrs.sse);
  return res;
}

S3Service::Res S3Service::AbortMultipartUpload(const RequestContext& ctx, const Target& t,
                                               http::Request& req) {
  const std::string& upload_id = req.Query("uploadId");
  std::vector<std::string> freed;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    if (!LiveUpload(st, t.bucket, t.key, upload_id, ctx.now_ms, true, &freed)) {
      tx.Commit();  // keeps the deletion of an upload lifecycle aborted
      RemoveFiles(freed);
      return NoSuchUpload(upload_id);
    }
    for (const auto& p : st.ListParts(upload_id)) freed.push_back(p.file);
    st.DeleteUpload(upload_id);
    tx.Commit();
  }
  RemoveFiles(freed);
  return EmptyResponse(204);
}

S3Service::Res S3Service::ListParts(const RequestContext& ctx, const Target& t,
                                    http::Request& req) {
  const std::string& upload_id = req.Query("uploadId");
  int max_parts = 1000, marker = 0;
  try {
    if (req.HasQuery("max-parts")) max_parts = std::max(0, std::min(1000, std::stoi(req.Query("max-parts"))));
    if (req.HasQuery("part-number-marker")) marker = std::stoi(req.Query("part-number-marker"));
  } catch (...) {
    return InvalidArgument("Provided max-parts or part-number-marker not an integer");
  }
  Upload u;
  std::vector<Part> parts;
  std::vector<std::string> aborted;  // part files of an upload lifecycle aborted
  RemoveFilesOnExit remove_aborted(*files_, aborted);
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    auto found = LiveUpload(st, t.bucket, t.key, upload_id, ctx.now_ms, false, &aborted);
    if (!found) return NoSuchUpload(upload_id);
    u = *found;
    parts = st.ListParts(upload_id);
  }
  xml::Writer w(true);
  w.Open("ListPartsResult", Xmlns())
      .Element("Bucket", t.bucket)
      .Element("Key", t.key)
      .Element("UploadId", upload_id)
      .Element("PartNumberMarker", std::to_string(marker));
  std::vector<const Part*> page;
  bool truncated = false;
  for (const auto& p : parts) {
    if (p.number <= marker) continue;
    if (static_cast<int>(page.size()) >= max_parts) {
      truncated = true;
      break;
    }
    page.push_back(&p);
  }
  if (!page.empty()) w.Element("NextPartNumberMarker", std::to_string(page.back()->number));
  w.Element("MaxParts", std::to_string(max_parts))
      .Element("IsTruncated", truncated ? "true" : "false");
  if (!u.checksum_algo.empty()) w.Element("ChecksumAlgorithm", u.checksum_algo);
  for (const Part* p : page) {
    w.Open("Part")
        .Element("PartNumber", std::to_string(p->number))
        .Element("LastModified", timefmt::Iso8601Millis(p->modified_ms))
        .Element("ETag", Quote(p->etag))
        .Element("Size", std::to_string(p->size));
    if (!p->checksum.empty()) w.Element("Checksum" + u.checksum_algo, p->checksum);
    w.Close();
  }
  Owner(w, "Initiator", ctx.account);
  Owner(w, "Owner", ctx.account);
  w.Element("StorageClass", u.attrs.storage_class.empty() ? "STANDARD" : u.attrs.storage_class);
  w.Close();
  return XmlResponse(w.Finish());
}

S3Service::Res S3Service::ListMultipartUploads(const RequestContext& ctx, const Target& t,
                                               http::Request& req) {
  std::vector<Upload> uploads;
  std::vector<std::string> aborted;  // part files of uploads lifecycle aborted
  RemoveFilesOnExit remove_aborted(*files_, aborted);
  {
    auto lock = emu_.db().Lock();
    Store st(emu_.db(), ctx.account);
    EDA_TRY(RequireBucket(st, t.bucket));
    uploads = st.ListUploads(t.bucket);
    std::vector<LifecycleRule> rules = LoadLifecycle(st, t.bucket);
    auto gone = [&](const Upload& u) { return UploadAborted(rules, u, ctx.now_ms); };
    if (std::any_of(uploads.begin(), uploads.end(), gone)) {
      storage::Transaction tx(emu_.db());
      for (const auto& u : uploads) {
        if (!gone(u)) continue;
        for (const auto& p : st.ListParts(u.upload_id)) aborted.push_back(p.file);
        st.DeleteUpload(u.upload_id);
      }
      tx.Commit();
      uploads.erase(std::remove_if(uploads.begin(), uploads.end(), gone), uploads.end());
    }
  }
  UploadsQuery q;
  q.prefix = req.Query("prefix");
  q.delimiter = req.Query("delimiter");
  q.key_marker = req.Query("key-marker");
  q.upload_id_marker = q.key_marker.empty() ? "" : req.Query("upload-id-marker");
  if (req.HasQuery("max-uploads")) {
    const std::string& text = req.Query("max-uploads");
    bool digits = !text.empty() && text.size() <= 9;
    for (char c : text) digits = digits && c >= '0' && c <= '9';
    if (!digits)
      return InvalidArgument("Provided max-uploads not an integer or within integer range",
                             "max-uploads", text);
    q.max_uploads = std::min(std::stoi(text), 1000);
  }
  const std::string& enc = req.Query("encoding-type");
  if (!enc.empty() && enc != "url")
    return InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", enc);
  bool url = enc == "url";
  auto key_text = [url](const std::string& k) { return url ? str::UriEncode(k, true) : k; };
  UploadsPage page = PageUploads(uploads, q);
  xml::Writer w(true);
  w.Open("ListMultipartUploadsResult", Xmlns())
      .Element("Bucket", t.bucket)
      .Element("KeyMarker", key_text(q.key_marker))
      .Element("UploadIdMarker", q.upload_id_marker)
      .Element("NextKeyMarker", key_text(page.next_key_marker))
      .Element("NextUploadIdMarker", page.next_upload_id_marker);
  if (!q.delimiter.empty()) w.Element("Delimiter", key_text(q.delimiter));
  if (!q.prefix.empty()) w.Element("Prefix", key_text(q.prefix));
  w.Element("MaxUploads", std::to_string(q.max_uploads))
      .Element("IsTruncated", page.truncated ? "true" : "false");
  if (url) w.Element("EncodingType", "url");
  for (const auto& u : page.uploads) {
    w.Open("Upload").Element("Key", key_text(u.key)).Element("UploadId", u.upload_id);
    Owner(w, "Initiator", ctx.account);
    Owner(w, "Owner", ctx.account);
    w.Element("StorageClass", u.attrs.storage_class.empty() ? "STANDARD" : u.attrs.storage_class)
        .Element("Initiated", timefmt::Iso8601Millis(u.initiated_ms));
    if (!u.checksum_algo.empty()) w.Element("ChecksumAlgorithm", u.checksum_algo);
    w.Close();
  }
  for (const auto& cp : page.common_prefixes)
    w.Open("CommonPrefixes").Element("Prefix", key_text(cp)).Close();
  w.Close();
  return XmlResponse(w.Finish());
}

}  // namespace edastack::s3

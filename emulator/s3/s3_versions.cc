// Writing object versions: committing an uploaded body (PutObject, POST upload), deleting a
// key or version (DeleteObject, DeleteObjects), and the lifecycle actions materialized when
// read: expiration in versioned buckets, aborting incomplete multipart uploads.
#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_lifecycle.h"
#include "emulator/s3/s3_notify.h"
#include "emulator/s3/s3_objects.h"
#include "emulator/s3/s3_service.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/strings.h"

namespace edastack::s3 {

DeleteOutcome DeleteOne(Store& st, const Bucket& b, const std::string& key,
                        const std::string& version_id, int64_t now_ms,
                        std::vector<std::string>* freed) {
  DeleteOutcome out;
  if (!version_id.empty()) {
    auto o = st.GetVersion(b.name, key, version_id);
    out.version_id = version_id;
    if (!o) return out;
    st.DeleteVersion(b.name, key, version_id);
    if (!o->file.empty()) freed->push_back(o->file);
    out.existed = true;
    out.delete_marker = o->delete_marker;
    out.event = "ObjectRemoved:Delete";
    return out;
  }
  if (b.versioning.empty()) {
    auto o = st.GetLatest(b.name, key);
    if (!o) return out;
    st.DeleteVersion(b.name, key, o->version_id);
    if (!o->file.empty()) freed->push_back(o->file);
    out.existed = true;
    out.event = "ObjectRemoved:Delete";
    return out;
  }
  ObjectVersion marker;
  marker.bucket = b.name;
  marker.key = key;
  marker.delete_marker = true;
  marker.version_id = b.versioning == "Enabled" ? NewVersionId() : "null";
  marker.modified_ms = now_ms;
  marker.seq = st.NextSeq();
  st.PutVersion(marker, freed);
  out.existed = true;
  out.delete_marker = true;
  out.version_id = marker.version_id;
  out.marker_created = true;
  out.seq = marker.seq;
  out.event = "ObjectRemoved:DeleteMarkerCreated";
  return out;
}

std::vector<LifecycleRule> LoadLifecycle(Store& st, const std::string& bucket) {
  auto doc = st.GetConfig(bucket, "lifecycle");
  if (!doc) return {};
  return ParseLifecycle(*doc, st.GetConfig(bucket, kLifecycleMinSizeKind).value_or(""));
}

int64_t NoncurrentSince(Store& st, const ObjectVersion& v, int* newer_noncurrent) {
  if (newer_noncurrent) *newer_noncurrent = 0;
  if (v.is_latest) return -1;
  int64_t newer = -1;
  int count = 0;
  for (const auto& o : st.KeyVersions(v.bucket, v.key)) {  // newest first
    if (o.version_id == v.version_id) {
      if (newer_noncurrent) *newer_noncurrent = count;
      return newer;
    }
    if (!o.is_latest && !o.delete_marker) ++count;
    newer = o.modified_ms;
  }
  return -1;
}

std::string StorageClassNow(Store& st, const std::vector<LifecycleRule>& rules,
                            const ObjectVersion& v, int64_t now_ms) {
  if (rules.empty()) return v.attrs.storage_class;
  int newer_noncurrent = 0;
  int64_t since = NoncurrentSince(st, v, &newer_noncurrent);
  return EffectiveStorageClass(rules, v, since, now_ms, newer_noncurrent);
}

std::optional<Upload> LiveUpload(Store& st, const std::string& bucket, const std::string& key,
                                 const std::string& upload_id, int64_t now_ms, bool in_tx,
                                 std::vector<std::string>* freed) {
  auto u = st.GetUpload(upload_id);
  if (!u || u->bucket != bucket || u->key != key) return std::nullopt;
  if (!UploadAborted(LoadLifecycle(st, bucket), *u, now_ms)) return u;
  std::optional<storage::Transaction> tx;
  if (!in_tx) tx.emplace(st.db());
  for (const auto& p : st.ListParts(upload_id)) freed->push_back(p.file);
  st.DeleteUpload(upload_id);
  if (tx) tx->Commit();
  return std::nullopt;
}

void ExpireVersioned(Store& st, const Bucket& b, const std::vector<LifecycleRule>& rules,
                     const std::string& key, const std::string& prefix, int64_t now_ms,
                     std::vector<std::string>* freed) {
  if (rules.empty() || b.versioning.empty()) return;
  std::vector<ObjectVersion> all =
      key.empty() ? st.ListVersions(b.name, prefix, 100000000) : st.KeyVersions(b.name, key);
  size_t i = 0;
  while (i < all.size()) {
    size_t j = i;
    while (j < all.size() && all[j].key == all[i].key) ++j;
    if (!str::StartsWith(all[i].key, prefix)) break;
    std::vector<ObjectVersion> group(all.begin() + static_cast<std::ptrdiff_t>(i),
                                     all.begin() + static_cast<std::ptrdiff_t>(j));
    VersionedExpiry plan = PlanVersionedExpiry(rules, group, now_ms);
    if (plan.add_marker) {
      ObjectVersion marker;
      marker.bucket = b.name;
      marker.key = group.front().key;
      marker.delete_marker = true;
      marker.version_id = b.versioning == "Enabled" ? NewVersionId() : "null";
      marker.modified_ms = plan.marker_ms;
      marker.seq = st.NextSeq();
      st.PutVersion(marker, freed);
    }
    for (const auto& id : plan.delete_version_ids) {
      for (const auto& v : group)
        if (v.version_id == id && !v.file.empty()) freed->push_back(v.file);
      st.DeleteVersion(b.name, group.front().key, id);
    }
    i = j;
  }
}

Result<ObjectVersion> S3Service::CommitUploadedObject(const RequestContext& ctx,
                                                     const std::string& bucket,
                                                     const std::string& key, Ingested& in,
                                                     ObjectAttrs attrs, Pairs tags,
                                                     bool if_none_star, bool* versioned,
                                                     const std::string& event_name,
                                                     const std::string& event_source,
                                                     const std::string& remote_addr) {
  EDA_ASSIGN_OR_RETURN(StoredBody stored, files_->CommitOrInline(*in.file));
  const std::string& file_id = stored.file;
  ObjectVersion v;
  v.bucket = bucket;
  v.key = key;
  v.size = in.size;
  v.etag = in.md5_hex;
  v.modified_ms = ctx.now_ms;
  v.file = file_id;
  v.body = std::move(stored.inline_data);
  v.attrs = std::move(attrs);
  if (v.attrs.sse.empty()) v.attrs.sse = "AES256";
  if (in.algo != Algo::kNone) {
    v.checksum_algo = ChecksumName(in.algo);
    v.checksum = in.checksum_b64;
  }
  v.tags = std::move(tags);
  std::vector<std::string> freed;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    auto b = st.GetBucket(bucket);
    if (!b) {
      files_->Remove(file_id);
      return NoSuchBucket(bucket);
    }
    if (if_none_star) {
      auto cur = st.GetLatest(bucket, key);
      if (cur && !cur->delete_marker) {
        files_->Remove(file_id);
        return PreconditionFailed("If-None-Match");
      }
    }
    *versioned = !b->versioning.empty();
    v.version_id = b->versioning == "Enabled" ? NewVersionId() : "null";
    v.seq = st.NextSeq();
    st.PutVersion(v, &freed);
    S3Event e{event_name, bucket, key, v.etag, *versioned ? v.version_id : "", v.size,
              v.seq, ctx.now_ms, event_source, "", *versioned};
    notifier_->Record(ctx, {e}, remote_addr);
    tx.Commit();
  }
  RemoveFiles(freed);
  return v;
}

}  // namespace edastack::s3

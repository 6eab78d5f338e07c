// S3 over REST-XML (PROTOCOLS.md §1.3-1.5, §4): addressing, dispatch to one function per
// operation, streamed bodies on disk, notifications after commit.
//
// Ownership: owned by the Emulator; holds a reference to it (database, clock, functions,
// cross-service delivery) and owns the body files. Thread-safe: every operation takes the
// database lock for its one transaction and releases it before streaming bodies.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "emulator/s3/body_files.h"
#include "emulator/s3/s3_objects.h"
#include "emulator/s3/s3_store.h"
#include "emulator/s3/s3_wire.h"
#include "emulator/server/emulator.h"
#include "emulator/server/service.h"
#include "protocol/core/result.h"

namespace edastack::s3 {

class Notifier;

// Where a request points: bucket (maybe empty) and key (maybe empty).
struct Target {
  std::string bucket;
  std::string key;
  bool virtual_host = false;
};

// Splits Host + path into bucket and key (path style, `b.localhost`, `b.s3.<anything>`).
Target ResolveTarget(const std::string& host, const std::string& raw_path);
// S3 bucket naming rules (3-63 chars, lowercase, digits, '.', '-', ...).
bool ValidBucketName(const std::string& name);

class S3Service : public ServiceHandler {
 public:
  // Migrates the schema, opens `<data dir>/s3` (ephemeral: a temp dir) and removes orphans.
  explicit S3Service(Emulator& emu);
  ~S3Service() override;

  http::Response Handle(const RequestContext& ctx, const http::Route& route,
                        http::Request& req) override;
  void OnReset() override;
  void Start() override;  // replays pending notifications
  void Shutdown() override;

  // Records the ObjectRestore:Completed notification of every restore whose copy is
  // available by `now_ms` and whose notification is still owed (s3_restore.cc), in one
  // transaction per batch; returns how many. The restore thread started by Start() calls it
  // every second (readability itself is computed from the clock when read); tests call it.
  int CompleteRestores(int64_t now_ms);

 private:
  using Res = Result<http::Response>;
  Res Dispatch(const RequestContext& ctx, const Target& t, http::Request& req);

  // Buckets (s3_bucket_ops.cc).
  Res ListBuckets(const RequestContext& ctx, http::Request& req);
  Res CreateBucket(const RequestContext& ctx, const Target& t, http::Request& req);
  Res HeadBucket(const RequestContext& ctx, const Target& t);
  Res DeleteBucket(const RequestContext& ctx, const Target& t);
  Res GetBucketLocation(const RequestContext& ctx, const Target& t);
  Res PutBucketVersioning(const RequestContext& ctx, const Target& t, http::Request& req);
  Res GetBucketVersioning(const RequestContext& ctx, const Target& t);
  Res PutBucketConfig(const RequestContext& ctx, const Target& t, http::Request& req,
                      const std::string& kind);
  Res GetBucketConfig(const RequestContext& ctx, const Target& t, const std::string& kind);
  Res DeleteBucketConfig(const RequestContext& ctx, const Target& t, const std::string& kind);
  Res ListObjects(const RequestContext& ctx, const Target& t, http::Request& req, bool v2);
  Res ListObjectVersions(const RequestContext& ctx, const Target& t, http::Request& req);

  // Objects (s3_object_ops.cc).
  Res PutObject(const RequestContext& ctx, const Target& t, http::Request& req);
  Res GetObject(const RequestContext& ctx, const Target& t, http::Request& req, bool head);
  Res DeleteObject(const RequestContext& ctx, const Target& t, http::Request& req);
  Res DeleteObjects(const RequestContext& ctx, const Target& t, http::Request& req);
  Res CopyObject(const RequestContext& ctx, const Target& t, http::Request& req);
  Res PutObjectTagging(const RequestContext& ctx, const Target& t, http::Request& req);
  Res GetObjectTagging(const RequestContext& ctx, const Target& t, http::Request& req);
  Res DeleteObjectTagging(const RequestContext& ctx, const Target& t, http::Request& req);
  Res PostObject(const RequestContext& ctx, const Target& t, http::Request& req);
  // Archived objects (s3_restore.cc).
  Res RestoreObject(const RequestContext& ctx, const Target& t, http::Request& req);
  void RestoreLoop();

  // Multipart (s3_multipart_ops.cc).
  Res CreateMultipartUpload(const RequestContext& ctx, const Target& t, http::Request& req);
  Res UploadPart(const RequestContext& ctx, const Target& t, http::Request& req);
  Res CompleteMultipartUpload(const RequestContext& ctx, const Target& t, http::Request& req);
  Res AbortMultipartUpload(const RequestContext& ctx, const Target& t, http::Request& req);
  Res ListParts(const RequestContext& ctx, const Target& t, http::Request& req);
  Res ListMultipartUploads(const RequestContext& ctx, const Target& t, http::Request& req);

  // CORS (s3_cors.cc).
  Res Preflight(const RequestContext& ctx, const Target& t, http::Request& req);
  void ApplyCors(const Target& t, const http::Request& req, http::Response& res);

  // Removes orphan body files; drops rows whose body is missing or short (start, reset).
  void CleanBodies();
  // Commits an ingested body as the new version of bucket/key (PutObject, POST upload): the
  // body file is synced and renamed (BodyFiles::Commit) before the version row commits in one
  // transaction; replaced bodies are removed after it. NoSuchBucket, or PreconditionFailed
  // when `if_none_star` and a current version exists. Sets *versioned from the bucket. The
  // notification `event_name` (e.g. "ObjectCreated:Put") is recorded in the same transaction.
  Result<ObjectVersion> CommitUploadedObject(const RequestContext& ctx, const std::string& bucket,
                                             const std::string& key, Ingested& in,
                                             ObjectAttrs attrs, Pairs tags, bool if_none_star,
                                             bool* versioned, const std::string& event_name,
                                             const std::string& event_source,
                                             const std::string& remote_addr);
  // Requires the lock: the copy source version (NoSuchBucket / NoSuchKey / NoSuchVersion;
  // NoSuchKey for a current version lifecycle expiration has removed by `now_ms`).
  Result<ObjectVersion> LoadSource(Store& st, const CopySource& src, int64_t now_ms);
  // Requires the lock: the bucket or NoSuchBucket.
  Result<Bucket> RequireBucket(Store& st, const std::string& name);
  // Commits the version row (one transaction) and removes replaced files afterwards.
  void RemoveFiles(const std::vector<std::string>& ids);

  Emulator& emu_;
  std::unique_ptr<BodyFiles> files_;
  std::unique_ptr<Notifier> notifier_;

  // The restore thread (RestoreLoop), started by Start(), stopped by Shutdown().
  std::mutex restore_mu_;
  std::condition_variable restore_cv_;
  bool restore_stop_ = false;  // guarded by restore_mu_
  // When the next owed completion is ready (clock ms; INT64_MAX: none). Guarded by
  // restore_mu_; lowered by RestoreObject, recomputed by the thread after each round.
  int64_t restore_next_ms_ = INT64_MAX;
  // Called after a RestoreObject committed a restore that becomes ready at `ready_ms`.
  void RestoreScheduled(int64_t ready_ms);
  std::thread restorer_;
};

}  // namespace edastack::s3

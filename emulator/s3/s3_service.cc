#include "emulator/s3/s3_service.h"

#include <cctype>

#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_notify.h"
#include "emulator/s3/s3_sigv2.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/log.h"
#include "protocol/core/strings.h"
#include "protocol/errors/render.h"

namespace edastack::s3 {
namespace {

std::string HostWithoutPort(const std::string& host) {
  if (!host.empty() && host[0] == '[') return host;  // IPv6 literal
  size_t colon = host.rfind(':');
  return str::ToLower(colon == std::string::npos ? host : host.substr(0, colon));
}

bool IsIpv4(const std::string& s) {
  int dots = 0;
  for (char c : s) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return dots == 3;
}

}  // namespace

Target ResolveTarget(const std::string& host, const std::string& raw_path) {
  Target t;
  std::string h = HostWithoutPort(host);
  std::string vbucket;
  if (!IsIpv4(h)) {
    if (str::EndsWith(h, ".localhost") && h.size() > 10) {
      vbucket = h.substr(0, h.size() - 10);
      // `b.s3.localhost` style: strip a trailing ".s3".
      if (str::EndsWith(vbucket, ".s3")) vbucket = vbucket.substr(0, vbucket.size() - 3);
      if (vbucket == "s3") vbucket.clear();
    }
    if (vbucket.empty()) {
      size_t pos = h.find(".s3.");
      if (pos != std::string::npos && pos > 0) vbucket = h.substr(0, pos);
      else if (str::StartsWith(h, "s3.") || h.find(".s3-") != std::string::npos) {
        size_t p2 = h.find(".s3-");
        if (p2 != std::string::npos && p2 > 0) vbucket = h.substr(0, p2);
      }
    }
  }
  std::string path = raw_path.empty() ? "/" : raw_path;
  if (!vbucket.empty()) {
    t.virtual_host = true;
    t.bucket = vbucket;
    t.key = str::UriDecode(path.size() > 1 ? path.substr(1) : "", false);
    return t;
  }
  std::string rest = path.substr(1);
  size_t slash = rest.find('/');
  if (slash == std::string::npos) {
    t.bucket = str::UriDecode(rest, false);
  } else {
    t.bucket = str::UriDecode(rest.substr(0, slash), false);
    t.key = str::UriDecode(rest.substr(slash + 1), false);
  }
  return t;
}

bool ValidBucketName(const std::string& n) {
  if (n.size() < 3 || n.size() > 63) return false;
  for (char c : n)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '.' || c == '-'))
      return false;
  auto alnum = [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
  };
  if (!alnum(n.front()) || !alnum(n.back())) return false;
  if (n.find("..") != std::string::npos || n.find(".-") != std::string::npos ||
      n.find("-.") != std::string::npos)
    return false;
  if (IsIpv4(n)) return false;
  if (str::StartsWith(n, "xn--") || str::StartsWith(n, "sthree-") ||
      str::EndsWith(n, "-s3alias") || str::EndsWith(n, "--ol-s3"))
    return false;
  return true;
}

S3Service::S3Service(Emulator& emu) : emu_(emu) {
  emu_.db().Migrate("s3", Migrations());
  const auto& opts = emu_.options();
  files_ = std::make_unique<BodyFiles>(opts.ephemeral || opts.data_dir.empty()
                                           ? std::string()
                                           : opts.data_dir + "/s3");
  CleanBodies();
  notifier_ = std::make_unique<Notifier>(emu_);
}

S3Service::~S3Service() {
  {
    std::lock_guard<std::mutex> g(restore_mu_);
    restore_stop_ = true;
  }
  restore_cv_.notify_all();
  if (restorer_.joinable()) restorer_.join();
}

void S3Service::Start() {
  notifier_->Start();
  if (!restorer_.joinable()) restorer_ = std::thread([this] { RestoreLoop(); });
}

void S3Service::Shutdown() {
  {
    std::lock_guard<std::mutex> g(restore_mu_);
    restore_stop_ = true;
  }
  restore_cv_.notify_all();
  if (restorer_.joinable()) restorer_.join();
  if (notifier_) notifier_->Stop();
  if (files_) files_->RemoveIfOwned();
}

void S3Service::OnReset() {
  notifier_->Clear();
  CleanBodies();
}

void S3Service::CleanBodies() {
  auto lock = emu_.db().Lock();
  Store st(emu_.db(), emu_.options().account);
  std::vector<std::string> broken = files_->CleanOrphans(st.AllFiles());
  if (broken.empty()) return;
  log::Warn("s3: " + std::to_string(broken.size()) +
            " object bodies were lost (power failure before they reached the disk?): "
            "dropping their rows");
  storage::Transaction tx(emu_.db());
  for (const auto& id : broken) {
    st.DropRowsOfFile(id);
    files_->Remove(id);
  }
  tx.Commit();
}

Result<Bucket> S3Service::RequireBucket(Store& st, const std::string& name) {
  auto b = st.GetBucket(name);
  if (!b) return NoSuchBucket(name);
  return *b;
}

void S3Service::RemoveFiles(const std::vector<std::string>& ids) {
  for (const auto& id : ids) files_->Remove(id);
}

http::Response S3Service::Handle(const RequestContext& ctx, const http::Route& route,
                                 http::Request& req) {
  // In-process callers may set only raw_query.
  if (req.query.empty() && !req.raw_query.empty()) req.query = str::ParseForm(req.raw_query, true);
  Target t = ResolveTarget(req.Header("Host"), req.target);
  Res r = EmptyResponse(200);
  if (emu_.options().auth_sigv4 && req.HasQuery("AWSAccessKeyId")) {
    std::string resource = t.virtual_host ? "/" + t.bucket + req.target : req.target;
    Status v = VerifySigV2(req, resource, emu_.options().credentials, ctx.now_ms);
    if (!v.ok()) r = v.error();
  }
  if (r.ok()) r = Dispatch(ctx, t, req);
  http::Response res;
  if (r.ok()) {
    res = std::move(r.value());
  } else {
    const AwsError& e = r.error();
    if (e.http_status == 304) {
      res = std::move(res);
      res.status = 304;
      for (const auto& kv : e.extra) res.SetHeader(kv.first, kv.second);
    } else {
      AwsError copy = e;
      // Headers carried by an error (x-amz-delete-marker, ...) go on the response.
      std::vector<std::pair<std::string, std::string>> headers;
      std::vector<std::pair<std::string, std::string>> extra;
      for (auto& kv : copy.extra) {
        if (str::StartsWith(kv.first, "header:")) headers.emplace_back(kv.first.substr(7), kv.second);
        else extra.push_back(kv);
      }
      copy.extra = extra;
      res = errors::RenderS3(copy, ctx.request_id, req.method == "HEAD");
      for (auto& kv : headers) res.SetHeader(kv.first, kv.second);
    }
  }
  res.SetHeader("x-amz-request-id", ctx.request_id);
  res.SetHeader("x-amz-id-2", ctx.request_id);
  if (req.HasHeader("Origin") && req.method != "OPTIONS") ApplyCors(t, req, res);
  return res;
}

S3Service::Res S3Service::Dispatch(const RequestContext& ctx, const Target& t, http::Request& req) {
  const std::string& m = req.method;
  auto q = [&](const char* name) { return req.HasQuery(name); };
  if (m == "OPTIONS") return Preflight(ctx, t, req);
  if (t.bucket.empty()) {
    if (m == "GET") return ListBuckets(ctx, req);
    return MethodNotAllowed(m, "SERVICE");
  }
  if (t.key.empty()) {
    static const char* kConfigs[] = {"tagging", "policy", "cors", "lifecycle", "encryption",
                                     "notification", "acl", "ownershipControls",
                                     "publicAccessBlock", "website", "logging",
                                     "accelerate", "requestPayment", "replication"};
    const char* config = nullptr;
    for (const char* c : kConfigs)
      if (q(c)) config = c;
    if (m == "GET") {
      if (q("location")) return GetBucketLocation(ctx, t);
      if (q("versioning")) return GetBucketVersioning(ctx, t);
      if (q("versions")) return ListObjectVersions(ctx, t, req);
      if (q("uploads")) return ListMultipartUploads(ctx, t, req);
      if (config) return GetBucketConfig(ctx, t, config);
      return ListObjects(ctx, t, req, req.Query("list-type") == "2");
    }
    if (m == "HEAD") return HeadBucket(ctx, t);
    if (m == "PUT") {
      if (q("versioning")) return PutBucketVersioning(ctx, t, req);
      if (config) return PutBucketConfig(ctx, t, req, config);
      return CreateBucket(ctx, t, req);
    }
    if (m == "DELETE") {
      if (config) return DeleteBucketConfig(ctx, t, config);
      return DeleteBucket(ctx, t);
    }
    if (m == "POST") {
      if (q("delete")) return DeleteObjects(ctx, t, req);
      return PostObject(ctx, t, req);
    }
    return MethodNotAllowed(m, "BUCKET");
  }
  if (t.key.size() > 1024) return KeyTooLong();
  if (m == "GET") {
    if (q("uploadId")) return ListParts(ctx, t, req);
    if (q("tagging")) return GetObjectTagging(ctx, t, req);
    return GetObject(ctx, t, req, false);
  }
  if (m == "HEAD") return GetObject(ctx, t, req, true);
  if (m == "PUT") {
    if (q("uploadId") && q("partNumber")) return UploadPart(ctx, t, req);
    if (q("tagging")) return PutObjectTagging(ctx, t, req);
    if (q("acl")) {
      auto drained = ReadSmallBody(req);
      return EmptyResponse(200);
    }
    if (req.HasHeader("x-amz-copy-source")) return CopyObject(ctx, t, req);
    return PutObject(ctx, t, req);
  }
  if (m == "DELETE") {
    if (q("uploadId")) return AbortMultipartUpload(ctx, t, req);
    if (q("tagging")) return DeleteObjectTagging(ctx, t, req);
    return DeleteObject(ctx, t, req);
  }
  if (m == "POST") {
    if (q("uploads")) return CreateMultipartUpload(ctx, t, req);
    if (q("uploadId")) return CompleteMultipartUpload(ctx, t, req);
    if (q("restore")) return RestoreObject(ctx, t, req);
    return MethodNotAllowed(m, "OBJECT");
  }
  return MethodNotAllowed(m, "OBJECT");
}

}  // namespace edastack::s3

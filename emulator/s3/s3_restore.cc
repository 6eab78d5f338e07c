// Archived objects: the restore state computed from the clock, RestoreObject, and the
// recording of ObjectRestore:Completed notifications once restored copies become available.
#include "emulator/s3/s3_restore.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_notify.h"
#include "emulator/s3/s3_objects.h"
#include "emulator/s3/s3_service.h"
#include "emulator/s3/s3_wire.h"
#include "protocol/core/ids.h"
#include "protocol/core/log.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"

namespace edastack::s3 {
namespace {

constexpr int64_t kDay = 86400000;
constexpr int64_t kMaxDays = 2147483647;

}  // namespace

bool IsArchiveClass(const std::string& storage_class) {
  return storage_class == "GLACIER" || storage_class == "DEEP_ARCHIVE";
}

RestoreState RestoreStateAt(const ObjectVersion& v, int64_t now_ms) {
  if (v.restore_ready_ms <= 0 || now_ms >= v.restore_expiry_ms) return RestoreState::kNone;
  return now_ms < v.restore_ready_ms ? RestoreState::kInProgress : RestoreState::kRestored;
}

bool Readable(const std::string& storage_class, const ObjectVersion& v, int64_t now_ms) {
  return !IsArchiveClass(storage_class) || RestoreStateAt(v, now_ms) == RestoreState::kRestored;
}

std::string RestoreHeader(const ObjectVersion& v, int64_t now_ms) {
  switch (RestoreStateAt(v, now_ms)) {
    case RestoreState::kInProgress:
      return "ongoing-request=\"true\"";
    case RestoreState::kRestored:
      return "ongoing-request=\"false\", expiry-date=\"" + timefmt::Rfc7231(v.restore_expiry_ms) +
             "\"";
    case RestoreState::kNone:
      break;
  }
  return "";
}

void WriteRestoreStatus(xml::Writer& w, const ObjectVersion& v, int64_t now_ms) {
  RestoreState state = RestoreStateAt(v, now_ms);
  if (state == RestoreState::kNone) return;
  w.Open("RestoreStatus")
      .Element("IsRestoreInProgress", state == RestoreState::kInProgress ? "true" : "false");
  if (state == RestoreState::kRestored)
    w.Element("RestoreExpiryDate", timefmt::Iso8601Millis(v.restore_expiry_ms));
  w.Close();
}

int64_t RestoreExpiry(int64_t start_ms, int64_t days) {
  int64_t t = start_ms + days * kDay;
  return (t + kDay - 1) / kDay * kDay;
}

Result<RestoreRequest> ParseRestoreRequest(const std::string& body) {
  EDA_ASSIGN_OR_RETURN(xml::Node doc, ParseXmlBody(body, "RestoreRequest"));
  RestoreRequest r;
  std::string days = str::Trim(doc.ChildText("Days"));
  bool digits = !days.empty() && days.size() <= 10;
  for (char c : days) digits = digits && c >= '0' && c <= '9';
  if (!digits) return MalformedXml();
  r.days = std::stoll(days);
  if (r.days < 1 || r.days > kMaxDays)
    return InvalidArgument("The Days value must be a positive integer", "Days", days);
  const xml::Node* job = doc.Child("GlacierJobParameters");
  if (job && !job->Child("Tier")) return MalformedXml();
  std::string tier = str::Trim(job ? job->ChildText("Tier") : doc.ChildText("Tier"));
  if (!tier.empty()) r.tier = tier;
  if (r.tier != "Standard" && r.tier != "Bulk" && r.tier != "Expedited") return MalformedXml();
  return r;
}

S3Service::Res S3Service::RestoreObject(const RequestContext& ctx, const Target& t,
                                        http::Request& req) {
  EDA_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(req, 1 << 20));
  EDA_ASSIGN_OR_RETURN(RestoreRequest request, ParseRestoreRequest(body));
  const std::string& vid = req.Query("versionId");
  std::vector<std::string> expired;  // bodies of versions lifecycle expiration deleted
  RemoveFilesOnExit remove_expired(*files_, expired);
  int status = 202;
  {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    Store st(emu_.db(), ctx.account);
    EDA_ASSIGN_OR_RETURN(Bucket b, RequireBucket(st, t.bucket));
    bool versioned = !b.versioning.empty();
    std::vector<LifecycleRule> rules = LoadLifecycle(st, t.bucket);
    if (versioned && HasExpiration(rules))
      ExpireVersioned(st, b, rules, t.key, "", ctx.now_ms, &expired);
    auto o = vid.empty() ? st.GetLatest(t.bucket, t.key) : st.GetVersion(t.bucket, t.key, vid);
    if (!o) return vid.empty() ? NoSuchKey(t.bucket, t.key) : NoSuchVersion(t.key, vid);
    if (o->delete_marker)
      return vid.empty() ? NoSuchKey(t.bucket, t.key) : MethodNotAllowed("POST", "DeleteMarker");
    if (vid.empty() && !versioned && IsExpired(rules, *o, ctx.now_ms))
      return NoSuchKey(t.bucket, t.key);
    std::string storage_class = StorageClassNow(st, rules, *o, ctx.now_ms);
    if (!IsArchiveClass(storage_class)) return RestoreNotAllowed();
    switch (RestoreStateAt(*o, ctx.now_ms)) {
      case RestoreState::kInProgress:
        return RestoreAlreadyInProgress();
      case RestoreState::kRestored:
        // AWS moves the expiry to Days after this request.
        st.ExtendRestore(t.bucket, t.key, o->version_id, RestoreExpiry(ctx.now_ms, request.days));
        status = 200;
        break;
      case RestoreState::kNone: {
        int64_t ready = ctx.now_ms + emu_.options().s3_restore_delay_ms;
        st.SetRestore(t.bucket, t.key, o->version_id, ready, RestoreExpiry(ready, request.days));
        S3Event e{"ObjectRestore:Post", t.bucket, t.key, o->etag, versioned ? o->version_id : "",
                  o->size, st.NextSeq(), ctx.now_ms, "RestoreObject", "", versioned,
                  storage_class, 0};
        notifier_->Record(ctx, {e}, req.remote_addr);
        break;
      }
    }
    tx.Commit();
  }
  if (status == 202) RestoreScheduled(ctx.now_ms + emu_.options().s3_restore_delay_ms);
  return EmptyResponse(status);
}

int S3Service::CompleteRestores(int64_t now_ms) {
  constexpr size_t kBatch = 100;
  int done = 0;
  for (;;) {
    auto lock = emu_.db().Lock();
    storage::Transaction tx(emu_.db());
    std::vector<RestoreDue> due = Store::DueRestores(emu_.db(), now_ms, kBatch);
    for (const auto& d : due) {
      Store st(emu_.db(), d.account);
      st.RestoreCompletionRecorded(d.bucket, d.key, d.version_id);
      auto v = st.GetVersion(d.bucket, d.key, d.version_id);
      auto b = st.GetBucket(d.bucket);
      if (!v || !b) continue;
      bool versioned = !b->versioning.empty();
      RequestContext ctx;
      ctx.account = d.account;
      ctx.region = b->region;
      ctx.request_id = ids::Uuid();
      ctx.host = "localhost:4566";
      ctx.now_ms = now_ms;
      std::string storage_class =
          StorageClassNow(st, LoadLifecycle(st, d.bucket), *v, v->restore_ready_ms);
      S3Event e{"ObjectRestore:Completed", d.bucket, d.key, v->etag,
                versioned ? v->version_id : "", v->size, st.NextSeq(), v->restore_ready_ms,
                "RestoreObject", "", versioned, storage_class, v->restore_expiry_ms};
      notifier_->Record(ctx, {e}, "");
    }
    tx.Commit();
    done += static_cast<int>(due.size());
    if (due.size() < kBatch) return done;
  }
}

void S3Service::RestoreScheduled(int64_t ready_ms) {
  {
    std::lock_guard<std::mutex> g(restore_mu_);
    if (ready_ms >= restore_next_ms_) return;
    restore_next_ms_ = ready_ms;
  }
  restore_cv_.notify_all();
}

// Sleeps until the next owed completion is due (woken early by RestoreScheduled), records
// what is due, and looks up the next one: no wake-ups while no restore is pending.
void S3Service::RestoreLoop() {
  auto next_from_db = [this] {
    auto lock = emu_.db().Lock();
    return Store::NextRestoreReady(emu_.db()).value_or(INT64_MAX);
  };
  int64_t next = next_from_db();
  std::unique_lock<std::mutex> l(restore_mu_);
  restore_next_ms_ = std::min(restore_next_ms_, next);
  while (!restore_stop_) {
    if (restore_next_ms_ == INT64_MAX) {
      restore_cv_.wait(l);
      continue;
    }
    int64_t wait_ms = restore_next_ms_ - emu_.clock().NowMillis();
    if (wait_ms > 0) {
      // Re-checked at least once a minute, so a clock that moves otherwise than real time
      // (a test's) is still followed.
      restore_cv_.wait_for(l, std::chrono::milliseconds(std::min<int64_t>(wait_ms, 60000)));
      continue;
    }
    restore_next_ms_ = INT64_MAX;
    l.unlock();
    try {
      CompleteRestores(emu_.clock().NowMillis());
      next = next_from_db();
    } catch (const std::exception& e) {
      log::Warn(std::string("s3 restore completion failed: ") + e.what());
      next = emu_.clock().NowMillis() + 1000;
    }
    l.lock();
    // Not yet due by this clock (a restore completed in between): look again in a second.
    if (next <= emu_.clock().NowMillis()) next = emu_.clock().NowMillis() + 1000;
    restore_next_ms_ = std::min(restore_next_ms_, next);
  }
}

}  // namespace edastack::s3

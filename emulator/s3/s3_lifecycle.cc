#include "emulator/s3/s3_lifecycle.h"

#include <algorithm>

#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"

namespace edastack::s3 {
namespace {

constexpr int64_t kDay = 86400000;
constexpr uint64_t kSmallObject = 128 * 1024;

int64_t Int(const xml::Node* n, const char* child) {
  if (!n || !n->Child(child)) return -1;
  try {
    return std::stoll(str::Trim(n->ChildText(child)));
  } catch (...) {
    return -1;
  }
}

int64_t Date(const xml::Node* n) {
  if (!n || !n->Child("Date")) return -1;
  auto t = timefmt::ParseIso8601(str::Trim(n->ChildText("Date")));
  return t ? *t : -1;
}

// AWS rounds to the next midnight UTC after `start + days`.
int64_t AfterDays(int64_t start_ms, int64_t days) {
  int64_t t = start_ms + days * kDay;
  return (t + kDay - 1) / kDay * kDay;
}

bool PrefixMatches(const LifecycleRule& r, const std::string& key) {
  return str::StartsWith(key, r.prefix);
}

bool Matches(const LifecycleRule& r, const ObjectVersion& v) {
  if (!PrefixMatches(r, v.key)) return false;
  if (r.size_gt >= 0 && v.size <= static_cast<uint64_t>(r.size_gt)) return false;
  if (r.size_lt >= 0 && v.size >= static_cast<uint64_t>(r.size_lt)) return false;
  for (const auto& t : r.tags)
    if (std::find(v.tags.begin(), v.tags.end(), t) == v.tags.end()) return false;
  return true;
}

// AWS's transition waterfall: an object only moves to a class further down.
int Rank(const std::string& storage_class) {
  static const char* kOrder[] = {"STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA",
                                 "GLACIER_IR",  "GLACIER",             "DEEP_ARCHIVE"};
  if (storage_class.empty() || storage_class == "STANDARD" || storage_class == "REDUCED_REDUNDANCY")
    return 0;
  for (int i = 0; i < 6; ++i)
    if (storage_class == kOrder[i]) return i + 1;
  return 100;  // other classes (OUTPOSTS, EXPRESS_ONEZONE, ...) never transition
}

// Objects under 128 KiB transition only under an explicit size filter, or to the Glacier
// classes when the configuration said varies_by_storage_class.
bool SizeAllows(const LifecycleRule& r, const ObjectVersion& v, const std::string& to) {
  if (v.size >= kSmallObject || r.size_gt >= 0 || r.size_lt >= 0) return true;
  return r.small_to_glacier && (to == "GLACIER" || to == "DEEP_ARCHIVE");
}

}  // namespace

std::vector<LifecycleRule> ParseLifecycle(const std::string& text, const std::string& min_size) {
  std::vector<LifecycleRule> out;
  auto doc = xml::Parse(text);
  if (!doc) return out;
  for (const xml::Node* r : doc->Children("Rule")) {
    if (str::Trim(r->ChildText("Status")) != "Enabled") continue;
    LifecycleRule rule;
    const xml::Node* exp = r->Child("Expiration");
    rule.days = Int(exp, "Days");
    if (rule.days < 0) rule.date_ms = Date(exp);
    rule.expired_object_delete_marker =
        exp && str::Trim(exp->ChildText("ExpiredObjectDeleteMarker")) == "true";
    rule.noncurrent_days = Int(r->Child("NoncurrentVersionExpiration"), "NoncurrentDays");
    rule.newer_noncurrent =
        Int(r->Child("NoncurrentVersionExpiration"), "NewerNoncurrentVersions");
    rule.abort_days = Int(r->Child("AbortIncompleteMultipartUpload"), "DaysAfterInitiation");
    for (const xml::Node* t : r->Children("Transition"))
      rule.transitions.push_back({Int(t, "Days"), Date(t), str::Trim(t->ChildText("StorageClass"))});
    for (const xml::Node* t : r->Children("NoncurrentVersionTransition"))
      rule.noncurrent_transitions.push_back({Int(t, "NoncurrentDays"), -1,
                                             str::Trim(t->ChildText("StorageClass")),
                                             Int(t, "NewerNoncurrentVersions")});
    if (rule.days < 0 && rule.date_ms < 0 && !rule.expired_object_delete_marker &&
        rule.noncurrent_days < 0 && rule.abort_days < 0 && rule.transitions.empty() &&
        rule.noncurrent_transitions.empty())
      continue;
    rule.prefix = r->ChildText("Prefix");
    if (const xml::Node* f = r->Child("Filter")) {
      const xml::Node* scope = f->Child("And") ? f->Child("And") : f;
      if (scope->Child("Prefix")) rule.prefix = scope->ChildText("Prefix");
      for (const xml::Node* tag : scope->Children("Tag"))
        rule.tags.emplace_back(tag->ChildText("Key"), tag->ChildText("Value"));
      rule.size_gt = Int(scope, "ObjectSizeGreaterThan");
      rule.size_lt = Int(scope, "ObjectSizeLessThan");
    }
    rule.small_to_glacier = min_size == kMinSizeVaries;
    out.push_back(rule);
  }
  return out;
}

std::optional<int64_t> ExpiryTime(const std::vector<LifecycleRule>& rules, const ObjectVersion& v) {
  std::optional<int64_t> best;
  for (const auto& r : rules) {
    if (!Matches(r, v)) continue;
    std::optional<int64_t> t;
    if (r.date_ms >= 0) t = std::max(r.date_ms, v.modified_ms);
    if (r.days >= 0) t = AfterDays(v.modified_ms, r.days);
    if (t && (!best || *t < *best)) best = t;
  }
  return best;
}

bool HasExpiration(const std::vector<LifecycleRule>& rules) {
  for (const auto& r : rules)
    if (r.days >= 0 || r.date_ms >= 0 || r.expired_object_delete_marker || r.noncurrent_days >= 0)
      return true;
  return false;
}

bool IsExpired(const std::vector<LifecycleRule>& rules, const ObjectVersion& v, int64_t now_ms) {
  auto t = ExpiryTime(rules, v);
  return t && now_ms >= *t;
}

namespace {

// When a delete marker placed at `marker_ms` that became the only version of its key at
// `sole_since` is removed, if ever: at the midnight after it became the only one under
// ExpiredObjectDeleteMarker, and not before the marker itself is old enough under Days/Date.
std::optional<int64_t> MarkerExpiry(const std::vector<LifecycleRule>& rules, const std::string& key,
                                    int64_t marker_ms, int64_t sole_since) {
  std::optional<int64_t> best;
  int64_t sole = AfterDays(sole_since, 0);
  for (const auto& r : rules) {
    // A marker has no tags and no size: a rule filtering on them does not select it.
    if (!PrefixMatches(r, key) || !r.tags.empty() || r.size_gt >= 0 || r.size_lt >= 0) continue;
    std::optional<int64_t> t;
    if (r.expired_object_delete_marker) t = sole;
    if (r.days >= 0) t = std::max(sole, AfterDays(marker_ms, r.days));
    if (r.date_ms >= 0) t = std::max({sole, r.date_ms, marker_ms});
    if (t && (!best || *t < *best)) best = t;
  }
  return best;
}

}  // namespace

VersionedExpiry PlanVersionedExpiry(const std::vector<LifecycleRule>& rules,
                                    const std::vector<ObjectVersion>& newest_first,
                                    int64_t now_ms) {
  VersionedExpiry out;
  if (newest_first.empty()) return out;
  const ObjectVersion& cur = newest_first.front();
  if (!cur.delete_marker) {
    auto t = ExpiryTime(rules, cur);
    if (t && now_ms >= *t) {
      out.add_marker = true;
      out.marker_ms = *t;
    }
  }
  // Each version became noncurrent when the one above it was written.
  int64_t noncurrent_since = out.add_marker ? out.marker_ms : -1;
  int64_t last_deleted = -1;  // when the last of the deleted noncurrent versions went
  size_t deleted = 0;
  int newer_noncurrent = 0;  // noncurrent versions (not markers) above `v`
  for (size_t i = 0; i < newest_first.size(); ++i) {
    const ObjectVersion& v = newest_first[i];
    if (i > 0) noncurrent_since = newest_first[i - 1].modified_ms;
    if (noncurrent_since < 0) continue;
    int rank = newer_noncurrent;
    if (!v.delete_marker) ++newer_noncurrent;
    std::optional<int64_t> gone;
    for (const auto& r : rules) {
      if (r.noncurrent_days < 0 || !Matches(r, v)) continue;
      if (r.newer_noncurrent >= 0 && rank < r.newer_noncurrent) continue;
      int64_t t = AfterDays(noncurrent_since, r.noncurrent_days);
      if (!gone || t < *gone) gone = t;
    }
    if (gone && now_ms >= *gone) {
      out.delete_version_ids.push_back(v.version_id);
      last_deleted = std::max(last_deleted, *gone);
      ++deleted;
    }
  }
  // A delete marker with no version left under it.
  bool marker_on_top = out.add_marker || cur.delete_marker;
  size_t below = out.add_marker ? newest_first.size() : newest_first.size() - 1;
  if (marker_on_top && deleted == below) {
    int64_t marker_ms = out.add_marker ? out.marker_ms : cur.modified_ms;
    auto t = MarkerExpiry(rules, cur.key, marker_ms, std::max(marker_ms, last_deleted));
    if (t && now_ms >= *t) {
      if (out.add_marker)
        out.add_marker = false;
      else
        out.delete_version_ids.insert(out.delete_version_ids.begin(), cur.version_id);
    }
  }
  return out;
}

bool UploadAborted(const std::vector<LifecycleRule>& rules, const Upload& u, int64_t now_ms) {
  for (const auto& r : rules)
    if (r.abort_days >= 0 && PrefixMatches(r, u.key) && now_ms >= AfterDays(u.initiated_ms, r.abort_days))
      return true;
  return false;
}

std::string EffectiveStorageClass(const std::vector<LifecycleRule>& rules, const ObjectVersion& v,
                                  int64_t noncurrent_since, int64_t now_ms,
                                  int newer_noncurrent) {
  std::string best = v.attrs.storage_class;
  if (v.delete_marker) return best;
  auto consider = [&](const LifecycleRule& r, const LifecycleTransition& t, int64_t at) {
    if (now_ms < at || !SizeAllows(r, v, t.storage_class)) return;
    if (Rank(t.storage_class) > Rank(best) && Rank(best) < 100) best = t.storage_class;
  };
  for (const auto& r : rules) {
    if (!Matches(r, v)) continue;
    for (const auto& t : r.transitions) {
      int64_t at = t.date_ms >= 0 ? std::max(t.date_ms, v.modified_ms)
                                  : AfterDays(v.modified_ms, std::max<int64_t>(t.days, 0));
      // A current-version transition applies only while the version was current.
      if (noncurrent_since >= 0 && at >= noncurrent_since) continue;
      consider(r, t, at);
    }
    if (noncurrent_since < 0) continue;
    for (const auto& t : r.noncurrent_transitions)
      if (t.newer_noncurrent < 0 || newer_noncurrent >= t.newer_noncurrent)
        consider(r, t, AfterDays(noncurrent_since, std::max<int64_t>(t.days, 0)));
  }
  return best;
}

}  // namespace edastack::s3

#include "emulator/s3/s3_lifecycle.h"

#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_reader.h"

namespace edastack::s3 {

std::vector<LifecycleRule> ParseLifecycle(const std::string& text) {
  std::vector<LifecycleRule> out;
  auto doc = xml::Parse(text);
  if (!doc) return out;
  for (const xml::Node* r : doc->Children("Rule")) {
    if (r->ChildText("Status") != "Enabled") continue;
    const xml::Node* exp = r->Child("Expiration");
    const xml::Node* nc = r->Child("NoncurrentVersionExpiration");
    LifecycleRule rule;
    if (exp && exp->Child("Days")) {
      try {
        rule.days = std::stoll(exp->ChildText("Days"));
      } catch (...) {
      }
    } else if (exp && exp->Child("Date")) {
      if (auto t = timefmt::ParseIso8601(exp->ChildText("Date"))) rule.date_ms = *t;
    }
    if (nc && nc->Child("NoncurrentDays")) {
      try {
        rule.noncurrent_days = std::stoll(nc->ChildText("NoncurrentDays"));
      } catch (...) {
      }
    }
    if (rule.days < 0 && rule.date_ms < 0 && rule.noncurrent_days < 0) continue;
    rule.prefix = r->ChildText("Prefix");
    if (const xml::Node* f = r->Child("Filter")) {
      const xml::Node* scope = f->Child("And") ? f->Child("And") : f;
      if (scope->Child("Prefix")) rule.prefix = scope->ChildText("Prefix");
      for (const xml::Node* tag : scope->Children("Tag"))
        rule.tags.emplace_back(tag->ChildText("Key"), tag->ChildText("Value"));
    }
    out.push_back(rule);
  }
  return out;
}

namespace {

constexpr int64_t kDay = 86400000;

// AWS rounds to the next midnight UTC after `start + days`.
int64_t AfterDays(int64_t start_ms, int64_t days) {
  int64_t t = start_ms + days * kDay;
  return (t + kDay - 1) / kDay * kDay;
}

bool Matches(const LifecycleRule& r, const ObjectVersion& v) {
  if (!str::StartsWith(v.key, r.prefix)) return false;
  for (const auto& t : r.tags) {
    bool found = false;
    for (const auto& o : v.tags) found = found || o == t;
    if (!found) return false;
  }
  return true;
}

}  // namespace

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

bool IsExpired(const std::vector<LifecycleRule>& rules, const ObjectVersion& v, int64_t now_ms) {
  auto t = ExpiryTime(rules, v);
  return t && now_ms >= *t;
}

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
  for (size_t i = 0; i < newest_first.size(); ++i) {
    const ObjectVersion& v = newest_first[i];
    if (i > 0) noncurrent_since = newest_first[i - 1].modified_ms;
    if (noncurrent_since < 0) continue;
    for (const auto& r : rules) {
      if (r.noncurrent_days < 0 || !Matches(r, v)) continue;
      if (now_ms >= AfterDays(noncurrent_since, r.noncurrent_days)) {
        out.delete_version_ids.push_back(v.version_id);
        break;
      }
    }
  }
  return out;
}

}  // namespace edastack::s3

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
    if (!exp) continue;
    LifecycleRule rule;
    if (exp->Child("Days")) {
      try {
        rule.days = std::stoll(exp->ChildText("Days"));
      } catch (...) {
        continue;
      }
    } else if (exp->Child("Date")) {
      auto t = timefmt::ParseIso8601(exp->ChildText("Date"));
      if (!t) continue;
      rule.date_ms = *t;
    } else {
      continue;
    }
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

bool IsExpired(const std::vector<LifecycleRule>& rules, const ObjectVersion& v, int64_t now_ms) {
  constexpr int64_t kDay = 86400000;
  for (const auto& r : rules) {
    if (!str::StartsWith(v.key, r.prefix)) continue;
    bool tags_ok = true;
    for (const auto& t : r.tags) {
      bool found = false;
      for (const auto& o : v.tags) found = found || o == t;
      tags_ok = tags_ok && found;
    }
    if (!tags_ok) continue;
    if (r.date_ms >= 0 && now_ms >= r.date_ms) return true;
    if (r.days >= 0) {
      int64_t t = v.modified_ms + r.days * kDay;
      int64_t expiry = (t + kDay - 1) / kDay * kDay;  // up to the next midnight UTC
      if (now_ms >= expiry) return true;
    }
  }
  return false;
}

}  // namespace edastack::s3

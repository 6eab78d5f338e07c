// TagResource / UntagResource / ListTagsForResource for event buses and rules.
#include "emulator/events/events_errors.h"
#include "emulator/events/events_operations.h"

namespace edastack::events {
namespace {

struct Resource {
  std::string bus, rule;  // rule empty for a bus
};

// arn:aws:events:<region>:<account>:event-bus/<bus> | rule/<name> | rule/<bus>/<name>
Result<Resource> ParseResourceArn(const RequestContext& ctx, const std::string& arn) {
  std::string prefix = "arn:aws:events:" + ctx.region + ":" + ctx.account + ":";
  if (arn.rfind(prefix, 0) != 0)
    return MakeError("ResourceNotFoundException", "Resource " + arn + " does not exist.");
  std::string rest = arn.substr(prefix.size());
  if (rest.rfind("event-bus/", 0) == 0) return Resource{rest.substr(10), ""};
  if (rest.rfind("rule/", 0) == 0) {
    rest = rest.substr(5);
    size_t slash = rest.rfind('/');
    if (slash == std::string::npos) return Resource{kDefaultBus, rest};
    return Resource{rest.substr(0, slash), rest.substr(slash + 1)};
  }
  return MakeError("ResourceNotFoundException", "Resource " + arn + " does not exist.");
}

std::vector<Tag> ParseTags(const std::string& text) {
  std::vector<Tag> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& t : j)
    if (t.is_object()) out.push_back({t.value("Key", ""), t.value("Value", "")});
  return out;
}

std::string TagsJson(const std::vector<Tag>& tags) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& t : tags) j.push_back({{"Key", t.key}, {"Value", t.value}});
  return j.dump();
}

Status ValidateTag(const Tag& t) {
  if (t.key.empty() || t.key.size() > 128)
    return err::Constraint(t.key, "tags.member.key", "Member must have length between 1 and 128");
  if (t.value.size() > 256)
    return err::Constraint(t.value, "tags.member.value",
                           "Member must have length between 0 and 256");
  return OkStatus();
}

}  // namespace

Result<std::vector<Tag>> ListTagsForResource(storage::Database& db, const RequestContext& ctx,
                                             const std::string& arn) {
  EDA_ASSIGN_OR_RETURN(Resource r, ParseResourceArn(ctx, arn));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  if (r.bus == kDefaultBus && r.rule.empty()) store.EnsureDefaultBus(s, ctx.now_ms);
  auto tags = store.GetTags(s, r.bus, r.rule);
  if (!tags) return MakeError("ResourceNotFoundException", "Resource " + arn + " does not exist.");
  tx.Commit();
  return ParseTags(*tags);
}

Status TagResource(storage::Database& db, const RequestContext& ctx, const std::string& arn,
                   const std::vector<Tag>& tags) {
  for (const auto& t : tags) EDA_TRY(ValidateTag(t));
  EDA_ASSIGN_OR_RETURN(Resource r, ParseResourceArn(ctx, arn));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  if (r.bus == kDefaultBus && r.rule.empty()) store.EnsureDefaultBus(s, ctx.now_ms);
  auto current = store.GetTags(s, r.bus, r.rule);
  if (!current)
    return MakeError("ResourceNotFoundException", "Resource " + arn + " does not exist.");
  std::vector<Tag> merged = ParseTags(*current);
  for (const auto& t : tags) {
    bool replaced = false;
    for (auto& m : merged)
      if (m.key == t.key) {
        m.value = t.value;
        replaced = true;
      }
    if (!replaced) merged.push_back(t);
  }
  if (merged.size() > 50)
    return MakeError("LimitExceededException",
                     "The requested resource exceeds the maximum number allowed.");
  store.SetTags(s, r.bus, r.rule, TagsJson(merged));
  tx.Commit();
  return OkStatus();
}

Status UntagResource(storage::Database& db, const RequestContext& ctx, const std::string& arn,
                     const std::vector<std::string>& keys) {
  EDA_ASSIGN_OR_RETURN(Resource r, ParseResourceArn(ctx, arn));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  if (r.bus == kDefaultBus && r.rule.empty()) store.EnsureDefaultBus(s, ctx.now_ms);
  auto current = store.GetTags(s, r.bus, r.rule);
  if (!current)
    return MakeError("ResourceNotFoundException", "Resource " + arn + " does not exist.");
  std::vector<Tag> kept;
  for (auto& t : ParseTags(*current)) {
    bool drop = false;
    for (const auto& k : keys) drop = drop || k == t.key;
    if (!drop) kept.push_back(std::move(t));
  }
  store.SetTags(s, r.bus, r.rule, TagsJson(kept));
  tx.Commit();
  return OkStatus();
}

}  // namespace edastack::events

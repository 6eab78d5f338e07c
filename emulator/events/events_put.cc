// PutEvents (validation, rule matching, the deliveries to make) and TestEventPattern.
#include <map>

#include "emulator/events/events_errors.h"
#include "emulator/events/events_operations.h"
#include "emulator/events/input_transform.h"
#include "emulator/events/target_codec.h"
#include "protocol/core/ids.h"
#include "protocol/core/log.h"

namespace edastack::events {
namespace {

PutEventsResultEntry Failed(const std::string& code, const std::string& message) {
  PutEventsResultEntry e;
  e.error_code = code;
  e.error_message = message;
  return e;
}

// AWS's entry size: Time (14 bytes when present) + Source + DetailType + Detail + Resources.
size_t EntrySize(const PutEventsEntry& e) {
  size_t n = e.time_ms ? 14 : 0;
  if (e.source) n += e.source->size();
  if (e.detail_type) n += e.detail_type->size();
  if (e.detail) n += e.detail->size();
  for (const auto& r : e.resources) n += r.size();
  return n;
}

}  // namespace

RuleCache::Snapshot RuleCache::Find(const std::string& key, uint64_t* generation) {
  std::lock_guard<std::mutex> lock(mu_);
  *generation = generation_;
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : it->second;
}

void RuleCache::Put(const std::string& key, uint64_t generation, Snapshot snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_) return;
  if (map_.size() > 1000) map_.clear();
  map_[key] = std::move(snapshot);
}

void RuleCache::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  map_.clear();
}

Result<PutEventsResponse> PutEvents(storage::Database& db, const RequestContext& ctx,
                                    const std::vector<PutEventsEntry>& entries, bool internal,
                                    RuleCache& cache, std::vector<Delivery>* deliveries,
                                    storage::Outbox* outbox, int64_t* outbox_id) {
  if (entries.empty())
    return err::Constraint("[]", "entries", "Member must have length greater than or equal to 1");
  if (static_cast<int>(entries.size()) > kMaxPutEventsEntries)
    return err::Constraint("[...]", "entries", "Member must have length less than or equal to 10");
  size_t total = 0;
  for (const auto& e : entries) total += EntrySize(e);
  if (total > kMaxPutEventsBytes)
    return err::Validation("Total size of the entries in the request is over the limit.");

  // Validate each entry; accepted ones get an id and a parsed detail.
  struct Accepted {
    size_t index;
    std::string bus;
    OrderedJson detail;
  };
  std::vector<Accepted> accepted;
  PutEventsResponse out;
  out.entries.resize(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const PutEventsEntry& e = entries[i];
    auto fail = [&](const std::string& code, const std::string& msg) {
      out.entries[i] = Failed(code, msg);
      ++out.failed;
    };
    if (!e.source || e.source->empty()) {
      fail("InvalidArgument",
           "Parameter Source is not valid. Reason: Source is a required argument.");
      continue;
    }
    if (!e.detail_type || e.detail_type->empty()) {
      fail("InvalidArgument",
           "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
      continue;
    }
    if (!e.detail || e.detail->empty()) {
      fail("InvalidArgument",
           "Parameter Detail is not valid. Reason: Detail is a required argument.");
      continue;
    }
    if (!internal && e.source->rfind("aws.", 0) == 0) {
      fail("NotAuthorizedForSourceException", "Not authorized for the source.");
      continue;
    }
    auto bus = ResolveBusName(e.bus, "eventBusName");
    if (!bus.ok()) {
      fail("InvalidArgument", "Parameter EventBusName is not valid.");
      continue;
    }
    OrderedJson detail = OrderedJson::parse(*e.detail, nullptr, false);
    if (detail.is_discarded() || !detail.is_object()) {
      fail("MalformedDetail", "Detail is malformed.");
      continue;
    }
    out.entries[i].event_id = ids::Uuid();
    accepted.push_back({i, bus.value(), std::move(detail)});
  }
  if (accepted.empty()) return out;

  // The rules (with targets) of every bus involved: cached, else read in one transaction.
  Scope s = ScopeOf(ctx);
  std::map<std::string, RuleCache::Snapshot> by_bus;
  std::vector<std::pair<std::string, uint64_t>> missing;
  for (const auto& a : accepted) {
    if (by_bus.count(a.bus)) continue;
    uint64_t generation = 0;
    auto snap = cache.Find(s.account + "\n" + s.region + "\n" + a.bus, &generation);
    by_bus[a.bus] = snap;
    if (!snap) missing.emplace_back(a.bus, generation);
  }
  if (!missing.empty()) {
    auto lock = db.Lock();
    storage::Transaction tx(db);
    EventsStore store(db);
    for (const auto& [bus, generation] : missing) {
      auto list = std::make_shared<std::vector<RuleCache::Entry>>();
      for (auto& rule : store.MatchableRules(s, bus)) {
        RuleCache::Entry entry;
        auto pattern = filter::Pattern::Parse(rule.event_pattern, filter::Dialect::kEventBridge);
        if (!pattern.ok()) continue;  // validated by PutRule; never stored invalid
        entry.pattern = std::make_shared<const filter::Pattern>(std::move(pattern).value());
        for (const auto& st : store.ListTargets(s, bus, rule.name)) {
          auto t = TargetFromJson(OrderedJson::parse(st.json), 1);
          if (t.ok()) entry.targets.push_back(std::move(t).value());
        }
        entry.rule = std::move(rule);
        if (!entry.targets.empty()) list->push_back(std::move(entry));
      }
      by_bus[bus] = list;
      cache.Put(s.account + "\n" + s.region + "\n" + bus, generation, list);
    }
    tx.Commit();
  }

  // Match and render outside the lock.
  for (auto& a : accepted) {
    const auto& rules = *by_bus[a.bus];
    if (rules.empty()) continue;  // unknown bus or no rules: the event is dropped
    const PutEventsEntry& e = entries[a.index];
    const std::string& id = out.entries[a.index].event_id;
    OrderedJson envelope =
        BuildEnvelope(id, *e.detail_type, *e.source, ctx.account, e.time_ms.value_or(ctx.now_ms),
                      ctx.region, e.resources, std::move(a.detail));
    nlohmann::json match_doc(envelope);
    std::string envelope_text;
    for (const auto& rt : rules) {
      if (!rt.pattern->Matches(match_doc)) continue;
      if (envelope_text.empty()) envelope_text = envelope.dump();
      TransformContext tctx{envelope, envelope_text, rt.rule.arn, rt.rule.name, ctx.now_ms};
      AppendDeliveries(rt.rule, rt.targets, tctx, ctx, id, deliveries);
    }
  }
  if (outbox && !deliveries->empty()) {
    // Durable before acknowledged: one outbox row for this call's deliveries.
    int64_t id = RecordDeliveries(db, *outbox, *deliveries, ctx.now_ms);
    if (outbox_id) *outbox_id = id;
  }
  return out;
}

void AppendDeliveries(const Rule& rule, const std::vector<Target>& targets,
                      const TransformContext& tctx, const RequestContext& ctx,
                      const std::string& event_id, std::vector<Delivery>* deliveries) {
  for (const auto& t : targets) {
    auto payload = RenderTargetInput(t, tctx);
    if (!payload) {
      log::Debug("events: InputPath of target " + t.id + " selects nothing; not delivered");
      continue;
    }
    Delivery d;
    d.target_arn = t.arn;
    d.payload = std::move(*payload);
    d.region = ctx.region;
    d.account = ctx.account;
    d.host = ctx.host;
    d.event_id = event_id;
    d.rule_arn = rule.arn;
    d.message_group_id = t.sqs_message_group_id;
    if (t.dead_letter_arn && !t.dead_letter_arn->empty()) d.dead_letter_arn = t.dead_letter_arn;
    deliveries->push_back(std::move(d));
  }
}

int64_t RecordDeliveries(storage::Database& db, storage::Outbox& outbox,
                         const std::vector<Delivery>& deliveries, int64_t now_ms) {
  std::string payload = EncodeDeliveries(deliveries);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  int64_t id = outbox.Add("events", payload, now_ms);
  tx.Commit();
  return id;
}

Result<bool> TestEventPattern(const std::string& pattern_text, const std::string& event_text) {
  if (pattern_text.size() > 4096)
    return err::Constraint(pattern_text, "eventPattern",
                           "Member must have length less than or equal to 4096");
  auto pattern = filter::Pattern::Parse(pattern_text, filter::Dialect::kEventBridge);
  if (!pattern.ok()) return pattern.error();
  nlohmann::json event = nlohmann::json::parse(event_text, nullptr, false);
  if (event.is_discarded() || !event.is_object())
    return err::Validation("Parameter Event is not valid.");
  for (const char* key : {"id", "account", "source", "time", "region", "detail-type"})
    if (!event.contains(key)) return err::Validation("Parameter Event is not valid.");
  return pattern->Matches(event);
}

}  // namespace edastack::events

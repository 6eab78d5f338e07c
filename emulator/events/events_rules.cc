// Event buses and rules.
#include <cctype>

#include "emulator/events/events_errors.h"
#include "emulator/events/events_operations.h"
#include "emulator/events/schedule_expression.h"
#include "protocol/core/crypto.h"

namespace edastack::events {
namespace {

bool IsBusChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
         c == '/';
}

Status ValidateRuleName(const std::string& name, const std::string& field) {
  if (name.empty() || name.size() > 64)
    return err::Constraint(name, field, "Member must have length between 1 and 64");
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
      return err::Constraint(name, field,
                             "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  return OkStatus();
}

// Page tokens are the base64 of the last name returned.
std::string MakeToken(const std::string& last) { return crypto::Base64Encode(last); }
Result<std::string> ReadToken(const std::string& token) {
  if (token.empty()) return std::string();
  auto out = crypto::Base64Decode(token);
  if (!out || out->empty()) return err::InvalidToken();
  return *out;
}

// The bus must exist ("default" always does).
Status RequireBus(EventsStore& store, const Scope& s, const std::string& bus, int64_t now_ms) {
  if (bus == kDefaultBus) {
    store.EnsureDefaultBus(s, now_ms);
    return OkStatus();
  }
  if (!store.GetBus(s, bus)) return err::BusNotFound(bus);
  return OkStatus();
}

}  // namespace

Scope ScopeOf(const RequestContext& ctx) { return {ctx.account, ctx.region}; }

Result<std::string> ResolveBusName(const std::string& name_or_arn, const std::string& field) {
  if (name_or_arn.empty())
    return err::Constraint(name_or_arn, field,
                           "Member must have length greater than or equal to 1");
  std::string name = name_or_arn;
  if (name.rfind("arn:", 0) == 0) {
    size_t pos = name.find(":event-bus/");
    if (pos == std::string::npos)
      return err::Constraint(name_or_arn, field,
                             "Member must satisfy regular expression pattern: "
                             "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/"
                             ")?[/\\.\\-_A-Za-z0-9]+");
    name = name.substr(pos + 11);
  }
  if (name.empty() || name.size() > 256)
    return err::Constraint(name_or_arn, field, "Member must have length between 1 and 256");
  for (char c : name)
    if (!IsBusChar(c))
      return err::Constraint(
          name_or_arn, field,
          "Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+");
  return name;
}

Result<EventBus> CreateEventBus(storage::Database& db, const RequestContext& ctx,
                                const CreateEventBusRequest& req) {
  EDA_ASSIGN_OR_RETURN(std::string name, ResolveBusName(req.name, "name"));
  if (name != req.name)
    return err::Constraint(req.name, "name",
                           "Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+");
  if (req.description.size() > 512)
    return err::Constraint(req.description, "description",
                           "Member must have length less than or equal to 512");
  if (!req.event_source_name && name.find('/') != std::string::npos)
    return err::Validation("Event bus name must not contain '/'.");
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  store.EnsureDefaultBus(s, ctx.now_ms);
  if (store.GetBus(s, name)) return err::BusAlreadyExists(name);
  nlohmann::json tags = nlohmann::json::array();
  for (const auto& t : req.tags) tags.push_back({{"Key", t.key}, {"Value", t.value}});
  EventBus bus;
  bus.name = name;
  bus.arn = BusArn(s, name);
  bus.description = req.description;
  bus.created_ms = bus.modified_ms = ctx.now_ms;
  store.InsertBus(s, bus, tags.dump());
  tx.Commit();
  return bus;
}

Status DeleteEventBus(storage::Database& db, const RequestContext& ctx,
                      const std::string& name_in) {
  EDA_ASSIGN_OR_RETURN(std::string name, ResolveBusName(name_in, "name"));
  if (name == kDefaultBus) return err::Validation("Cannot delete event bus default.");
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore(db).DeleteBus(ScopeOf(ctx), name);
  tx.Commit();
  return OkStatus();
}

Result<EventBus> DescribeEventBus(storage::Database& db, const RequestContext& ctx,
                                  const std::string& name_in) {
  EDA_ASSIGN_OR_RETURN(std::string name, ResolveBusName(name_in, "name"));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  if (name == kDefaultBus) store.EnsureDefaultBus(s, ctx.now_ms);
  auto bus = store.GetBus(s, name);
  if (!bus) return err::BusNotFound(name);
  tx.Commit();
  return *bus;
}

Result<ListEventBusesResponse> ListEventBuses(storage::Database& db, const RequestContext& ctx,
                                              const ListRequest& req) {
  EDA_ASSIGN_OR_RETURN(std::string after, ReadToken(req.next_token));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  store.EnsureDefaultBus(s, ctx.now_ms);
  ListEventBusesResponse out;
  out.buses = store.ListBuses(s, req.name_prefix, after, req.limit + 1);
  if (static_cast<int>(out.buses.size()) > req.limit) {
    out.buses.resize(req.limit);
    out.next_token = MakeToken(out.buses.back().name);
  }
  tx.Commit();
  return out;
}

Result<std::string> PutRule(storage::Database& db, const RequestContext& ctx,
                            const PutRuleRequest& req) {
  EDA_TRY(ValidateRuleName(req.name, "name"));
  if (req.description.size() > 512)
    return err::Constraint(req.description, "description",
                           "Member must have length less than or equal to 512");
  bool has_pattern = req.event_pattern && !req.event_pattern->empty();
  bool has_schedule = req.schedule && !req.schedule->empty();
  if (!has_pattern && !has_schedule)
    return err::Validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  if (has_pattern) {
    if (req.event_pattern->size() > 4096)
      return err::Constraint(*req.event_pattern, "eventPattern",
                             "Member must have length less than or equal to 4096");
    auto p = filter::Pattern::Parse(*req.event_pattern, filter::Dialect::kEventBridge);
    if (!p.ok()) return p.error();
  }
  if (has_schedule) {
    EDA_TRY(ScheduleExpression::Parse(*req.schedule));
    if (req.bus != kDefaultBus)
      return err::Validation("ScheduleExpression is supported only on the default event bus.");
  }
  std::string state = req.state.value_or("ENABLED");
  if (state != "ENABLED" && state != "DISABLED" &&
      state != "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")
    return err::Constraint(state, "state",
                           "Member must satisfy enum value set: [ENABLED, DISABLED, "
                           "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireBus(store, s, req.bus, ctx.now_ms));
  Rule r;
  r.name = req.name;
  r.bus = req.bus;
  r.event_pattern = has_pattern ? *req.event_pattern : "";
  r.schedule = has_schedule ? *req.schedule : "";
  r.state = state;
  r.description = req.description;
  r.role_arn = req.role_arn;
  r.created_ms = ctx.now_ms;
  nlohmann::json tags = nlohmann::json::array();
  for (const auto& t : req.tags) tags.push_back({{"Key", t.key}, {"Value", t.value}});
  store.UpsertRule(s, r, tags.dump());
  tx.Commit();
  return RuleArn(s, req.bus, req.name);
}

Result<Rule> DescribeRule(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                          const std::string& name) {
  EDA_TRY(ValidateRuleName(name, "name"));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireBus(store, s, bus, ctx.now_ms));
  auto rule = store.GetRule(s, bus, name);
  if (!rule) return err::RuleNotFound(name, bus);
  tx.Commit();
  return *rule;
}

Result<ListRulesResponse> ListRules(storage::Database& db, const RequestContext& ctx,
                                    const ListRequest& req) {
  EDA_ASSIGN_OR_RETURN(std::string after, ReadToken(req.next_token));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireBus(store, s, req.bus, ctx.now_ms));
  ListRulesResponse out;
  out.rules = store.ListRules(s, req.bus, req.name_prefix, after, req.limit + 1);
  if (static_cast<int>(out.rules.size()) > req.limit) {
    out.rules.resize(req.limit);
    out.next_token = MakeToken(out.rules.back().name);
  }
  tx.Commit();
  return out;
}

static Status SetState(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                       const std::string& name, const char* state) {
  EDA_TRY(ValidateRuleName(name, "name"));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireBus(store, s, bus, ctx.now_ms));
  if (!store.GetRule(s, bus, name)) return err::RuleNotFound(name, bus);
  store.SetRuleState(s, bus, name, state);
  tx.Commit();
  return OkStatus();
}

Status EnableRule(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                  const std::string& name) {
  return SetState(db, ctx, bus, name, "ENABLED");
}

Status DisableRule(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                   const std::string& name) {
  return SetState(db, ctx, bus, name, "DISABLED");
}

Status DeleteRule(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                  const std::string& name) {
  EDA_TRY(ValidateRuleName(name, "name"));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireBus(store, s, bus, ctx.now_ms));
  if (!store.GetRule(s, bus, name)) return OkStatus();  // AWS: deleting an unknown rule succeeds
  if (store.CountTargets(s, bus, name) > 0) return err::RuleHasTargets();
  store.DeleteRule(s, bus, name);
  tx.Commit();
  return OkStatus();
}

Result<ListRuleNamesResponse> ListRuleNamesByTarget(storage::Database& db,
                                                    const RequestContext& ctx,
                                                    const std::string& bus,
                                                    const std::string& target_arn, int limit,
                                                    const std::string& next_token) {
  EDA_ASSIGN_OR_RETURN(std::string after, ReadToken(next_token));
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireBus(store, s, bus, ctx.now_ms));
  ListRuleNamesResponse out;
  for (auto& n : store.RuleNamesByTargetArn(s, bus, target_arn)) {
    if (!after.empty() && n <= after) continue;
    if (static_cast<int>(out.names.size()) == limit) {
      out.next_token = MakeToken(out.names.back());
      break;
    }
    out.names.push_back(std::move(n));
  }
  tx.Commit();
  return out;
}

}  // namespace edastack::events

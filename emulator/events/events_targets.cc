// Rule targets: PutTargets, RemoveTargets, ListTargetsByRule.
#include <set>

#include "emulator/events/events_errors.h"
#include "emulator/events/events_operations.h"
#include "emulator/events/input_transform.h"
#include "emulator/events/target_codec.h"
#include "protocol/core/strings.h"

namespace edastack::events {
namespace {

Status RequireRule(EventsStore& store, const Scope& s, const std::string& bus,
                   const std::string& rule, int64_t now_ms) {
  if (bus == kDefaultBus) {
    store.EnsureDefaultBus(s, now_ms);
  } else if (!store.GetBus(s, bus)) {
    return err::BusNotFound(bus);
  }
  if (!store.GetRule(s, bus, rule)) return err::RuleNotFound(rule, bus);
  return OkStatus();
}

bool IsFifoQueueArn(const std::string& arn) {
  return arn.rfind("arn:aws:sqs:", 0) == 0 && str::EndsWith(arn, ".fifo");
}

}  // namespace

Result<PutTargetsResponse> PutTargets(storage::Database& db, const RequestContext& ctx,
                                      const PutTargetsRequest& req) {
  if (req.targets.empty())
    return err::Constraint("[]", "targets", "Member must have length greater than or equal to 1");
  if (req.targets.size() > 100)
    return err::Constraint("[...]", "targets", "Member must have length less than or equal to 100");
  for (const auto& t : req.targets) {
    EDA_TRY(ValidateTargetInput(t));
    if (IsFifoQueueArn(t.arn) && (!t.sqs_message_group_id || t.sqs_message_group_id->empty()))
      return err::Validation("Parameter(s) SqsParameters must be specified for target: " + t.id +
                             ".");
  }
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireRule(store, s, req.bus, req.rule, ctx.now_ms));
  std::set<std::string> ids;
  for (const auto& st : store.ListTargets(s, req.bus, req.rule)) ids.insert(st.id);
  for (const auto& t : req.targets) ids.insert(t.id);
  if (static_cast<int>(ids.size()) > kMaxTargetsPerRule) return err::TooManyTargets();
  for (const auto& t : req.targets)
    store.PutTarget(s, req.bus, req.rule, t.id, TargetToJson(t).dump());
  tx.Commit();
  return PutTargetsResponse{};
}

Result<PutTargetsResponse> RemoveTargets(storage::Database& db, const RequestContext& ctx,
                                         const RemoveTargetsRequest& req) {
  if (req.ids.empty())
    return err::Constraint("[]", "ids", "Member must have length greater than or equal to 1");
  if (req.ids.size() > 100)
    return err::Constraint("[...]", "ids", "Member must have length less than or equal to 100");
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireRule(store, s, req.bus, req.rule, ctx.now_ms));
  for (const auto& id : req.ids) store.RemoveTarget(s, req.bus, req.rule, id);
  tx.Commit();
  return PutTargetsResponse{};
}

Result<ListTargetsResponse> ListTargetsByRule(storage::Database& db, const RequestContext& ctx,
                                              const ListRequest& req, const std::string& rule) {
  int64_t after = 0;
  if (!req.next_token.empty()) {
    try {
      size_t used = 0;
      after = std::stoll(req.next_token, &used);
      if (used != req.next_token.size() || after <= 0) return err::InvalidToken();
    } catch (const std::exception&) {
      return err::InvalidToken();
    }
  }
  Scope s = ScopeOf(ctx);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  EventsStore store(db);
  EDA_TRY(RequireRule(store, s, req.bus, rule, ctx.now_ms));
  auto rows = store.ListTargets(s, req.bus, rule, after, req.limit + 1);
  ListTargetsResponse out;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < req.limit; ++i)
    out.targets.push_back(OrderedJson::parse(rows[i].json));
  if (static_cast<int>(rows.size()) > req.limit)
    out.next_token = std::to_string(rows[req.limit - 1].seq);
  tx.Commit();
  return out;
}

}  // namespace edastack::events

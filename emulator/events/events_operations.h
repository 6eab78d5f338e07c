// EventBridge operations: one function per AWS action, typed request + RequestContext in,
// Result out. Each takes the database lock and runs in one transaction; none does I/O
// besides SQLite. Thread-safe (serialized by the database lock).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "emulator/events/events_store.h"
#include "emulator/events/events_types.h"
#include "emulator/filter/pattern.h"
#include "emulator/server/context.h"
#include "emulator/storage/database.h"
#include "emulator/storage/outbox.h"

namespace edastack::events {

// The matchable rules of each bus with their compiled patterns and parsed targets, kept
// between PutEvents calls so matching needs no database read. The service calls
// Invalidate() after every change to buses, rules or targets (after its commit) and on
// reset. Thread-safe.
class RuleCache {
 public:
  struct Entry {
    Rule rule;
    std::shared_ptr<const filter::Pattern> pattern;
    std::vector<Target> targets;
  };
  using Snapshot = std::shared_ptr<const std::vector<Entry>>;

  // The cached snapshot, or null; `*generation` receives the generation to Put with.
  Snapshot Find(const std::string& key, uint64_t* generation);
  // Stores unless an Invalidate() happened since the Find that gave `generation`.
  void Put(const std::string& key, uint64_t generation, Snapshot snapshot);
  void Invalidate();

 private:
  std::mutex mu_;
  // Guarded by mu_:
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Snapshot> map_;
};

// "default", a bus name or a bus ARN → the bus name; ValidationException when malformed.
Result<std::string> ResolveBusName(const std::string& name_or_arn, const std::string& field);
Scope ScopeOf(const RequestContext& ctx);

// ---- event buses ----
Result<EventBus> CreateEventBus(storage::Database& db, const RequestContext& ctx,
                                const CreateEventBusRequest& req);
Status DeleteEventBus(storage::Database& db, const RequestContext& ctx, const std::string& name);
Result<EventBus> DescribeEventBus(storage::Database& db, const RequestContext& ctx,
                                  const std::string& name);
struct ListEventBusesResponse {
  std::vector<EventBus> buses;
  std::string next_token;
};
Result<ListEventBusesResponse> ListEventBuses(storage::Database& db, const RequestContext& ctx,
                                              const ListRequest& req);

// ---- rules ----
Result<std::string> PutRule(storage::Database& db, const RequestContext& ctx,
                            const PutRuleRequest& req);  // → RuleArn
Result<Rule> DescribeRule(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                          const std::string& name);
struct ListRulesResponse {
  std::vector<Rule> rules;
  std::string next_token;
};
Result<ListRulesResponse> ListRules(storage::Database& db, const RequestContext& ctx,
                                    const ListRequest& req);
Status EnableRule(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                  const std::string& name);
Status DisableRule(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                   const std::string& name);
Status DeleteRule(storage::Database& db, const RequestContext& ctx, const std::string& bus,
                  const std::string& name);
struct ListRuleNamesResponse {
  std::vector<std::string> names;
  std::string next_token;
};
Result<ListRuleNamesResponse> ListRuleNamesByTarget(storage::Database& db,
                                                    const RequestContext& ctx,
                                                    const std::string& bus,
                                                    const std::string& target_arn, int limit,
                                                    const std::string& next_token);

// ---- targets ----
struct PutTargetsResponse {
  std::vector<FailedTarget> failed;
};
Result<PutTargetsResponse> PutTargets(storage::Database& db, const RequestContext& ctx,
                                      const PutTargetsRequest& req);
Result<PutTargetsResponse> RemoveTargets(storage::Database& db, const RequestContext& ctx,
                                         const RemoveTargetsRequest& req);
struct ListTargetsResponse {
  std::vector<OrderedJson> targets;  // as stored
  std::string next_token;
};
Result<ListTargetsResponse> ListTargetsByRule(storage::Database& db, const RequestContext& ctx,
                                              const ListRequest& req, const std::string& rule);

// ---- tags (buses and rules, by ARN) ----
Result<std::vector<Tag>> ListTagsForResource(storage::Database& db, const RequestContext& ctx,
                                             const std::string& arn);
Status TagResource(storage::Database& db, const RequestContext& ctx, const std::string& arn,
                   const std::vector<Tag>& tags);
Status UntagResource(storage::Database& db, const RequestContext& ctx, const std::string& arn,
                     const std::vector<std::string>& keys);

// ---- events ----
// `internal` is true for the emulator's own services (S3), which may use "aws." sources.
// Deliveries for the matched targets are appended to `deliveries`, to be made after return.
// With an `outbox`, they are first recorded there as one row (its id in *outbox_id) in a
// transaction committed before PutEvents answers, so an acknowledged event survives kill -9.
Result<PutEventsResponse> PutEvents(storage::Database& db, const RequestContext& ctx,
                                    const std::vector<PutEventsEntry>& entries, bool internal,
                                    RuleCache& cache, std::vector<Delivery>* deliveries,
                                    storage::Outbox* outbox = nullptr,
                                    int64_t* outbox_id = nullptr);
// The deliveries of one event that matched `rule`: one per target whose input renders.
// `ctx` gives the account, region and host the deliveries are made in.
struct TransformContext;
void AppendDeliveries(const Rule& rule, const std::vector<Target>& targets,
                      const TransformContext& tctx, const RequestContext& ctx,
                      const std::string& event_id, std::vector<Delivery>* deliveries);
// Takes the database lock: writes the outbox row of `deliveries` in its own transaction
// (durable before the caller acknowledges or forgets them); returns the row id.
int64_t RecordDeliveries(storage::Database& db, storage::Outbox& outbox,
                         const std::vector<Delivery>& deliveries, int64_t now_ms);
// The outbox payload of a PutEvents call's deliveries (without their tokens).
std::string EncodeDeliveries(const std::vector<Delivery>& deliveries);
std::optional<std::vector<Delivery>> DecodeDeliveries(const std::string& payload);
Result<bool> TestEventPattern(const std::string& pattern, const std::string& event);

}  // namespace edastack::events

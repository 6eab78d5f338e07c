// EventBridge persistence: SQL only. Every row keyed by (account, region). Every method
// requires the database lock and runs inside the caller's storage::Transaction.
// Not thread-safe by itself; borrows the Database, which must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "emulator/events/events_types.h"
#include "emulator/storage/database.h"

namespace edastack::events {

struct Scope {
  std::string account, region;
};

class EventsStore {
 public:
  explicit EventsStore(storage::Database& db) : db_(db) {}
  static const std::vector<storage::Migration>& Migrations();

  // The `default` bus always exists: created on first use.
  void EnsureDefaultBus(const Scope& s, int64_t now_ms);
  std::optional<EventBus> GetBus(const Scope& s, const std::string& name);
  void InsertBus(const Scope& s, const EventBus& bus, const std::string& tags_json);
  // Deletes the bus with its rules and targets.
  void DeleteBus(const Scope& s, const std::string& name);
  // Names > after, with the prefix, ordered by name; at most `limit` rows.
  std::vector<EventBus> ListBuses(const Scope& s, const std::string& prefix,
                                  const std::string& after, int limit);

  std::optional<Rule> GetRule(const Scope& s, const std::string& bus, const std::string& name);
  // Insert, or replace every field but the creation time and tags.
  void UpsertRule(const Scope& s, const Rule& rule, const std::string& tags_json);
  void SetRuleState(const Scope& s, const std::string& bus, const std::string& name,
                    const std::string& state);
  void DeleteRule(const Scope& s, const std::string& bus, const std::string& name);
  std::vector<Rule> ListRules(const Scope& s, const std::string& bus, const std::string& prefix,
                              const std::string& after, int limit);
  // Rules that can match events: enabled and with a pattern.
  std::vector<Rule> MatchableRules(const Scope& s, const std::string& bus);
  // Every enabled rule with a ScheduleExpression, in every account and region.
  std::vector<std::pair<Scope, Rule>> ScheduledRules();

  // Targets as stored JSON texts, in insertion order; `after_seq` pages.
  struct StoredTarget {
    int64_t seq;
    std::string id;
    std::string json;
  };
  std::vector<StoredTarget> ListTargets(const Scope& s, const std::string& bus,
                                        const std::string& rule, int64_t after_seq = 0,
                                        int limit = 1000);
  int CountTargets(const Scope& s, const std::string& bus, const std::string& rule);
  // Same id replaces in place (keeps its position).
  void PutTarget(const Scope& s, const std::string& bus, const std::string& rule,
                 const std::string& id, const std::string& json);
  bool RemoveTarget(const Scope& s, const std::string& bus, const std::string& rule,
                    const std::string& id);
  // Tags (a JSON array of {Key, Value}) of a bus (rule empty) or a rule; nullopt when absent.
  std::optional<std::string> GetTags(const Scope& s, const std::string& bus,
                                     const std::string& rule);
  void SetTags(const Scope& s, const std::string& bus, const std::string& rule,
               const std::string& tags_json);

  std::vector<std::string> RuleNamesByTargetArn(const Scope& s, const std::string& bus,
                                                const std::string& arn);

 private:
  storage::Database& db_;
};

std::string BusArn(const Scope& s, const std::string& bus);
std::string RuleArn(const Scope& s, const std::string& bus, const std::string& rule);

}  // namespace edastack::events

#include "emulator/events/events_store.h"

namespace edastack::events {
namespace {

const char* kRuleColumns =
    "name, bus, pattern, schedule, state, description, role_arn, managed_by, created_ms";

Rule ReadRule(const Scope& s, storage::Statement& st) {
  Rule r;
  r.name = st.Text(0);
  r.bus = st.Text(1);
  r.event_pattern = st.Text(2);
  r.schedule = st.Text(3);
  r.state = st.Text(4);
  r.description = st.Text(5);
  r.role_arn = st.Text(6);
  r.managed_by = st.Text(7);
  r.created_ms = st.Int(8);
  r.created_by = s.account;
  r.arn = RuleArn(s, r.bus, r.name);
  return r;
}

EventBus ReadBus(const Scope& s, storage::Statement& st) {
  EventBus b;
  b.name = st.Text(0);
  b.description = st.Text(1);
  b.policy = st.Text(2);
  b.created_ms = st.Int(3);
  b.modified_ms = st.Int(4);
  b.arn = BusArn(s, b.name);
  return b;
}

// Escapes LIKE wildcards so a prefix is matched literally.
std::string LikePrefix(const std::string& prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "%";
}

}  // namespace

std::string BusArn(const Scope& s, const std::string& bus) {
  return "arn:aws:events:" + s.region + ":" + s.account + ":event-bus/" + bus;
}

std::string RuleArn(const Scope& s, const std::string& bus, const std::string& rule) {
  std::string base = "arn:aws:events:" + s.region + ":" + s.account + ":rule/";
  return bus == kDefaultBus ? base + rule : base + bus + "/" + rule;
}

const std::vector<storage::Migration>& EventsStore::Migrations() {
  static const std::vector<storage::Migration> kMigrations = {
      {1,
       "CREATE TABLE events_buses ("
       " account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
       " description TEXT NOT NULL DEFAULT '', policy TEXT NOT NULL DEFAULT '',"
       " created_ms INTEGER NOT NULL, modified_ms INTEGER NOT NULL,"
       " tags TEXT NOT NULL DEFAULT '[]',"
       " PRIMARY KEY (account, region, name));"
       "CREATE TABLE events_rules ("
       " account TEXT NOT NULL, region TEXT NOT NULL, bus TEXT NOT NULL, name TEXT NOT NULL,"
       " pattern TEXT NOT NULL DEFAULT '', schedule TEXT NOT NULL DEFAULT '',"
       " state TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
       " role_arn TEXT NOT NULL DEFAULT '', managed_by TEXT NOT NULL DEFAULT '',"
       " created_ms INTEGER NOT NULL, tags TEXT NOT NULL DEFAULT '[]',"
       " PRIMARY KEY (account, region, bus, name));"
       "CREATE TABLE events_targets ("
       " account TEXT NOT NULL, region TEXT NOT NULL, bus TEXT NOT NULL, rule TEXT NOT NULL,"
       " id TEXT NOT NULL, seq INTEGER NOT NULL, target TEXT NOT NULL,"
       " PRIMARY KEY (account, region, bus, rule, id));"
       "CREATE INDEX events_targets_seq ON events_targets (account, region, bus, rule, seq);"},
  };
  return kMigrations;
}

void EventsStore::EnsureDefaultBus(const Scope& s, int64_t now_ms) {
  db_.Prepare(
         "INSERT OR IGNORE INTO events_buses (account, region, name, created_ms, modified_ms)"
         " VALUES (?, ?, 'default', ?, ?)")
      .Bind(1, s.account)
      .Bind(2, s.region)
      .Bind(3, now_ms)
      .Bind(4, now_ms)
      .Exec();
}

std::optional<EventBus> EventsStore::GetBus(const Scope& s, const std::string& name) {
  auto st = db_.Prepare(
      "SELECT name, description, policy, created_ms, modified_ms FROM events_buses"
      " WHERE account = ? AND region = ? AND name = ?");
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, name);
  if (!st.Step()) return std::nullopt;
  return ReadBus(s, st);
}

void EventsStore::InsertBus(const Scope& s, const EventBus& bus, const std::string& tags_json) {
  db_.Prepare(
         "INSERT INTO events_buses (account, region, name, description, policy, created_ms,"
         " modified_ms, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, s.account)
      .Bind(2, s.region)
      .Bind(3, bus.name)
      .Bind(4, bus.description)
      .Bind(5, bus.policy)
      .Bind(6, bus.created_ms)
      .Bind(7, bus.modified_ms)
      .Bind(8, tags_json)
      .Exec();
}

void EventsStore::DeleteBus(const Scope& s, const std::string& name) {
  for (const char* sql : {"DELETE FROM events_targets WHERE account = ? AND region = ? AND bus = ?",
                          "DELETE FROM events_rules WHERE account = ? AND region = ? AND bus = ?",
                          "DELETE FROM events_buses WHERE account = ? AND region = ? AND name = ?"})
    db_.Prepare(sql).Bind(1, s.account).Bind(2, s.region).Bind(3, name).Exec();
}

std::vector<EventBus> EventsStore::ListBuses(const Scope& s, const std::string& prefix,
                                             const std::string& after, int limit) {
  auto st = db_.Prepare(
      "SELECT name, description, policy, created_ms, modified_ms FROM events_buses"
      " WHERE account = ? AND region = ? AND name LIKE ? ESCAPE '\\' AND name > ?"
      " ORDER BY name LIMIT ?");
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, LikePrefix(prefix)).Bind(4, after).Bind(5, limit);
  std::vector<EventBus> out;
  while (st.Step()) out.push_back(ReadBus(s, st));
  return out;
}

std::optional<Rule> EventsStore::GetRule(const Scope& s, const std::string& bus,
                                         const std::string& name) {
  std::string sql = std::string("SELECT ") + kRuleColumns +
                    " FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND name = ?";
  auto st = db_.Prepare(sql.c_str());
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, bus).Bind(4, name);
  if (!st.Step()) return std::nullopt;
  return ReadRule(s, st);
}

void EventsStore::UpsertRule(const Scope& s, const Rule& r, const std::string& tags_json) {
  db_.Prepare(
         "INSERT INTO events_rules (account, region, bus, name, pattern, schedule, state,"
         " description, role_arn, managed_by, created_ms, tags)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
         " ON CONFLICT (account, region, bus, name) DO UPDATE SET pattern = excluded.pattern,"
         " schedule = excluded.schedule, state = excluded.state,"
         " description = excluded.description, role_arn = excluded.role_arn")
      .Bind(1, s.account)
      .Bind(2, s.region)
      .Bind(3, r.bus)
      .Bind(4, r.name)
      .Bind(5, r.event_pattern)
      .Bind(6, r.schedule)
      .Bind(7, r.state)
      .Bind(8, r.description)
      .Bind(9, r.role_arn)
      .Bind(10, r.managed_by)
      .Bind(11, r.created_ms)
      .Bind(12, tags_json)
      .Exec();
}

void EventsStore::SetRuleState(const Scope& s, const std::string& bus, const std::string& name,
                               const std::string& state) {
  db_.Prepare(
         "UPDATE events_rules SET state = ? WHERE account = ? AND region = ? AND bus = ?"
         " AND name = ?")
      .Bind(1, state)
      .Bind(2, s.account)
      .Bind(3, s.region)
      .Bind(4, bus)
      .Bind(5, name)
      .Exec();
}

void EventsStore::DeleteRule(const Scope& s, const std::string& bus, const std::string& name) {
  for (const char* sql :
       {"DELETE FROM events_targets WHERE account = ? AND region = ? AND bus = ? AND rule = ?",
        "DELETE FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND name = ?"})
    db_.Prepare(sql).Bind(1, s.account).Bind(2, s.region).Bind(3, bus).Bind(4, name).Exec();
}

std::vector<Rule> EventsStore::ListRules(const Scope& s, const std::string& bus,
                                         const std::string& prefix, const std::string& after,
                                         int limit) {
  std::string sql = std::string("SELECT ") + kRuleColumns +
                    " FROM events_rules WHERE account = ? AND region = ? AND bus = ?"
                    " AND name LIKE ? ESCAPE '\\' AND name > ? ORDER BY name LIMIT ?";
  auto st = db_.Prepare(sql.c_str());
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, bus).Bind(4, LikePrefix(prefix)).Bind(5, after);
  st.Bind(6, limit);
  std::vector<Rule> out;
  while (st.Step()) out.push_back(ReadRule(s, st));
  return out;
}

std::vector<Rule> EventsStore::MatchableRules(const Scope& s, const std::string& bus) {
  std::string sql = std::string("SELECT ") + kRuleColumns +
                    " FROM events_rules WHERE account = ? AND region = ? AND bus = ?"
                    " AND state <> 'DISABLED' AND pattern <> '' ORDER BY name";
  auto st = db_.Prepare(sql.c_str());
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, bus);
  std::vector<Rule> out;
  while (st.Step()) out.push_back(ReadRule(s, st));
  return out;
}

std::vector<std::pair<Scope, Rule>> EventsStore::ScheduledRules() {
  std::string sql = std::string("SELECT ") + kRuleColumns +
                    ", account, region FROM events_rules WHERE schedule <> ''"
                    " AND state <> 'DISABLED' ORDER BY account, region, name";
  auto st = db_.Prepare(sql.c_str());
  std::vector<std::pair<Scope, Rule>> out;
  while (st.Step()) {
    Scope s{st.Text(9), st.Text(10)};
    Rule r = ReadRule(s, st);
    out.emplace_back(std::move(s), std::move(r));
  }
  return out;
}

std::vector<EventsStore::StoredTarget> EventsStore::ListTargets(const Scope& s,
                                                                const std::string& bus,
                                                                const std::string& rule,
                                                                int64_t after_seq, int limit) {
  auto st = db_.Prepare(
      "SELECT seq, id, target FROM events_targets WHERE account = ? AND region = ? AND bus = ?"
      " AND rule = ? AND seq > ? ORDER BY seq LIMIT ?");
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, bus).Bind(4, rule).Bind(5, after_seq);
  st.Bind(6, limit);
  std::vector<StoredTarget> out;
  while (st.Step()) out.push_back({st.Int(0), st.Text(1), st.Text(2)});
  return out;
}

int EventsStore::CountTargets(const Scope& s, const std::string& bus, const std::string& rule) {
  auto st = db_.Prepare(
      "SELECT COUNT(*) FROM events_targets WHERE account = ? AND region = ? AND bus = ?"
      " AND rule = ?");
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, bus).Bind(4, rule);
  st.Step();
  return static_cast<int>(st.Int(0));
}

void EventsStore::PutTarget(const Scope& s, const std::string& bus, const std::string& rule,
                            const std::string& id, const std::string& json) {
  db_.Prepare(
         "INSERT INTO events_targets (account, region, bus, rule, id, seq, target)"
         " VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events_targets"
         " WHERE account = ?1 AND region = ?2 AND bus = ?3 AND rule = ?4), ?6)"
         " ON CONFLICT (account, region, bus, rule, id) DO UPDATE SET target = excluded.target")
      .Bind(1, s.account)
      .Bind(2, s.region)
      .Bind(3, bus)
      .Bind(4, rule)
      .Bind(5, id)
      .Bind(6, json)
      .Exec();
}

bool EventsStore::RemoveTarget(const Scope& s, const std::string& bus, const std::string& rule,
                               const std::string& id) {
  return db_.Prepare(
                "DELETE FROM events_targets WHERE account = ? AND region = ? AND bus = ?"
                " AND rule = ? AND id = ?")
             .Bind(1, s.account)
             .Bind(2, s.region)
             .Bind(3, bus)
             .Bind(4, rule)
             .Bind(5, id)
             .Exec() > 0;
}

std::optional<std::string> EventsStore::GetTags(const Scope& s, const std::string& bus,
                                                const std::string& rule) {
  auto st = rule.empty() ? db_.Prepare(
                               "SELECT tags FROM events_buses WHERE account = ? AND region = ?"
                               " AND name = ?")
                         : db_.Prepare(
                               "SELECT tags FROM events_rules WHERE account = ? AND region = ?"
                               " AND bus = ? AND name = ?");
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, bus);
  if (!rule.empty()) st.Bind(4, rule);
  if (!st.Step()) return std::nullopt;
  return st.Text(0);
}

void EventsStore::SetTags(const Scope& s, const std::string& bus, const std::string& rule,
                          const std::string& tags_json) {
  auto st = rule.empty() ? db_.Prepare(
                               "UPDATE events_buses SET tags = ? WHERE account = ? AND region = ?"
                               " AND name = ?")
                         : db_.Prepare(
                               "UPDATE events_rules SET tags = ? WHERE account = ? AND region = ?"
                               " AND bus = ? AND name = ?");
  st.Bind(1, tags_json).Bind(2, s.account).Bind(3, s.region).Bind(4, bus);
  if (!rule.empty()) st.Bind(5, rule);
  st.Exec();
}

std::vector<std::string> EventsStore::RuleNamesByTargetArn(const Scope& s, const std::string& bus,
                                                           const std::string& arn) {
  auto st = db_.Prepare(
      "SELECT DISTINCT rule FROM events_targets WHERE account = ? AND region = ? AND bus = ?"
      " AND json_extract(target, '$.Arn') = ? ORDER BY rule");
  st.Bind(1, s.account).Bind(2, s.region).Bind(3, bus).Bind(4, arn);
  std::vector<std::string> out;
  while (st.Step()) out.push_back(st.Text(0));
  return out;
}

}  // namespace edastack::events

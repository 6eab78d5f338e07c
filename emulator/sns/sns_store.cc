#include "emulator/sns/sns_store.h"

#include <nlohmann/json.hpp>

namespace edastack::sns {

const std::vector<storage::Migration>& SnsStore::Migrations() {
  static const std::vector<storage::Migration> kMigrations = {
      {1,
       "CREATE TABLE sns_topics (account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
       " arn TEXT NOT NULL UNIQUE, attributes TEXT NOT NULL, created_ms INTEGER NOT NULL,"
       " next_seq INTEGER NOT NULL DEFAULT 0, subs_deleted INTEGER NOT NULL DEFAULT 0);"
       "CREATE INDEX sns_topics_scope ON sns_topics(account, region);"
       "CREATE TABLE sns_tags (arn TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
       " PRIMARY KEY (arn, key));"
       "CREATE TABLE sns_subscriptions (account TEXT NOT NULL, region TEXT NOT NULL,"
       " arn TEXT NOT NULL UNIQUE, topic_arn TEXT NOT NULL, protocol TEXT NOT NULL,"
       " endpoint TEXT NOT NULL, confirmed INTEGER NOT NULL, token TEXT NOT NULL,"
       " attributes TEXT NOT NULL, created_ms INTEGER NOT NULL);"
       "CREATE INDEX sns_subs_topic ON sns_subscriptions(topic_arn);"
       "CREATE INDEX sns_subs_scope ON sns_subscriptions(account, region);"
       "CREATE TABLE sns_dedup (topic_arn TEXT NOT NULL, dedup_id TEXT NOT NULL,"
       " message_id TEXT NOT NULL, seq TEXT NOT NULL, expires_ms INTEGER NOT NULL,"
       " PRIMARY KEY (topic_arn, dedup_id));"},
  };
  return kMigrations;
}

std::string AttributesToJson(const std::map<std::string, std::string>& attrs) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& kv : attrs) j[kv.first] = kv.second;
  return j.dump();
}

std::map<std::string, std::string> AttributesFromJson(const std::string& text) {
  std::map<std::string, std::string> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  return out;
}

void SnsStore::InsertTopic(const Topic& t, int64_t now_ms) {
  db_.Prepare(
         "INSERT INTO sns_topics (account, region, name, arn, attributes, created_ms)"
         " VALUES (?, ?, ?, ?, ?, ?)")
      .Bind(1, t.account)
      .Bind(2, t.region)
      .Bind(3, t.name)
      .Bind(4, t.arn)
      .Bind(5, AttributesToJson(t.attributes))
      .Bind(6, now_ms)
      .Exec();
}

std::optional<Topic> SnsStore::GetTopic(const std::string& arn) {
  auto st = db_.Prepare(
      "SELECT account, region, name, arn, attributes, subs_deleted FROM sns_topics WHERE arn = ?");
  st.Bind(1, arn);
  if (!st.Step()) return std::nullopt;
  Topic t;
  t.account = st.Text(0);
  t.region = st.Text(1);
  t.name = st.Text(2);
  t.arn = st.Text(3);
  t.attributes = AttributesFromJson(st.Text(4));
  t.subscriptions_deleted = st.Int(5);
  return t;
}

void SnsStore::SetTopicAttributes(const std::string& arn,
                                  const std::map<std::string, std::string>& attrs) {
  db_.Prepare("UPDATE sns_topics SET attributes = ? WHERE arn = ?")
      .Bind(1, AttributesToJson(attrs))
      .Bind(2, arn)
      .Exec();
}

void SnsStore::DeleteTopic(const std::string& arn) {
  db_.Prepare("DELETE FROM sns_subscriptions WHERE topic_arn = ?").Bind(1, arn).Exec();
  db_.Prepare("DELETE FROM sns_tags WHERE arn = ?").Bind(1, arn).Exec();
  db_.Prepare("DELETE FROM sns_dedup WHERE topic_arn = ?").Bind(1, arn).Exec();
  db_.Prepare("DELETE FROM sns_topics WHERE arn = ?").Bind(1, arn).Exec();
}

std::vector<std::pair<int64_t, std::string>> SnsStore::ListTopics(const std::string& account,
                                                                  const std::string& region,
                                                                  int64_t after, int limit) {
  auto st = db_.Prepare(
      "SELECT rowid, arn FROM sns_topics WHERE account = ? AND region = ? AND rowid > ?"
      " ORDER BY rowid LIMIT ?");
  st.Bind(1, account).Bind(2, region).Bind(3, after).Bind(4, limit);
  std::vector<std::pair<int64_t, std::string>> out;
  while (st.Step()) out.emplace_back(st.Int(0), st.Text(1));
  return out;
}

int64_t SnsStore::NextSequence(const std::string& arn) {
  db_.Prepare("UPDATE sns_topics SET next_seq = next_seq + 1 WHERE arn = ?").Bind(1, arn).Exec();
  auto st = db_.Prepare("SELECT next_seq FROM sns_topics WHERE arn = ?");
  st.Bind(1, arn);
  return st.Step() ? st.Int(0) : 0;
}

Tags SnsStore::GetTags(const std::string& arn) {
  auto st = db_.Prepare("SELECT key, value FROM sns_tags WHERE arn = ? ORDER BY key");
  st.Bind(1, arn);
  Tags out;
  while (st.Step()) out.emplace_back(st.Text(0), st.Text(1));
  return out;
}

void SnsStore::PutTag(const std::string& arn, const std::string& key, const std::string& value) {
  db_.Prepare("INSERT OR REPLACE INTO sns_tags (arn, key, value) VALUES (?, ?, ?)")
      .Bind(1, arn)
      .Bind(2, key)
      .Bind(3, value)
      .Exec();
}

void SnsStore::DeleteTag(const std::string& arn, const std::string& key) {
  db_.Prepare("DELETE FROM sns_tags WHERE arn = ? AND key = ?").Bind(1, arn).Bind(2, key).Exec();
}

void SnsStore::InsertSubscription(const Subscription& s, int64_t now_ms) {
  db_.Prepare(
         "INSERT INTO sns_subscriptions (account, region, arn, topic_arn, protocol, endpoint,"
         " confirmed, token, attributes, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Bind(1, s.account)
      .Bind(2, s.region)
      .Bind(3, s.arn)
      .Bind(4, s.topic_arn)
      .Bind(5, s.protocol)
      .Bind(6, s.endpoint)
      .Bind(7, s.confirmed ? 1 : 0)
      .Bind(8, s.token)
      .Bind(9, AttributesToJson(s.attributes))
      .Bind(10, now_ms)
      .Exec();
}

#define SNS_SUB_COLUMNS \
  "rowid, account, region, arn, topic_arn, protocol, endpoint, confirmed, token, attributes"

Subscription SnsStore::ReadSubscription(storage::Statement& st) {
  Subscription s;
  s.account = st.Text(1);
  s.region = st.Text(2);
  s.arn = st.Text(3);
  s.topic_arn = st.Text(4);
  s.protocol = st.Text(5);
  s.endpoint = st.Text(6);
  s.confirmed = st.Int(7) != 0;
  s.token = st.Text(8);
  s.attributes = AttributesFromJson(st.Text(9));
  return s;
}

std::optional<Subscription> SnsStore::GetSubscription(const std::string& arn) {
  auto st = db_.Prepare("SELECT " SNS_SUB_COLUMNS " FROM sns_subscriptions WHERE arn = ?");
  st.Bind(1, arn);
  if (!st.Step()) return std::nullopt;
  return ReadSubscription(st);
}

std::optional<Subscription> SnsStore::FindSubscription(const std::string& topic_arn,
                                                       const std::string& protocol,
                                                       const std::string& endpoint) {
  auto st = db_.Prepare("SELECT " SNS_SUB_COLUMNS
                        " FROM sns_subscriptions WHERE topic_arn = ? AND protocol = ?"
                        " AND endpoint = ?");
  st.Bind(1, topic_arn).Bind(2, protocol).Bind(3, endpoint);
  if (!st.Step()) return std::nullopt;
  return ReadSubscription(st);
}

std::optional<Subscription> SnsStore::FindByToken(const std::string& topic_arn,
                                                  const std::string& token) {
  auto st = db_.Prepare("SELECT " SNS_SUB_COLUMNS
                        " FROM sns_subscriptions WHERE topic_arn = ? AND token = ?");
  st.Bind(1, topic_arn).Bind(2, token);
  if (!st.Step()) return std::nullopt;
  return ReadSubscription(st);
}

void SnsStore::UpdateSubscription(const Subscription& s) {
  db_.Prepare("UPDATE sns_subscriptions SET confirmed = ?, attributes = ? WHERE arn = ?")
      .Bind(1, s.confirmed ? 1 : 0)
      .Bind(2, AttributesToJson(s.attributes))
      .Bind(3, s.arn)
      .Exec();
}

void SnsStore::DeleteSubscription(const Subscription& s) {
  db_.Prepare("DELETE FROM sns_subscriptions WHERE arn = ?").Bind(1, s.arn).Exec();
  db_.Prepare("UPDATE sns_topics SET subs_deleted = subs_deleted + 1 WHERE arn = ?")
      .Bind(1, s.topic_arn)
      .Exec();
}

std::vector<std::pair<int64_t, Subscription>> SnsStore::ListSubscriptions(
    const std::string& account, const std::string& region, const std::string& topic_arn,
    int64_t after, int limit) {
  std::vector<std::pair<int64_t, Subscription>> out;
  if (topic_arn.empty()) {
    auto st = db_.Prepare("SELECT " SNS_SUB_COLUMNS
                          " FROM sns_subscriptions WHERE account = ? AND region = ?"
                          " AND rowid > ? ORDER BY rowid LIMIT ?");
    st.Bind(1, account).Bind(2, region).Bind(3, after).Bind(4, limit);
    while (st.Step()) out.emplace_back(st.Int(0), ReadSubscription(st));
  } else {
    auto st = db_.Prepare("SELECT " SNS_SUB_COLUMNS
                          " FROM sns_subscriptions WHERE topic_arn = ? AND rowid > ?"
                          " ORDER BY rowid LIMIT ?");
    st.Bind(1, topic_arn).Bind(2, after).Bind(3, limit);
    while (st.Step()) out.emplace_back(st.Int(0), ReadSubscription(st));
  }
  return out;
}

std::pair<int64_t, int64_t> SnsStore::CountSubscriptions(const std::string& topic_arn) {
  auto st = db_.Prepare(
      "SELECT COALESCE(SUM(confirmed), 0), COALESCE(SUM(1 - confirmed), 0)"
      " FROM sns_subscriptions WHERE topic_arn = ?");
  st.Bind(1, topic_arn);
  if (!st.Step()) return {0, 0};
  return {st.Int(0), st.Int(1)};
}

std::optional<std::pair<std::string, std::string>> SnsStore::FindDedup(
    const std::string& topic_arn, const std::string& dedup_id, int64_t now_ms) {
  auto st = db_.Prepare(
      "SELECT message_id, seq FROM sns_dedup WHERE topic_arn = ? AND dedup_id = ?"
      " AND expires_ms > ?");
  st.Bind(1, topic_arn).Bind(2, dedup_id).Bind(3, now_ms);
  if (!st.Step()) return std::nullopt;
  return std::make_pair(st.Text(0), st.Text(1));
}

void SnsStore::PutDedup(const std::string& topic_arn, const std::string& dedup_id,
                        const std::string& message_id, const std::string& seq,
                        int64_t expires_ms) {
  db_.Prepare(
         "INSERT OR REPLACE INTO sns_dedup (topic_arn, dedup_id, message_id, seq, expires_ms)"
         " VALUES (?, ?, ?, ?, ?)")
      .Bind(1, topic_arn)
      .Bind(2, dedup_id)
      .Bind(3, message_id)
      .Bind(4, seq)
      .Bind(5, expires_ms)
      .Exec();
}

}  // namespace edastack::sns

#include "emulator/sqs/sqs_store.h"

#include <nlohmann/json.hpp>

namespace edastack::sqs {
namespace {

std::string MapToJson(const StringMap& m) { return nlohmann::json(m).dump(); }

StringMap JsonToMap(const std::string& text) {
  StringMap out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it->is_string()) out[it.key()] = it->get<std::string>();
  return out;
}

Queue ReadQueue(storage::Statement& s) {
  Queue q;
  q.id = s.Int(0);
  q.account = s.Text(1);
  q.region = s.Text(2);
  q.name = s.Text(3);
  q.attrs = JsonToMap(s.Text(4));
  q.tags = JsonToMap(s.Text(5));
  q.created_s = s.Int(6);
  q.modified_s = s.Int(7);
  q.purged_ms = s.Int(8);
  ApplyAttributes(&q);
  return q;
}

#define MESSAGE_COLUMNS                                                                       \
  "id, queue_id, message_id, body, attrs, sys_attrs, md5_body, md5_attrs, sender_id, sent_ms, " \
  "visible_at, receive_count, first_receive_ms, token, group_id, dedup_id, seq, source_arn"

MessageRow ReadMessage(storage::Statement& s) {
  MessageRow m;
  m.row_id = s.Int(0);
  m.queue_id = s.Int(1);
  m.message_id = s.Text(2);
  m.body = s.Text(3);
  m.attrs = s.Text(4);
  m.sys_attrs = s.Text(5);
  m.md5_body = s.Text(6);
  m.md5_attrs = s.Text(7);
  m.sender_id = s.Text(8);
  m.sent_ms = s.Int(9);
  m.visible_at_ms = s.Int(10);
  m.receive_count = s.Int(11);
  m.first_receive_ms = s.Int(12);
  m.token = s.Text(13);
  m.group_id = s.Text(14);
  m.dedup_id = s.Text(15);
  m.seq = s.Int(16);
  m.source_arn = s.Text(17);
  return m;
}

}  // namespace

std::vector<storage::Migration> SqsMigrations() {
  return {
      {1,
       "CREATE TABLE sqs_queues("
       "  id INTEGER PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL,"
       "  name TEXT NOT NULL, attrs TEXT NOT NULL DEFAULT '{}', tags TEXT NOT NULL DEFAULT '{}',"
       "  created_s INTEGER NOT NULL, modified_s INTEGER NOT NULL,"
       "  purged_ms INTEGER NOT NULL DEFAULT 0, next_seq INTEGER NOT NULL DEFAULT 0,"
       "  UNIQUE(account, region, name));"
       "CREATE TABLE sqs_messages("
       "  id INTEGER PRIMARY KEY, queue_id INTEGER NOT NULL, message_id TEXT NOT NULL,"
       "  body TEXT NOT NULL, attrs BLOB NOT NULL DEFAULT '', sys_attrs BLOB NOT NULL DEFAULT '',"
       "  md5_body TEXT NOT NULL, md5_attrs TEXT NOT NULL DEFAULT '', sender_id TEXT NOT NULL,"
       "  sent_ms INTEGER NOT NULL, visible_at INTEGER NOT NULL,"
       "  receive_count INTEGER NOT NULL DEFAULT 0, first_receive_ms INTEGER NOT NULL DEFAULT 0,"
       "  token TEXT NOT NULL DEFAULT '', group_id TEXT NOT NULL DEFAULT '',"
       "  dedup_id TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL DEFAULT 0,"
       "  source_arn TEXT NOT NULL DEFAULT '');"
       // ReceiveMessage is a range scan of this index; it also orders by send (rowid).
       "CREATE INDEX sqs_messages_visible ON sqs_messages(queue_id, visible_at);"
       "CREATE TABLE sqs_dedup("
       "  queue_id INTEGER NOT NULL, scope TEXT NOT NULL, dedup_id TEXT NOT NULL,"
       "  message_id TEXT NOT NULL, seq INTEGER NOT NULL, expires_ms INTEGER NOT NULL,"
       "  PRIMARY KEY(queue_id, scope, dedup_id)) WITHOUT ROWID;"
       "CREATE TABLE sqs_move_tasks("
       "  handle TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL,"
       "  source_arn TEXT NOT NULL, destination_arn TEXT NOT NULL, max_per_second INTEGER,"
       "  status TEXT NOT NULL, moved INTEGER NOT NULL, to_move INTEGER NOT NULL,"
       "  started_ms INTEGER NOT NULL, failure_reason TEXT NOT NULL DEFAULT '');"
       "CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks(source_arn, started_ms);"},
      // Retention (GetQueueAttributes, PurgeQueue) finds expired rows through this index
      // instead of reading every message of the queue, bodies included.
      {2, "CREATE INDEX sqs_messages_sent ON sqs_messages(queue_id, sent_ms);"},
  };
}

std::optional<Queue> SqsStore::FindQueue(const std::string& account, const std::string& region,
                                         const std::string& name) {
  auto s = db_.Prepare(
      "SELECT id, account, region, name, attrs, tags, created_s, modified_s, purged_ms "
      "FROM sqs_queues WHERE account = ?1 AND region = ?2 AND name = ?3");
  s.Bind(1, account).Bind(2, region).Bind(3, name);
  if (!s.Step()) return std::nullopt;
  return ReadQueue(s);
}

int64_t SqsStore::InsertQueue(const Queue& q) {
  db_.Prepare(
         "INSERT INTO sqs_queues(account, region, name, attrs, tags, created_s, modified_s) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .Bind(1, q.account)
      .Bind(2, q.region)
      .Bind(3, q.name)
      .Bind(4, MapToJson(q.attrs))
      .Bind(5, MapToJson(q.tags))
      .Bind(6, q.created_s)
      .Bind(7, q.modified_s)
      .Exec();
  return db_.LastInsertRowId();
}

void SqsStore::UpdateQueueAttributes(int64_t id, const StringMap& attrs, int64_t modified_s) {
  db_.Prepare("UPDATE sqs_queues SET attrs = ?2, modified_s = ?3 WHERE id = ?1")
      .Bind(1, id)
      .Bind(2, MapToJson(attrs))
      .Bind(3, modified_s)
      .Exec();
}

void SqsStore::UpdateQueueTags(int64_t id, const StringMap& tags) {
  db_.Prepare("UPDATE sqs_queues SET tags = ?2 WHERE id = ?1").Bind(1, id).Bind(2, MapToJson(tags)).Exec();
}

void SqsStore::SetPurged(int64_t id, int64_t purged_ms) {
  db_.Prepare("UPDATE sqs_queues SET purged_ms = ?2 WHERE id = ?1").Bind(1, id).Bind(2, purged_ms).Exec();
}

void SqsStore::DeleteQueue(int64_t id) {
  db_.Prepare("DELETE FROM sqs_messages WHERE queue_id = ?1").Bind(1, id).Exec();
  db_.Prepare("DELETE FROM sqs_dedup WHERE queue_id = ?1").Bind(1, id).Exec();
  db_.Prepare("DELETE FROM sqs_queues WHERE id = ?1").Bind(1, id).Exec();
}

std::vector<std::string> SqsStore::ListQueueNames(const std::string& account,
                                                  const std::string& region,
                                                  const std::string& prefix,
                                                  const std::string& after, int64_t limit) {
  auto s = db_.Prepare(
      "SELECT name FROM sqs_queues WHERE account = ?1 AND region = ?2 AND name > ?3 "
      "AND substr(name, 1, length(?4)) = ?4 ORDER BY name LIMIT ?5");
  s.Bind(1, account).Bind(2, region).Bind(3, after).Bind(4, prefix).Bind(5, limit);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

std::vector<Queue> SqsStore::ListQueues(const std::string& account, const std::string& region) {
  auto s = db_.Prepare(
      "SELECT id, account, region, name, attrs, tags, created_s, modified_s, purged_ms "
      "FROM sqs_queues WHERE account = ?1 AND region = ?2 ORDER BY name");
  s.Bind(1, account).Bind(2, region);
  std::vector<Queue> out;
  while (s.Step()) out.push_back(ReadQueue(s));
  return out;
}

int64_t SqsStore::NextSequence(int64_t queue_id) {
  auto s = db_.Prepare(
      "UPDATE sqs_queues SET next_seq = next_seq + 1 WHERE id = ?1 RETURNING next_seq");
  s.Bind(1, queue_id);
  int64_t v = s.Step() ? s.Int(0) : 0;
  while (s.Step()) {
  }
  return v;
}

int64_t SqsStore::InsertMessage(const MessageRow& m) {
  db_.Prepare(
         "INSERT INTO sqs_messages(queue_id, message_id, body, attrs, sys_attrs, md5_body, "
         "md5_attrs, sender_id, sent_ms, visible_at, receive_count, first_receive_ms, token, "
         "group_id, dedup_id, seq, source_arn) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)")
      .Bind(1, m.queue_id)
      .Bind(2, m.message_id)
      .Bind(3, m.body)
      .BindBlob(4, m.attrs)
      .BindBlob(5, m.sys_attrs)
      .Bind(6, m.md5_body)
      .Bind(7, m.md5_attrs)
      .Bind(8, m.sender_id)
      .Bind(9, m.sent_ms)
      .Bind(10, m.visible_at_ms)
      .Bind(11, m.receive_count)
      .Bind(12, m.first_receive_ms)
      .Bind(13, m.token)
      .Bind(14, m.group_id)
      .Bind(15, m.dedup_id)
      .Bind(16, m.seq)
      .Bind(17, m.source_arn)
      .Exec();
  return db_.LastInsertRowId();
}

std::vector<MessageRow> SqsStore::SelectVisible(int64_t queue_id, int64_t now_ms, int64_t limit) {
  auto s = db_.Prepare("SELECT " MESSAGE_COLUMNS
                       " FROM sqs_messages WHERE queue_id = ?1 AND visible_at <= ?2 "
                       "ORDER BY visible_at, id LIMIT ?3");
  s.Bind(1, queue_id).Bind(2, now_ms).Bind(3, limit);
  std::vector<MessageRow> out;
  while (s.Step()) out.push_back(ReadMessage(s));
  return out;
}

std::vector<MessageMeta> SqsStore::SelectAllMeta(int64_t queue_id) {
  auto s = db_.Prepare(
      "SELECT id, visible_at, sent_ms, group_id, receive_count FROM sqs_messages "
      "WHERE queue_id = ?1 ORDER BY id");
  s.Bind(1, queue_id);
  std::vector<MessageMeta> out;
  while (s.Step()) out.push_back({s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Int(4)});
  return out;
}

std::vector<MessageRow> SqsStore::SelectAll(int64_t queue_id) {
  auto s = db_.Prepare("SELECT " MESSAGE_COLUMNS
                       " FROM sqs_messages WHERE queue_id = ?1 ORDER BY id");
  s.Bind(1, queue_id);
  std::vector<MessageRow> out;
  while (s.Step()) out.push_back(ReadMessage(s));
  return out;
}

std::optional<MessageRow> SqsStore::GetMessage(int64_t row_id) {
  auto s = db_.Prepare("SELECT " MESSAGE_COLUMNS " FROM sqs_messages WHERE id = ?1");
  s.Bind(1, row_id);
  if (!s.Step()) return std::nullopt;
  return ReadMessage(s);
}

void SqsStore::MarkReceived(int64_t row_id, int64_t visible_at_ms, int64_t receive_count,
                            int64_t first_receive_ms, const std::string& token) {
  db_.Prepare(
         "UPDATE sqs_messages SET visible_at = ?2, receive_count = ?3, first_receive_ms = ?4, "
         "token = ?5 WHERE id = ?1")
      .Bind(1, row_id)
      .Bind(2, visible_at_ms)
      .Bind(3, receive_count)
      .Bind(4, first_receive_ms)
      .Bind(5, token)
      .Exec();
}

void SqsStore::SetVisibleAt(int64_t row_id, int64_t visible_at_ms) {
  db_.Prepare("UPDATE sqs_messages SET visible_at = ?2 WHERE id = ?1")
      .Bind(1, row_id)
      .Bind(2, visible_at_ms)
      .Exec();
}

bool SqsStore::DeleteMessage(int64_t row_id) {
  return db_.Prepare("DELETE FROM sqs_messages WHERE id = ?1").Bind(1, row_id).Exec() > 0;
}

int64_t SqsStore::DeleteSentBefore(int64_t queue_id, int64_t sent_ms) {
  return db_.Prepare("DELETE FROM sqs_messages WHERE queue_id = ?1 AND sent_ms <= ?2")
      .Bind(1, queue_id)
      .Bind(2, sent_ms)
      .Exec();
}

QueueCounts SqsStore::Counts(int64_t queue_id, int64_t now_ms) {
  // Visible messages are counted in the (queue_id, visible_at) index alone; only the rows
  // not visible (in flight or delayed, usually few) are read to tell the two apart.
  QueueCounts c;
  auto v = db_.Prepare(
      "SELECT count(*) FROM sqs_messages WHERE queue_id = ?1 AND visible_at <= ?2");
  v.Bind(1, queue_id).Bind(2, now_ms);
  if (v.Step()) c.visible = v.Int(0);
  auto s = db_.Prepare(
      "SELECT coalesce(sum(receive_count > 0), 0), coalesce(sum(receive_count = 0), 0)"
      " FROM sqs_messages WHERE queue_id = ?1 AND visible_at > ?2");
  s.Bind(1, queue_id).Bind(2, now_ms);
  if (s.Step()) {
    c.not_visible = s.Int(0);
    c.delayed = s.Int(1);
  }
  return c;
}

std::optional<int64_t> SqsStore::NextVisibleAt(int64_t queue_id, int64_t now_ms) {
  auto s = db_.Prepare(
      "SELECT min(visible_at) FROM sqs_messages WHERE queue_id = ?1 AND visible_at > ?2");
  s.Bind(1, queue_id).Bind(2, now_ms);
  if (!s.Step() || s.IsNull(0)) return std::nullopt;
  return s.Int(0);
}

std::optional<std::pair<std::string, int64_t>> SqsStore::FindDedup(int64_t queue_id,
                                                                   const std::string& scope,
                                                                   const std::string& dedup_id,
                                                                   int64_t now_ms) {
  auto s = db_.Prepare(
      "SELECT message_id, seq FROM sqs_dedup WHERE queue_id = ?1 AND scope = ?2 "
      "AND dedup_id = ?3 AND expires_ms > ?4");
  s.Bind(1, queue_id).Bind(2, scope).Bind(3, dedup_id).Bind(4, now_ms);
  if (!s.Step()) return std::nullopt;
  return std::make_pair(s.Text(0), s.Int(1));
}

void SqsStore::PutDedup(int64_t queue_id, const std::string& scope, const std::string& dedup_id,
                        const std::string& message_id, int64_t seq, int64_t expires_ms) {
  db_.Prepare(
         "INSERT OR REPLACE INTO sqs_dedup(queue_id, scope, dedup_id, message_id, seq, "
         "expires_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
      .Bind(1, queue_id)
      .Bind(2, scope)
      .Bind(3, dedup_id)
      .Bind(4, message_id)
      .Bind(5, seq)
      .Bind(6, expires_ms)
      .Exec();
  // Expired entries of this queue go on the way (keeps the table small).
  db_.Prepare("DELETE FROM sqs_dedup WHERE queue_id = ?1 AND expires_ms <= ?2")
      .Bind(1, queue_id)
      .Bind(2, expires_ms - kDedupWindowMs)
      .Exec();
}

void SqsStore::PutMoveTask(const MoveTaskRow& t) {
  db_.Prepare(
         "INSERT OR REPLACE INTO sqs_move_tasks(handle, account, region, source_arn, "
         "destination_arn, max_per_second, status, moved, to_move, started_ms, failure_reason) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
      .Bind(1, t.handle)
      .Bind(2, t.account)
      .Bind(3, t.region)
      .Bind(4, t.source_arn)
      .Bind(5, t.destination_arn)
      .Bind(6, t.max_per_second)
      .Bind(7, t.status)
      .Bind(8, t.moved)
      .Bind(9, t.to_move)
      .Bind(10, t.started_ms)
      .Bind(11, t.failure_reason)
      .Exec();
}

namespace {
MoveTaskRow ReadTask(storage::Statement& s) {
  MoveTaskRow t;
  t.handle = s.Text(0);
  t.account = s.Text(1);
  t.region = s.Text(2);
  t.source_arn = s.Text(3);
  t.destination_arn = s.Text(4);
  if (!s.IsNull(5)) t.max_per_second = s.Int(5);
  t.status = s.Text(6);
  t.moved = s.Int(7);
  t.to_move = s.Int(8);
  t.started_ms = s.Int(9);
  t.failure_reason = s.Text(10);
  return t;
}
}  // namespace

std::vector<MoveTaskRow> SqsStore::ListMoveTasks(const std::string& source_arn) {
  auto s = db_.Prepare(
      "SELECT handle, account, region, source_arn, destination_arn, max_per_second, status, "
      "moved, to_move, started_ms, failure_reason FROM sqs_move_tasks WHERE source_arn = ?1 "
      "ORDER BY started_ms DESC, rowid DESC");
  s.Bind(1, source_arn);
  std::vector<MoveTaskRow> out;
  while (s.Step()) out.push_back(ReadTask(s));
  return out;
}

std::optional<MoveTaskRow> SqsStore::GetMoveTask(const std::string& handle) {
  auto s = db_.Prepare(
      "SELECT handle, account, region, source_arn, destination_arn, max_per_second, status, "
      "moved, to_move, started_ms, failure_reason FROM sqs_move_tasks WHERE handle = ?1");
  s.Bind(1, handle);
  if (!s.Step()) return std::nullopt;
  return ReadTask(s);
}

}  // namespace edastack::sqs

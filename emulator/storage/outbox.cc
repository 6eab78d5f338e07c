#include "emulator/storage/outbox.h"

namespace edastack::storage {
namespace {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> k = {
      {1,
       // No secondary index and no AUTOINCREMENT: each Publish commit then touches one
       // b-tree page (the rightmost leaf), which is what makes the outbox cheap. Pending()
       // scans the (small) table once at start-up. Ids come from Outbox::next_id_.
       "CREATE TABLE outbox("
       "  id INTEGER PRIMARY KEY,"
       "  kind TEXT NOT NULL,"
       "  payload BLOB NOT NULL,"
       "  due_ms INTEGER NOT NULL,"
       "  attempts INTEGER NOT NULL DEFAULT 0);"}};
  return k;
}

}  // namespace

Outbox::Outbox(Database& db) : db_(db) {
  db_.Migrate("outbox", Migrations());
  auto lock = db_.Lock();
  Statement s = db_.Prepare("SELECT COALESCE(MAX(id), 0) FROM outbox");
  s.Step();
  next_id_ = s.Int(0) + 1;
}

int64_t Outbox::Add(std::string_view kind, std::string_view payload, int64_t due_ms) {
  // Deletes ride along only in batches: delivered rows are older than the one inserted here,
  // so deleting one per commit would touch a second page in every commit.
  if (DoneCount() >= kDeleteBatch) DeleteDoneLocked();
  int64_t id = next_id_++;  // if the transaction rolls back the id is simply skipped
  db_.Prepare("INSERT INTO outbox(id, kind, payload, due_ms) VALUES(?1, ?2, ?3, ?4)")
      .Bind(1, id)
      .Bind(2, kind)
      .BindBlob(3, payload)
      .Bind(4, due_ms)
      .Exec();
  return id;
}

void Outbox::Done(int64_t id) {
  std::lock_guard<std::mutex> g(done_mu_);
  done_.push_back(id);
}

Outbox::Token Outbox::MakeToken(int64_t id) {
  return Token(nullptr, [this, id](const void*) {
    if (!closed_.load()) Done(id);
  });
}

size_t Outbox::DoneCount() const {
  std::lock_guard<std::mutex> g(done_mu_);
  return done_.size();
}

bool Outbox::HasDone() const {
  std::lock_guard<std::mutex> g(done_mu_);
  return !done_.empty();
}

void Outbox::DeleteDoneLocked() {
  std::vector<int64_t> ids;
  {
    std::lock_guard<std::mutex> g(done_mu_);
    if (done_.empty()) return;
    ids.swap(done_);
  }
  // If the enclosing transaction rolls back these deletes are lost: the rows stay and are
  // delivered once more after a restart (at-least-once), never lost.
  for (int64_t id : ids) db_.Prepare("DELETE FROM outbox WHERE id = ?1").Bind(1, id).Exec();
}

void Outbox::Flush() {
  if (!HasDone()) return;
  auto lock = db_.Lock();
  Transaction tx(db_);
  DeleteDoneLocked();
  tx.Commit();
}

void Outbox::Reschedule(int64_t id, int attempts, int64_t due_ms) {
  auto lock = db_.Lock();
  Transaction tx(db_);
  db_.Prepare("UPDATE outbox SET attempts = ?2, due_ms = ?3 WHERE id = ?1")
      .Bind(1, id)
      .Bind(2, attempts)
      .Bind(3, due_ms)
      .Exec();
  tx.Commit();
}

std::vector<OutboxRow> Outbox::Pending(std::string_view kind) {
  auto lock = db_.Lock();
  std::vector<OutboxRow> out;
  Statement s = db_.Prepare(
      "SELECT id, kind, payload, due_ms, attempts FROM outbox WHERE kind = ?1 ORDER BY id");
  s.Bind(1, kind);
  while (s.Step())
    out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Int(3), static_cast<int>(s.Int(4))});
  return out;
}

int64_t Outbox::Count() {
  auto lock = db_.Lock();
  Statement s = db_.Prepare("SELECT COUNT(*) FROM outbox");
  s.Step();
  return s.Int(0);
}

void Outbox::Close() {
  Flush();
  closed_ = true;
}

void Outbox::OnReset() {
  std::lock_guard<std::mutex> g(done_mu_);
  done_.clear();
}

}  // namespace edastack::storage

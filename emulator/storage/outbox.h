// The transactional outbox: deliveries a committed write still owes (SNS fan-out, EventBridge
// targets, S3 event notifications), stored in the same SQLite database so that an
// acknowledged Publish / PutEvents / PutObject survives kill -9 together with its pending
// deliveries.
//
// Protocol:
//  1. the triggering operation calls Add() inside its own transaction (one row per publish,
//     PutEvents call or S3 change — not per subscriber), so acknowledged ⇒ persisted;
//  2. after the commit it hands the already-built work to its dispatcher in memory, with a
//     Token; the dispatcher delivers (retries, DLQ hand-off) and drops the token;
//  3. when the last copy of the token is released the row is marked done; done rows are
//     deleted in batches by the next Add() (no extra transaction under load) or by Flush()
//     (which dispatchers call when they go idle);
//  4. at start-up each owner replays Pending(kind): at-least-once delivery.
//
// Owned by the Emulator; must outlive every Token. Thread-safe: Add/Reschedule/Pending/Flush
// follow the Database locking rules stated on each; Done/MakeToken need no database lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/storage/database.h"

namespace edastack::storage {

struct OutboxRow {
  int64_t id = 0;
  std::string kind;     // the owner: "sns", "events", "s3"
  std::string payload;  // owner-defined encoding of the work
  int64_t due_ms = 0;   // not before (from the injected clock)
  int attempts = 0;     // delivery rounds tried and rescheduled so far
};

class Outbox {
 public:
  // Migrates the "outbox" component. `db` must outlive this object.
  explicit Outbox(Database& db);
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Requires the database lock and an open Transaction (the caller's own write). Inserts a
  // pending row and returns its id. Also deletes the rows marked done once there are
  // kDeleteBatch of them.
  int64_t Add(std::string_view kind, std::string_view payload, int64_t due_ms);

  // Marks row `id` delivered; it is deleted by the next Add() or Flush(). No lock needed.
  void Done(int64_t id);

  // A handle shared by every in-memory job of row `id`: releasing the last copy marks the
  // row done, unless Close() was called first (work dropped at shutdown stays pending).
  using Token = std::shared_ptr<const void>;
  Token MakeToken(int64_t id);

  // Takes the database lock (call without it): deletes the rows marked done in one
  // transaction. Does nothing, without locking, when there are none.
  void Flush();
  bool HasDone() const;

  // Takes the database lock: records a retry round of row `id` (attempts, next due time),
  // so a restart resumes the schedule.
  void Reschedule(int64_t id, int attempts, int64_t due_ms);

  // Takes the database lock: every pending row of `kind`, oldest first.
  std::vector<OutboxRow> Pending(std::string_view kind);

  // Takes the database lock: how many rows are pending (all kinds). For tests and status.
  int64_t Count();

  // Flushes, then stops marking rows done: call before dropping queued work at shutdown.
  void Close();
  // Forgets the done marks (after Database::ClearAll emptied the table). Ids keep growing
  // within the process, so a stale token can never delete a newer row.
  void OnReset();

 private:
  static constexpr size_t kDeleteBatch = 64;
  size_t DoneCount() const;
  // Requires the database lock and an open transaction.
  void DeleteDoneLocked();

  Database& db_;
  std::atomic<bool> closed_{false};
  int64_t next_id_ = 1;  // guarded by the database lock
  mutable std::mutex done_mu_;
  // Guarded by done_mu_:
  std::vector<int64_t> done_;
};

}  // namespace edastack::storage

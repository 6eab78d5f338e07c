// A SQLite database a service stores into: <data>/edastack.db for SNS, S3, EventBridge and
// the outbox (their writes share transactions with it), and one file each for SQS and
// DynamoDB (Emulator::kOwnDatabases), so that queue calls and table writes do not queue
// behind one another's lock.
//
// Threading model: one connection per database, guarded by one mutex. Every API call takes the lock
// (Database::Lock), opens one transaction, runs its prepared statements, commits, and
// releases the lock before any network I/O or waiting (long polls wait on a condition
// variable with the lock released). Prepared statements are cached per SQL text and
// reused; they are only touched with the lock held.
//
// Durability: WAL journal with synchronous=NORMAL: a committed transaction survives a
// kill -9 of the process (the WAL is in the OS page cache). `--ephemeral` opens :memory:.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "protocol/core/result.h"

namespace edastack::storage {

// A prepared statement borrowed from the cache; reset and unbound on destruction.
// Bind indexes are 1-based, columns 0-based, as in SQLite.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }

  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, double v);
  Statement& Bind(int i, std::string_view v);   // TEXT
  Statement& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Statement& BindBlob(int i, std::string_view v);
  Statement& BindNull(int i);
  Statement& Bind(int i, const std::optional<std::string>& v) {
    return v ? Bind(i, *v) : BindNull(i);
  }
  Statement& Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }

  // True while a row is available. Errors throw storage::Error (caught at the boundary).
  bool Step();
  // Runs to completion; returns sqlite3_changes().
  int Exec();

  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

// Thrown only by storage on SQLite failures; the server maps it to 500 InternalFailure.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Migration {
  int version;
  const char* sql;
};

class Database {
 public:
  // path ":memory:" for ephemeral. Throws storage::Error when the file cannot be opened.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Applies the component's migrations newer than its recorded version, each in its own
  // transaction. Call once per component at start-up, before serving.
  void Migrate(const std::string& component, const std::vector<Migration>& migrations);

  // The connection lock. Hold it for the whole API call.
  std::unique_lock<std::mutex> Lock() { return std::unique_lock<std::mutex>(mu_); }

  // Requires the lock. Returns the cached statement for this SQL text.
  Statement Prepare(const char* sql);
  // Requires the lock. For DDL and one-off statements.
  void ExecScript(const std::string& sql);
  int64_t LastInsertRowId() const;

  // Requires the lock and an open Transaction. Runs `fn` right after that transaction
  // commits (still under the lock, so hand-offs happen in commit order); dropped if it rolls
  // back. `fn` must be quick and must not touch the database.
  void AfterCommit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }

  // Deletes every row of every table except the migrations record (POST /_edastack/reset),
  // and drops the sequence blocks.
  void ClearAll();

  // Requires the lock. In-memory state of a counter a store hands out from blocks it
  // reserves in its own table (see s3::Store::NextSeq): `last` handed out, `reserved` the
  // highest committed reservation (-1: not loaded yet). Keyed by a name of the store's
  // choosing; references stay valid until ClearAll.
  struct SequenceBlock {
    int64_t last = 0;
    int64_t reserved = -1;
  };
  SequenceBlock& Sequence(const std::string& name) { return sequences_[name]; }

  sqlite3* raw() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  // Guarded by mu_:
  std::mutex mu_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::vector<std::function<void()>> after_commit_;
  std::unordered_map<std::string, SequenceBlock> sequences_;

  // A file-backed database starts the WAL's write-out in the background (WritebackLoop).
  void WritebackLoop(const std::string& wal_path);
  std::thread writeback_;
  std::mutex writeback_mu_;
  std::condition_variable writeback_cv_;
  bool writeback_stop_ = false;  // guarded by writeback_mu_

  friend class Transaction;
};

// What a transaction may do.
//   kWrite: BEGIN IMMEDIATE, the write lock taken up front.
//   kRead:  BEGIN (deferred): nothing until the first read, which opens the snapshot; COMMIT
//           only ends it. For calls that only read. Since every call holds the database lock
//           and the connection is the only one, no write can land between two reads of the
//           call: it sees one consistent snapshot. Commit() throws storage::Error (and the
//           transaction rolls back) if it wrote anyway.
enum class TxMode { kWrite, kRead };

// One API call = one transaction. BEGIN on construction, ROLLBACK on destruction unless
// Commit() was called. Requires the database lock.
class Transaction {
 public:
  explicit Transaction(Database& db, TxMode mode = TxMode::kWrite);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Database& db_;
  TxMode mode_;
  bool done_ = false;
};

}  // namespace edastack::storage

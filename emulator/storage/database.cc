#include "emulator/storage/database.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "protocol/core/log.h"

namespace edastack::storage {
namespace {

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
    throw Error(std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

Statement::~Statement() {
  if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::Bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}
Statement& Statement::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::BindBlob(int i, std::string_view v) {
  sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw Error(std::string("sqlite step: ") + sqlite3_errmsg(sqlite3_db_handle(stmt_)) + " in " +
              sqlite3_sql(stmt_));
}

int Statement::Exec() {
  while (Step()) {
  }
  return sqlite3_changes(sqlite3_db_handle(stmt_));
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::Text(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(static_cast<const char*>(p), n) : std::string();
}
bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Database::Database(const std::string& path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error("cannot open database " + path + ": " + msg);
  }
  ExecScript(
      "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
      "PRAGMA busy_timeout=5000; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;"
      // A checkpoint runs inside whichever commit crosses the threshold, and fsyncs the WAL
      // and then the database file while every other call waits. At 10,000 pages (a WAL of
      // up to ~40 MB) that happens a tenth as often as at the default 1,000, and a hot page
      // (an index's rightmost leaf) is written back once per checkpoint instead of ten times.
      // The bytes the WAL's fsync must push stay the same: a write-heavy load is bounded by
      // how fast the disk absorbs them (bench/README.md).
      "PRAGMA wal_autocheckpoint=10000;"
      "CREATE TABLE IF NOT EXISTS schema_migrations(component TEXT PRIMARY KEY, version INTEGER NOT NULL);");
  if (path != ":memory:") {
    writeback_ = std::thread([this, wal = path + "-wal"] { WritebackLoop(wal); });
  }
}

Database::~Database() {
  {
    std::lock_guard<std::mutex> g(writeback_mu_);
    writeback_stop_ = true;
  }
  writeback_cv_.notify_all();
  if (writeback_.joinable()) writeback_.join();
  for (auto& kv : cache_) sqlite3_finalize(kv.second);
  if (db_) sqlite3_close(db_);
}

void Database::WritebackLoop(const std::string& wal_path) {
  // Starts the write-out of the WAL's dirty pages every 50 ms (sync_file_range only queues
  // the I/O; it neither waits nor touches SQLite), so the fdatasync a checkpoint makes with
  // the database lock held finds most of them already on disk.
  int fd = -1;
  std::unique_lock<std::mutex> lock(writeback_mu_);
  while (!writeback_cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return writeback_stop_; })) {
    if (fd < 0) fd = ::open(wal_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  }
  if (fd >= 0) ::close(fd);
}

void Database::ExecScript(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    throw Error("sqlite exec: " + msg);
  }
}

Statement Database::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Statement(it->second);
  sqlite3_stmt* stmt = nullptr;
  Check(db_, sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr),
        "sqlite prepare");
  cache_.emplace(sql, stmt);
  return Statement(stmt);
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

void Database::Migrate(const std::string& component, const std::vector<Migration>& migrations) {
  auto lock = Lock();
  int current = 0;
  {
    Statement s = Prepare("SELECT version FROM schema_migrations WHERE component = ?1");
    s.Bind(1, component);
    if (s.Step()) current = static_cast<int>(s.Int(0));
  }
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    Transaction tx(*this);
    ExecScript(m.sql);
    Statement s = Prepare(
        "INSERT INTO schema_migrations(component, version) VALUES(?1, ?2) "
        "ON CONFLICT(component) DO UPDATE SET version = excluded.version");
    s.Bind(1, component).Bind(2, m.version).Exec();
    tx.Commit();
    log::Debug("migrated " + component + " to version " + std::to_string(m.version));
  }
}

void Database::ClearAll() {
  std::vector<std::string> tables;
  {
    Statement s = Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'schema_migrations'");
    while (s.Step()) tables.push_back(s.Text(0));
  }
  Transaction tx(*this);
  ExecScript("PRAGMA defer_foreign_keys = ON;");
  for (const auto& t : tables) ExecScript("DELETE FROM \"" + t + "\";");
  tx.Commit();
  sequences_.clear();
}

Transaction::Transaction(Database& db, TxMode mode) : db_(db), mode_(mode) {
  db_.after_commit_.clear();
  db_.Prepare(mode_ == TxMode::kRead ? "BEGIN" : "BEGIN IMMEDIATE").Exec();
}

Transaction::~Transaction() {
  if (!done_) {
    db_.after_commit_.clear();
    try {
      db_.Prepare("ROLLBACK").Exec();
    } catch (...) {
    }
  }
}

void Transaction::Commit() {
  if (mode_ == TxMode::kRead && sqlite3_txn_state(db_.db_, nullptr) == SQLITE_TXN_WRITE)
    throw Error("a read transaction wrote to the database");
  db_.Prepare("COMMIT").Exec();
  done_ = true;
  if (db_.after_commit_.empty()) return;
  auto fns = std::move(db_.after_commit_);
  db_.after_commit_.clear();
  for (auto& fn : fns) fn();
}

}  // namespace edastack::storage

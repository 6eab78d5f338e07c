#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "emulator/storage/database.h"

using namespace edastack;

namespace {
int Count(storage::Database& db, const char* sql) {
  auto s = db.Prepare(sql);
  s.Step();
  return static_cast<int>(s.Int(0));
}
}  // namespace

TEST_CASE("migrations apply once, in order, and an older data dir is migrated", "[storage]") {
  auto dir = std::filesystem::temp_directory_path() / ("edastack-db-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "t.db").string();
  std::vector<storage::Migration> v1 = {{1, "CREATE TABLE t(a INTEGER);"}};
  {
    storage::Database db(path);
    db.Migrate("svc", v1);
    db.Migrate("svc", v1);  // idempotent
    auto lock = db.Lock();
    storage::Transaction tx(db);
    db.Prepare("INSERT INTO t(a) VALUES(?1)").Bind(1, 7).Exec();
    tx.Commit();
  }
  {
    // A newer build adds migration 2; the existing row survives, the column appears.
    std::vector<storage::Migration> v2 = v1;
    v2.push_back({2, "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x';"});
    storage::Database db(path);
    db.Migrate("svc", v2);
    auto lock = db.Lock();
    auto s = db.Prepare("SELECT a, b FROM t");
    REQUIRE(s.Step());
    CHECK(s.Int(0) == 7);
    CHECK(s.Text(1) == "x");
    CHECK(Count(db, "SELECT version FROM schema_migrations WHERE component = 'svc'") == 2);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a transaction that is not committed changes nothing", "[storage]") {
  storage::Database db(":memory:");
  db.Migrate("svc", {{1, "CREATE TABLE t(a INTEGER PRIMARY KEY);"}});
  auto lock = db.Lock();
  {
    storage::Transaction tx(db);
    db.Prepare("INSERT INTO t(a) VALUES(?1)").Bind(1, 1).Exec();
    // no Commit: rolled back on scope exit (as when an operation returns an error)
  }
  CHECK(Count(db, "SELECT COUNT(*) FROM t") == 0);
  {
    storage::Transaction tx(db);
    db.Prepare("INSERT INTO t(a) VALUES(?1)").Bind(1, 1).Exec();
    CHECK_THROWS_AS(db.Prepare("INSERT INTO t(a) VALUES(?1)").Bind(1, 1).Exec(), storage::Error);
  }
  CHECK(Count(db, "SELECT COUNT(*) FROM t") == 0);
}

TEST_CASE("ClearAll empties data tables but keeps the schema record", "[storage]") {
  storage::Database db(":memory:");
  db.Migrate("svc", {{1, "CREATE TABLE t(a INTEGER);"}});
  auto lock = db.Lock();
  db.Prepare("INSERT INTO t(a) VALUES(1)").Exec();
  db.ClearAll();
  CHECK(Count(db, "SELECT COUNT(*) FROM t") == 0);
  CHECK(Count(db, "SELECT COUNT(*) FROM schema_migrations") == 1);
}

TEST_CASE("a read transaction sees the data and refuses to commit a write", "[storage]") {
  storage::Database db(":memory:");
  db.Migrate("svc", {{1, "CREATE TABLE t(a INTEGER PRIMARY KEY);"}});
  auto lock = db.Lock();
  db.Prepare("INSERT INTO t(a) VALUES(1)").Exec();
  {
    storage::Transaction tx(db, storage::TxMode::kRead);
    CHECK(Count(db, "SELECT COUNT(*) FROM t") == 1);
    tx.Commit();
  }
  {
    storage::Transaction tx(db, storage::TxMode::kRead);
    db.Prepare("INSERT INTO t(a) VALUES(2)").Exec();
    CHECK_THROWS_AS(tx.Commit(), storage::Error);
  }
  CHECK(Count(db, "SELECT COUNT(*) FROM t") == 1);  // the stray write was rolled back
  {
    // A write transaction after a read one works as before.
    storage::Transaction tx(db);
    db.Prepare("INSERT INTO t(a) VALUES(3)").Exec();
    tx.Commit();
  }
  CHECK(Count(db, "SELECT COUNT(*) FROM t") == 2);
}

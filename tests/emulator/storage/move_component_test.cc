#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

#include "emulator/storage/database.h"
#include "emulator/storage/move_component.h"

using namespace edastack;

namespace {

int64_t Scalar(storage::Database& db, const std::string& sql) {
  auto lock = db.Lock();
  auto s = db.Prepare(sql.c_str());
  return s.Step() ? s.Int(0) : -1;
}

struct Dir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("edastack-move-test-" + std::to_string(::getpid()));
  Dir() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~Dir() { std::filesystem::remove_all(path); }
  std::string operator/(const char* f) const { return (path / f).string(); }
};

const std::vector<storage::Migration> kSvc = {
    {1,
     "CREATE TABLE svc_things(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);"
     "CREATE INDEX svc_things_name ON svc_things(name);"},
    {2, "CREATE TABLE svc_more(k TEXT PRIMARY KEY, v BLOB);"}};
const std::vector<storage::Migration> kOther = {{1, "CREATE TABLE other_rows(a INTEGER);"}};

void Seed(storage::Database& db) {
  db.Migrate("svc", kSvc);
  db.Migrate("other", kOther);
  auto lock = db.Lock();
  storage::Transaction tx(db);
  db.ExecScript(
      "INSERT INTO svc_things(name) VALUES('a'),('b'),('c'); DELETE FROM svc_things WHERE id = 3;"
      "INSERT INTO svc_more VALUES('k', x'00ff'); INSERT INTO other_rows VALUES(7);");
  tx.Commit();
}

}  // namespace

TEST_CASE("an older data dir's tables move to the service's own file", "[storage]") {
  Dir dir;
  {
    storage::Database old(dir / "edastack.db");
    Seed(old);
  }
  {
    storage::Database main(dir / "edastack.db");
    CHECK(storage::MoveComponent(main, dir / "svc.db", "svc", "svc_") == 2);
    // Gone from the old file, other components untouched.
    CHECK(Scalar(main, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'svc%'") == 0);
    CHECK(Scalar(main, "SELECT COUNT(*) FROM schema_migrations WHERE component = 'svc'") == 0);
    CHECK(Scalar(main, "SELECT a FROM other_rows") == 7);
    // Idempotent: nothing left to move.
    CHECK(storage::MoveComponent(main, dir / "svc.db", "svc", "svc_") == 0);
  }
  storage::Database own(dir / "svc.db");
  own.Migrate("svc", kSvc);  // already at version 2: nothing re-created
  CHECK(Scalar(own, "SELECT version FROM schema_migrations WHERE component = 'svc'") == 2);
  CHECK(Scalar(own, "SELECT COUNT(*) FROM svc_things") == 2);
  CHECK(Scalar(own, "SELECT length(v) FROM svc_more WHERE k = 'k'") == 2);
  CHECK(Scalar(own, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'svc_things_name'") == 1);
  // AUTOINCREMENT goes on past the deleted row: ids are never reused.
  {
    auto lock = own.Lock();
    storage::Transaction tx(own);
    own.ExecScript("INSERT INTO svc_things(name) VALUES('d');");
    tx.Commit();
  }
  CHECK(Scalar(own, "SELECT MAX(id) FROM svc_things") == 4);
}

TEST_CASE("a move interrupted after its copy committed is finished on the next start",
          "[storage]") {
  Dir dir;
  {
    storage::Database old(dir / "edastack.db");
    Seed(old);
  }
  {
    // The copy landed in svc.db (as step 1 commits it) but the old tables were not dropped.
    storage::Database own(dir / "svc.db");
    own.Migrate("svc", kSvc);
    auto lock = own.Lock();
    storage::Transaction tx(own);
    own.ExecScript("INSERT INTO svc_things(name) VALUES('moved');");
    tx.Commit();
  }
  {
    storage::Database main(dir / "edastack.db");
    CHECK(storage::MoveComponent(main, dir / "svc.db", "svc", "svc_") == 0);
    CHECK(Scalar(main, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'svc%'") == 0);
  }
  // The new file is authoritative: its rows were not overwritten by the old ones.
  storage::Database own(dir / "svc.db");
  CHECK(Scalar(own, "SELECT COUNT(*) FROM svc_things") == 1);
}

TEST_CASE("a fresh data dir moves nothing", "[storage]") {
  Dir dir;
  storage::Database main(dir / "edastack.db");
  main.Migrate("other", kOther);
  CHECK(storage::MoveComponent(main, dir / "svc.db", "svc", "svc_") == 0);
}

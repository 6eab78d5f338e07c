// The transactional outbox: rows written in the caller's transaction, deleted once done.
#include "emulator/storage/outbox.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

using namespace edastack;
using storage::Database;
using storage::Outbox;
using storage::Transaction;

namespace {

int64_t AddCommitted(Database& db, Outbox& ob, const std::string& kind, const std::string& p,
                     int64_t due = 1000) {
  auto lock = db.Lock();
  Transaction tx(db);
  int64_t id = ob.Add(kind, p, due);
  tx.Commit();
  return id;
}

}  // namespace

TEST_CASE("outbox: a row exists only if its transaction committed", "[storage][outbox]") {
  Database db(":memory:");
  Outbox ob(db);
  int64_t a = AddCommitted(db, ob, "sns", "one");
  {
    auto lock = db.Lock();
    Transaction tx(db);
    ob.Add("sns", "rolled back", 1000);
  }  // no Commit: rollback
  int64_t b = AddCommitted(db, ob, "events", std::string("bin\0ary", 7), 2000);
  auto sns = ob.Pending("sns");
  REQUIRE(sns.size() == 1);
  CHECK(sns[0].id == a);
  CHECK(sns[0].payload == "one");
  CHECK(sns[0].due_ms == 1000);
  CHECK(sns[0].attempts == 0);
  auto ev = ob.Pending("events");
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].id == b);
  CHECK(ev[0].payload == std::string("bin\0ary", 7));
  CHECK(ob.Count() == 2);
}

TEST_CASE("outbox: done rows are deleted by Flush or piggybacked on the next Add",
          "[storage][outbox]") {
  Database db(":memory:");
  Outbox ob(db);
  int64_t a = AddCommitted(db, ob, "sns", "a");
  int64_t b = AddCommitted(db, ob, "sns", "b");
  CHECK_FALSE(ob.HasDone());
  ob.Done(a);
  CHECK(ob.HasDone());
  ob.Flush();
  CHECK_FALSE(ob.HasDone());
  CHECK(ob.Count() == 1);
  ob.Done(b);
  AddCommitted(db, ob, "sns", "c");  // one done row: left for a batch
  CHECK(ob.HasDone());
  std::vector<int64_t> more;
  for (int i = 0; i < 70; ++i) more.push_back(AddCommitted(db, ob, "x", "m"));
  for (int64_t id : more) ob.Done(id);
  AddCommitted(db, ob, "sns", "d");  // 71 done rows: deleted in this transaction
  CHECK_FALSE(ob.HasDone());
  auto rows = ob.Pending("sns");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].payload == "c");
  CHECK(ob.Count() == 2);
}

TEST_CASE("outbox: the last token copy marks the row done; after Close it does not",
          "[storage][outbox]") {
  Database db(":memory:");
  Outbox ob(db);
  int64_t a = AddCommitted(db, ob, "s3", "a");
  int64_t b = AddCommitted(db, ob, "s3", "b");
  {
    Outbox::Token t = ob.MakeToken(a);
    Outbox::Token copy = t;
    t.reset();
    CHECK_FALSE(ob.HasDone());
  }
  CHECK(ob.HasDone());
  Outbox::Token held = ob.MakeToken(b);
  ob.Close();  // flushes a, then stops marking
  CHECK(ob.Count() == 1);
  held.reset();
  CHECK_FALSE(ob.HasDone());
  CHECK(ob.Pending("s3").size() == 1);
}

TEST_CASE("outbox: Reschedule records attempts and due time", "[storage][outbox]") {
  Database db(":memory:");
  Outbox ob(db);
  int64_t a = AddCommitted(db, ob, "sns", "a", 1000);
  ob.Reschedule(a, 2, 21000);
  auto rows = ob.Pending("sns");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].attempts == 2);
  CHECK(rows[0].due_ms == 21000);
}

TEST_CASE("outbox: ids are not reused after ClearAll", "[storage][outbox]") {
  Database db(":memory:");
  Outbox ob(db);
  int64_t a = AddCommitted(db, ob, "sns", "a");
  Outbox::Token stale = ob.MakeToken(a);
  {
    auto lock = db.Lock();
    db.ClearAll();
  }
  ob.OnReset();
  CHECK(ob.Count() == 0);
  int64_t b = AddCommitted(db, ob, "sns", "b");
  CHECK(b > a);
  stale.reset();  // a token from before the reset deletes nothing new
  ob.Flush();
  CHECK(ob.Count() == 1);
}

TEST_CASE("outbox: pending rows survive reopening the database file", "[storage][outbox]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("edastack-outbox-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "t.db").string();
  {
    Database db(path);
    Outbox ob(db);
    AddCommitted(db, ob, "sns", "kept");
    int64_t gone = AddCommitted(db, ob, "sns", "delivered");
    ob.Done(gone);
    ob.Flush();
  }
  {
    Database db(path);
    Outbox ob(db);
    auto rows = ob.Pending("sns");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].payload == "kept");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("database: AfterCommit runs after COMMIT, not after a rollback", "[storage]") {
  Database db(":memory:");
  int ran = 0;
  {
    auto lock = db.Lock();
    {
      Transaction tx(db);
      db.AfterCommit([&] { ++ran; });
    }
    CHECK(ran == 0);
    Transaction tx(db);
    db.AfterCommit([&] { ran += 10; });
    tx.Commit();
  }
  CHECK(ran == 10);
}

// The store's reads are index range scans (checked with EXPLAIN QUERY PLAN).
#include <catch2/catch.hpp>

#include "emulator/dynamodb/ddb_store.h"

using namespace edastack;
using namespace edastack::dynamodb;

namespace {

std::string Plan(storage::Database& db, const std::string& sql) {
  auto lock = db.Lock();
  auto s = db.Prepare(("EXPLAIN QUERY PLAN " + sql).c_str());
  std::string out;
  while (s.Step()) out += s.Text(3) + "\n";
  return out;
}

}  // namespace

TEST_CASE("ddb store GSI query is an index range scan joined by primary key", "[ddb][store]") {
  storage::Database db(":memory:");
  db.Migrate("dynamodb", Migrations());
  RangeRead r;
  r.tid = 1;
  r.index = "by-g";
  r.hash = "G";
  r.lo = "a";
  r.hi = "z";
  r.start = std::vector<std::string>{"b", "pk", "sk"};
  std::string plan = Plan(db, DdbStore::ReadSql(r));
  INFO(plan);
  CHECK(plan.find("SCAN") == std::string::npos);
  CHECK(plan.find("SEARCH x USING PRIMARY KEY (tid=? AND iname=? AND ipk=?") != std::string::npos);
  CHECK(plan.find("SEARCH i USING PRIMARY KEY (tid=? AND pk=? AND sk=?)") != std::string::npos);
  CHECK(plan.find("TEMP B-TREE") == std::string::npos);  // rows come out in index order
}

TEST_CASE("ddb store base query and descending reads use the primary key", "[ddb][store]") {
  storage::Database db(":memory:");
  db.Migrate("dynamodb", Migrations());
  RangeRead r;
  r.tid = 1;
  r.hash = "p";
  r.lo = "a";
  r.forward = false;
  std::string plan = Plan(db, DdbStore::ReadSql(r));
  INFO(plan);
  CHECK(plan.find("SEARCH ddb_items USING PRIMARY KEY (tid=? AND pk=? AND sk>?)") != std::string::npos);
  CHECK(plan.find("TEMP B-TREE") == std::string::npos);
}

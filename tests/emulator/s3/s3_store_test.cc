// s3::Store on its own database: version rows replaced in place, the latest flag, the stored
// attribute/tag JSON, and sequence numbers handed out from reserved blocks.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/s3/s3_store.h"

using namespace edastack;

namespace {

struct Fixture {
  storage::Database db{":memory:"};
  Fixture() { db.Migrate("s3", s3::Migrations()); }

  s3::ObjectVersion Version(const std::string& key, const std::string& id, int64_t seq,
                            const std::string& file = "") {
    s3::ObjectVersion v;
    v.bucket = "b";
    v.key = key;
    v.version_id = id;
    v.seq = seq;
    v.file = file;
    v.body = file.empty() ? "body-" + std::to_string(seq) : "";
    v.size = v.body.size();
    v.etag = "e" + std::to_string(seq);
    return v;
  }

  // "version_id:latest" of every row of `key`, newest first.
  std::string Rows(const std::string& key) {
    auto lock = db.Lock();
    s3::Store st(db, "acct");
    std::string out;
    for (const auto& v : st.KeyVersions("b", key))
      out += v.version_id + (v.is_latest ? ":L " : ":- ");
    return out;
  }

  std::vector<std::string> Put(const s3::ObjectVersion& v) {
    auto lock = db.Lock();
    storage::Transaction tx(db);
    s3::Store st(db, "acct");
    std::vector<std::string> freed;
    st.PutVersion(v, &freed);
    tx.Commit();
    return freed;
  }

  std::string Column(const char* col, const std::string& key) {
    auto lock = db.Lock();
    std::string sql = std::string("SELECT ") + col + " FROM s3_objects WHERE key=?1";
    storage::Statement s = db.Prepare(sql.c_str());
    s.Bind(1, key);
    REQUIRE(s.Step());
    return s.Text(0);
  }
};

}  // namespace

TEST_CASE("s3 store: a null version is replaced in place and its file freed", "[s3]") {
  Fixture f;
  CHECK(f.Put(f.Version("k", "null", 1, "file1")).empty());
  std::string rowid = f.Column("rowid", "k");
  CHECK(f.Put(f.Version("k", "null", 2)) == std::vector<std::string>{"file1"});
  CHECK(f.Column("rowid", "k") == rowid);  // same row, index entries untouched
  CHECK(f.Rows("k") == "null:L ");
  auto lock = f.db.Lock();
  s3::Store st(f.db, "acct");
  auto v = st.GetLatest("b", "k");
  REQUIRE(v);
  CHECK(v->body == "body-2");
  CHECK(v->file.empty());
  CHECK(v->seq == 2);
  CHECK(v->etag == "e2");
}

TEST_CASE("s3 store: a noncurrent null version written again becomes the only latest", "[s3]") {
  Fixture f;
  // Suspended after Enabled: a null version, then a real one on top of it.
  f.Put(f.Version("k", "null", 1));
  f.Put(f.Version("k", "v2", 2));
  CHECK(f.Rows("k") == "v2:L null:- ");
  f.Put(f.Version("k", "null", 3));
  CHECK(f.Rows("k") == "null:L v2:- ");
  f.Put(f.Version("k", "v4", 4));
  f.Put(f.Version("k", "null", 5));
  CHECK(f.Rows("k") == "null:L v4:- v2:- ");
}

TEST_CASE("s3 store: attributes and tags round-trip, quotes, control bytes and UTF-8 included",
          "[s3]") {
  Fixture f;
  for (std::string odd : {std::string("plain"), std::string("q\"uo\\te/\b\f\n\r\t\x01\x1f\x7f"),
                          std::string("caf\xc3\xa9 \xe2\x9c\x93")}) {
    s3::ObjectVersion v = f.Version("k-" + std::to_string(odd.size()), "null", 1);
    v.attrs.content_type = "text/" + odd;
    v.attrs.cache_control = odd;
    v.attrs.sse = "AES256";
    v.attrs.user_meta = {{"a", odd}, {"b" + odd, ""}};
    v.tags = {{"t", odd}, {odd, "x"}};
    f.Put(v);

    auto lock = f.db.Lock();
    s3::Store st(f.db, "acct");
    auto got = st.GetLatest("b", v.key);
    REQUIRE(got);
    CHECK(got->attrs.content_type == v.attrs.content_type);
    CHECK(got->attrs.cache_control == odd);
    CHECK(got->attrs.user_meta == v.attrs.user_meta);
    CHECK(got->tags == v.tags);
  }
}

TEST_CASE("s3 store: sequence numbers grow across rollbacks; the table holds a reservation", "[s3]") {
  Fixture f;
  auto next = [&](const std::string& account, bool commit = true) {
    auto lock = f.db.Lock();
    storage::Transaction tx(f.db);
    int64_t n = s3::Store(f.db, account).NextSeq();
    if (commit) tx.Commit();
    return n;
  };
  CHECK(next("a") == 1);
  CHECK(next("a") == 2);
  CHECK(next("other") == 1);
  int64_t last = 2;
  for (int i = 0; i < 3000; ++i) {
    bool commit = i % 7 != 0;  // some reservations roll back
    int64_t n = next("a", commit);
    CHECK(n > last);
    last = n;
  }
  // What a restarted process sees: the committed reservation, beyond every number handed out.
  int64_t reserved;
  {
    auto lock = f.db.Lock();
    storage::Statement s = f.db.Prepare("SELECT seq FROM s3_counters WHERE account='a'");
    REQUIRE(s.Step());
    reserved = s.Int(0);
  }
  CHECK(reserved >= last);
  CHECK(reserved < last + 2048);

  f.db.ClearAll();  // reset: numbering starts again with the table
  CHECK(next("a") == 1);
}

#include "emulator/dynamodb/ddb_store.h"

namespace edastack::dynamodb {

std::vector<storage::Migration> Migrations() {
  return {
      {1,
       "CREATE TABLE ddb_tables(id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL,"
       " region TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL,"
       " UNIQUE(account, region, name));"
       "CREATE TABLE ddb_items(tid INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,"
       " item TEXT NOT NULL, size INTEGER NOT NULL, expires INTEGER,"
       " PRIMARY KEY(tid, pk, sk)) WITHOUT ROWID;"
       "CREATE INDEX ddb_items_expires ON ddb_items(expires) WHERE expires IS NOT NULL;"
       "CREATE TABLE ddb_index(tid INTEGER NOT NULL, iname TEXT NOT NULL, ipk BLOB NOT NULL,"
       " isk BLOB NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,"
       " PRIMARY KEY(tid, iname, ipk, isk, pk, sk)) WITHOUT ROWID;"
       "CREATE INDEX ddb_index_base ON ddb_index(tid, pk, sk);"
       "CREATE TABLE ddb_stream(seq INTEGER PRIMARY KEY AUTOINCREMENT, arn TEXT NOT NULL,"
       " created_ms INTEGER NOT NULL, record TEXT NOT NULL);"
       "CREATE INDEX ddb_stream_arn ON ddb_stream(arn, seq);"
       "CREATE TABLE ddb_tx_tokens(account TEXT NOT NULL, token TEXT NOT NULL,"
       " hash TEXT NOT NULL, created_ms INTEGER NOT NULL, PRIMARY KEY(account, token));"},
      // The 24-hour stream trim (every sweep) reads by age, not by scanning the stream.
      {2, "CREATE INDEX ddb_stream_created ON ddb_stream(created_ms);"},
      // Running size of each item collection of a table with a local index; a missing row
      // means "not counted yet" (or empty) and is rebuilt from the items on first use.
      {3,
       "CREATE TABLE ddb_collections(tid INTEGER NOT NULL, pk BLOB NOT NULL,"
       " size INTEGER NOT NULL, PRIMARY KEY(tid, pk)) WITHOUT ROWID;"},
  };
}

int64_t DdbStore::InsertTable(const std::string& account, const std::string& region,
                              const std::string& name, const std::string& spec) {
  ++spec_writes_;
  db_.Prepare("INSERT INTO ddb_tables(account, region, name, spec) VALUES(?1, ?2, ?3, ?4)")
      .Bind(1, account)
      .Bind(2, region)
      .Bind(3, name)
      .Bind(4, spec)
      .Exec();
  return db_.LastInsertRowId();
}

std::optional<std::pair<int64_t, std::string>> DdbStore::LoadTable(const std::string& account,
                                                                   const std::string& region,
                                                                   const std::string& name) {
  auto s = db_.Prepare(
      "SELECT id, spec FROM ddb_tables WHERE account = ?1 AND region = ?2 AND name = ?3");
  s.Bind(1, account).Bind(2, region).Bind(3, name);
  if (!s.Step()) return std::nullopt;
  return std::make_pair(s.Int(0), s.Text(1));
}

void DdbStore::UpdateTableSpec(int64_t id, const std::string& spec) {
  ++spec_writes_;
  db_.Prepare("UPDATE ddb_tables SET spec = ?2 WHERE id = ?1").Bind(1, id).Bind(2, spec).Exec();
}

std::optional<std::string> DdbStore::LoadTableSpec(int64_t id) {
  auto s = db_.Prepare("SELECT spec FROM ddb_tables WHERE id = ?1");
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

void DdbStore::DeleteTable(int64_t id) {
  ++spec_writes_;
  db_.Prepare("DELETE FROM ddb_index WHERE tid = ?1").Bind(1, id).Exec();
  db_.Prepare("DELETE FROM ddb_items WHERE tid = ?1").Bind(1, id).Exec();
  db_.Prepare("DELETE FROM ddb_collections WHERE tid = ?1").Bind(1, id).Exec();
  db_.Prepare("DELETE FROM ddb_tables WHERE id = ?1").Bind(1, id).Exec();
}

std::vector<std::string> DdbStore::ListTables(const std::string& account, const std::string& region,
                                              const std::string& after, int limit) {
  auto s = db_.Prepare(
      "SELECT name FROM ddb_tables WHERE account = ?1 AND region = ?2 AND name > ?3 "
      "ORDER BY name LIMIT ?4");
  s.Bind(1, account).Bind(2, region).Bind(3, after).Bind(4, limit);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

std::pair<int64_t, int64_t> DdbStore::TableStats(int64_t id) {
  auto s = db_.Prepare("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM ddb_items WHERE tid = ?1");
  s.Bind(1, id);
  s.Step();
  return {s.Int(0), s.Int(1)};
}

std::pair<int64_t, int64_t> DdbStore::IndexStats(int64_t id, const std::string& index) {
  auto s = db_.Prepare(
      "SELECT COUNT(*), COALESCE(SUM(i.size), 0) FROM ddb_index x JOIN ddb_items i "
      "ON i.tid = x.tid AND i.pk = x.pk AND i.sk = x.sk WHERE x.tid = ?1 AND x.iname = ?2");
  s.Bind(1, id).Bind(2, index);
  s.Step();
  return {s.Int(0), s.Int(1)};
}

std::optional<StoredItem> DdbStore::GetItem(int64_t tid, const std::string& pk,
                                            const std::string& sk) {
  auto s = db_.Prepare(
      "SELECT item, size, expires FROM ddb_items WHERE tid = ?1 AND pk = ?2 AND sk = ?3");
  s.Bind(1, tid).BindBlob(2, pk).BindBlob(3, sk);
  if (!s.Step()) return std::nullopt;
  StoredItem it{pk, sk, s.Text(0), s.Int(1), std::nullopt};
  if (!s.IsNull(2)) it.expires = s.Int(2);
  return it;
}

void DdbStore::PutItem(int64_t tid, const StoredItem& item) {
  db_.Prepare(
         "INSERT INTO ddb_items(tid, pk, sk, item, size, expires) VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
         "ON CONFLICT(tid, pk, sk) DO UPDATE SET item = excluded.item, size = excluded.size, "
         "expires = excluded.expires")
      .Bind(1, tid)
      .BindBlob(2, item.pk)
      .BindBlob(3, item.sk)
      .Bind(4, item.item)
      .Bind(5, item.size)
      .Bind(6, item.expires)
      .Exec();
}

void DdbStore::DeleteItem(int64_t tid, const std::string& pk, const std::string& sk) {
  db_.Prepare("DELETE FROM ddb_items WHERE tid = ?1 AND pk = ?2 AND sk = ?3")
      .Bind(1, tid)
      .BindBlob(2, pk)
      .BindBlob(3, sk)
      .Exec();
}

void DdbStore::PutIndexEntry(int64_t tid, const std::string& index, const std::string& ipk,
                             const std::string& isk, const std::string& pk, const std::string& sk) {
  db_.Prepare(
         "INSERT OR REPLACE INTO ddb_index(tid, iname, ipk, isk, pk, sk) VALUES(?1, ?2, ?3, ?4, "
         "?5, ?6)")
      .Bind(1, tid)
      .Bind(2, index)
      .BindBlob(3, ipk)
      .BindBlob(4, isk)
      .BindBlob(5, pk)
      .BindBlob(6, sk)
      .Exec();
}

void DdbStore::DeleteIndexEntries(int64_t tid, const std::string& pk, const std::string& sk) {
  db_.Prepare("DELETE FROM ddb_index WHERE tid = ?1 AND pk = ?2 AND sk = ?3")
      .Bind(1, tid)
      .BindBlob(2, pk)
      .BindBlob(3, sk)
      .Exec();
}

void DdbStore::DropIndex(int64_t tid, const std::string& index) {
  db_.Prepare("DELETE FROM ddb_index WHERE tid = ?1 AND iname = ?2")
      .Bind(1, tid)
      .Bind(2, index)
      .Exec();
}

std::optional<int64_t> DdbStore::CollectionSize(int64_t tid, const std::string& pk) {
  auto s = db_.Prepare("SELECT size FROM ddb_collections WHERE tid = ?1 AND pk = ?2");
  s.Bind(1, tid).BindBlob(2, pk);
  if (!s.Step()) return std::nullopt;
  return s.Int(0);
}

void DdbStore::SetCollectionSize(int64_t tid, const std::string& pk, int64_t size) {
  if (size <= 0) {
    db_.Prepare("DELETE FROM ddb_collections WHERE tid = ?1 AND pk = ?2")
        .Bind(1, tid)
        .BindBlob(2, pk)
        .Exec();
    return;
  }
  db_.Prepare(
         "INSERT INTO ddb_collections(tid, pk, size) VALUES(?1, ?2, ?3) "
         "ON CONFLICT(tid, pk) DO UPDATE SET size = excluded.size")
      .Bind(1, tid)
      .BindBlob(2, pk)
      .Bind(3, size)
      .Exec();
}

void DdbStore::UpdateExpires(int64_t tid, const std::string& pk, const std::string& sk,
                             std::optional<int64_t> expires) {
  db_.Prepare("UPDATE ddb_items SET expires = ?4 WHERE tid = ?1 AND pk = ?2 AND sk = ?3")
      .Bind(1, tid)
      .BindBlob(2, pk)
      .BindBlob(3, sk)
      .Bind(4, expires)
      .Exec();
}

std::string DdbStore::ReadSql(const RangeRead& r) {
  const bool index = !r.index.empty();
  const std::string dir = r.forward ? " ASC" : " DESC";
  const std::string gt = r.forward ? " > " : " < ";
  std::string sql;
  std::string skc;
  if (index) {
    sql =
        "SELECT x.pk, x.sk, i.item, i.size, i.expires FROM ddb_index x JOIN ddb_items i "
        "ON i.tid = x.tid AND i.pk = x.pk AND i.sk = x.sk WHERE x.tid = ?1 AND x.iname = ?2";
    skc = "x.isk";
    if (r.hash) sql += " AND x.ipk = ?3";
  } else {
    sql = "SELECT pk, sk, item, size, expires FROM ddb_items WHERE tid = ?1";
    skc = "sk";
    if (r.hash) sql += " AND pk = ?3";
  }
  if (r.hash) {
    if (r.lo) sql += " AND " + skc + (r.lo_inclusive ? " >= ?4" : " > ?4");
    if (r.hi) sql += " AND " + skc + (r.hi_inclusive ? " <= ?5" : " < ?5");
  }
  if (r.start) {
    if (index && r.hash)
      sql += " AND (x.isk, x.pk, x.sk)" + gt + "(?6, ?7, ?8)";
    else if (index)
      sql += " AND (x.ipk, x.isk, x.pk, x.sk)" + gt + "(?6, ?7, ?8, ?9)";
    else if (r.hash)
      sql += " AND sk" + gt + "?6";
    else
      sql += " AND (pk, sk)" + gt + "(?6, ?7)";
  }
  if (index && r.hash)
    sql += " ORDER BY x.isk" + dir + ", x.pk" + dir + ", x.sk" + dir;
  else if (index)
    sql += " ORDER BY x.ipk" + dir + ", x.isk" + dir + ", x.pk" + dir + ", x.sk" + dir;
  else if (r.hash)
    sql += " ORDER BY sk" + dir;
  else
    sql += " ORDER BY pk" + dir + ", sk" + dir;

  return sql;
}

void DdbStore::Read(const RangeRead& r, const std::function<bool(const StoredItem&)>& visit) {
  const bool index = !r.index.empty();
  std::string sql = ReadSql(r);
  auto s = db_.Prepare(sql.c_str());
  s.Bind(1, r.tid);
  if (index) s.Bind(2, r.index);
  if (r.hash) s.BindBlob(3, *r.hash);
  if (r.hash && r.lo) s.BindBlob(4, *r.lo);
  if (r.hash && r.hi) s.BindBlob(5, *r.hi);
  if (r.start)
    for (size_t i = 0; i < r.start->size(); ++i) s.BindBlob(6 + static_cast<int>(i), (*r.start)[i]);
  while (s.Step()) {
    StoredItem it{s.Text(0), s.Text(1), s.Text(2), s.Int(3), std::nullopt};
    if (!s.IsNull(4)) it.expires = s.Int(4);
    if (!visit(it)) break;
  }
}

std::vector<std::pair<int64_t, StoredItem>> DdbStore::Expired(int64_t now_s, int limit) {
  auto s = db_.Prepare(
      "SELECT tid, pk, sk, item, size, expires FROM ddb_items WHERE expires IS NOT NULL AND "
      "expires <= ?1 ORDER BY expires LIMIT ?2");
  s.Bind(1, now_s).Bind(2, limit);
  std::vector<std::pair<int64_t, StoredItem>> out;
  while (s.Step())
    out.push_back({s.Int(0), StoredItem{s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)}});
  return out;
}

int64_t DdbStore::AppendStream(const std::string& arn, int64_t created_ms,
                               const std::string& record) {
  db_.Prepare("INSERT INTO ddb_stream(arn, created_ms, record) VALUES(?1, ?2, ?3)")
      .Bind(1, arn)
      .Bind(2, created_ms)
      .Bind(3, record)
      .Exec();
  return db_.LastInsertRowId();
}

std::vector<StreamRow> DdbStore::ReadStream(const std::string& arn, int64_t after_seq, int limit) {
  auto s = db_.Prepare(
      "SELECT seq, created_ms, record FROM ddb_stream WHERE arn = ?1 AND seq > ?2 ORDER BY seq "
      "LIMIT ?3");
  s.Bind(1, arn).Bind(2, after_seq).Bind(3, limit);
  std::vector<StreamRow> out;
  while (s.Step()) out.push_back({s.Int(0), s.Int(1), s.Text(2)});
  return out;
}

int64_t DdbStore::LastStreamSeq(const std::string& arn) {
  auto s = db_.Prepare("SELECT COALESCE(MAX(seq), 0) FROM ddb_stream WHERE arn = ?1");
  s.Bind(1, arn);
  s.Step();
  return s.Int(0);
}

int64_t DdbStore::FirstStreamSeq(const std::string& arn) {
  auto s = db_.Prepare("SELECT COALESCE(MIN(seq), 0) FROM ddb_stream WHERE arn = ?1");
  s.Bind(1, arn);
  s.Step();
  return s.Int(0);
}

void DdbStore::TrimStreams(int64_t before_ms) {
  db_.Prepare("DELETE FROM ddb_stream WHERE created_ms < ?1").Bind(1, before_ms).Exec();
}

std::optional<std::string> DdbStore::FindToken(const std::string& account, const std::string& token,
                                               int64_t since_ms) {
  auto s = db_.Prepare(
      "SELECT hash FROM ddb_tx_tokens WHERE account = ?1 AND token = ?2 AND created_ms >= ?3");
  s.Bind(1, account).Bind(2, token).Bind(3, since_ms);
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

void DdbStore::SaveToken(const std::string& account, const std::string& token,
                         const std::string& hash, int64_t now_ms) {
  db_.Prepare(
         "INSERT INTO ddb_tx_tokens(account, token, hash, created_ms) VALUES(?1, ?2, ?3, ?4) "
         "ON CONFLICT(account, token) DO UPDATE SET hash = excluded.hash, created_ms = "
         "excluded.created_ms")
      .Bind(1, account)
      .Bind(2, token)
      .Bind(3, hash)
      .Bind(4, now_ms)
      .Exec();
}

}  // namespace edastack::dynamodb

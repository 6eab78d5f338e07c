#include "emulator/s3/s3_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace edastack::s3 {
namespace {

using storage::Statement;

const char* kObjectColumns =
    "bucket, key, version_id, is_latest, delete_marker, size, etag, modified_ms, file, attrs, "
    "checksum_algo, checksum, tags, parts, seq, part_sizes, part_checksums, restore_ready_ms, "
    "restore_expiry_ms";

nlohmann::json PairsJson(const Pairs& p) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& kv : p) a.push_back({kv.first, kv.second});
  return a;
}

Pairs PairsFrom(const nlohmann::json& j) {
  Pairs out;
  if (!j.is_array()) return out;
  for (const auto& e : j)
    if (e.is_array() && e.size() == 2) out.emplace_back(e[0].get<std::string>(), e[1].get<std::string>());
  return out;
}

std::string TagsJson(const Pairs& p) { return PairsJson(p).dump(); }

std::string AttrsJson(const ObjectAttrs& a) {
  nlohmann::json j = {{"ct", a.content_type},   {"ce", a.content_encoding},
                      {"cd", a.content_disposition}, {"cc", a.cache_control},
                      {"cl", a.content_language}, {"ex", a.expires},
                      {"sc", a.storage_class},  {"sse", a.sse},
                      {"kms", a.sse_kms_key_id}, {"wr", a.website_redirect},
                      {"meta", PairsJson(a.user_meta)}};
  return j.dump();
}

ObjectAttrs AttrsFrom(const std::string& text) {
  ObjectAttrs a;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return a;
  auto s = [&](const char* k) { return j.value(k, std::string()); };
  a.content_type = s("ct");
  a.content_encoding = s("ce");
  a.content_disposition = s("cd");
  a.cache_control = s("cc");
  a.content_language = s("cl");
  a.expires = s("ex");
  a.storage_class = s("sc");
  a.sse = s("sse");
  a.sse_kms_key_id = s("kms");
  a.website_redirect = s("wr");
  if (j.contains("meta")) a.user_meta = PairsFrom(j["meta"]);
  return a;
}

// kObjectColumns, then the inline body (single-object lookups only).
const std::string& ColumnsWithBody() {
  static const std::string cols = std::string(kObjectColumns) + ", body";
  return cols;
}

ObjectVersion ReadObject(const Statement& s, bool with_body = false) {
  ObjectVersion v;
  v.bucket = s.Text(0);
  v.key = s.Text(1);
  v.version_id = s.Text(2);
  v.is_latest = s.Int(3) != 0;
  v.delete_marker = s.Int(4) != 0;
  v.size = static_cast<uint64_t>(s.Int(5));
  v.etag = s.Text(6);
  v.modified_ms = s.Int(7);
  v.file = s.Text(8);
  v.attrs = AttrsFrom(s.Text(9));
  v.checksum_algo = s.Text(10);
  v.checksum = s.Text(11);
  v.tags = PairsFrom(nlohmann::json::parse(s.Text(12), nullptr, false));
  v.parts = static_cast<int>(s.Int(13));
  v.seq = s.Int(14);
  auto sizes = nlohmann::json::parse(s.Text(15), nullptr, false);
  if (sizes.is_array())
    for (const auto& n : sizes)
      if (n.is_number_unsigned()) v.part_sizes.push_back(n.get<uint64_t>());
  auto sums = nlohmann::json::parse(s.Text(16), nullptr, false);
  if (sums.is_array())
    for (const auto& c : sums)
      if (c.is_string()) v.part_checksums.push_back(c.get<std::string>());
  v.restore_ready_ms = s.Int(17);
  v.restore_expiry_ms = s.Int(18);
  if (with_body) v.body = s.Text(19);
  return v;
}

}  // namespace

const std::vector<storage::Migration>& Migrations() {
  static const std::vector<storage::Migration> kMigrations = {
      {1,
       "CREATE TABLE s3_buckets(account TEXT NOT NULL, name TEXT NOT NULL, region TEXT NOT NULL,"
       " created_ms INTEGER NOT NULL, versioning TEXT NOT NULL DEFAULT '',"
       " PRIMARY KEY(account, name));"
       "CREATE TABLE s3_bucket_configs(account TEXT NOT NULL, bucket TEXT NOT NULL,"
       " kind TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY(account, bucket, kind));"
       "CREATE TABLE s3_objects(account TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL,"
       " version_id TEXT NOT NULL, is_latest INTEGER NOT NULL, delete_marker INTEGER NOT NULL,"
       " size INTEGER NOT NULL, etag TEXT NOT NULL, modified_ms INTEGER NOT NULL,"
       " file TEXT NOT NULL, attrs TEXT NOT NULL, checksum_algo TEXT NOT NULL,"
       " checksum TEXT NOT NULL, tags TEXT NOT NULL, parts INTEGER NOT NULL,"
       " seq INTEGER NOT NULL, PRIMARY KEY(account, bucket, key, version_id));"
       "CREATE INDEX s3_objects_latest ON s3_objects(account, bucket, is_latest, key);"
       "CREATE TABLE s3_uploads(upload_id TEXT PRIMARY KEY, account TEXT NOT NULL,"
       " bucket TEXT NOT NULL, key TEXT NOT NULL, initiated_ms INTEGER NOT NULL,"
       " attrs TEXT NOT NULL, checksum_algo TEXT NOT NULL, tags TEXT NOT NULL);"
       "CREATE INDEX s3_uploads_bucket ON s3_uploads(account, bucket, key);"
       "CREATE TABLE s3_parts(upload_id TEXT NOT NULL, number INTEGER NOT NULL,"
       " size INTEGER NOT NULL, etag TEXT NOT NULL, checksum TEXT NOT NULL, file TEXT NOT NULL,"
       " modified_ms INTEGER NOT NULL, PRIMARY KEY(upload_id, number));"
       "CREATE TABLE s3_counters(account TEXT PRIMARY KEY, seq INTEGER NOT NULL);"},
      // The size of each part of a multipart object, in order (GetObject partNumber).
      // Small bodies in the row (body_files.h: no file create/rename/unlink per small PUT).
      {2, "ALTER TABLE s3_objects ADD COLUMN part_sizes TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE s3_objects ADD COLUMN body BLOB;"},
      // Each part's own checksum (GetObject partNumber with checksum mode); RestoreObject's
      // state: when the restored copy is available and until when, and whether its
      // ObjectRestore:Completed notification is still owed (the partial index keeps the
      // periodic completion check off the rest of the table).
      {3, "ALTER TABLE s3_objects ADD COLUMN part_checksums TEXT NOT NULL DEFAULT '';"
          "ALTER TABLE s3_objects ADD COLUMN restore_ready_ms INTEGER NOT NULL DEFAULT 0;"
          "ALTER TABLE s3_objects ADD COLUMN restore_expiry_ms INTEGER NOT NULL DEFAULT 0;"
          "ALTER TABLE s3_objects ADD COLUMN restore_owed INTEGER NOT NULL DEFAULT 0;"
          "CREATE INDEX s3_objects_restore_owed ON s3_objects(restore_ready_ms) "
          "WHERE restore_owed=1;"},
  };
  return kMigrations;
}

std::optional<Bucket> Store::GetBucket(const std::string& name) {
  Statement s = db_.Prepare(
      "SELECT name, region, created_ms, versioning FROM s3_buckets WHERE account=?1 AND name=?2");
  s.Bind(1, account_).Bind(2, name);
  if (!s.Step()) return std::nullopt;
  return Bucket{s.Text(0), s.Text(1), s.Int(2), s.Text(3)};
}

void Store::InsertBucket(const Bucket& b) {
  db_.Prepare(
         "INSERT INTO s3_buckets(account, name, region, created_ms, versioning) "
         "VALUES(?1, ?2, ?3, ?4, ?5)")
      .Bind(1, account_).Bind(2, b.name).Bind(3, b.region).Bind(4, b.created_ms)
      .Bind(5, b.versioning).Exec();
}

void Store::DeleteBucket(const std::string& name) {
  db_.Prepare("DELETE FROM s3_buckets WHERE account=?1 AND name=?2").Bind(1, account_).Bind(2, name).Exec();
  db_.Prepare("DELETE FROM s3_bucket_configs WHERE account=?1 AND bucket=?2")
      .Bind(1, account_).Bind(2, name).Exec();
}

std::vector<Bucket> Store::ListBuckets() {
  Statement s = db_.Prepare(
      "SELECT name, region, created_ms, versioning FROM s3_buckets WHERE account=?1 ORDER BY name");
  s.Bind(1, account_);
  std::vector<Bucket> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Int(2), s.Text(3)});
  return out;
}

void Store::SetVersioning(const std::string& bucket, const std::string& status) {
  db_.Prepare("UPDATE s3_buckets SET versioning=?3 WHERE account=?1 AND name=?2")
      .Bind(1, account_).Bind(2, bucket).Bind(3, status).Exec();
}

bool Store::BucketHasObjects(const std::string& bucket) {
  Statement s = db_.Prepare("SELECT 1 FROM s3_objects WHERE account=?1 AND bucket=?2 LIMIT 1");
  s.Bind(1, account_).Bind(2, bucket);
  return s.Step();
}

std::optional<std::string> Store::GetConfig(const std::string& bucket, const std::string& kind) {
  Statement s = db_.Prepare(
      "SELECT body FROM s3_bucket_configs WHERE account=?1 AND bucket=?2 AND kind=?3");
  s.Bind(1, account_).Bind(2, bucket).Bind(3, kind);
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

void Store::PutConfig(const std::string& bucket, const std::string& kind, const std::string& body) {
  db_.Prepare(
         "INSERT INTO s3_bucket_configs(account, bucket, kind, body) VALUES(?1, ?2, ?3, ?4) "
         "ON CONFLICT(account, bucket, kind) DO UPDATE SET body=excluded.body")
      .Bind(1, account_).Bind(2, bucket).Bind(3, kind).Bind(4, body).Exec();
}

void Store::DeleteConfig(const std::string& bucket, const std::string& kind) {
  db_.Prepare("DELETE FROM s3_bucket_configs WHERE account=?1 AND bucket=?2 AND kind=?3")
      .Bind(1, account_).Bind(2, bucket).Bind(3, kind).Exec();
}

std::optional<ObjectVersion> Store::GetLatest(const std::string& bucket, const std::string& key) {
  static const std::string sql = "SELECT " + ColumnsWithBody() +
                                 " FROM s3_objects WHERE account=?1 AND bucket=?2 AND key=?3 "
                                 "AND is_latest=1";
  Statement s = db_.Prepare(sql.c_str());
  s.Bind(1, account_).Bind(2, bucket).Bind(3, key);
  if (!s.Step()) return std::nullopt;
  return ReadObject(s, true);
}

std::optional<ObjectVersion> Store::GetVersion(const std::string& bucket, const std::string& key,
                                               const std::string& version_id) {
  static const std::string sql = "SELECT " + ColumnsWithBody() +
                                 " FROM s3_objects WHERE account=?1 AND bucket=?2 AND key=?3 "
                                 "AND version_id=?4";
  Statement s = db_.Prepare(sql.c_str());
  s.Bind(1, account_).Bind(2, bucket).Bind(3, key).Bind(4, version_id);
  if (!s.Step()) return std::nullopt;
  return ReadObject(s, true);
}

void Store::PutVersion(const ObjectVersion& v, std::vector<std::string>* freed) {
  // The version it replaces (same id: "null" in an unversioned or suspended bucket) is
  // overwritten in place: same rowid and, when it already is the latest, no indexed column
  // changes, so an overwrite dirties the row's table page only instead of deleting and
  // inserting across the table, both indexes and the freelist (~8 WAL frames per 1 KiB PUT
  // before, 2 after with the sequence counter).
  std::optional<int64_t> rowid;
  bool was_latest = false;
  {
    Statement s = db_.Prepare(
        "SELECT rowid, file, is_latest FROM s3_objects "
        "WHERE account=?1 AND bucket=?2 AND key=?3 AND version_id=?4");
    s.Bind(1, account_).Bind(2, v.bucket).Bind(3, v.key).Bind(4, v.version_id);
    if (s.Step()) {
      rowid = s.Int(0);
      std::string file = s.Text(1);
      if (!file.empty() && freed) freed->push_back(file);
      was_latest = s.Int(2) != 0;
    }
  }
  if (!was_latest)
    db_.Prepare("UPDATE s3_objects SET is_latest=0 WHERE account=?1 AND bucket=?2 AND key=?3 AND is_latest=1")
        .Bind(1, account_).Bind(2, v.bucket).Bind(3, v.key).Exec();
  // ?1..?4 are the key columns (or the rowid in ?1 for an update), ?5.. the data.
  static const std::string insert =
      std::string("INSERT INTO s3_objects(account, ") + kObjectColumns +
      ", body) VALUES(?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?18, "
      "0, 0, ?17)";
  static const char* kSetData =
      "delete_marker=?5, size=?6, etag=?7, modified_ms=?8, file=?9, attrs=?10, "
      "checksum_algo=?11, checksum=?12, tags=?13, parts=?14, seq=?15, part_sizes=?16, body=?17, "
      "part_checksums=?18, restore_ready_ms=0, restore_expiry_ms=0, restore_owed=0";
  static const std::string update = std::string("UPDATE s3_objects SET ") + kSetData +
                                    " WHERE rowid=?1";
  static const std::string update_latest = std::string("UPDATE s3_objects SET is_latest=1, ") +
                                           kSetData + " WHERE rowid=?1";
  Statement w = db_.Prepare(!rowid ? insert.c_str()
                                   : was_latest ? update.c_str() : update_latest.c_str());
  if (rowid) w.Bind(1, *rowid);
  else w.Bind(1, account_).Bind(2, v.bucket).Bind(3, v.key).Bind(4, v.version_id);
  w.Bind(5, v.delete_marker ? 1 : 0).Bind(6, static_cast<int64_t>(v.size)).Bind(7, v.etag)
      .Bind(8, v.modified_ms).Bind(9, v.file).Bind(10, AttrsJson(v.attrs))
      .Bind(11, v.checksum_algo).Bind(12, v.checksum).Bind(13, TagsJson(v.tags))
      .Bind(14, v.parts).Bind(15, v.seq)
      .Bind(16, v.part_sizes.empty() ? std::string() : nlohmann::json(v.part_sizes).dump());
  if (v.file.empty() && !v.delete_marker) w.BindBlob(17, v.body);
  else w.BindNull(17);
  w.Bind(18, v.part_checksums.empty() ? std::string() : nlohmann::json(v.part_checksums).dump());
  w.Exec();
}

void Store::DeleteVersion(const std::string& bucket, const std::string& key,
                          const std::string& version_id) {
  db_.Prepare("DELETE FROM s3_objects WHERE account=?1 AND bucket=?2 AND key=?3 AND version_id=?4")
      .Bind(1, account_).Bind(2, bucket).Bind(3, key).Bind(4, version_id).Exec();
  Statement s = db_.Prepare("SELECT 1 FROM s3_objects WHERE account=?1 AND bucket=?2 AND key=?3 AND is_latest=1");
  s.Bind(1, account_).Bind(2, bucket).Bind(3, key);
  if (s.Step()) return;
  db_.Prepare(
         "UPDATE s3_objects SET is_latest=1 WHERE rowid = (SELECT rowid FROM s3_objects WHERE "
         "account=?1 AND bucket=?2 AND key=?3 ORDER BY seq DESC LIMIT 1)")
      .Bind(1, account_).Bind(2, bucket).Bind(3, key).Exec();
}

void Store::SetTags(const std::string& bucket, const std::string& key,
                    const std::string& version_id, const Pairs& tags) {
  db_.Prepare("UPDATE s3_objects SET tags=?5 WHERE account=?1 AND bucket=?2 AND key=?3 AND version_id=?4")
      .Bind(1, account_).Bind(2, bucket).Bind(3, key).Bind(4, version_id)
      .Bind(5, TagsJson(tags)).Exec();
}

void Store::SetRestore(const std::string& bucket, const std::string& key,
                       const std::string& version_id, int64_t ready_ms, int64_t expiry_ms) {
  db_.Prepare(
         "UPDATE s3_objects SET restore_ready_ms=?5, restore_expiry_ms=?6, restore_owed=1 "
         "WHERE account=?1 AND bucket=?2 AND key=?3 AND version_id=?4")
      .Bind(1, account_).Bind(2, bucket).Bind(3, key).Bind(4, version_id).Bind(5, ready_ms)
      .Bind(6, expiry_ms).Exec();
}

void Store::ExtendRestore(const std::string& bucket, const std::string& key,
                          const std::string& version_id, int64_t expiry_ms) {
  db_.Prepare(
         "UPDATE s3_objects SET restore_expiry_ms=?5 "
         "WHERE account=?1 AND bucket=?2 AND key=?3 AND version_id=?4")
      .Bind(1, account_).Bind(2, bucket).Bind(3, key).Bind(4, version_id).Bind(5, expiry_ms)
      .Exec();
}

void Store::RestoreCompletionRecorded(const std::string& bucket, const std::string& key,
                                      const std::string& version_id) {
  db_.Prepare(
         "UPDATE s3_objects SET restore_owed=0 "
         "WHERE account=?1 AND bucket=?2 AND key=?3 AND version_id=?4")
      .Bind(1, account_).Bind(2, bucket).Bind(3, key).Bind(4, version_id).Exec();
}

std::vector<RestoreDue> Store::DueRestores(storage::Database& db, int64_t now_ms, size_t limit) {
  Statement s = db.Prepare(
      "SELECT account, bucket, key, version_id FROM s3_objects "
      "WHERE restore_owed=1 AND restore_ready_ms <= ?1 ORDER BY restore_ready_ms LIMIT ?2");
  s.Bind(1, now_ms).Bind(2, static_cast<int64_t>(limit));
  std::vector<RestoreDue> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3)});
  return out;
}

std::optional<int64_t> Store::NextRestoreReady(storage::Database& db) {
  Statement s = db.Prepare("SELECT min(restore_ready_ms) FROM s3_objects WHERE restore_owed=1");
  if (!s.Step() || s.IsNull(0)) return std::nullopt;
  return s.Int(0);
}

std::vector<ObjectVersion> Store::ListLatest(const std::string& bucket, const std::string& from,
                                             bool inclusive, size_t limit) {
  static const std::string incl = std::string("SELECT ") + kObjectColumns +
                                  " FROM s3_objects WHERE account=?1 AND bucket=?2 AND is_latest=1"
                                  " AND delete_marker=0 AND key >= ?3 ORDER BY key LIMIT ?4";
  static const std::string excl = std::string("SELECT ") + kObjectColumns +
                                  " FROM s3_objects WHERE account=?1 AND bucket=?2 AND is_latest=1"
                                  " AND delete_marker=0 AND key > ?3 ORDER BY key LIMIT ?4";
  Statement s = db_.Prepare(inclusive ? incl.c_str() : excl.c_str());
  s.Bind(1, account_).Bind(2, bucket).Bind(3, from).Bind(4, static_cast<int64_t>(limit));
  std::vector<ObjectVersion> out;
  while (s.Step()) out.push_back(ReadObject(s));
  return out;
}

std::vector<ObjectVersion> Store::ListVersions(const std::string& bucket, const std::string& from,
                                               size_t limit) {
  static const std::string sql = std::string("SELECT ") + kObjectColumns +
                                 " FROM s3_objects WHERE account=?1 AND bucket=?2 AND key >= ?3"
                                 " ORDER BY key, seq DESC LIMIT ?4";
  Statement s = db_.Prepare(sql.c_str());
  s.Bind(1, account_).Bind(2, bucket).Bind(3, from).Bind(4, static_cast<int64_t>(limit));
  std::vector<ObjectVersion> out;
  while (s.Step()) out.push_back(ReadObject(s));
  return out;
}

std::vector<ObjectVersion> Store::KeyVersions(const std::string& bucket, const std::string& key) {
  static const std::string sql = std::string("SELECT ") + kObjectColumns +
                                 " FROM s3_objects WHERE account=?1 AND bucket=?2 AND key=?3"
                                 " ORDER BY seq DESC";
  Statement s = db_.Prepare(sql.c_str());
  s.Bind(1, account_).Bind(2, bucket).Bind(3, key);
  std::vector<ObjectVersion> out;
  while (s.Step()) out.push_back(ReadObject(s));
  return out;
}

int64_t Store::NextSeq() {
  // Handed out from blocks of kSeqBlock reserved in s3_counters, whose seq is the highest
  // number that may have been handed out: one counter write per block instead of one WAL
  // page per PutObject. A restart (even after kill -9) continues after the reserved block,
  // so numbers only grow. A reservation counts once its transaction commits; after a
  // rollback the next call reserves again. (No RETURNING: SQLite materializes its rows in an
  // ephemeral b-tree, a b-tree and pager open and close per call.)
  constexpr int64_t kSeqBlock = 1024;
  storage::Database::SequenceBlock& b = db_.Sequence("s3_counters:" + account_);
  if (b.reserved < 0) {
    Statement s = db_.Prepare("SELECT seq FROM s3_counters WHERE account=?1");
    s.Bind(1, account_);
    b.reserved = s.Step() ? s.Int(0) : 0;
    b.last = b.reserved;
  }
  if (b.last >= b.reserved) {
    int64_t limit = b.last + kSeqBlock;
    db_.Prepare(
           "INSERT INTO s3_counters(account, seq) VALUES(?1, ?2) "
           "ON CONFLICT(account) DO UPDATE SET seq = excluded.seq")
        .Bind(1, account_).Bind(2, limit).Exec();
    db_.AfterCommit([&b, limit] { b.reserved = std::max(b.reserved, limit); });
  }
  return ++b.last;
}

void Store::InsertUpload(const Upload& u) {
  db_.Prepare(
         "INSERT INTO s3_uploads(upload_id, account, bucket, key, initiated_ms, attrs, "
         "checksum_algo, tags) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .Bind(1, u.upload_id).Bind(2, account_).Bind(3, u.bucket).Bind(4, u.key)
      .Bind(5, u.initiated_ms).Bind(6, AttrsJson(u.attrs)).Bind(7, u.checksum_algo)
      .Bind(8, TagsJson(u.tags)).Exec();
}

std::optional<Upload> Store::GetUpload(const std::string& upload_id) {
  Statement s = db_.Prepare(
      "SELECT upload_id, bucket, key, initiated_ms, attrs, checksum_algo, tags FROM s3_uploads "
      "WHERE upload_id=?1 AND account=?2");
  s.Bind(1, upload_id).Bind(2, account_);
  if (!s.Step()) return std::nullopt;
  Upload u;
  u.upload_id = s.Text(0);
  u.bucket = s.Text(1);
  u.key = s.Text(2);
  u.initiated_ms = s.Int(3);
  u.attrs = AttrsFrom(s.Text(4));
  u.checksum_algo = s.Text(5);
  u.tags = PairsFrom(nlohmann::json::parse(s.Text(6), nullptr, false));
  return u;
}

void Store::DeleteUpload(const std::string& upload_id) {
  db_.Prepare("DELETE FROM s3_parts WHERE upload_id=?1").Bind(1, upload_id).Exec();
  db_.Prepare("DELETE FROM s3_uploads WHERE upload_id=?1").Bind(1, upload_id).Exec();
}

std::vector<Upload> Store::ListUploads(const std::string& bucket) {
  Statement s = db_.Prepare(
      "SELECT upload_id FROM s3_uploads WHERE account=?1 AND bucket=?2 ORDER BY key, initiated_ms, upload_id");
  s.Bind(1, account_).Bind(2, bucket);
  std::vector<std::string> ids;
  while (s.Step()) ids.push_back(s.Text(0));
  std::vector<Upload> out;
  for (const auto& id : ids)
    if (auto u = GetUpload(id)) out.push_back(*u);
  return out;
}

std::optional<std::string> Store::PutPart(const std::string& upload_id, const Part& p) {
  std::optional<std::string> old;
  {
    Statement s = db_.Prepare("SELECT file FROM s3_parts WHERE upload_id=?1 AND number=?2");
    s.Bind(1, upload_id).Bind(2, p.number);
    if (s.Step()) old = s.Text(0);
  }
  db_.Prepare(
         "INSERT INTO s3_parts(upload_id, number, size, etag, checksum, file, modified_ms) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(upload_id, number) DO UPDATE SET "
         "size=excluded.size, etag=excluded.etag, checksum=excluded.checksum, "
         "file=excluded.file, modified_ms=excluded.modified_ms")
      .Bind(1, upload_id).Bind(2, p.number).Bind(3, static_cast<int64_t>(p.size)).Bind(4, p.etag)
      .Bind(5, p.checksum).Bind(6, p.file).Bind(7, p.modified_ms).Exec();
  return old;
}

std::vector<Part> Store::ListParts(const std::string& upload_id) {
  Statement s = db_.Prepare(
      "SELECT number, size, etag, checksum, file, modified_ms FROM s3_parts WHERE upload_id=?1 "
      "ORDER BY number");
  s.Bind(1, upload_id);
  std::vector<Part> out;
  while (s.Step())
    out.push_back({static_cast<int>(s.Int(0)), static_cast<uint64_t>(s.Int(1)), s.Text(2),
                   s.Text(3), s.Text(4), s.Int(5)});
  return out;
}

std::map<std::string, uint64_t> Store::AllFiles() {
  std::map<std::string, uint64_t> out;
  Statement a = db_.Prepare("SELECT file, size FROM s3_objects WHERE file <> ''");
  while (a.Step()) out[a.Text(0)] = static_cast<uint64_t>(a.Int(1));
  Statement b = db_.Prepare("SELECT file, size FROM s3_parts");
  while (b.Step()) out[b.Text(0)] = static_cast<uint64_t>(b.Int(1));
  return out;
}

void Store::DropRowsOfFile(const std::string& file) {
  struct Row {
    std::string account, bucket, key;
  };
  std::vector<Row> rows;
  {
    Statement s = db_.Prepare("SELECT account, bucket, key FROM s3_objects WHERE file=?1");
    s.Bind(1, file);
    while (s.Step()) rows.push_back({s.Text(0), s.Text(1), s.Text(2)});
  }
  db_.Prepare("DELETE FROM s3_objects WHERE file=?1").Bind(1, file).Exec();
  db_.Prepare("DELETE FROM s3_parts WHERE file=?1").Bind(1, file).Exec();
  for (const auto& r : rows) {
    Statement s = db_.Prepare(
        "SELECT 1 FROM s3_objects WHERE account=?1 AND bucket=?2 AND key=?3 AND is_latest=1");
    s.Bind(1, r.account).Bind(2, r.bucket).Bind(3, r.key);
    if (s.Step()) continue;
    db_.Prepare(
           "UPDATE s3_objects SET is_latest=1 WHERE rowid = (SELECT rowid FROM s3_objects WHERE "
           "account=?1 AND bucket=?2 AND key=?3 ORDER BY seq DESC LIMIT 1)")
        .Bind(1, r.account).Bind(2, r.bucket).Bind(3, r.key).Exec();
  }
}

}  // namespace edastack::s3

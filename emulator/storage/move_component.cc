#include "emulator/storage/move_component.h"

#include <utility>
#include <vector>

namespace edastack::storage {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

bool HasComponent(Database& db, const std::string& schema, const std::string& component) {
  Statement t = db.Prepare(
      schema == "main" ? "SELECT 1 FROM main.sqlite_master WHERE name = 'schema_migrations'"
                       : "SELECT 1 FROM moved.sqlite_master WHERE name = 'schema_migrations'");
  if (!t.Step()) return false;
  Statement s =
      db.Prepare(schema == "main" ? "SELECT 1 FROM main.schema_migrations WHERE component = ?1"
                                  : "SELECT 1 FROM moved.schema_migrations WHERE component = ?1");
  s.Bind(1, component);
  return s.Step();
}

// (type, name, sql) of the component's tables, then its indexes, in `main`.
std::vector<std::pair<std::string, std::string>> Objects(Database& db, const std::string& prefix,
                                                         const char* type) {
  std::vector<std::pair<std::string, std::string>> out;
  Statement s = db.Prepare(
      "SELECT name, sql FROM main.sqlite_master WHERE type = ?1 AND sql IS NOT NULL "
      "AND substr(name, 1, length(?2)) = ?2 ORDER BY rowid");
  s.Bind(1, type).Bind(2, prefix);
  while (s.Step()) out.emplace_back(s.Text(0), s.Text(1));
  return out;
}

// "CREATE TABLE name(..." -> "CREATE TABLE moved.name(...;" (and so for an index).
std::string InMoved(std::string create, const std::string& name) {
  size_t at = create.find(name);
  if (at == std::string::npos) throw Error("cannot move " + name);
  create.insert(at, "moved.");
  return create + ";";
}

}  // namespace

int MoveComponent(Database& from, const std::string& to_path, const std::string& component,
                  const std::string& prefix) {
  auto lock = from.Lock();
  if (!HasComponent(from, "main", component)) return 0;
  from.ExecScript("ATTACH DATABASE " + Quote(to_path) + " AS moved;");
  struct Detach {
    Database& db;
    ~Detach() {
      try {
        db.ExecScript("DETACH DATABASE moved;");
      } catch (...) {
      }
    }
  } detach{from};
  auto tables = Objects(from, prefix, "table");
  auto indexes = Objects(from, prefix, "index");
  int moved = 0;
  if (!HasComponent(from, "moved", component)) {
    // Step 1: the copy, one transaction in the new file.
    from.ExecScript("PRAGMA moved.journal_mode=WAL; BEGIN IMMEDIATE;");
    try {
      from.ExecScript(
          "CREATE TABLE IF NOT EXISTS moved.schema_migrations(component TEXT PRIMARY KEY, "
          "version INTEGER NOT NULL);");
      for (const auto& [name, sql] : tables) {
        from.ExecScript(InMoved(sql, name));
        from.ExecScript("INSERT INTO moved.\"" + name + "\" SELECT * FROM main.\"" + name + "\";");
        ++moved;
      }
      for (const auto& [name, sql] : indexes) from.ExecScript(InMoved(sql, name));
      // AUTOINCREMENT counters, so that ids of rows deleted before the move stay unused.
      // A counter row exists only for a table created with AUTOINCREMENT, and creating it in
      // the new file created that file's sqlite_sequence.
      std::string like =
          "substr(name, 1, " + std::to_string(prefix.size()) + ") = " + Quote(prefix);
      bool sequences = false;
      {
        Statement s =
            from.Prepare("SELECT 1 FROM main.sqlite_master WHERE name = 'sqlite_sequence'");
        sequences = s.Step();
      }
      if (sequences) {
        Statement s = from.Prepare(
            "SELECT 1 FROM main.sqlite_sequence WHERE substr(name, 1, length(?1)) = ?1");
        s.Bind(1, prefix);
        sequences = s.Step();
      }
      if (sequences) {
        from.ExecScript("DELETE FROM moved.sqlite_sequence WHERE " + like +
                        "; INSERT INTO moved.sqlite_sequence SELECT * FROM main.sqlite_sequence "
                        "WHERE " +
                        like + ";");
      }
      from.ExecScript(
          "INSERT INTO moved.schema_migrations SELECT * FROM main.schema_migrations WHERE "
          "component = " +
          Quote(component) + "; COMMIT;");
    } catch (...) {
      try {
        from.ExecScript("ROLLBACK;");
      } catch (...) {
      }
      throw;
    }
  }
  // Step 2: the old copy goes (also after a crash that came between the two steps).
  Transaction tx(from);
  for (const auto& t : tables) from.ExecScript("DROP TABLE main.\"" + t.first + "\";");
  from.ExecScript("DELETE FROM main.schema_migrations WHERE component = " + Quote(component) + ";");
  tx.Commit();
  return moved;
}

}  // namespace edastack::storage

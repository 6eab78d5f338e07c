// The upgrade from one database file to a file per service: until this version every
// service kept its tables in <data>/edastack.db; SQS and DynamoDB now keep theirs in files of
// their own (so that their calls do not queue behind one lock). MoveComponent carries a
// component's tables, indexes, rows and migration record from the old file to its new one.
#pragma once

#include <string>

#include "emulator/storage/database.h"

namespace edastack::storage {

// Requires that `from` be open and not in use by any other thread, and that the database at
// `to_path` be not yet open. Moves every table and index whose name starts with `prefix`,
// with the schema_migrations row of `component`, from `from` to the file `to_path` when
// `from` has that component and `to_path` has not. Crash-safe in two steps: the copy commits
// in `to_path` first; the old tables are dropped from `from` afterwards, and a later call
// finishes that drop if a crash came between. Returns how many tables were moved. Throws
// storage::Error on SQLite failures (the emulator then does not start).
int MoveComponent(Database& from, const std::string& to_path, const std::string& component,
                  const std::string& prefix);

}  // namespace edastack::storage

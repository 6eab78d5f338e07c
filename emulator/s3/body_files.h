// Object bodies as files under `<root>/obj/<xx>/<id>`, written through `<root>/tmp/` (write,
// [fsync], rename) so a metadata row never points at a partial file. Thread-safe: every method
// works on distinct paths. Owns `root` when it made it itself (ephemeral: removed on
// destruction).
//
// Durability matches the database's (WAL, synchronous=NORMAL; see storage/database.h):
// - kProcessCrash (the default): write + rename, no fsync. A body is complete in the page
//   cache before its row commits, so an acknowledged PUT survives kill -9. After a power loss
//   the newest writes may be lost, as SQLite's newest commits may be; a row whose body did not
//   reach the disk is detected at start-up (size mismatch, CleanOrphans) and dropped, so a
//   row never points at a partial body.
// - kPowerLoss: fsync the file before the rename and the directory after it (every
//   acknowledged PUT survives power loss; costs one or two device flushes per body).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "protocol/core/result.h"

namespace edastack::s3 {

// A body being written. The file is created only when the body outgrows the write buffer
// (small bodies may never touch the disk: BodyFiles::CommitOrInline). Removed on destruction
// unless committed. Not thread-safe.
class PendingFile {
 public:
  PendingFile(std::string tmp_path, std::string id) : tmp_path_(std::move(tmp_path)), id_(std::move(id)) {}
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  bool Write(const char* data, size_t n);
  uint64_t size() const { return size_; }

 private:
  friend class BodyFiles;
  bool Open();
  bool Flush();
  std::string tmp_path_;  // inside the final fan-out directory: the rename stays in it
  std::string id_;
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string buf_;
};

// Bodies up to this size are kept in the metadata row instead of a file (as MinIO inlines
// small objects into xl.meta): a small PUT is then one SQLite transaction, no file create,
// rename or unlink.
constexpr size_t kInlineBodyMax = 32 * 1024;

// A committed body: a file id, or (file empty) the bytes to store inline.
struct StoredBody {
  std::string file;
  std::string inline_data;
};

// An object body open for reading: a file (closed on destruction) or inline bytes.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  explicit OpenFile(std::string data) : fd_(-1), data_(std::move(data)) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  // Streams [offset, offset+length) into `write`; false when reading or writing failed.
  bool Stream(uint64_t offset, uint64_t length,
              const std::function<bool(const char*, size_t)>& write) const;

 private:
  int fd_;
  std::string data_;
};

enum class Durability { kProcessCrash, kPowerLoss };

class BodyFiles {
 public:
  // Empty root: a fresh temp directory, removed on destruction.
  explicit BodyFiles(const std::string& root, Durability durability = Durability::kProcessCrash);
  ~BodyFiles();
  // Removes the directory now if this object created it (--ephemeral); used at shutdown,
  // when the process may exit without running destructors.
  void RemoveIfOwned();
  BodyFiles(const BodyFiles&) = delete;
  BodyFiles& operator=(const BodyFiles&) = delete;

  Result<std::unique_ptr<PendingFile>> Create();
  // Flushes, [fsyncs,] closes and renames into place; returns the new file id.
  Result<std::string> Commit(PendingFile& f);
  // Like Commit, but a body of at most kInlineBodyMax bytes that never reached the disk is
  // returned as inline bytes instead.
  Result<StoredBody> CommitOrInline(PendingFile& f);
  // Copies [offset, offset+length) of an open file into a new committed file.
  // `observe` (optional) sees every copied byte (digests).
  Result<std::string> CopyRange(const OpenFile& src, uint64_t offset, uint64_t length,
                                const std::function<void(const char*, size_t)>& observe = {});
  // Concatenates (open file, size) pairs into a new committed file.
  Result<std::string> Concat(
      const std::vector<std::pair<std::shared_ptr<OpenFile>, uint64_t>>& parts);
  std::shared_ptr<OpenFile> Open(const std::string& id) const;
  void Remove(const std::string& id) const;
  // Deletes temp files and object files not in `referenced` (id → expected size). Returns
  // the referenced ids whose file is missing or has another size (bodies lost to a power
  // failure). Call before serving.
  std::vector<std::string> CleanOrphans(const std::map<std::string, uint64_t>& referenced) const;
  const std::string& root() const { return root_; }

 private:
  std::string Path(const std::string& id) const;
  std::string root_;
  Durability durability_;
  bool owned_ = false;
};

}  // namespace edastack::s3

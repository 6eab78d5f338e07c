// Object bodies as files under `<root>/obj/<id>`, written through `<root>/tmp/` (write, fsync,
// rename) so a metadata row never points at a partial file. Thread-safe: every method works
// on distinct paths. Owns `root` when it made it itself (ephemeral: removed on destruction).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "protocol/core/result.h"

namespace edastack::s3 {

// A file being written. Removed on destruction unless committed. Not thread-safe.
class PendingFile {
 public:
  PendingFile(std::string tmp_path, int fd) : tmp_path_(std::move(tmp_path)), fd_(fd) {}
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  bool Write(const char* data, size_t n);
  uint64_t size() const { return size_; }

 private:
  friend class BodyFiles;
  std::string tmp_path_;
  int fd_;
  uint64_t size_ = 0;
  std::string buf_;
};

// An open object file for reading; closes on destruction.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  // Streams [offset, offset+length) into `write`; false when reading or writing failed.
  bool Stream(uint64_t offset, uint64_t length,
              const std::function<bool(const char*, size_t)>& write) const;

 private:
  int fd_;
};

class BodyFiles {
 public:
  // Empty root: a fresh temp directory, removed on destruction.
  explicit BodyFiles(const std::string& root);
  ~BodyFiles();
  // Removes the directory now if this object created it (--ephemeral); used at shutdown,
  // when the process may exit without running destructors.
  void RemoveIfOwned();
  BodyFiles(const BodyFiles&) = delete;
  BodyFiles& operator=(const BodyFiles&) = delete;

  Result<std::unique_ptr<PendingFile>> Create();
  // fsyncs, closes and renames into place; returns the new file id.
  Result<std::string> Commit(PendingFile& f);
  // Copies [offset, offset+length) of an open file into a new committed file.
  // `observe` (optional) sees every copied byte (digests).
  Result<std::string> CopyRange(const OpenFile& src, uint64_t offset, uint64_t length,
                                const std::function<void(const char*, size_t)>& observe = {});
  // Concatenates (open file, size) pairs into a new committed file.
  Result<std::string> Concat(
      const std::vector<std::pair<std::shared_ptr<OpenFile>, uint64_t>>& parts);
  std::shared_ptr<OpenFile> Open(const std::string& id) const;
  void Remove(const std::string& id) const;
  // Deletes temp files and object files not in `referenced`. Call before serving.
  void CleanOrphans(const std::set<std::string>& referenced) const;
  const std::string& root() const { return root_; }

 private:
  std::string Path(const std::string& id) const;
  std::string root_;
  bool owned_ = false;
};

}  // namespace edastack::s3

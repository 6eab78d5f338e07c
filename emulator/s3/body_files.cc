#include "emulator/s3/body_files.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

#include "emulator/s3/s3_errors.h"
#include "protocol/core/ids.h"
#include "protocol/core/log.h"

namespace edastack::s3 {
namespace fs = std::filesystem;
namespace {
constexpr size_t kWriteBuffer = 1 << 20;

bool WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}
}  // namespace

PendingFile::~PendingFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!tmp_path_.empty() && fd_ != -1) ::unlink(tmp_path_.c_str());
}

bool PendingFile::Open() {
  if (fd_ >= 0) return true;
  fd_ = ::open(tmp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0 && errno == ENOENT) {
    // The fan-out directory went missing (removed by hand): make it and retry once.
    std::error_code ec;
    fs::create_directories(fs::path(tmp_path_).parent_path(), ec);
    fd_ = ::open(tmp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (fd_ < 0) {
    fd_ = -2;  // failed: nothing to unlink
    return false;
  }
  return true;
}

bool PendingFile::Flush() {
  if (!Open()) return false;
  if (!buf_.empty() && !WriteAll(fd_, buf_.data(), buf_.size())) return false;
  buf_.clear();
  return true;
}

bool PendingFile::Write(const char* data, size_t n) {
  size_ += n;
  if (buf_.size() + n < kWriteBuffer) {
    if (buf_.capacity() == 0) buf_.reserve(std::min(kWriteBuffer, std::max<size_t>(n, 4096)));
    buf_.append(data, n);
    return true;
  }
  if (!Flush()) return false;
  return WriteAll(fd_, data, n);
}

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool OpenFile::Stream(uint64_t offset, uint64_t length,
                      const std::function<bool(const char*, size_t)>& write) const {
  if (fd_ < 0) {
    if (offset > data_.size() || length > data_.size() - offset) return false;
    return write(data_.data() + offset, static_cast<size_t>(length));
  }
  std::vector<char> buf(std::min<uint64_t>(length, 256 * 1024) + 1);
  while (length > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(length, buf.size()));
    ssize_t r = ::pread(fd_, buf.data(), want, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    if (!write(buf.data(), static_cast<size_t>(r))) return false;
    offset += static_cast<uint64_t>(r);
    length -= static_cast<uint64_t>(r);
  }
  return true;
}

BodyFiles::BodyFiles(const std::string& root, Durability durability)
    : root_(root), durability_(durability) {
  if (root_.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "edastack-s3-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) throw std::runtime_error("cannot create a temp dir for S3");
    root_ = buf.data();
    owned_ = true;
  }
  fs::create_directories(root_ + "/tmp");
  // Fan-out directories are made when their first body is (PendingFile::Open on ENOENT; the
  // temp file lives beside its destination, so Commit stays one rename). Making all 256 up
  // front cost ~45 ms of every start with a new data dir and of every --ephemeral start.
  fs::create_directories(root_ + "/obj");
}

BodyFiles::~BodyFiles() { RemoveIfOwned(); }

void BodyFiles::RemoveIfOwned() {
  if (owned_) {
    std::error_code ec;
    fs::remove_all(root_, ec);
    owned_ = false;
  }
}

std::string BodyFiles::Path(const std::string& id) const {
  // Two-level fan-out keeps directories small.
  return root_ + "/obj/" + id.substr(0, 2) + "/" + id;
}

Result<std::unique_ptr<PendingFile>> BodyFiles::Create() {
  std::string id = ids::RandomHex(16);
  return std::make_unique<PendingFile>(Path(id) + ".tmp", id);
}

Result<StoredBody> BodyFiles::CommitOrInline(PendingFile& f) {
  if (f.fd_ == -1 && f.size_ <= kInlineBodyMax) {
    StoredBody out;
    out.inline_data = std::move(f.buf_);
    f.buf_.clear();
    f.tmp_path_.clear();
    return out;
  }
  EDA_ASSIGN_OR_RETURN(std::string id, Commit(f));
  return StoredBody{id, ""};
}

Result<std::string> BodyFiles::Commit(PendingFile& f) {
  if (!f.Flush())
    return InternalError(std::string("cannot write a body file: ") + strerror(errno));
  bool power_safe = durability_ == Durability::kPowerLoss;
  if (power_safe && ::fsync(f.fd_) != 0)
    return InternalError(std::string("fsync: ") + strerror(errno));
  ::close(f.fd_);
  f.fd_ = -2;  // closed; the destructor still unlinks the temp file if the rename fails
  std::string dest = Path(f.id_);
  if (::rename(f.tmp_path_.c_str(), dest.c_str()) != 0)
    return InternalError(std::string("rename: ") + strerror(errno));
  f.tmp_path_.clear();
  if (power_safe) {
    int dir = ::open(fs::path(dest).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }
  return f.id_;
}

Result<std::string> BodyFiles::CopyRange(const OpenFile& src, uint64_t offset, uint64_t length,
                                         const std::function<void(const char*, size_t)>& observe) {
  EDA_ASSIGN_OR_RETURN(auto dst, Create());
  if (!src.Stream(offset, length, [&](const char* d, size_t n) {
        if (observe) observe(d, n);
        return dst->Write(d, n);
      }))
    return InternalError("copy failed");
  return Commit(*dst);
}

Result<std::string> BodyFiles::Concat(
    const std::vector<std::pair<std::shared_ptr<OpenFile>, uint64_t>>& parts) {
  EDA_ASSIGN_OR_RETURN(auto dst, Create());
  for (const auto& p : parts) {
    if (!p.first->Stream(0, p.second, [&](const char* d, size_t n) { return dst->Write(d, n); }))
      return InternalError("concatenation failed");
  }
  return Commit(*dst);
}

std::shared_ptr<OpenFile> BodyFiles::Open(const std::string& id) const {
  if (id.empty()) return nullptr;
  int fd = ::open(Path(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::make_shared<OpenFile>(fd);
}

void BodyFiles::Remove(const std::string& id) const {
  if (!id.empty()) ::unlink(Path(id).c_str());
}

std::vector<std::string> BodyFiles::CleanOrphans(
    const std::map<std::string, uint64_t>& referenced) const {
  std::error_code ec;
  size_t removed = 0;
  for (auto& e : fs::directory_iterator(root_ + "/tmp", ec)) {
    fs::remove(e.path(), ec);
    ++removed;
  }
  std::set<std::string> found;
  std::vector<std::string> broken;
  for (auto& e : fs::recursive_directory_iterator(root_ + "/obj", ec)) {
    if (!e.is_regular_file()) continue;
    std::string id = e.path().filename().string();
    auto it = referenced.find(id);
    if (it == referenced.end()) {
      fs::remove(e.path(), ec);
      ++removed;
      continue;
    }
    found.insert(id);
    std::error_code size_ec;
    if (e.file_size(size_ec) != it->second || size_ec) broken.push_back(id);
  }
  for (const auto& kv : referenced)
    if (!found.count(kv.first)) broken.push_back(kv.first);
  if (removed) log::Info("s3: removed " + std::to_string(removed) + " orphan body files");
  return broken;
}

}  // namespace edastack::s3

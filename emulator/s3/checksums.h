// Incremental digests for S3 bodies: MD5 (ETag, Content-MD5), SHA-256 (payload hash) and the
// flexible checksums CRC32, CRC32C, CRC64NVME, SHA1, SHA256. A Digester is not thread-safe;
// the free functions are pure.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edastack::s3 {

enum class Algo { kNone, kMd5, kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

// "CRC32" / "crc32" → kCrc32 (flexible checksum names only); nullopt for unknown names.
std::optional<Algo> ParseChecksumAlgo(std::string_view name);
const char* ChecksumName(Algo a);       // "CRC32"
std::string ChecksumHeader(Algo a);     // "x-amz-checksum-crc32"
std::string ChecksumMember(Algo a);     // "ChecksumCRC32"
// The flexible checksums, in the order we look for headers.
constexpr Algo kFlexibleAlgos[] = {Algo::kCrc32, Algo::kCrc32c, Algo::kCrc64Nvme, Algo::kSha1,
                                   Algo::kSha256};

// Raw digest bytes, fed incrementally. Move-only.
class Digester {
 public:
  explicit Digester(Algo algo = Algo::kNone);
  ~Digester();
  Digester(Digester&& o) noexcept;
  Digester& operator=(Digester&& o) noexcept;
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;

  void Update(const char* data, size_t n);
  // Raw digest (big-endian for CRCs). Call once.
  std::string Final();
  Algo algo() const { return algo_; }

 private:
  Algo algo_;
  EVP_MD_CTX* ctx_ = nullptr;
  uint64_t crc_ = 0;
};

// One-shot helpers.
std::string DigestRaw(Algo a, std::string_view data);
std::string DigestBase64(Algo a, std::string_view data);

}  // namespace edastack::s3

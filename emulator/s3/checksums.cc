#include "emulator/s3/checksums.h"

#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"

namespace edastack::s3 {

std::optional<Algo> ParseChecksumAlgo(std::string_view name) {
  std::string n = str::ToLower(name);
  if (n == "crc32") return Algo::kCrc32;
  if (n == "crc32c") return Algo::kCrc32c;
  if (n == "crc64nvme") return Algo::kCrc64Nvme;
  if (n == "sha1") return Algo::kSha1;
  if (n == "sha256") return Algo::kSha256;
  return std::nullopt;
}

const char* ChecksumName(Algo a) {
  switch (a) {
    case Algo::kCrc32: return "CRC32";
    case Algo::kCrc32c: return "CRC32C";
    case Algo::kCrc64Nvme: return "CRC64NVME";
    case Algo::kSha1: return "SHA1";
    case Algo::kSha256: return "SHA256";
    case Algo::kMd5: return "MD5";
    default: return "";
  }
}

std::string ChecksumHeader(Algo a) { return "x-amz-checksum-" + str::ToLower(ChecksumName(a)); }
std::string ChecksumMember(Algo a) { return std::string("Checksum") + ChecksumName(a); }

Digester::Digester(Algo algo) : algo_(algo) {
  const EVP_MD* md = nullptr;
  if (algo == Algo::kMd5) md = EVP_md5();
  if (algo == Algo::kSha1) md = EVP_sha1();
  if (algo == Algo::kSha256) md = EVP_sha256();
  if (md) {
    ctx_ = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx_, md, nullptr);
  }
}

Digester::~Digester() {
  if (ctx_) EVP_MD_CTX_free(ctx_);
}

Digester::Digester(Digester&& o) noexcept : algo_(o.algo_), ctx_(o.ctx_), crc_(o.crc_) {
  o.ctx_ = nullptr;
}

Digester& Digester::operator=(Digester&& o) noexcept {
  if (this != &o) {
    if (ctx_) EVP_MD_CTX_free(ctx_);
    algo_ = o.algo_;
    ctx_ = o.ctx_;
    crc_ = o.crc_;
    o.ctx_ = nullptr;
  }
  return *this;
}

void Digester::Update(const char* data, size_t n) {
  std::string_view v(data, n);
  switch (algo_) {
    case Algo::kCrc32: crc_ = crypto::Crc32(v, static_cast<uint32_t>(crc_)); break;
    case Algo::kCrc32c: crc_ = crypto::Crc32c(v, static_cast<uint32_t>(crc_)); break;
    case Algo::kCrc64Nvme: crc_ = crypto::Crc64Nvme(v, crc_); break;
    case Algo::kNone: break;
    default: EVP_DigestUpdate(ctx_, data, n);
  }
}

std::string Digester::Final() {
  auto be = [](uint64_t v, int bytes) {
    std::string out(bytes, '\0');
    for (int i = bytes - 1; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xFF);
    return out;
  };
  switch (algo_) {
    case Algo::kCrc32:
    case Algo::kCrc32c: return be(crc_, 4);
    case Algo::kCrc64Nvme: return be(crc_, 8);
    case Algo::kNone: return "";
    default: {
      unsigned char out[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      EVP_DigestFinal_ex(ctx_, out, &len);
      return std::string(reinterpret_cast<char*>(out), len);
    }
  }
}

std::string DigestRaw(Algo a, std::string_view data) {
  Digester d(a);
  d.Update(data.data(), data.size());
  return d.Final();
}

std::string DigestBase64(Algo a, std::string_view data) {
  return crypto::Base64Encode(DigestRaw(a, data));
}

}  // namespace edastack::s3

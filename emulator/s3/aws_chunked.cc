#include "emulator/s3/aws_chunked.h"

#include "emulator/s3/checksums.h"
#include "protocol/core/crypto.h"
#include "protocol/core/strings.h"

namespace edastack::s3 {
namespace {
constexpr size_t kMaxLine = 8192;
}

bool AwsChunkedDecoder::Feed(const char* data, size_t n) {
  size_t i = 0;
  while (i < n) {
    switch (state_) {
      case State::kSize:
      case State::kTrailer:
      case State::kDataEnd: {
        char c = data[i++];
        if (c != '\n') {
          if (line_.size() >= kMaxLine) return Fail("chunk header line too long");
          line_.push_back(c);
          continue;
        }
        if (!line_.empty() && line_.back() == '\r') line_.pop_back();
        std::string line = std::move(line_);
        line_.clear();
        if (state_ == State::kDataEnd) {
          if (!line.empty()) return Fail("chunk data is longer than its declared size");
          state_ = State::kSize;
          continue;
        }
        if (state_ == State::kSize) {
          line_ = std::move(line);
          if (!OnSizeLine()) return false;
        } else {
          line_ = std::move(line);
          if (!OnTrailerLine()) return false;
        }
        line_.clear();
        break;
      }
      case State::kData: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, n - i));
        if (hook_) chunk_sha_ctx_.append(data + i, take);
        if (!sink_(data + i, take)) return Fail("write failed");
        decoded_ += take;
        remaining_ -= take;
        i += take;
        if (remaining_ == 0) {
          if (!EndChunk()) return false;
          state_ = State::kDataEnd;
        }
        break;
      }
      case State::kDone:
        // Tolerate trailing CRLFs after the end.
        for (; i < n; ++i)
          if (data[i] != '\r' && data[i] != '\n') return Fail("data after the final chunk");
        break;
    }
  }
  return true;
}

bool AwsChunkedDecoder::OnSizeLine() {
  std::string line = line_;
  if (line.empty()) return true;  // stray CRLF
  std::string size_text = line;
  signature_.clear();
  size_t semi = line.find(';');
  if (semi != std::string::npos) {
    size_text = line.substr(0, semi);
    std::string ext = line.substr(semi + 1);
    if (str::StartsWith(ext, "chunk-signature=")) signature_ = ext.substr(16);
  }
  size_text = str::Trim(size_text);
  if (size_text.empty() || size_text.size() > 15) return Fail("bad chunk size");
  uint64_t v = 0;
  for (char c : size_text) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return Fail("bad chunk size");
    v = v * 16 + static_cast<uint64_t>(d);
  }
  remaining_ = v;
  chunk_sha_ctx_.clear();
  if (v == 0) {
    if (!EndChunk()) return false;
    state_ = State::kTrailer;
  } else {
    state_ = State::kData;
  }
  return true;
}

bool AwsChunkedDecoder::EndChunk() {
  if (!hook_) return true;
  std::string sha = crypto::Sha256Hex(chunk_sha_ctx_);
  chunk_sha_ctx_.clear();
  if (!hook_(signature_, sha)) return Fail("chunk signature mismatch");
  return true;
}

bool AwsChunkedDecoder::OnTrailerLine() {
  if (line_.empty()) {
    state_ = State::kDone;
    return true;
  }
  size_t colon = line_.find(':');
  if (colon == std::string::npos) return Fail("malformed trailer");
  trailers_[str::ToLower(str::Trim(line_.substr(0, colon)))] = str::Trim(line_.substr(colon + 1));
  return true;
}

bool AwsChunkedDecoder::Finish() {
  if (state_ == State::kDone) return true;
  // Some clients end the trailer without the final blank line.
  if (state_ == State::kTrailer && line_.empty()) return true;
  if (state_ == State::kTrailer && !line_.empty()) {
    if (!OnTrailerLine()) return false;
    return true;
  }
  return Fail("the body ended before the final chunk");
}

}  // namespace edastack::s3

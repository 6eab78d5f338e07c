// Push decoder for `Content-Encoding: aws-chunked` bodies (PROTOCOLS.md §1.3): signed
// (`<hex>;chunk-signature=<sig>`) and unsigned chunks, then optional trailer lines
// (`x-amz-checksum-crc32:...`, `x-amz-trailer-signature:...`). HTTP chunked framing is
// undone by the server before bytes arrive here. Not thread-safe; one per request.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace edastack::s3 {

class AwsChunkedDecoder {
 public:
  using Sink = std::function<bool(const char*, size_t)>;
  // Called at the end of each chunk (also the final empty one) with its signature (empty
  // when unsigned) and its data. Return false to reject (bad chunk signature).
  using ChunkHook = std::function<bool(const std::string& signature, const std::string& sha256_hex)>;

  explicit AwsChunkedDecoder(Sink sink) : sink_(std::move(sink)) {}
  // Needs chunk SHA-256s computed (only when verifying signatures).
  void SetChunkHook(ChunkHook hook) { hook_ = std::move(hook); }

  // Feeds raw bytes; false on a framing error (see error()) or when the sink refused.
  bool Feed(const char* data, size_t n);
  // True when the terminating chunk (and the trailer) has been read completely.
  bool Finish();

  const std::string& error() const { return error_; }
  // Trailer headers, names lower-cased.
  const std::map<std::string, std::string>& trailers() const { return trailers_; }
  uint64_t decoded_bytes() const { return decoded_; }

 private:
  enum class State { kSize, kData, kDataEnd, kTrailer, kDone };
  bool Fail(const std::string& msg) {
    error_ = msg;
    return false;
  }
  bool OnSizeLine();
  bool OnTrailerLine();
  bool EndChunk();

  Sink sink_;
  ChunkHook hook_;
  State state_ = State::kSize;
  std::string line_;
  uint64_t remaining_ = 0;
  uint64_t decoded_ = 0;
  std::string signature_;
  std::string chunk_sha_ctx_;  // chunk data, only kept when hook_ is set
  std::string error_;
  std::map<std::string, std::string> trailers_;
};

}  // namespace edastack::s3

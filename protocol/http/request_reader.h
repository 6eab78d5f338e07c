// Reads HTTP/1.x requests off one connection's byte stream (RFC 9112): the request line and
// header fields, then a body framed by Content-Length or by the chunked transfer coding, which
// it decodes. Bytes read past one request stay buffered for the next (pipelining).
//
// Owned by one connection and used by one thread at a time; not thread-safe. The byte
// source is injected, so tests feed it strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "protocol/http/message.h"

namespace edastack::http {

class RequestReader {
 public:
  // Reads up to n bytes into buf: the count, 0 at the end of the stream, < 0 on an error or a
  // timeout.
  using Recv = std::function<long(char* buf, size_t n)>;
  using Sink = std::function<bool(const char*, size_t)>;

  // Limits: the request line plus header fields, and one chunk-size or trailer line.
  static constexpr size_t kMaxHead = 64 * 1024;
  static constexpr size_t kMaxLine = 8 * 1024;

  explicit RequestReader(Recv recv) : recv_(std::move(recv)) {}

  enum class HeadStatus {
    kOk,
    kClosed,    // the stream ended (or timed out) before the first byte of a request
    kBad,       // malformed: answer 400 and close
    kTooLarge,  // the head exceeds kMaxHead: answer 431 and close
    kError,     // the stream failed or ended inside the head: close
  };
  struct Head {
    bool keep_alive = false;   // HTTP/1.1 without "Connection: close", or 1.0 with keep-alive
    bool expect_continue = false;
    int minor_version = 1;
  };

  // Reads the next request's head into req (method, target, raw_query, query, headers).
  // A previous request's body must have been read to its end first.
  HeadStatus ReadHead(Request* req, Head* head);

  // Whether the current request has a body still to be read.
  bool BodyPending() const { return framing_ != Framing::kNone; }

  // Streams the rest of the current body into sink. True once the body has ended (at once
  // when there is none or it was read already); false on a read error, a malformed chunk,
  // or when sink returned false, after which the connection cannot be reused.
  bool ReadBody(const Sink& sink);

 private:
  enum class Framing { kNone, kLength, kChunkSize, kChunkData, kChunkDataEnd, kTrailers };

  size_t Buffered() const { return buf_.size() - pos_; }
  // Reads more bytes into the buffer; false at the end of the stream or on an error.
  bool Fill();
  // Takes one line (without its CRLF or LF) from the buffer, reading more as needed.
  bool ReadLine(std::string* line);
  bool ParseHead(size_t end, Request* req, Head* head);
  bool ReadChunked(const Sink& sink);

  Recv recv_;
  std::string buf_;
  size_t pos_ = 0;
  Framing framing_ = Framing::kNone;
  uint64_t remaining_ = 0;  // of the Content-Length body or of the current chunk
};

}  // namespace edastack::http

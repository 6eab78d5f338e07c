#include "protocol/http/request_reader.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "protocol/core/strings.h"

namespace edastack::http {
namespace {

constexpr size_t kFillSize = 64 * 1024;

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!IsTokenChar(c)) return false;
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether a comma-separated header value holds `token` (case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (str::IEquals(TrimOws(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

bool ParseDecimal(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// "1a3f;ext=1" → 0x1a3f. At most 15 hex digits (no overflow).
bool ParseChunkSize(std::string_view line, uint64_t* out) {
  size_t semi = line.find(';');
  std::string_view hex = TrimOws(line.substr(0, semi));
  if (hex.empty() || hex.size() > 15) return false;
  uint64_t v = 0;
  for (char c : hex) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    v = v * 16 + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

}  // namespace

bool RequestReader::Fill() {
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  } else if (pos_ > kFillSize) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  size_t old = buf_.size();
  buf_.resize(old + kFillSize);
  long n = recv_(&buf_[old], kFillSize);
  buf_.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
  return n > 0;
}

bool RequestReader::ReadLine(std::string* line) {
  size_t scanned = pos_;
  while (true) {
    size_t nl = buf_.find('\n', scanned);
    if (nl != std::string::npos) {
      size_t end = nl > pos_ && buf_[nl - 1] == '\r' ? nl - 1 : nl;
      if (end - pos_ > kMaxLine) return false;
      line->assign(buf_, pos_, end - pos_);
      pos_ = nl + 1;
      return true;
    }
    if (Buffered() > kMaxLine) return false;
    scanned = buf_.size();
    size_t before = pos_;
    if (!Fill()) return false;
    scanned -= before - pos_;  // Fill may have moved the unread bytes to the front
  }
}

RequestReader::HeadStatus RequestReader::ReadHead(Request* req, Head* head) {
  framing_ = Framing::kNone;
  // Empty lines before a request line are ignored (RFC 9112 §2.2).
  while (true) {
    if (Buffered() == 0 && !Fill()) return HeadStatus::kClosed;
    if (buf_[pos_] == '\r' || buf_[pos_] == '\n') {
      ++pos_;
      continue;
    }
    break;
  }
  size_t scanned = pos_;
  while (true) {
    // The head ends at the first empty line: "\n\r\n" or "\n\n".
    size_t nl = buf_.find('\n', scanned);
    while (nl != std::string::npos) {
      size_t next = nl + 1;
      size_t end = 0;
      if (next < buf_.size() && buf_[next] == '\n') end = next + 1;
      else if (next + 1 < buf_.size() && buf_[next] == '\r' && buf_[next + 1] == '\n') end = next + 2;
      if (end) {
        if (end - pos_ > kMaxHead) return HeadStatus::kTooLarge;
        return ParseHead(end, req, head) ? HeadStatus::kOk : HeadStatus::kBad;
      }
      if (next + 1 >= buf_.size()) break;  // need more bytes to decide
      nl = buf_.find('\n', next);
    }
    if (Buffered() > kMaxHead) return HeadStatus::kTooLarge;
    scanned = nl == std::string::npos ? buf_.size() : nl;
    size_t before = pos_;
    if (!Fill()) return HeadStatus::kError;
    scanned -= before - pos_;
  }
}

bool RequestReader::ParseHead(size_t end, Request* req, Head* head) {
  std::string_view text(buf_.data() + pos_, end - pos_);
  pos_ = end;
  auto next_line = [&text]() {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };

  // request-line = method SP request-target SP HTTP-version
  std::string_view line = next_line();
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return false;
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method) || target.empty()) return false;
  if (version == "HTTP/1.1") head->minor_version = 1;
  else if (version == "HTTP/1.0") head->minor_version = 0;
  else return false;
  // absolute-form ("http://host/path?q") as a proxy would send it: keep the path.
  if (str::StartsWith(target, "http://") || str::StartsWith(target, "https://")) {
    size_t slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.front() != '/' && target != "*") return false;
  for (char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;

  req->method.assign(method);
  size_t q = target.find('?');
  req->target.assign(target.substr(0, q));
  req->raw_query.assign(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));
  req->query = str::ParseForm(req->raw_query, true);
  req->headers.clear();

  while (!text.empty()) {
    line = next_line();
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return false;  // obsolete line folding
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) return false;
    std::string_view value = TrimOws(line.substr(colon + 1));
    for (char c : value)
      if (c == '\0' || c == '\r' || c == '\n') return false;
    req->headers.emplace(std::string(line.substr(0, colon)), std::string(value));
  }

  // Body framing (RFC 9112 §6.3): Transfer-Encoding wins over Content-Length.
  auto te = req->headers.equal_range("Transfer-Encoding");
  if (te.first != te.second) {
    std::string_view last;
    for (auto it = te.first; it != te.second; ++it) {
      std::string_view v = it->second;
      size_t comma = v.rfind(',');
      last = TrimOws(comma == std::string_view::npos ? v : v.substr(comma + 1));
    }
    if (!str::IEquals(last, "chunked")) return false;
    framing_ = Framing::kChunkSize;
  } else {
    auto cl = req->headers.equal_range("Content-Length");
    bool have = false;
    uint64_t length = 0;
    for (auto it = cl.first; it != cl.second; ++it) {
      uint64_t v;
      if (!ParseDecimal(TrimOws(it->second), &v)) return false;
      if (have && v != length) return false;
      have = true;
      length = v;
    }
    if (length > 0) {
      framing_ = Framing::kLength;
      remaining_ = length;
    }
  }

  std::string_view connection;
  auto conn = req->headers.find("Connection");
  if (conn != req->headers.end()) connection = conn->second;
  head->keep_alive = head->minor_version == 1 ? !HasToken(connection, "close")
                                              : HasToken(connection, "keep-alive");
  auto expect = req->headers.find("Expect");
  head->expect_continue = head->minor_version == 1 && expect != req->headers.end() &&
                          str::IEquals(expect->second, "100-continue");
  return true;
}

bool RequestReader::ReadBody(const Sink& sink) {
  if (framing_ == Framing::kNone) return true;
  if (framing_ != Framing::kLength) return ReadChunked(sink);
  while (remaining_ > 0) {
    if (Buffered() > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, Buffered()));
      const char* data = buf_.data() + pos_;
      pos_ += n;
      remaining_ -= n;
      if (!sink(data, n)) return false;
      continue;
    }
    // Large bodies go straight from the socket to the sink, never past the body's end.
    size_t want = static_cast<size_t>(std::min<uint64_t>(remaining_, 4 * kFillSize));
    buf_.clear();
    pos_ = 0;
    buf_.resize(want);
    long n = recv_(&buf_[0], want);
    buf_.resize(n > 0 ? static_cast<size_t>(n) : 0);
    if (n <= 0) return false;
  }
  framing_ = Framing::kNone;
  return true;
}

bool RequestReader::ReadChunked(const Sink& sink) {
  std::string line;
  while (true) {
    switch (framing_) {
      case Framing::kChunkSize: {
        if (!ReadLine(&line) || !ParseChunkSize(line, &remaining_)) return false;
        framing_ = remaining_ == 0 ? Framing::kTrailers : Framing::kChunkData;
        break;
      }
      case Framing::kChunkData: {
        if (Buffered() == 0 && !Fill()) return false;
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, Buffered()));
        const char* data = buf_.data() + pos_;
        pos_ += n;
        remaining_ -= n;
        if (remaining_ == 0) framing_ = Framing::kChunkDataEnd;
        if (!sink(data, n)) return false;
        break;
      }
      case Framing::kChunkDataEnd: {
        if (!ReadLine(&line) || !line.empty()) return false;
        framing_ = Framing::kChunkSize;
        break;
      }
      case Framing::kTrailers: {
        // Trailer fields of the HTTP framing are read and dropped (aws-chunked trailers
        // travel inside the body).
        if (!ReadLine(&line)) return false;
        if (line.empty()) {
          framing_ = Framing::kNone;
          return true;
        }
        break;
      }
      default:
        return true;
    }
  }
}

}  // namespace edastack::http
